/**
 * Storefront Ledger > Record Products > Read From the Shop through n8n's real engine, with n8n's
 * own request helpers (test/helpers/shopStandIns.ts) sent to local stand-ins for Shopify's GraphQL
 * Admin API and WooCommerce's REST products (test/standins), which check the credential as the
 * shops do. The catalog read gives the categories that orders naming only product ids lack: the
 * Purchase Check's category condition then counts them.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from '@jest/globals';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import type { CanonicalEvent } from '../../core/event';
import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { ShopHosts, viaStandIns } from '../helpers/shopStandIns';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, testNodeType, type WorkflowResult } from '../helpers/workflow';
import { shopifyProductsStandIn, type ShopifyProductsStandIn, type StandInProduct } from '../standins/shopify-products';
import { wooProductsStandIn, type WooProductsStandIn, type WooStandInProduct } from '../standins/woocommerce-products';

const T0 = '2026-03-02T09:00:00.000Z';
const clock = new ManualClock(T0);
const newStore = sqliteTestStores('ledger-shop', clock);

const SHOP = 'dialogue-test';
const TOKEN = 'shpat_catalog';
const WOO_HOST = 'shop.example';
const WOO_KEY = 'ck_catalog';
const WOO_SECRET = 'cs_catalog';

const hosts = new ShopHosts();
const nodeTypes = nodeTypesOf(new ItemsSource(), new (viaStandIns(StorefrontLedger, hosts))(), new PurchaseCheck());

const shopify = (token = TOKEN) => ({ shopifyAccessTokenApi: { shopSubdomain: SHOP, accessToken: token, appSecretKey: '' } });
const woo = (secret = WOO_SECRET, includeCredentialsInQuery = false) => ({
	wooCommerceApi: { url: `https://${WOO_HOST}`, consumerKey: WOO_KEY, consumerSecret: secret, includeCredentialsInQuery },
});

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
	await Promise.all(open.map((s) => s.close()));
	open = [];
	hosts.targets.clear();
});

async function shopifyShop(products: StandInProduct[], options: { throttleAt?: number[]; failAt?: number } = {}): Promise<ShopifyProductsStandIn> {
	const standIn = await shopifyProductsStandIn({ products, accessToken: TOKEN, ...options });
	open.push(standIn);
	hosts.targets.set(`${SHOP}.myshopify.com`, standIn.url);
	return standIn;
}

async function wooShop(products: WooStandInProduct[], options: { tooManyRequestsAt?: number; failAt?: number } = {}): Promise<WooProductsStandIn> {
	const standIn = await wooProductsStandIn({ products, consumerKey: WOO_KEY, consumerSecret: WOO_SECRET, ...options });
	open.push(standIn);
	hosts.targets.set(WOO_HOST, standIn.url);
	return standIn;
}

function readShop(
	ts: TestStore,
	shop: INodeParameters,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	items: IDataObject[] = [{}],
	node: Partial<INode> = {},
): Promise<WorkflowResult> {
	return runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Ledger', type: packageNodeType('storefrontLedger'), parameters: { operation: 'products', productFormat: 'shop', ...shop }, ...node },
		],
		connections: connect(['Source', 'Ledger']),
		nodeTypes,
		credentials: { ...ts.credentials, ...credentials },
	});
}

function summary(result: WorkflowResult): IDataObject {
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message ?? result.error));
	const out = result.outputItems('Ledger');
	assert.equal(out.length, 1, 'one summary item');
	return out[0].json;
}

function failure(result: WorkflowResult): { message: string; description?: string | null } {
	assert.equal(result.status, 'error');
	const error = result.nodeError('Ledger') as unknown as { message: string; description?: string | null };
	assert.ok(error, 'the Ledger node failed');
	return error;
}

/** A paid order whose one line names a product by id only, as a shop's order does. */
function orderOf(customerId: string, productId: string): CanonicalEvent {
	return {
		id: `test:order:${customerId}`,
		type: 'order.placed',
		occurredAt: '2026-03-01T10:00:00.000Z',
		source: 'generic',
		customer: { id: customerId, email: `${customerId}@example.com` },
		order: {
			id: `order-${customerId}`,
			total: '40.00',
			currency: 'EUR',
			couponCodes: [],
			promotions: [],
			lines: [{ productId, quantity: 1, price: '40.00', categories: [] }],
		},
	};
}

