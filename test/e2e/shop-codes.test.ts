// Coupon codes created in the shop, and categories from the product catalog, in a real n8n: the
// packed package installed as a user install, n8n's own Shopify (Access Token and OAuth2) and
// WooCommerce credentials created through n8n's API, and n8n's HTTP client reaching stand-ins for
// Shopify's GraphQL Admin API (test/standins/shopify-codes.ts, shopify-products.ts) and
// WooCommerce's coupons batch and products (test/standins/woocommerce-coupons.ts,
// woocommerce-products.ts) through HTTPS_PROXY and a test certificate authority
// (test/standins/https-proxy.ts). The stand-ins check the credentials as the shops do. The
// workflows are started by n8n Webhook nodes; the store is the SQLite file n8n writes, read here.
//
// If n8n cannot be installed this fails and says why; it is never skipped.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { Readable } from 'node:stream';
import type { Credential, Execution, WorkflowNode } from '../../scripts/n8n/instance';
import { startStandInProxy, type StandInProxy } from '../standins/https-proxy';
import { shopifyCodesStandIn, type ShopifyCodesStandIn } from '../standins/shopify-codes';
import { shopifyProductsStandIn, type ShopifyProductsStandIn, type StandInProduct } from '../standins/shopify-products';
import { wooCouponsStandIn, type WooCouponsStandIn } from '../standins/woocommerce-coupons';
import { wooProductsStandIn, type WooProductsStandIn, type WooStandInProduct } from '../standins/woocommerce-products';
import { post, shopifyOrderCreated, sign, uniqueNumber, wooOrderCreated, type Delivery, type Person } from './e2e-storefront';
import { importAndActivate, PACKAGE, startWorld, templateCopy, type World } from './e2e-templates';
import { n8n } from './n8n';

/** One stand-in shop per scenario, each at its own host with its own credential. */
const SHOPIFY = { codes: 'e2e-codes', resume: 'e2e-resume', oauth: 'e2e-oauth' } as const;
const TOKEN = 'shpat_e2e_codes';
const OAUTH_TOKEN = 'shpua_e2e_oauth';
const WOO_HOST = 'shop.example';
const WOO_AUTH = { consumerKey: 'ck_e2e_codes', consumerSecret: 'cs_e2e_codes' };
const SEGMENT = "Customers who buy children's clothing";

const host = (shop: string) => `${shop}.myshopify.com`;

/** The shop whose catalog Record Products reads with the Access Token credential. */
const CATALOG_SHOP = 'e2e-catalog';
const SHOPIFY_BASE = 8_100_000_000_000;
const OAUTH_BASE = 8_200_000_000_000;
const WOO_BASE = 5000;

/** Product i: type Dresses (even), tag Summer (every third), collection Girls (every fifth); the first in 30 collections, Girls the last. */
function shopifyCatalogProducts(base: number, n: number): StandInProduct[] {
	return Array.from({ length: n }, (_, i) => ({
		id: base + i,
		title: `Product ${i}`,
		productType: i % 2 === 0 ? 'Dresses' : '',
		tags: i % 3 === 0 ? ['Summer'] : [],
		updatedAt: '2026-04-01T12:00:00Z',
		collections: i === 0 ? [...Array.from({ length: 29 }, (_, c) => `Collection ${c}`), 'Girls'] : i % 5 === 0 ? ['Girls'] : [],
	}));
}

/** Product i: Boys and Jackets (even), else Uncategorized. */
function wooCatalogProducts(n: number): WooStandInProduct[] {
	return Array.from({ length: n }, (_, i) => ({
		id: WOO_BASE + i,
		name: `Woo product ${i}`,
		date_modified_gmt: '2026-04-01T12:00:00',
		categories: i % 2 === 0 ? ['Boys', 'Jackets'] : ['Uncategorized'],
	}));
}

/** The delivery with every product id of its lines replaced, signed again. */
function withProduct(delivery: Delivery, from: RegExp, to: string, signature: string): Delivery {
	const body = delivery.body.replace(from, to);
	return { ...delivery, body, headers: { ...delivery.headers, [signature]: sign(delivery.source, body) } };
}

