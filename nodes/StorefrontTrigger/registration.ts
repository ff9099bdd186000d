/**
 * Register Webhooks in the Shop: on activation the Storefront Trigger makes the shop deliver the
 * topics it reads (core/registration.ts) to its webhook URL, and on deactivation removes them. Its
 * own webhooks are those delivering to its URL; the shop's other webhooks are never touched.
 *
 * Signing: WooCommerce signs each webhook with the secret given when it was created, so the
 * trigger makes one per node, keeps it in the node's static data with the ids of the webhooks
 * created with it, and verifies with it. Shopify signs every webhook an app creates with the app's
 * client secret (no per-webhook secret exists), so the trigger verifies with the Storefront Webhook
 * credential when one is selected, else with the shop credential's app secret (APP Secret Key of
 * an access-token credential, Client Secret of an OAuth2 credential).
 */
import { randomBytes } from 'node:crypto';
import { NodeOperationError, type IDataObject, type IHookFunctions, type IWebhookFunctions } from 'n8n-workflow';
import { InputError } from '../../core/errors';
import { registrationTopics, type ShopSource } from '../../core/registration';
import { cachedCredentials, type CredentialRead } from '../shared/credentials';
import { SHOPIFY_OAUTH2 } from '../shared/shop';
import { shopifyWebhooks } from './shops/shopify';
import { ShopError, type ShopRequest, type ShopResponse, type ShopWebhook, type ShopWebhooks } from './shops/types';
import { wooCommerceWebhooks } from './shops/woocommerce';

type TriggerContext = IWebhookFunctions | IHookFunctions;

export const REGISTER_PARAMETER = 'registerWebhooks';
export const SHOP_AUTH_PARAMETER = 'shopAuthentication';

const SHOP_NAMES: Record<ShopSource, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce' };

/** What to check in a credential the shop refused. */
const CREDENTIAL_HINTS: Record<string, string> = {
	shopifyAccessTokenApi: 'its Access Token and Shop Subdomain, and that the app has the read_orders, read_customers scopes',
	shopifyOAuth2Api: 'that it is connected to this shop, and that the app has the read_orders, read_customers scopes',
	wooCommerceApi: 'its Consumer Key and Consumer Secret, and that the key has Read/Write permission',
};

interface Registration {
	source: ShopSource;
	credentialType: string;
}

/** The shop and credential the node registers with, or undefined when the option is off. */
export function registrationOf(ctx: TriggerContext): Registration | undefined {
	const source = ctx.getNodeParameter('source', 'auto');
	if ((source !== 'shopify' && source !== 'woocommerce') || ctx.getNodeParameter(REGISTER_PARAMETER, false) !== true) return undefined;
	if (source === 'woocommerce') return { source, credentialType: 'wooCommerceApi' };
	return { source, credentialType: ctx.getNodeParameter(SHOP_AUTH_PARAMETER, 'accessToken') === 'oAuth2' ? 'shopifyOAuth2Api' : 'shopifyAccessTokenApi' };
}

const CREDENTIAL_NAMES: Record<string, string> = {
	shopifyAccessTokenApi: 'Shopify Access Token API',
	shopifyOAuth2Api: 'Shopify OAuth2 API',
	wooCommerceApi: 'WooCommerce API',
};

/** The shop credential is optional on the node: without one selected, say which to select. */
function requireShopCredential(ctx: TriggerContext, registration: Registration): void {
	if (ctx.getNode().credentials?.[registration.credentialType]) return;
	throw new InputError(
		REGISTER_PARAMETER,
		`no ${CREDENTIAL_NAMES[registration.credentialType]} credential is selected, so the trigger cannot reach ${SHOP_NAMES[registration.source]}`,
		`Select a ${CREDENTIAL_NAMES[registration.credentialType]} credential, or turn off Register Webhooks in the Shop and set up the webhooks in the shop yourself.`,
	);
}

// ---------------------------------------------------------------- signing

interface OwnSecret {
	secret?: string;
	ids?: string[];
}