/** Customers the Purchase Check sends to Yes for "Bought Any of These Categories". */
async function boughtCategory(ts: TestStore, category: string, customers: string[]): Promise<string[]> {
	const result = await runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(customers.map((id) => ({ customer: { id } }))) } },
			{ name: 'Purchase Check', type: packageNodeType('purchaseCheck'), parameters: { conditions: { condition: [{ kind: 'boughtCategories', categories: category }] } } },
		],
		connections: connect(['Source', 'Purchase Check']),
		nodeTypes,
		credentials: ts.credentials,
	});
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message));
	return result.outputItems('Purchase Check', 0).map((item) => String((item.json.customer as IDataObject).id));
}

const SHOPIFY_BASE = 8_000_000_000;
/** Product i: type Shoes (even) or none, tags for every third, collection Kids for every fifth; the first in 30 collections. */
function shopifyProducts(n: number): StandInProduct[] {
	return Array.from({ length: n }, (_, i) => ({
		id: SHOPIFY_BASE + i,
		title: `Product ${i}`,
		productType: i % 2 === 0 ? 'Shoes' : '',
		tags: i % 3 === 0 ? ['Sale', 'Summer', 'Shoes'] : [],
		updatedAt: '2026-02-01T12:00:00Z',
		collections: i === 0 ? Array.from({ length: 30 }, (_, c) => `Collection ${c}`) : i % 5 === 0 ? ['Kids'] : [],
	}));
}

