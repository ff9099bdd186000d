/**
 * Settings that used to fail only at publishing, where n8n shows the error in the publication
 * status and its log but not next to the field: the editor offers or flags them first.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { NodeHelpers, type INodeParameters, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { Coupon } from '../../nodes/Coupon/Coupon.node';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
import { StorefrontEvent } from '../../nodes/StorefrontEvent/StorefrontEvent.node';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { StorefrontOccasionTrigger, timeZones } from '../../nodes/StorefrontOccasionTrigger/StorefrontOccasionTrigger.node';
import { StorefrontTrigger } from '../../nodes/StorefrontTrigger/StorefrontTrigger.node';
import { normalizeZone } from '../../core/time';

describe('settings checked in the editor', () => {
	it("Occasion Trigger: the Time Zone is picked from a list of real zones, so 'Pacific/Aukland' cannot be chosen", async () => {
		const property = new StorefrontOccasionTrigger().description.properties.find((p) => p.name === 'timezone');
		assert.equal(property?.type, 'options');
		assert.equal(property?.typeOptions?.loadOptionsMethod, 'timeZones');
		assert.equal(new StorefrontOccasionTrigger().methods.loadOptions.timeZones, timeZones, 'the node offers this method');
		const values = (await timeZones()).map((option) => option.value);
		assert.equal(values[0], '', "first: the workflow's time zone");
		assert.ok(values.includes('Pacific/Auckland') && values.includes('UTC') && values.includes('Europe/Berlin'));
		assert.ok(!values.includes('Pacific/Aukland'));
		// Every zone offered is one the trigger accepts.
		for (const zone of values.slice(1)) assert.doesNotThrow(() => normalizeZone(zone as string, 'zone'), String(zone));
	});

	it('Storefront Trigger: a Source other than Auto shows a notice that it must match the credential', () => {
		const properties = new StorefrontTrigger().description.properties;
		const notice = properties.find((p) => p.name === 'sourceNotice');
		assert.equal(notice?.type, 'notice');
		assert.match(notice?.displayName ?? '', /must be the source the credential names/);
		assert.deepEqual(notice?.displayOptions, { hide: { source: ['auto'] } });
		assert.ok(properties.findIndex((p) => p.name === 'sourceNotice') === properties.findIndex((p) => p.name === 'source') + 1, 'right below Source');
	});
});

/**
 * n8n's editor (2.41.1, ParameterInputList with getMainAuthField, getNodeAuthFields and
 * isAuthRelatedParameter) takes a parameter a credential's displayOptions.show names for an auth
 * field; the one named `authentication`, else the first whose option values the credentials all
 * name, is the main auth field. When there is one, the main auth field and every parameter named in
 * an auth field's displayOptions.show are left out of the node's panel.
 */
function hiddenByTheEditor(description: INodeTypeDescription): string[] {
	const credentials = description.credentials ?? [];
	const named = (name: string) => credentials.flatMap((c) => ((c.displayOptions?.show?.[name] ?? []) as unknown[]).map(String));
	const authFields = description.properties.filter((p) => credentials.some((c) => c.displayOptions?.show && p.name in c.displayOptions.show));
	const values = (p: INodeProperties) => (p.options ?? []).flatMap((o) => ('value' in o && typeof o.value === 'string' ? [o.value] : []));
	const main =
		authFields.find((p) => p.name === 'authentication' && !values(p).includes('none')) ??
		authFields.find((p) => (p.options?.length ?? 0) > 0 && values(p).every((v) => named(p.name).includes(v)));
	if (!main) return [];
	const related = description.properties.filter((p) => authFields.some((f) => f.displayOptions?.show && p.name in f.displayOptions.show));
	return [...new Set([main, ...related].map((p) => p.name))].sort();
}

/** The credentials the node asks for with these settings, as n8n decides it (hidden parameters are not set). */
function credentialsShown(description: INodeTypeDescription, settings: INodeParameters): string[] {
	const node = { typeVersion: Array.isArray(description.version) ? Math.max(...description.version) : description.version };
	const values = NodeHelpers.getNodeParameters(description.properties, settings, true, false, node, description) ?? {};
	return (description.credentials ?? []).filter((c) => NodeHelpers.displayParameter(values, c, node, description, values)).map((c) => c.name);
}

