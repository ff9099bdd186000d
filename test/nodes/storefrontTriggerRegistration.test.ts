/**
 * Storefront Trigger, Register Webhooks in the Shop: its webhook methods run the way n8n runs them
 * on activation (checkExists, then create when that says false) and deactivation (delete), in
 * n8n-core's HookContext over a real Workflow, with n8n's own request helper
 * (httpRequestWithAuthentication) reaching stand-ins for the Shopify GraphQL Admin API and the
 * WooCommerce REST API through an HTTPS proxy (test/standins/shop-webhooks.ts on test/standins/https-proxy.ts). A delivery then
 * goes through n8n-core's WebhookContext with the workflow's static data, over a SQLite store.
 */
import '../helpers/n8n-env';

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeParameters,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { StorefrontTrigger } from '../../nodes/StorefrontTrigger/StorefrontTrigger.node';
import { fixtureBytes, openShopifyOrderBytes } from '../core/events/helpers';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { MapNodeTypes, nodeTypesOf, TestCredentialsHelper, type CredentialsByType } from '../helpers/workflow';
import { startShopStandIn, trustStandIn, type ShopStandIn } from '../standins/shop-webhooks';

const clock = new ManualClock('2026-03-02T09:00:00.000Z');
const newStore = sqliteTestStores('shop-registration', clock);
const trigger = new StorefrontTrigger();

const SHOP = 'snowdevil';
const TOKEN = 'shpat_0123456789abcdef';
const APP_SECRET = 'shpss_app-client-secret';
const WOO_HOST = 'shop.example';
const WOO_KEY = 'ck_0123456789';
const WOO_SECRET = 'cs_abcdef';
const WEBHOOK_BASE = 'https://n8n.example/webhook';
const WEBHOOK_ID = 'c0ffee00-0000-4000-8000-000000000002';
const ADDRESS = `${WEBHOOK_BASE}/${WEBHOOK_ID}/storefront`;
const OTHER = 'https://elsewhere.example/hooks/orders';

let standIn: ShopStandIn;
let untrust: () => void;

beforeAll(async () => {
	standIn = await startShopStandIn({
		shopify: { shop: SHOP, accessToken: TOKEN },
		woo: { host: WOO_HOST, consumerKey: WOO_KEY, consumerSecret: WOO_SECRET },
	});
	untrust = trustStandIn(standIn);
});

afterAll(async () => {
	untrust();
	await standIn.close();
});

beforeEach(() => {
	standIn.shopify.hooks.length = 0;
	standIn.shopify.calls.length = 0;
	standIn.woo.hooks.length = 0;
	standIn.woo.calls.length = 0;
});

/**
 * n8n's credentials helper for the shop credentials, applying them as n8n-nodes-base declares them:
 * Shopify Access Token API a header; WooCommerce API request-style auth ({ user, password }, read
 * only by the request helper), or consumer_key/consumer_secret in the query when
 * includeCredentialsInQuery is on and the request has a query.
 */
class ShopCredentialsHelper extends TestCredentialsHelper {
	async authenticate(credentials: ICredentialDataDecryptedObject, type: string, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		if (type === 'shopifyAccessTokenApi') return { ...options, headers: { ...options.headers, 'X-Shopify-Access-Token': credentials.accessToken as string } };
		if (type === 'wooCommerceApi') {
			if (credentials.includeCredentialsInQuery === true && options.qs) {
				return { ...options, qs: { ...options.qs, consumer_key: credentials.consumerKey, consumer_secret: credentials.consumerSecret } };
			}
			return { ...options, auth: { user: credentials.consumerKey, password: credentials.consumerSecret } as unknown as IHttpRequestOptions['auth'] };
		}
		return options;
	}
}

interface Setup {
	parameters: INodeParameters;
	credentials: CredentialsByType;
	staticData?: IDataObject;
}

const shopify = (events: string[], token = TOKEN, extra: INodeParameters = {}): Setup => ({
	parameters: { source: 'shopify', registerWebhooks: true, shopAuthentication: 'accessToken', events, ...extra },
	credentials: { shopifyAccessTokenApi: { shopSubdomain: SHOP, accessToken: token, appSecretKey: APP_SECRET } },
});

const woo = (events: string[], secret = WOO_SECRET, includeCredentialsInQuery = false): Setup => ({
	parameters: { source: 'woocommerce', registerWebhooks: true, events },
	credentials: { wooCommerceApi: { url: `https://${WOO_HOST}`, consumerKey: WOO_KEY, consumerSecret: secret, includeCredentialsInQuery } },
});