/** A paid order whose lines name the product by its id only, as the shop sends it. */
const orderOf = {
	shopify: (customer: Person, product: string) =>
		withProduct(shopifyOrderCreated({ id: uniqueNumber(), customer, total: '40.00' }), /"product_id":788032119674292922/g, `"product_id":${product}`, 'X-Shopify-Hmac-Sha256'),
	woocommerce: (customer: Person, product: string) =>
		withProduct(wooOrderCreated({ id: uniqueNumber(), customer, total: '30.00' }), /"product_id":93,/, `"product_id":${product},`, 'X-WC-Webhook-Signature'),
};

/** The GraphQL query of a request body; '' when the body is no such JSON. */
function queryOf(raw: Buffer): string {
	try {
		return String((JSON.parse(raw.toString('utf8')) as { query?: unknown }).query ?? '');
	} catch {
		return '';
	}
}

/** One host's GraphQL requests answered by several stand-ins: each goes to the first whose pattern its query matches. */
function byQuery(routes: Array<[RegExp, http.RequestListener]>): http.RequestListener {
	return (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const [, handle] = routes.find(([pattern]) => pattern.test(queryOf(raw))) ?? routes[routes.length - 1];
			const replay = Object.assign(Readable.from([raw]), { method: req.method, url: req.url, headers: req.headers });
			handle(replay as unknown as http.IncomingMessage, res);
		});
	};
}