describe('Record Products > Read From the Shop: Shopify', () => {
	it('reads 600 products over 24 pages through a throttle, once for all input items, and records them with type, tags and collections', async () => {
		const ts = await newStore();
		const shop = await shopifyShop(shopifyProducts(600), { throttleAt: [4] });
		await ts.store.recordEvents([orderOf('cust-shoes', String(SHOPIFY_BASE + 2)), orderOf('cust-kids', String(SHOPIFY_BASE + 5))], clock.now());
		assert.deepEqual(await boughtCategory(ts, 'Shoes', ['cust-shoes', 'cust-kids']), [], 'no categories before the catalog is read');

		const json = summary(await readShop(ts, { shop: 'shopify' }, shopify(), [{ a: 1 }, { a: 2 }, { a: 3 }]));
		assert.deepEqual(json, { shop: 'shopify', pages: 24, read: 600, recorded: 600, older: 0, failed: 0, store: json.store });
		assert.equal(shop.calls.filter((c) => c === 'products').length, 24, 'the catalog read once, 25 products a page, whatever the input items');
		assert.equal(shop.calls.filter((c) => c === 'product').length, 1, "the collections after the first 25 read from the one product in more");
		assert.ok(shop.throttled >= 1, 'the throttled queries were waited out and sent again');

		const categories = await ts.store.productCategories([String(SHOPIFY_BASE), String(SHOPIFY_BASE + 1), String(SHOPIFY_BASE + 5)]);
		assert.deepEqual(categories[String(SHOPIFY_BASE)].sort(), ['Shoes', 'Sale', 'Summer', ...Array.from({ length: 30 }, (_, c) => `Collection ${c}`)].sort());
		assert.equal(categories[String(SHOPIFY_BASE + 1)], undefined, 'no type, tags or collections: no categories');
		assert.deepEqual(categories[String(SHOPIFY_BASE + 5)], ['Kids']);
		assert.deepEqual(await boughtCategory(ts, 'shoes', ['cust-shoes', 'cust-kids']), ['cust-shoes']);
		assert.deepEqual(await boughtCategory(ts, 'Kids', ['cust-shoes', 'cust-kids']), ['cust-kids']);

		shop.products[2] = { ...shop.products[2], productType: 'Boots', updatedAt: '2026-02-02T12:00:00Z' };
		shop.products[4] = { ...shop.products[4], productType: 'Boots', updatedAt: '2026-01-01T12:00:00Z' };
		const again = summary(await readShop(ts, { shop: 'shopify' }, shopify()));
		assert.deepEqual([again.read, again.recorded, again.older], [600, 599, 1], 'read again: a version older than the one stored changes nothing');
		const changed = await ts.store.productCategories([String(SHOPIFY_BASE + 2), String(SHOPIFY_BASE + 4)]);
		assert.deepEqual([changed[String(SHOPIFY_BASE + 2)], changed[String(SHOPIFY_BASE + 4)]], [['Boots'], ['Shoes']]);
	});

	it('a refused access token fails with what to check, and writes nothing', async () => {
		const ts = await newStore();
		const shop = await shopifyShop(shopifyProducts(30));
		const error = failure(await readShop(ts, { shop: 'shopify' }, shopify('shpat_wrong')));
		assert.match(error.message, /^Shopify refused the credential "shopifyAccessTokenApi" \(Shopify answered 401: \[API\] Invalid API key or access token/);
		assert.match(String(error.description), /Check its Access Token and Shop Subdomain, and that the app has the read_products scopes/);
		assert.deepEqual(shop.calls, []);
		assert.deepEqual(await ts.store.productCategories([String(SHOPIFY_BASE)]), {});
	});

	it('a failure on a later page keeps the pages before and says how to resume; the next run reads the rest', async () => {
		const ts = await newStore();
		await shopifyShop(shopifyProducts(100), { failAt: 3 });
		const error = failure(await readShop(ts, { shop: 'shopify' }, shopify()));
		assert.match(error.message, /Shopify answered 500/);
		assert.match(String(error.description), /^25 products of 1 pages were read and recorded before: run the node again/);
		assert.deepEqual(Object.keys(await ts.store.productCategories([String(SHOPIFY_BASE + 24), String(SHOPIFY_BASE + 26)])), [String(SHOPIFY_BASE + 24)]);
		const json = summary(await readShop(ts, { shop: 'shopify' }, shopify()));
		assert.deepEqual([json.pages, json.read, json.recorded, json.older], [4, 100, 100, 0]);
		assert.equal(Object.keys(await ts.store.productCategories([String(SHOPIFY_BASE + 26)])).length, 1);
	});
});

const WOO_BASE = 4000;
function wooProducts(n: number): WooStandInProduct[] {
	return Array.from({ length: n }, (_, i) => ({
		id: WOO_BASE + i,
		name: `Woo product ${i}`,
		date_modified_gmt: '2026-02-01T12:00:00',
		categories: i % 2 === 0 ? ['Boys', 'Jackets'] : ['Uncategorized'],
	}));
}

describe('Record Products > Read From the Shop: WooCommerce', () => {
	it('reads 250 products over 3 pages through a 429 with the key as Basic auth, and their categories count for Purchase Check', async () => {
		const ts = await newStore();
		const shop = await wooShop(wooProducts(250), { tooManyRequestsAt: 2 });
		await ts.store.recordEvents([orderOf('cust-boys', String(WOO_BASE + 248)), orderOf('cust-other', String(WOO_BASE + 249))], clock.now());
		const json = summary(await readShop(ts, { shop: 'wooCommerce' }, woo(), [{}, {}]));
		assert.deepEqual(json, { shop: 'wooCommerce', pages: 3, read: 250, recorded: 250, older: 0, failed: 0, store: json.store });
		assert.deepEqual(shop.calls, [
			'/wp-json/wc/v3/products?per_page=100&page=1',
			'/wp-json/wc/v3/products?per_page=100&page=2',
			'/wp-json/wc/v3/products?per_page=100&page=2',
			'/wp-json/wc/v3/products?per_page=100&page=3',
		]);
		assert.deepEqual(await ts.store.productCategories([String(WOO_BASE + 248)]), { [String(WOO_BASE + 248)]: ['Boys', 'Jackets'] });
		assert.deepEqual(await boughtCategory(ts, 'jackets', ['cust-boys', 'cust-other']), ['cust-boys']);
	});

	it('a credential with Include Credentials in Query sends the key in the query', async () => {
		const ts = await newStore();
		const shop = await wooShop(wooProducts(5));
		const json = summary(await readShop(ts, { shop: 'wooCommerce' }, woo(WOO_SECRET, true)));
		assert.deepEqual([json.pages, json.recorded], [1, 5]);
		assert.ok(shop.calls.every((c) => c.includes(`consumer_key=${WOO_KEY}`)), shop.calls.join('\n'));
	});

	it('a refused consumer secret fails with what to check, and writes nothing', async () => {
		const ts = await newStore();
		await wooShop(wooProducts(5));
		const error = failure(await readShop(ts, { shop: 'wooCommerce' }, woo('cs_wrong')));
		assert.match(error.message, /^WooCommerce refused the credential "wooCommerceApi" \(WooCommerce answered 401: Consumer key is invalid\.\)/);
		assert.match(String(error.description), /Check its Consumer Key and Consumer Secret, and that the key has Read permission/);
		assert.deepEqual(await ts.store.productCategories([String(WOO_BASE)]), {});
	});

	it('with Continue On Fail, a refused key is one error item saying what to check', async () => {
		const ts = await newStore();
		await wooShop(wooProducts(5));
		const json = summary(await readShop(ts, { shop: 'wooCommerce' }, woo('cs_wrong'), [{}, {}], { onError: 'continueRegularOutput' }));
		assert.match(String(json.error), /^WooCommerce refused the credential "wooCommerceApi"/);
		assert.match(String(json.description), /Read permission/);
		assert.deepEqual(await ts.store.productCategories([String(WOO_BASE)]), {});
	});
});
