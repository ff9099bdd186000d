// Coupon codes created in the shop, and categories from the product catalog, in a real n8n: the
// packed package installed as a user install, n8n's own Shopify (Access Token and OAuth2) and
// WooCommerce credentials created through n8n's API, and n8n's HTTP client reaching stand-ins for
// Shopify's GraphQL Admin API (test/standins/shopify-codes.ts) and WooCommerce's coupons batch
// (test/standins/woocommerce-coupons.ts) through HTTPS_PROXY and a test certificate authority
// (test/standins/https-proxy.ts). The stand-ins check the credentials as the shops do. The
// workflows are started by n8n Webhook nodes; the store is the SQLite file n8n writes, read here.
//
// If n8n cannot be installed this fails and says why; it is never skipped.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import type { Credential, Execution, WorkflowNode } from '../../scripts/n8n/instance';
import { startStandInProxy, type StandInProxy } from '../standins/https-proxy';
import { shopifyCodesStandIn, type ShopifyCodesStandIn } from '../standins/shopify-codes';
import { wooCouponsStandIn, type WooCouponsStandIn } from '../standins/woocommerce-coupons';
import { post, shopifyOrderCreated, sign, uniqueNumber, wooOrderCreated, type Delivery } from './e2e-storefront';
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

describe('real n8n: coupon codes created in the shop, and catalog categories', () => {
	let world: World;
	let proxy: StandInProxy | undefined;
	const shopify = {} as Record<keyof typeof SHOPIFY, ShopifyCodesStandIn>;
	let woo: WooCouponsStandIn;
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
			proxy = await startStandInProxy({
				[host(SHOPIFY.codes)]: shopify.codes.handle,
				[host(SHOPIFY.resume)]: shopify.resume.handle,
				[host(SHOPIFY.oauth)]: shopify.oauth.handle,
				[WOO_HOST]: woo.handle,
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
		},
		20 * 60_000,
	);

	afterAll(async () => {
		await world?.close(passed < 5);
		await proxy?.close();
		await Promise.all([...Object.values(shopify), woo].filter(Boolean).map((s) => s.close()));
	});

	/** A workflow: n8n Webhook (answers with the Coupon node's item) -> Coupon; active; its production URL. */
	async function couponFlow(name: string, parameters: Record<string, unknown>, credential?: [string, Credential]): Promise<{ id: string; url: string }> {
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
				name: 'Coupon',
				type: `${PACKAGE}.coupon`,
				typeVersion: 1,
				position: [240, 0],
				parameters: { pool: { __rl: true, mode: 'name', value: '={{ $json.body.pool }}' }, ...parameters },
				...(credential && { credentials: { [credential[0]]: { id: credential[1].id, name: credential[1].name } } }),
			},
		];
		const imported = await importAndActivate(world, {
			name: `Coupon ${name}`,
			nodes,
			connections: { Request: { main: [[{ node: 'Coupon', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		return { id: imported.id, url: `${world.instance.baseUrl}/webhook/${path}` };
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

	/** The pool's codes as the store holds them: state in the shop and the shop's id. */
	function storedCodes(pool: string): Array<{ code: string; state: string | null; shopId: string | null }> {
		const db = new DatabaseSync(world.storeFile, { readOnly: true });
		try {
			return db
				.prepare(
					`SELECT c.code AS code, c.shop_state AS state, c.shop_id AS shopId FROM coupon_codes c JOIN coupon_pools p ON p.id = c.pool_id WHERE p.name = ? ORDER BY c.id`,
				)
				.all(pool) as Array<{ code: string; state: string | null; shopId: string | null }>;
		} finally {
			db.close();
		}
	}

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
		/** The delivery with every product id of its lines replaced, signed again. */
		const withProduct = (delivery: Delivery, from: RegExp, to: string, signature: string): Delivery => {
			const body = delivery.body.replace(from, to);
			return { ...delivery, body, headers: { ...delivery.headers, [signature]: sign(delivery.source, body) } };
		};
		const members = async () => ((await world.store.listSegments()).some((s) => s.name === SEGMENT) ? (await world.store.segmentMembers(SEGMENT, Date.now(), 10, 0)).map((m) => m.customerId) : []);

		const adult = { id: uniqueNumber(), firstName: 'Adult' };
		const parent = { id: uniqueNumber(), firstName: 'Parent' };
		const shopifyOrder = (customer: typeof adult, product: string) =>
			withProduct(shopifyOrderCreated({ id: uniqueNumber(), customer, total: '40.00' }), /"product_id":788032119674292922/g, `"product_id":${product}`, 'X-Shopify-Hmac-Sha256');
		assert.equal((await post(shopifyCopy.url, shopifyOrder(adult, '8012345678902'))).body.status, 'started');
		assert.equal((await post(shopifyCopy.url, shopifyOrder(parent, '8012345678901'))).body.status, 'started');
		const shopifyRuns = await world.api.waitForExecutions(shopifyCopy.id, { count: 2, includeData: true });
		const added = (e: Execution) => Boolean(e.data?.resultData.runData[`Add to "${SEGMENT}"`]);
		assert.deepEqual(shopifyRuns.map(added).sort(), [false, true]);

		const wooCustomer = { id: uniqueNumber(), firstName: 'Woo parent', email: `woo-${uniqueNumber()}@example.com` };
		const wooOrder = (product: string) => withProduct(wooOrderCreated({ id: uniqueNumber(), customer: wooCustomer, total: '30.00' }), /"product_id":93,/, `"product_id":${product},`, 'X-WC-Webhook-Signature');
		const chair = await post(wooCopy.url, wooOrder('94'));
		assert.deepEqual([chair.body.status, chair.body.reason], ['recorded', 'filter not met: categories'], JSON.stringify(chair.body));
		assert.equal((await post(wooCopy.url, wooOrder('93'))).body.status, 'started');
		const [wooRun] = await world.api.waitForExecutions(wooCopy.id, { count: 1, includeData: true });
		assert.ok(added(wooRun), 'the Girls dress put the customer in the segment');

		assert.deepEqual((await members()).sort(), [String(parent.id), String(wooCustomer.id)].sort());
		passed++;
	});
});