describe('real n8n: coupon codes created in the shop, and catalog categories', () => {
	let world: World;
	let proxy: StandInProxy | undefined;
	const shopify = {} as Record<keyof typeof SHOPIFY, ShopifyCodesStandIn>;
	let woo: WooCouponsStandIn;
	const catalog = {} as { shopify: ShopifyProductsStandIn; oauth: ShopifyProductsStandIn; woo: WooProductsStandIn };
	const credentials: Record<string, Credential> = {};
	let passed = 0;

	beforeAll(
		async () => {
			// codes: a throttle at its 4th request (the second bulk add), waited out; resume: its second
			// bulk add answered 500; oauth: takes the OAuth2 access token.
			shopify.codes = await shopifyCodesStandIn({ accessToken: TOKEN, cost: 10, restoreRate: 100, throttleAt: [4], pollsBeforeDone: 0 });
			shopify.resume = await shopifyCodesStandIn({ accessToken: TOKEN, failBulkAdd: 2, pollsBeforeDone: 0 });
			shopify.oauth = await shopifyCodesStandIn({ accessToken: OAUTH_TOKEN, pollsBeforeDone: 0 });
			woo = await wooCouponsStandIn({ auth: WOO_AUTH, tooManyRequestsAt: 2 });
			// Catalogs: Shopify's with its 3rd request (the second page) throttled; the OAuth2 shop's
			// beside its codes; WooCommerce's beside its coupons, its 2nd request answered 429.
			catalog.shopify = await shopifyProductsStandIn({ products: shopifyCatalogProducts(SHOPIFY_BASE, 60), accessToken: TOKEN, throttleAt: [3] });
			catalog.oauth = await shopifyProductsStandIn({ products: shopifyCatalogProducts(OAUTH_BASE, 30), accessToken: OAUTH_TOKEN });
			catalog.woo = await wooProductsStandIn({ products: wooCatalogProducts(250), ...WOO_AUTH, tooManyRequestsAt: 2 });
			proxy = await startStandInProxy({
				[host(SHOPIFY.codes)]: shopify.codes.handle,
				[host(SHOPIFY.resume)]: shopify.resume.handle,
				[host(SHOPIFY.oauth)]: byQuery([
					[/\bproducts?\(/, catalog.oauth.handle],
					[/./, shopify.oauth.handle],
				]),
				[host(CATALOG_SHOP)]: catalog.shopify.handle,
				[WOO_HOST]: (req, res) => (new URL(req.url ?? '/', `https://${WOO_HOST}`).pathname === '/wp-json/wc/v3/products' ? catalog.woo : woo).handle(req, res),
			});
			world = await startWorld('shopcodes', { env: proxy.env });
			for (const shop of ['codes', 'resume'] as const) {
				credentials[shop] = await world.api.createCredential({
					name: `Shopify ${shop}`,
					type: 'shopifyAccessTokenApi',
					data: { shopSubdomain: SHOPIFY[shop], accessToken: TOKEN, appSecretKey: 'shpss_e2e' },
				});
			}
			// An OAuth2 credential as n8n keeps it once connected: the token from Shopify's access token URL.
			credentials.oauth = await world.api.createCredential({
				name: 'Shopify OAuth2',
				type: 'shopifyOAuth2Api',
				data: {
					shopSubdomain: SHOPIFY.oauth,
					clientId: 'e2e-client-id',
					clientSecret: 'e2e-client-secret',
					oauthTokenData: { access_token: OAUTH_TOKEN, scope: 'write_discounts' },
				},
			});
			credentials.woo = await world.api.createCredential({
				name: 'WooCommerce',
				type: 'wooCommerceApi',
				data: { url: `https://${WOO_HOST}`, ...WOO_AUTH, includeCredentialsInQuery: false },
			});
			credentials.wooQuery = await world.api.createCredential({
				name: 'WooCommerce in query',
				type: 'wooCommerceApi',
				data: { url: `https://${WOO_HOST}`, ...WOO_AUTH, includeCredentialsInQuery: true },
			});
			for (const [name, accessToken] of [['catalog', TOKEN], ['wrongToken', 'shpat_e2e_wrong']]) {
				credentials[name] = await world.api.createCredential({
					name: `Shopify ${name}`,
					type: 'shopifyAccessTokenApi',
					data: { shopSubdomain: CATALOG_SHOP, accessToken, appSecretKey: 'shpss_e2e' },
				});
			}
		},
		20 * 60_000,
	);

	afterAll(async () => {
		await world?.close(passed < 9);
		await proxy?.close();
		await Promise.all([...Object.values(shopify), woo, ...Object.values(catalog)].filter(Boolean).map((s) => s.close()));
	});

	/** A workflow: n8n Webhook (answers with the node's first item) -> the node; active; its production URL. */
	async function answeringFlow(name: string, node: Pick<WorkflowNode, 'name' | 'type' | 'parameters'>, credential?: [string, Credential]): Promise<{ id: string; url: string }> {
		const path = `shopcodes-${name}`;
		const nodes: WorkflowNode[] = [
			{
				name: 'Request',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
			},
			{
				...node,
				typeVersion: 1,
				position: [240, 0],
				...(credential && { credentials: { [credential[0]]: { id: credential[1].id, name: credential[1].name } } }),
			},
		];
		const imported = await importAndActivate(world, {
			name: `${node.name} ${name}`,
			nodes,
			connections: { Request: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		return { id: imported.id, url: `${world.instance.baseUrl}/webhook/${path}` };
	}

	/** A workflow: n8n Webhook (answers with the Coupon node's item) -> Coupon; active; its production URL. */
	function couponFlow(name: string, parameters: Record<string, unknown>, credential?: [string, Credential]): Promise<{ id: string; url: string }> {
		const pool = { __rl: true, mode: 'name', value: '={{ $json.body.pool }}' };
		return answeringFlow(name, { name: 'Coupon', type: `${PACKAGE}.coupon`, parameters: { pool, ...parameters } }, credential);
	}

	async function call(url: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
		const res = await n8n.waitForWebhook(url, { body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, timeoutMs: 15_000 });
		return { status: res.status, json: res.body as Record<string, unknown> };
	}

	const percent20 = { discountKind: 'percent', discountValue: '20' };
	const generate = (shop: string, authentication?: string) => ({
		operation: 'generate',
		count: '={{ $json.body.count }}',
		prefix: '={{ $json.body.prefix }}',
		length: 8,
		...percent20,
		createInShop: true,
		shop,
		...(authentication && { shopifyAuthentication: authentication }),
	});

	let statusFlow: { url: string } | undefined;
	let assignFlow: { url: string } | undefined;
	async function poolStatus(pool: string): Promise<Record<string, unknown>> {
		statusFlow ??= await couponFlow('status', { operation: 'status' });
		const res = await call(statusFlow.url, { pool });
		assert.equal(res.status, 200, JSON.stringify(res.json));
		return res.json;
	}
	async function assignOne(pool: string, customer: string): Promise<string> {
		assignFlow ??= await couponFlow('assign', { operation: 'assign', customerId: '={{ $json.body.customer }}' });
		const res = await call(assignFlow.url, { pool, customer });
		assert.equal(res.status, 200, JSON.stringify(res.json));
		return String((res.json.coupon as { code: string }).code);
	}

	/** What the store file n8n writes holds, read with a connection of its own. */
	function readStore<T>(read: (db: DatabaseSync) => T): T {
		const db = new DatabaseSync(world.storeFile, { readOnly: true });
		try {
			return read(db);
		} finally {
			db.close();
		}
	}

	/** The pool's codes as the store holds them: state in the shop and the shop's id. */
	function storedCodes(pool: string): Array<{ code: string; state: string | null; shopId: string | null }> {
		return readStore(
			(db) =>
				db
					.prepare(
						`SELECT c.code AS code, c.shop_state AS state, c.shop_id AS shopId FROM coupon_codes c JOIN coupon_pools p ON p.id = c.pool_id WHERE p.name = ? ORDER BY c.id`,
					)
					.all(pool) as Array<{ code: string; state: string | null; shopId: string | null }>,
		);
	}

	/** The products the store holds, and their categories. */
	const storedProducts = () =>
		readStore((db) => db.prepare(`SELECT (SELECT COUNT(*) FROM products) AS products, (SELECT COUNT(*) FROM product_categories) AS categories`).get() as { products: number; categories: number });

	it('Shopify: Generate Codes with Create in Shop creates 1,000 codes in the shop through a throttle; each is stored with its id in the shop; an assigned code is one the shop has', async () => {
		const shop = shopify.codes;
		const flow = await couponFlow('generate-shopify', generate('shopify', 'accessToken'), ['shopifyAccessTokenApi', credentials.codes]);
		const started = Date.now();
		const res = await call(flow.url, { pool: 'spring', count: 1000, prefix: 'SPRING-' });
		console.log(`# 1,000 codes created in the Shopify stand-in in ${Date.now() - started} ms (${shop.throttled} throttled answers waited out)`);
		assert.equal(res.status, 200, JSON.stringify(res.json));
		assert.deepEqual(res.json.shop, { pool: 'spring', created: 1000, refused: 0, refusedCodes: [], notInShop: 0 });
		assert.ok(shop.throttled > 0, 'the throttled request was waited out and sent again');
		assert.deepEqual(shop.unauthorized, []);
		assert.equal(shop.created.length, 1000);
		assert.equal(new Set(shop.created).size, 1000, 'no code created twice');
		assert.deepEqual(new Set(shop.created), new Set(res.json.codes as string[]));
		assert.equal(shop.discounts.length, 1, 'one discount for the pool');

		const stored = storedCodes('spring');
		assert.equal(stored.length, 1000);
		for (const { code, state, shopId } of stored) {
			assert.equal(state, 'created', code);
			assert.equal(shopId, shop.codes.get(code.toUpperCase())?.id, `${code}: the id the shop gave it`);
		}
		const status = await poolStatus('spring');
		assert.deepEqual([status.free, status.notInShop, status.refusedByShop], [1000, 0, 0]);
		const code = await assignOne('spring', 'cust-spring-1');
		assert.ok(shop.codes.has(code.toUpperCase()), `${code} is in the shop`);
		passed++;
	});

	it('WooCommerce: Generate Codes with Create in Shop creates 300 coupons through the batch endpoint, waiting out a 429; each is stored with its coupon id', async () => {
		const flow = await couponFlow('generate-woo', generate('wooCommerce'), ['wooCommerceApi', credentials.woo]);
		const res = await call(flow.url, { pool: 'summer', count: 300, prefix: 'SUMMER-' });
		assert.equal(res.status, 200, JSON.stringify(res.json));
		assert.deepEqual(res.json.shop, { pool: 'summer', created: 300, refused: 0, refusedCodes: [], notInShop: 0 });
		assert.equal(woo.unauthorized, 0);
		assert.equal(woo.calls, 4, 'three batches of 100, the second sent again after its 429');
		assert.equal(woo.created.length, 300);
		assert.deepEqual(new Set(woo.created), new Set((res.json.codes as string[]).map((c) => c.toLowerCase())));

		const stored = storedCodes('summer');
		assert.equal(stored.length, 300);
		for (const { code, state, shopId } of stored) {
			assert.equal(state, 'created', code);
			assert.equal(shopId, String(woo.coupons.get(code.toLowerCase())?.id), `${code}: its coupon id`);
		}
		const status = await poolStatus('summer');
		assert.deepEqual([status.free, status.notInShop], [300, 0]);
		const code = await assignOne('summer', 'cust-summer-1');
		assert.ok(woo.coupons.has(code.toLowerCase()), `${code} is a coupon of the shop`);
		passed++;
	});

	it('Shopify: a bulk add answered 500 fails the run, naming the codes not in the shop; Sync to Shop then creates those, none twice', async () => {
		const shop = shopify.resume;
		const flow = await couponFlow('generate-resume', generate('shopify', 'accessToken'), ['shopifyAccessTokenApi', credentials.resume]);
		const res = await call(flow.url, { pool: 'autumn', count: 600, prefix: 'AUTUMN-' });
		assert.equal(res.status, 500, JSON.stringify(res.json));
		const [failed] = await world.api.waitForExecutions(flow.id, { count: 1, includeData: true });
		assert.equal(failed.status, 'error');
		const error = failed.data?.resultData.error as { message?: string; description?: string };
		assert.match(String(error.message), /Shopify answered 500/);
		// The discount with its first code, and the first bulk add of 250, were created.
		assert.equal(shop.created.length, 251);
		assert.match(String(error.description), /^349 codes of pool "autumn" are not in the shop yet and are not handed out: run Coupon > Sync to Shop/);
		assert.equal((await poolStatus('autumn')).notInShop, 349);

		const sync = await couponFlow('sync-resume', { operation: 'sync', shop: 'shopify', shopifyAuthentication: 'accessToken' }, ['shopifyAccessTokenApi', credentials.resume]);
		const synced = await call(sync.url, { pool: 'autumn' });
		assert.equal(synced.status, 200, JSON.stringify(synced.json));
		assert.deepEqual(synced.json, { pool: 'autumn', created: 349, refused: 0, refusedCodes: [], notInShop: 0 });
		assert.equal(shop.created.length, 600);
		assert.equal(new Set(shop.created).size, 600, 'no code created twice');
		assert.equal(shop.discounts.length, 1, 'the codes went into the discount made before the failure');
		assert.deepEqual(new Set(shop.created), new Set(storedCodes('autumn').map((c) => c.code)));
		assert.equal((await poolStatus('autumn')).notInShop, 0);
		passed++;
	});

	it('Shopify OAuth2: the access token of n8n\'s OAuth2 credential reaches the shop in X-Shopify-Access-Token', async () => {
		const shop = shopify.oauth;
		const flow = await couponFlow('generate-oauth', generate('shopify', 'oAuth2'), ['shopifyOAuth2Api', credentials.oauth]);
		const res = await call(flow.url, { pool: 'oauth', count: 20, prefix: 'OAUTH-' });
		const refused = shop.unauthorized.map((r) => JSON.stringify(r)).join(', ');
		assert.equal(res.status, 200, `${JSON.stringify(res.json)}; refused requests: ${refused}`);
		assert.deepEqual(shop.unauthorized, []);
		assert.equal(shop.created.length, 20);
		assert.deepEqual((res.json.shop as { created: number }).created, 20);
		passed++;
	});

	it("template 04 with orders whose lines carry only product ids: the catalog recorded from shop-shaped products gives them their categories", async () => {
		// Storefront Ledger > Record Products over the products posted (as n8n's Shopify and WooCommerce nodes output them).
		const record = async (format: string, products: Array<Record<string, unknown>>) => {
			const path = `shopcodes-products-${format}`;
			await importAndActivate(world, {
				name: `Record ${format}`,
				nodes: [
					{ name: 'Products', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} } },
					{ name: 'One item each', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [240, 0], parameters: { fieldToSplitOut: 'body', include: 'noOtherFields', options: {} } },
					{ name: 'Ledger', type: `${PACKAGE}.storefrontLedger`, typeVersion: 1, position: [480, 0], parameters: { operation: 'products', productFormat: format } },
				],
				connections: {
					Products: { main: [[{ node: 'One item each', type: 'main', index: 0 }]] },
					'One item each': { main: [[{ node: 'Ledger', type: 'main', index: 0 }]] },
				},
				settings: { executionOrder: 'v1' },
			});
			const res = await n8n.waitForWebhook(`${world.instance.baseUrl}/webhook/${path}`, { body: JSON.stringify(products), headers: { 'content-type': 'application/json' } });
			assert.equal(res.status, 200, JSON.stringify(res.body));
			assert.equal((res.body as { recorded: number }).recorded, products.length, JSON.stringify(res.body));
		};
		await record('shopifyProducts', [
			{ id: 8_012_345_678_901, title: 'Dino hoodie', product_type: 'Boys', tags: 'Hoodies, Summer', updated_at: '2026-04-01T10:00:00-04:00' },
			{ id: 8_012_345_678_902, title: 'Office shirt', product_type: 'Men', tags: '', updated_at: '2026-04-01T10:00:00-04:00' },
		]);
		await record('woocommerceProducts', [
			{ id: 93, name: 'Flower dress', categories: [{ id: 15, name: 'Girls', slug: 'girls' }], date_modified_gmt: '2026-04-01T10:00:00' },
			{ id: 94, name: 'Garden chair', categories: [{ id: 20, name: 'Garden', slug: 'garden' }], date_modified_gmt: '2026-04-01T10:00:00' },
		]);

		// Shopify: the template as shipped (its Purchase Check judges the categories).
		const shopifyCopy = await importAndActivate(world, templateCopy(world, '04-kids-clothing.json', { source: 'shopify', label: 'Shopify' }));
		// WooCommerce: the trigger's category filter set as well.
		const wooCopy = await importAndActivate(
			world,
			templateCopy(world, '04-kids-clothing.json', {
				source: 'woocommerce',
				label: 'WooCommerce',
				edit: (node) => {
					if (node.type === `${PACKAGE}.storefrontTrigger`) node.parameters = { ...node.parameters, filters: { categories: 'Boys, Girls' } };
				},
			}),
		);
		const members = async () => ((await world.store.listSegments()).some((s) => s.name === SEGMENT) ? (await world.store.segmentMembers(SEGMENT, Date.now(), 10, 0)).map((m) => m.customerId) : []);

		const adult = { id: uniqueNumber(), firstName: 'Adult' };
		const parent = { id: uniqueNumber(), firstName: 'Parent' };
		assert.equal((await post(shopifyCopy.url, orderOf.shopify(adult, '8012345678902'))).body.status, 'started');
		assert.equal((await post(shopifyCopy.url, orderOf.shopify(parent, '8012345678901'))).body.status, 'started');
		const shopifyRuns = await world.api.waitForExecutions(shopifyCopy.id, { count: 2, includeData: true });
		const added = (e: Execution) => Boolean(e.data?.resultData.runData[`Add to "${SEGMENT}"`]);
		assert.deepEqual(shopifyRuns.map(added).sort(), [false, true]);

		const wooCustomer = { id: uniqueNumber(), firstName: 'Woo parent', email: `woo-${uniqueNumber()}@example.com` };
		const wooOrder = (product: string) => orderOf.woocommerce(wooCustomer, product);
		const chair = await post(wooCopy.url, wooOrder('94'));
		assert.deepEqual([chair.body.status, chair.body.reason], ['recorded', 'filter not met: categories'], JSON.stringify(chair.body));
		assert.equal((await post(wooCopy.url, wooOrder('93'))).body.status, 'started');
		const [wooRun] = await world.api.waitForExecutions(wooCopy.id, { count: 1, includeData: true });
		assert.ok(added(wooRun), 'the Girls dress put the customer in the segment');

		assert.deepEqual((await members()).sort(), [String(parent.id), String(wooCustomer.id)].sort());
		passed++;
	});

	/** Record Products > Read From the Shop with this credential, started by an n8n Webhook: the flow, and the answer (the summary item). */
	async function readFromShop(name: string, shop: Record<string, string>, credential: [string, Credential]) {
		const parameters = { operation: 'products', productFormat: 'shop', ...shop };
		const flow = await answeringFlow(`read-${name}`, { name: 'Ledger', type: `${PACKAGE}.storefrontLedger`, parameters }, credential);
		return { flow, res: await call(flow.url, {}) };
	}

	/** Each product's categories as the store holds them, sorted; products without any left out. */
	async function storedCategories(ids: string[]): Promise<Record<string, string[]>> {
		return Object.fromEntries(Object.entries(await world.store.productCategories(ids)).map(([id, categories]) => [id, [...categories].sort()]));
	}
	const expectedCategories = (products: Array<{ id: number; categories: string[] }>) =>
		Object.fromEntries(products.filter((p) => p.categories.length > 0).map((p) => [String(p.id), [...p.categories].sort()]));

	/**
	 * Template 04 with the trigger's category filter set to its Purchase Check's categories (Boys,
	 * Girls): an order naming only `other` is filtered out; then one naming only `matching` starts the
	 * workflow, and the Purchase Check puts its customer in the segment.
	 */
	async function ordersJudged(source: 'shopify' | 'woocommerce', matching: string, other: string): Promise<void> {
		const copy = await importAndActivate(
			world,
			templateCopy(world, '04-kids-clothing.json', {
				source,
				label: `catalog ${source}`,
				edit: (node) => {
					if (node.type === `${PACKAGE}.storefrontTrigger`) node.parameters = { ...node.parameters, filters: { categories: 'Boys, Girls' } };
				},
			}),
		);
		const customer = { id: uniqueNumber(), firstName: 'Catalog', email: `catalog-${uniqueNumber()}@example.com` };
		const filtered = await post(copy.url, orderOf[source](customer, other));
		assert.deepEqual([filtered.body.status, filtered.body.reason], ['recorded', 'filter not met: categories'], JSON.stringify(filtered.body));
		const started = await post(copy.url, orderOf[source](customer, matching));
		assert.equal(started.body.status, 'started', JSON.stringify(started.body));
		const [run] = await world.api.waitForExecutions(copy.id, { count: 1, includeData: true });
		assert.ok(run.data?.resultData.runData[`Add to "${SEGMENT}"`], `the Purchase Check found product ${matching}'s category`);
		const members = await world.store.segmentMembers(SEGMENT, Date.now(), 100, 0);
		assert.ok(members.some((m) => m.customerId === String(customer.id)), 'the customer is in the segment');
	}

	it('Shopify: Record Products > Read From the Shop reads 60 products over 3 pages through a throttle; the store holds each one\'s type, tags and collections; an order naming only a product id then passes the category filter and Purchase Check', async () => {
		const shop = catalog.shopify;
		const before = storedProducts();
		const started = Date.now();
		const { res } = await readFromShop('shopify', { shop: 'shopify', shopifyAuthentication: 'accessToken' }, ['shopifyAccessTokenApi', credentials.catalog]);
		console.log(`# 60 products read from the Shopify stand-in in ${Date.now() - started} ms (${shop.throttled} throttled answers waited out)`);
		assert.equal(res.status, 200, JSON.stringify(res.json));
		assert.deepEqual(res.json, { shop: 'shopify', pages: 3, read: 60, recorded: 60, older: 0, failed: 0, store: res.json.store });
		assert.ok(shop.throttled >= 1, 'the second page was throttled, waited out and asked again');
		assert.deepEqual(shop.calls, ['products', 'product', 'products', 'products'], "the first product's collections after 25 read from the product");
		assert.equal(storedProducts().products - before.products, 60);
		const products = shop.products.map((p) => ({ id: p.id, categories: [p.productType, ...p.tags, ...p.collections].filter(Boolean) }));
		assert.deepEqual(await storedCategories(products.map((p) => String(p.id))), expectedCategories(products));
		await ordersJudged('shopify', String(SHOPIFY_BASE + 55), String(SHOPIFY_BASE + 1));
		passed++;
	});

	it("Shopify OAuth2: Read From the Shop with n8n's OAuth2 credential reads the catalog of its shop", async () => {
		const shop = catalog.oauth;
		const { res } = await readFromShop('oauth', { shop: 'shopify', shopifyAuthentication: 'oAuth2' }, ['shopifyOAuth2Api', credentials.oauth]);
		assert.equal(res.status, 200, JSON.stringify(res.json));
		assert.deepEqual([res.json.pages, res.json.read, res.json.recorded], [2, 30, 30]);
		assert.deepEqual(shop.calls, ['products', 'product', 'products']);
		assert.equal(shop.requests, shop.calls.length, 'every request answered: the token reached the shop');
		assert.deepEqual(await storedCategories([String(OAUTH_BASE + 25), String(OAUTH_BASE + 29)]), { [String(OAUTH_BASE + 25)]: ['Girls'] });
		passed++;
	});

	it('WooCommerce: Read From the Shop reads 250 products over 3 pages waiting out a 429, and again with Include Credentials in Query; an order naming only a product id then passes the category filter and Purchase Check', async () => {
		const shop = catalog.woo;
		const before = storedProducts();
		const { res } = await readFromShop('woo', { shop: 'wooCommerce' }, ['wooCommerceApi', credentials.woo]);
		assert.equal(res.status, 200, JSON.stringify(res.json));
		assert.deepEqual(res.json, { shop: 'wooCommerce', pages: 3, read: 250, recorded: 250, older: 0, failed: 0, store: res.json.store });
		const page = (n: number) => `/wp-json/wc/v3/products?per_page=100&page=${n}`;
		assert.deepEqual(shop.calls, [page(1), page(2), page(2), page(3)], 'the page answered 429 asked again');
		assert.equal(storedProducts().products - before.products, 250);
		assert.deepEqual(await storedCategories(shop.products.map((p) => String(p.id))), expectedCategories(shop.products));

		const again = await readFromShop('woo-query', { shop: 'wooCommerce' }, ['wooCommerceApi', credentials.wooQuery]);
		assert.equal(again.res.status, 200, JSON.stringify(again.res.json));
		assert.deepEqual([again.res.json.pages, again.res.json.read, again.res.json.failed], [3, 250, 0]);
		const sent = shop.calls.slice(4).map((c) => new URL(c, `https://${WOO_HOST}`).searchParams);
		assert.equal(sent.length, 3);
		for (const query of sent) assert.deepEqual([query.get('consumer_key'), query.get('consumer_secret')], [WOO_AUTH.consumerKey, WOO_AUTH.consumerSecret]);

		await ordersJudged('woocommerce', String(WOO_BASE + 248), String(WOO_BASE + 249));
		passed++;
	});

	it('Record Products > Read From the Shop with a refused access token: the execution fails saying what to check, and nothing is written', async () => {
		const shop = catalog.shopify;
		const before = { stored: storedProducts(), requests: shop.requests, calls: shop.calls.length };
		const { flow, res } = await readFromShop('refused', { shop: 'shopify', shopifyAuthentication: 'accessToken' }, ['shopifyAccessTokenApi', credentials.wrongToken]);
		assert.equal(res.status, 500, JSON.stringify(res.json));
		const [failed] = await world.api.waitForExecutions(flow.id, { count: 1, includeData: true });
		assert.equal(failed.status, 'error');
		const error = failed.data?.resultData.error as { message?: string; description?: string };
		assert.match(String(error.message), /^Shopify refused the credential "Shopify wrongToken" \(Shopify answered 401: \[API\] Invalid API key or access token/);
		assert.equal(error.description, 'Check its Access Token and Shop Subdomain, and that the app has the read_products scopes.');
		assert.equal(shop.requests, before.requests + 1, 'one request, refused');
		assert.equal(shop.calls.length, before.calls, 'nothing answered');
		assert.deepEqual(storedProducts(), before.stored);
		passed++;
	});
});