describe('every setting is in the node panel', () => {
	const nodes = [new StorefrontTrigger(), new Coupon(), new StorefrontEvent(), new StorefrontLedger(), new StorefrontOccasionTrigger(), new PurchaseCheck(), new CustomerSegment(), new RepeatabilityGuard()];

	it.each(nodes.map((n) => [n.description.displayName, n.description] as const))('%s: the editor leaves no parameter out for the shop credentials', (_, description) => {
		assert.deepEqual(hiddenByTheEditor(description), []);
	});

	it('Storefront Trigger: the shop credential follows Source, Register Webhooks in the Shop and Authentication', () => {
		const { description } = new StorefrontTrigger();
		const base = ['dialogueStoreApi', 'storefrontWebhookApi'];
		assert.deepEqual(credentialsShown(description, {}), base);
		assert.deepEqual(credentialsShown(description, { source: 'shopify' }), base);
		assert.deepEqual(credentialsShown(description, { source: 'shopify', registerWebhooks: true }), [...base, 'shopifyAccessTokenApi']);
		assert.deepEqual(credentialsShown(description, { source: 'shopify', registerWebhooks: true, shopAuthentication: 'oAuth2' }), [...base, 'shopifyOAuth2Api']);
		assert.deepEqual(credentialsShown(description, { source: 'woocommerce', registerWebhooks: true, shopAuthentication: 'oAuth2' }), [...base, 'wooCommerceApi']);
		assert.deepEqual(credentialsShown(description, { source: 'generic', registerWebhooks: true, shopAuthentication: 'oAuth2' }), base);
	});

	it('Coupon: the shop credential follows Operation, Create in Shop, Shop and Authentication', () => {
		const { description } = new Coupon();
		const shown = (settings: INodeParameters) => credentialsShown(description, settings).filter((c) => c !== 'dialogueStoreApi');
		assert.deepEqual(shown({}), []);
		assert.deepEqual(shown({ operation: 'assign', shop: 'shopify', shopifyAuthentication: 'oAuth2' }), []);
		for (const operation of ['generate', 'import']) {
			assert.deepEqual(shown({ operation }), []);
			assert.deepEqual(shown({ operation, createInShop: false, shop: 'shopify', shopifyAuthentication: 'oAuth2' }), []);
			assert.deepEqual(shown({ operation, createInShop: true }), ['shopifyAccessTokenApi']);
			assert.deepEqual(shown({ operation, createInShop: true, shopifyAuthentication: 'oAuth2' }), ['shopifyOAuth2Api']);
			assert.deepEqual(shown({ operation, createInShop: true, shop: 'wooCommerce', shopifyAuthentication: 'oAuth2' }), ['wooCommerceApi']);
		}
		assert.deepEqual(shown({ operation: 'sync' }), ['shopifyAccessTokenApi']);
		assert.deepEqual(shown({ operation: 'sync', shopifyAuthentication: 'oAuth2' }), ['shopifyOAuth2Api']);
		assert.deepEqual(shown({ operation: 'sync', shop: 'wooCommerce', shopifyAuthentication: 'oAuth2' }), ['wooCommerceApi']);
	});

	it('Storefront Ledger: the shop credential follows Record Products read from the shop, Shop and Authentication', () => {
		const { description } = new StorefrontLedger();
		const shown = (settings: INodeParameters) => credentialsShown(description, settings).filter((c) => c !== 'dialogueStoreApi');
		assert.deepEqual(shown({ operation: 'products', productFormat: 'shopifyProducts', shop: 'shopify' }), []);
		assert.deepEqual(shown({ operation: 'record', productFormat: 'shop' }), []);
		assert.deepEqual(shown({ operation: 'products', productFormat: 'shop' }), ['shopifyAccessTokenApi']);
		assert.deepEqual(shown({ operation: 'products', productFormat: 'shop', shopifyAuthentication: 'oAuth2' }), ['shopifyOAuth2Api']);
		assert.deepEqual(shown({ operation: 'products', productFormat: 'shop', shop: 'wooCommerce', shopifyAuthentication: 'oAuth2' }), ['wooCommerceApi']);
	});
});