function ownSecret(ctx: TriggerContext): OwnSecret & IDataObject {
	return ctx.getWorkflowStaticData('node') as OwnSecret & IDataObject;
}

/** A WooCommerce secret for this node, made once; a new one means no webhook was created with it yet. */
export function ensureOwnSecret(ctx: IHookFunctions): void {
	const registration = registrationOf(ctx);
	if (registration?.source !== 'woocommerce') return;
	const data = ownSecret(ctx);
	if (typeof data.secret === 'string' && data.secret !== '') return;
	data.secret = randomBytes(32).toString('base64url');
	data.ids = [];
}

/**
 * The credential the trigger verifies deliveries with: the Storefront Webhook credential read
 * (`selected`), unless the trigger registers its webhooks. Then WooCommerce deliveries are verified
 * with the node's own secret; before it has one, none (a WooCommerce ping is still answered, every
 * delivery refused with 401; activation makes the secret before it checks the settings). Shopify
 * deliveries with the Storefront Webhook credential when one is selected, else with the app secret
 * of the Shopify credential.
 */
export async function signingCredential(ctx: TriggerContext, selected: CredentialRead | undefined, maxAgeMs: number | undefined): Promise<CredentialRead | undefined> {
	const registration = registrationOf(ctx);
	if (!registration) return selected;
	if (registration.source === 'woocommerce') {
		const { secret } = ownSecret(ctx);
		return typeof secret === 'string' && secret !== '' ? { cached: false, value: { source: 'woocommerce', secret } } : undefined;
	}
	if (selected) return selected;
	requireShopCredential(ctx, registration);
	const { value: credential, cached } = await cachedCredentials(ctx, registration.credentialType, { maxAgeMs });
	const field = registration.credentialType === 'shopifyOAuth2Api' ? 'clientSecret' : 'appSecretKey';
	const secret = typeof credential[field] === 'string' ? credential[field] : '';
	if (secret === '') {
		throw new InputError(
			`credential.${field}`,
			'is empty, and Shopify signs the webhooks an app creates with its client secret',
			`Edit the Shopify credential "${credentialName(ctx, registration.credentialType)}" and enter the app's client secret (API secret key), or select a Storefront Webhook credential with it.`,
		);
	}
	return { cached, value: { source: 'shopify', secret } };
}

// ---------------------------------------------------------------- the shop's webhooks

function credentialName(ctx: TriggerContext, type: string): string {
	return ctx.getNode().credentials?.[type]?.name ?? type;
}

async function shopOf(ctx: IHookFunctions, registration: Registration): Promise<ShopWebhooks> {
	requireShopCredential(ctx, registration);
	const credential = await ctx.getCredentials(registration.credentialType);
	const type = registration.credentialType;
	// n8n's WooCommerce credential sets request-style auth ({ user, password }), which only n8n's
	// request helper reads (as n8n's WooCommerce node uses it); a query is always passed, so Include
	// Credentials in Query works too.
	const request: ShopRequest =
		registration.source === 'woocommerce'
			? async ({ method, url, qs, body }) =>
					(await ctx.helpers.requestWithAuthentication.call(ctx, type, {
						method,
						uri: url,
						qs: { ...qs },
						body,
						json: true,
						resolveWithFullResponse: true,
						simple: false,
					})) as ShopResponse
			: async (options) =>
					(await ctx.helpers.httpRequestWithAuthentication.call(ctx, type, { ...options, returnFullResponse: true, ignoreHttpStatusErrors: true }, SHOPIFY_OAUTH2)) as ShopResponse;
	return registration.source === 'shopify' ? shopifyWebhooks(request, credential) : wooCommerceWebhooks(request, credential);
}