/** The workflow n8n activates: the trigger alone, with its credentials, static data kept between calls. */
function workflowOf(setup: Setup, store?: TestStore) {
	const { description } = trigger;
	const typeVersion = description.defaultVersion as number;
	const credentials = { ...setup.credentials, ...(store && store.credentials) };
	const node: INode = {
		id: 'b3d1d0a2-0000-4000-8000-000000000001',
		name: 'Storefront Trigger',
		type: 'n8n-nodes-dialogue-activities.storefrontTrigger',
		typeVersion,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: NodeHelpers.getNodeParameters(description.properties, setup.parameters, true, false, { typeVersion } as INode, description) ?? {},
		credentials: Object.fromEntries(Object.keys(credentials).map((type) => [type, { id: `id-${type}`, name: `My ${type}` }])),
	};
	setup.staticData ??= {};
	const workflow = new Workflow({
		id: 'wf-shop',
		nodes: [node],
		connections: {},
		nodeTypes: new MapNodeTypes(nodeTypesOf(trigger)),
		staticData: setup.staticData,
		active: true,
		settings: {},
	});
	const additionalData = {
		credentialsHelper: new ShopCredentialsHelper(credentials),
		variables: {},
		restApiUrl: 'https://n8n.example/rest',
		instanceBaseUrl: 'https://n8n.example/',
		webhookBaseUrl: WEBHOOK_BASE,
		webhookWaitingBaseUrl: 'https://n8n.example/webhook-waiting',
		webhookTestBaseUrl: 'https://n8n.example/webhook-test',
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${WEBHOOK_ID}/storefront`,
		webhookDescription: description.webhooks![0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		isTest: false,
	} as unknown as IWebhookData;
	return { workflow, node, additionalData, webhookData };
}

async function hook(setup: Setup, method: 'checkExists' | 'create' | 'delete'): Promise<boolean> {
	const { workflow, node, additionalData, webhookData } = workflowOf(setup);
	const ctx = new HookContext(workflow, node, additionalData, 'trigger', method === 'delete' ? 'manual' : 'activate', webhookData);
	return await trigger.webhookMethods.default[method].call(ctx);
}

/** What n8n does on activation: create only when checkExists says false. */
async function activate(setup: Setup): Promise<void> {
	if (!(await hook(setup, 'checkExists'))) await hook(setup, 'create');
}

/** A delivery to the active trigger, the way n8n hands it to webhook(). */
async function deliver(setup: Setup, store: TestStore, headers: Record<string, string>, body: Buffer): Promise<{ status?: number; started: boolean; result: IWebhookResponseData }> {
	const { workflow, node, additionalData, webhookData } = workflowOf(setup, store);
	const res = {
		statusCode: undefined as number | undefined,
		status(code: number) {
			this.statusCode = code;
			return this;
		},
		json() {
			return this;
		},
	};
	const data = { ...additionalData, httpRequest: { headers, rawBody: body, body: {} }, httpResponse: res } as unknown as IWorkflowExecuteAdditionalData;
	const ctx = new WebhookContext(workflow, node, data, 'webhook', webhookData, [], null);
	const result = await trigger.webhook.call(ctx);
	return { status: res.statusCode, started: result.workflowData !== undefined, result };
}

const topicsAt = (hooks: Array<{ topic: string; uri?: string; delivery_url?: string }>, address = ADDRESS) =>
	hooks.filter((h) => (h.uri ?? h.delivery_url) === address).map((h) => h.topic).sort();

describe('Shopify (GraphQL Admin API)', () => {
	it('activation creates exactly the topics of the chosen events at the production URL; checkExists is true after; other webhooks stay', async () => {
		standIn.shopify.hooks.push({ id: 'gid://shopify/WebhookSubscription/1', topic: 'ORDERS_CREATE', uri: OTHER });
		const setup = shopify(['order.placed', 'cart.updated']);
		assert.equal(await hook(setup, 'checkExists'), false);
		await hook(setup, 'create');
		assert.deepEqual(topicsAt(standIn.shopify.hooks), ['CHECKOUTS_CREATE', 'CHECKOUTS_UPDATE', 'ORDERS_CREATE']);
		assert.equal(await hook(setup, 'checkExists'), true);
		assert.deepEqual(topicsAt(standIn.shopify.hooks, OTHER), ['ORDERS_CREATE']);

		await hook(setup, 'delete');
		assert.deepEqual(topicsAt(standIn.shopify.hooks), []);
		assert.deepEqual(standIn.shopify.hooks, [{ id: 'gid://shopify/WebhookSubscription/1', topic: 'ORDERS_CREATE', uri: OTHER }]);
		assert.equal(await hook(setup, 'checkExists'), false);
	});

	it('Any Event registers every topic the trigger reads; a changed choice removes the topics no longer read', async () => {
		await activate(shopify(['*']));
		assert.deepEqual(topicsAt(standIn.shopify.hooks), [
			'CHECKOUTS_CREATE', 'CHECKOUTS_UPDATE', 'CUSTOMERS_CREATE', 'CUSTOMERS_UPDATE', 'ORDERS_CREATE', 'ORDERS_UPDATED',
		]);
		const narrowed = shopify(['customer.registered']);
		assert.equal(await hook(narrowed, 'checkExists'), false);
		await hook(narrowed, 'create');
		assert.deepEqual(topicsAt(standIn.shopify.hooks), ['CUSTOMERS_CREATE']);
	});

	it('a throttled answer is retried once the bucket refills', async () => {
		standIn.shopify.throttle = 2;
		await activate(shopify(['order.placed']));
		assert.deepEqual(topicsAt(standIn.shopify.hooks), ['ORDERS_CREATE']);
		assert.equal(standIn.shopify.calls.filter((c) => c.startsWith('THROTTLED')).length, 2);
	});

	it('a refused access token fails activation with a message naming the credential, and nothing is created', async () => {
		await assert.rejects(activate(shopify(['order.placed'], 'shpat_wrong')), (error: Error) => {
			assert.match(error.message, /^Shopify refused the credential "My shopifyAccessTokenApi" while reading its webhooks \(401 \[API\] Invalid API key or access token/);
			assert.match(error.message, /Check its Access Token and Shop Subdomain/);
			return true;
		});
		assert.deepEqual(standIn.shopify.hooks, []);
	});

	it('events Shopify does not send are refused on activation, saying which to choose', async () => {
		await assert.rejects(activate(shopify(['page.visited'])), /events: Shopify sends none of the selected events.*Add one of customer\.registered/);
		assert.deepEqual(standIn.shopify.calls, []);
	});

	it('deliveries are verified with the app secret of the Shopify credential', async () => {
		const store = newStore();
		const setup = shopify(['order.placed']);
		await activate(setup);
		const body = openShopifyOrderBytes();
		const headers = (secret: string) => ({
			'content-type': 'application/json',
			'x-shopify-topic': 'orders/create',
			'x-shopify-shop-domain': `${SHOP}.myshopify.com`,
			'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
		});
		assert.equal((await deliver(setup, store, headers('not-the-app-secret'), body)).status, 401);
		const signed = await deliver(setup, store, headers(APP_SECRET), body);
		assert.equal(signed.status, undefined, JSON.stringify(signed.result));
		assert.equal(signed.started, true);
	});

	it('an empty app secret and no Storefront Webhook credential fails activation saying what to fill in', async () => {
		const setup = shopify(['order.placed']);
		setup.credentials.shopifyAccessTokenApi.appSecretKey = '';
		await assert.rejects(activate(setup), /credential\.appSecretKey: is empty.*client secret/);
		assert.deepEqual(standIn.shopify.hooks, []);
	});
});

describe('WooCommerce (REST /wp-json/wc/v3/webhooks)', () => {
	it('activation creates exactly the topics with a secret of its own, kept in static data; checkExists after; others untouched; deactivation removes them', async () => {
		standIn.woo.hooks.push({ id: 7, name: 'ERP', status: 'active', topic: 'order.created', delivery_url: OTHER, secret: 'erp' });
		const setup = woo(['order.placed', 'customer.registered']);
		await activate(setup);
		assert.deepEqual(topicsAt(standIn.woo.hooks), ['customer.created', 'order.created']);
		const secret = (setup.staticData?.['node:Storefront Trigger'] as IDataObject).secret;
		assert.equal(typeof secret, 'string');
		assert.ok((secret as string).length >= 32);
		for (const h of standIn.woo.hooks.filter((h) => h.delivery_url === ADDRESS)) {
			assert.equal(h.secret, secret);
			assert.equal(h.status, 'active');
		}
		assert.equal(await hook(setup, 'checkExists'), true);

		await hook(setup, 'delete');
		assert.deepEqual(standIn.woo.hooks.map((h) => h.id), [7]);
		assert.deepEqual(standIn.woo.calls.filter((c) => c.startsWith('DELETE')).length, 2);
	});

	it('a signed delivery through the registered webhook starts the workflow; a forged one is refused', async () => {
		const store = newStore();
		const setup = woo(['order.placed']);
		await activate(setup);
		const [registered] = standIn.woo.hooks;
		const body = fixtureBytes('woocommerce-order-created.json');
		const started = await deliver(setup, store, standIn.woo.delivery(registered, body.toString('utf8')), body);
		assert.equal(started.status, undefined, JSON.stringify(started.result));
		assert.equal(started.started, true);
		const forged = await deliver(setup, store, standIn.woo.delivery({ ...registered, secret: 'guessed' }, body.toString('utf8')), body);
		assert.equal(forged.status, 401);
	});

	it('before its secret is saved, WooCommerce\'s ping (sent while the webhook is created) is answered and deliveries are refused', async () => {
		const store = newStore();
		const setup = woo(['order.placed']);
		const ping = await deliver(setup, store, { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('webhook_id=12'));
		assert.equal(ping.status, 200);
		assert.equal(ping.started, false);
		const body = fixtureBytes('woocommerce-order-created.json');
		const hook = { id: 12, name: '', status: 'active', topic: 'order.created', delivery_url: ADDRESS, secret: 'unknown' };
		assert.equal((await deliver(setup, store, standIn.woo.delivery(hook, body.toString('utf8')), body)).status, 401);
	});

	it('webhooks at its URL made with a secret it no longer holds are replaced', async () => {
		standIn.woo.hooks.push({ id: 9, name: 'old', status: 'active', topic: 'order.created', delivery_url: ADDRESS, secret: 'lost' });
		const setup = woo(['order.placed']);
		assert.equal(await hook(setup, 'checkExists'), false);
		await hook(setup, 'create');
		assert.equal(standIn.woo.hooks.length, 1);
		assert.notEqual(standIn.woo.hooks[0].id, 9);
		assert.equal(standIn.woo.hooks[0].secret, (setup.staticData?.['node:Storefront Trigger'] as IDataObject).secret);
	});

	it('pages through the list, and retries a 429 after Retry-After', async () => {
		for (let i = 0; i < 230; i++) standIn.woo.hooks.push({ id: i + 1, name: `x${i}`, status: 'active', topic: 'order.updated', delivery_url: `${OTHER}/${i}`, secret: 's' });
		standIn.woo.throttle = 1;
		const setup = woo(['order.placed']);
		await activate(setup);
		assert.deepEqual(topicsAt(standIn.woo.hooks), ['order.created']);
		assert.equal(standIn.woo.hooks.length, 231);
		assert.ok(standIn.woo.calls.some((c) => /page=3/.test(c)), standIn.woo.calls.join('\n'));
		assert.equal(await hook(setup, 'checkExists'), true);
	});

	it('a credential with Include Credentials in Query registers and removes its webhooks the same way', async () => {
		const setup = woo(['order.updated'], WOO_SECRET, true);
		await activate(setup);
		assert.deepEqual(topicsAt(standIn.woo.hooks), ['order.updated']);
		assert.ok(standIn.woo.calls.every((c) => c.includes(`consumer_key=${WOO_KEY}`)), standIn.woo.calls.join('\n'));
		await hook(setup, 'delete');
		assert.deepEqual(standIn.woo.hooks, []);
	});

	it('a refused consumer key fails activation with a message naming the credential', async () => {
		await assert.rejects(activate(woo(['order.placed'], 'cs_wrong')), (error: Error) => {
			assert.match(error.message, /^WooCommerce refused the credential "My wooCommerceApi" while reading its webhooks \(401 woocommerce_rest_cannot_view/);
			assert.match(error.message, /Check its Consumer Key and Consumer Secret/);
			return true;
		});
		assert.deepEqual(standIn.woo.hooks, []);
	});
});

describe('without the option', () => {
	it('manual setup calls no shop and needs no shop credential', async () => {
		const setup: Setup = { parameters: { source: 'woocommerce', events: ['order.placed'] }, credentials: { storefrontWebhookApi: { source: 'woocommerce', secret: 'manual' } } };
		assert.equal(await hook(setup, 'checkExists'), true);
		assert.equal(await hook(setup, 'delete'), true);
		assert.deepEqual(standIn.woo.calls, []);
		assert.deepEqual(setup.staticData, {});
	});
});

describe('the shop credential', () => {
	it('is optional on the node; with the option on and none selected, activation says which to select', async () => {
		const setup: Setup = { parameters: { source: 'woocommerce', registerWebhooks: true, events: ['order.placed'] }, credentials: {} };
		await assert.rejects(activate(setup), /registerWebhooks: no WooCommerce API credential is selected.*Select a WooCommerce API credential/);
		const shop: Setup = { parameters: { source: 'shopify', registerWebhooks: true, events: ['order.placed'] }, credentials: {} };
		await assert.rejects(activate(shop), /registerWebhooks: no Shopify Access Token API credential is selected/);
		assert.deepEqual([...standIn.shopify.calls, ...standIn.woo.calls], []);
	});
});