/** A failed call to the shop as n8n shows it on activation: what happened and what to change. */
function shopFailure(ctx: IHookFunctions, registration: Registration, doing: string, error: unknown): NodeOperationError {
	const shop = SHOP_NAMES[registration.source];
	const name = credentialName(ctx, registration.credentialType);
	let message: string;
	if (error instanceof ShopError && (error.status === 401 || error.status === 403)) {
		message = `${shop} refused the credential "${name}" while ${doing} (${error.message}). Check ${CREDENTIAL_HINTS[registration.credentialType]}.`;
	} else if (error instanceof ShopError) {
		message = `${shop} answered ${error.message} while ${doing}, using the credential "${name}".`;
	} else if (error instanceof InputError) {
		message = `${error.message}. ${error.hint ?? ''}`.trim();
	} else {
		message = `Could not reach ${shop} while ${doing}, using the credential "${name}": ${error instanceof Error ? error.message : String(error)}`;
	}
	return new NodeOperationError(ctx.getNode(), message);
}

interface Plan {
	shop: ShopWebhooks;
	address: string;
	wanted: string[];
	/** Webhooks delivering to this trigger's URL. */
	ours: ShopWebhook[];
}

/** A webhook of ours that can stay: wanted, active, the first for its topic, and (WooCommerce) made with the kept secret. */
function keepers(ctx: IHookFunctions, registration: Registration, plan: Plan): Map<string, ShopWebhook> {
	const known = new Set(registration.source === 'woocommerce' ? (ownSecret(ctx).ids ?? []) : plan.ours.map((hook) => hook.id));
	const keep = new Map<string, ShopWebhook>();
	for (const hook of plan.ours) {
		if (plan.wanted.includes(hook.topic) && hook.active && known.has(hook.id) && !keep.has(hook.topic)) keep.set(hook.topic, hook);
	}
	return keep;
}

async function planOf(ctx: IHookFunctions, registration: Registration, eventTypes: 'any' | ReadonlySet<string>): Promise<Plan> {
	const wanted = registrationTopics(registration.source, eventTypes);
	const address = ctx.getNodeWebhookUrl('default') ?? '';
	const shop = await shopOf(ctx, registration);
	const ours = (await shop.list()).filter((hook) => hook.address === address);
	return { shop, address, wanted, ours };
}

async function inShop<T>(ctx: IHookFunctions, registration: Registration, doing: string, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw shopFailure(ctx, registration, doing, error);
	}
}

/** Whether the shop delivers exactly the wanted topics to this trigger (true when the option is off). */
export async function isRegistered(ctx: IHookFunctions, eventTypes: 'any' | ReadonlySet<string>): Promise<boolean> {
	const registration = registrationOf(ctx);
	if (!registration) return true;
	return await inShop(ctx, registration, 'reading its webhooks', async () => {
		const plan = await planOf(ctx, registration, eventTypes);
		return keepers(ctx, registration, plan).size === plan.wanted.length && plan.ours.length === plan.wanted.length;
	});
}

/** Makes the shop deliver exactly the wanted topics to this trigger: removes its others, creates the missing. */
export async function register(ctx: IHookFunctions, eventTypes: 'any' | ReadonlySet<string>): Promise<void> {
	const registration = registrationOf(ctx);
	if (!registration) return;
	await inShop(ctx, registration, 'registering webhooks', async () => {
		const plan = await planOf(ctx, registration, eventTypes);
		const keep = keepers(ctx, registration, plan);
		const kept = new Set([...keep.values()].map((hook) => hook.id));
		for (const hook of plan.ours) if (!kept.has(hook.id)) await plan.shop.remove(hook.id);
		const secret = ownSecret(ctx).secret ?? '';
		const ids = [...kept];
		for (const topic of plan.wanted) if (!keep.has(topic)) ids.push(await plan.shop.create(topic, plan.address, secret));
		if (registration.source === 'woocommerce') ownSecret(ctx).ids = ids;
	});
}

/** Removes every webhook that delivers to this trigger, and the kept secret. */
export async function unregister(ctx: IHookFunctions): Promise<void> {
	const registration = registrationOf(ctx);
	if (!registration) return;
	await inShop(ctx, registration, 'removing its webhooks', async () => {
		const shop = await shopOf(ctx, registration);
		const address = ctx.getNodeWebhookUrl('default') ?? '';
		for (const hook of await shop.list()) if (hook.address === address) await shop.remove(hook.id);
	});
	const data = ownSecret(ctx);
	delete data.secret;
	delete data.ids;
}
