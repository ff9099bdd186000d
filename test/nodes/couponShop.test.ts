/**
 * Coupon > Create in Shop and Sync to Shop through n8n's real engine, with n8n's own request
 * helpers (test/helpers/shopStandIns.ts) sent to local stand-ins for Shopify's GraphQL Admin API
 * and WooCommerce's coupons batch (test/standins): the node asks for https://<shop>.myshopify.com
 * and https://shop.example, and only the host is swapped for the stand-in's.
 */
import assert from 'node:assert/strict';
import { afterAll, afterEach, describe, it } from '@jest/globals';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { Coupon } from '../../nodes/Coupon/Coupon.node';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { ShopHosts, viaStandIns } from '../helpers/shopStandIns';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, testNodeType, type WorkflowResult } from '../helpers/workflow';
import { shopifyCodesStandIn, type ShopifyCodesStandIn } from '../standins/shopify-codes';
import { wooCouponsStandIn, type WooCouponsStandIn } from '../standins/woocommerce-coupons';

const T0 = '2026-03-02T09:00:00.000Z';
const clock = new ManualClock(T0);
const newStore = sqliteTestStores('coupon-shop', clock);

const SHOPIFY_HOST = 'dialogue-test.myshopify.com';
const WOO_HOST = 'shop.example';
const hosts = new ShopHosts();
const standIns = hosts.targets;
const seenHosts = hosts.seen;

const nodeTypes = nodeTypesOf(new ItemsSource(), new (viaStandIns(Coupon, hosts))(), new Passthrough());
const pool = (name: string) => ({ __rl: true, mode: 'name', value: name });
const shopCredentials = {
	shopifyAccessTokenApi: { shopSubdomain: 'dialogue-test', accessToken: 'shpat_test', appSecretKey: '' },
	wooCommerceApi: { url: `https://${WOO_HOST}`, consumerKey: 'ck_test', consumerSecret: 'cs_test', includeCredentialsInQuery: false },
};

function runCoupon(ts: TestStore, parameters: INodeParameters, items: IDataObject[] = [{}]): Promise<WorkflowResult> {
	return runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Coupon', type: packageNodeType('coupon'), parameters },
			{ name: 'Empty branch', type: testNodeType('passthrough') },
		],
		connections: connect(['Source', 'Coupon'], ['Coupon', 'Empty branch', 1]),
		nodeTypes,
		credentials: { ...ts.credentials, ...shopCredentials },
	});
}

function ok(result: WorkflowResult): IDataObject {
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message ?? result.error));
	return result.runData.Coupon[0].data!.main[0]![0].json;
}

function failure(result: WorkflowResult): { message: string; description?: string | null } {
	assert.equal(result.status, 'error');
	const error = result.nodeError('Coupon') as unknown as { message: string; description?: string | null };
	assert.ok(error, 'the Coupon node failed');
	return error;
}

/** Assigns a code to each of `n` customers; the codes handed out, 'EMPTY' for Pool Empty. */
async function assignAll(ts: TestStore, name: string, n: number): Promise<string[]> {
	const items = Array.from({ length: n }, (_, i) => ({ id: `evt-${i}`, customer: { id: `cust-${i}` } }));
	const result = await runCoupon(ts, { operation: 'assign', pool: pool(name), customerId: '={{ $json.customer.id }}' }, items);
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message));
	const [assigned, empty] = result.runData.Coupon[0].data!.main;
	return [...(assigned ?? []).map((item) => String((item.json.coupon as IDataObject).code)), ...(empty ?? []).map(() => 'EMPTY')];
}

const percent20 = { discountKind: 'percent', discountValue: '20', validUntil: '2026-06-30T22:00:00Z' };

let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
	await Promise.all(open.map((s) => s.close()));
	open = [];
	standIns.clear();
});
afterAll(() => clock.set(T0));

async function shopify(options: Parameters<typeof shopifyCodesStandIn>[0] = {}): Promise<ShopifyCodesStandIn> {
	const standIn = await shopifyCodesStandIn(options);
	open.push(standIn);
	standIns.set(SHOPIFY_HOST, standIn.url);
	return standIn;
}

async function woo(options: Parameters<typeof wooCouponsStandIn>[0] = {}): Promise<WooCouponsStandIn> {
	const standIn = await wooCouponsStandIn(options);
	open.push(standIn);
	standIns.set(WOO_HOST, standIn.url);
	return standIn;
}

describe('Coupon > Create in Shop: Shopify', () => {
	it('creates 1,000 generated codes in the shop through throttling: all 1,000 created, none twice, 250 a bulk add', async () => {
		const ts = await newStore();
		// The 3rd, 4th (its retry) and 7th requests find the bucket empty: 10 points a call, 100 restored a second.
		const shop = await shopify({ cost: 10, restoreRate: 100, throttleAt: [3, 4, 7], pollsBeforeDone: 0 });
		const json = ok(
			await runCoupon(ts, { operation: 'generate', pool: pool('spring'), count: 1000, ...percent20, createInShop: true, shop: 'shopify' }),
		);
		assert.ok(shop.throttled >= 3, 'the throttled requests were waited out and sent again');
		assert.equal(shop.created.length, 1000);
		assert.equal(new Set(shop.created).size, 1000, 'no code created twice');
		assert.deepEqual(new Set(shop.created), new Set(json.codes as string[]));
		assert.deepEqual(json.shop, { pool: 'spring', created: 1000, refused: 0, refusedCodes: [], notInShop: 0 });
		assert.equal(shop.discounts.length, 1, 'one discount for the pool');
		assert.deepEqual(shop.discounts[0].input, {
			title: 'spring',
			code: (json.codes as string[])[0],
			startsAt: T0,
			endsAt: '2026-06-30T22:00:00.000Z',
			context: { all: 'ALL' },
			customerGets: { value: { percentage: 0.2 }, items: { all: true } },
			appliesOncePerCustomer: true,
			usageLimit: 1,
		});
		assert.equal(shop.calls.filter((c) => c === 'discountRedeemCodeBulkAdd').length, 4, '999 codes in bulk adds of at most 250');
		assert.ok(seenHosts.includes(`https://${SHOPIFY_HOST}`));
		const status = await ts.store.poolStatus('spring', clock.now());
		assert.deepEqual([status.free, status.notInShop, status.refusedByShop], [1000, 0, 0]);
	});

	it('never hands out a code the shop refused, whether it refused the first code or one added in bulk', async () => {
		const ts = await newStore();
		const shop = await shopify({ taken: ['VIP-1', 'VIP-3'] });
		const json = ok(
			await runCoupon(ts, {
				operation: 'import',
				pool: pool('vip'),
				source: 'list',
				codes: 'VIP-1 VIP-2 VIP-3 VIP-4 VIP-5',
				discountKind: 'fixed',
				discountValue: '5.00',
				currency: 'EUR',
				minimumOrder: '50',
				createInShop: true,
				shop: 'shopify',
			}),
		);
		const shopResult = json.shop as IDataObject;
		assert.deepEqual([shopResult.created, shopResult.refused], [3, 2]);
		assert.deepEqual((shopResult.refusedCodes as IDataObject[]).map((r) => r.code), ['VIP-1', 'VIP-3']);
		assert.match(String((shopResult.refusedCodes as IDataObject[])[0].error), /unique/);
		assert.deepEqual(shop.created, ['VIP-2', 'VIP-4', 'VIP-5']);
		const input = shop.discounts[0].input;
		assert.deepEqual([input.customerGets, input.minimumRequirement], [
			{ value: { discountAmount: { amount: '5.00', appliesOnEachItem: false } }, items: { all: true } },
			{ subtotal: { greaterThanOrEqualToSubtotal: '50' } },
		]);

		const handed = await assignAll(ts, 'vip', 5);
		assert.deepEqual(handed.sort(), ['EMPTY', 'EMPTY', 'VIP-2', 'VIP-4', 'VIP-5']);
		const status = ok(await runCoupon(ts, { operation: 'status', pool: pool('vip') }));
		assert.deepEqual([status.free, status.assigned, status.refusedByShop, status.notInShop], [0, 3, 2, 0]);
	});

	it('resumes after a partial failure: codes not created stay out of assignment, and Sync to Shop creates only those, in the same discount', async () => {
		const ts = await newStore();
		const shop = await shopify({ failBulkAdd: 2 });
		const failed = failure(
			await runCoupon(ts, { operation: 'generate', pool: pool('resume'), count: 600, ...percent20, createInShop: true, shop: 'shopify' }),
		);
		assert.match(failed.message, /Shopify answered 500/);
		assert.match(String(failed.description), /349 codes of pool "resume" are not in the shop yet.*Sync to Shop/);
		assert.equal(shop.created.length, 251, 'the discount with its first code, and one bulk add of 250');
		const status = ok(await runCoupon(ts, { operation: 'status', pool: pool('resume') }));
		assert.deepEqual([status.total, status.free, status.notInShop], [600, 251, 349]);

		const handed = await assignAll(ts, 'resume', 3);
		const created = new Set(shop.created.map((c) => c.toUpperCase()));
		assert.ok(handed.every((code) => created.has(code)), 'only codes the shop created are handed out');

		const synced = ok(await runCoupon(ts, { operation: 'sync', pool: pool('resume'), shop: 'shopify' }));
		assert.deepEqual(synced, { pool: 'resume', created: 349, refused: 0, refusedCodes: [], notInShop: 0 });
		assert.equal(shop.created.length, 600);
		assert.equal(new Set(shop.created).size, 600, 'no code sent twice');
		assert.equal(shop.discounts.length, 1, 'the codes went to the discount made before');
		assert.ok([...shop.codes.values()].every((c) => c.discountId === shop.discounts[0].id));
		assert.equal((await ts.store.poolStatus('resume', clock.now())).free, 597);
	});

	it('records as created, not refused, the codes a bulk add made in the discount when its answer was lost', async () => {
		const ts = await newStore();
		const shop = await shopify({ failDonePoll: true, pollsBeforeDone: 0, taken: ['LOST-OTHER'] });
		const failed = failure(
			await runCoupon(ts, {
				operation: 'import',
				pool: pool('lost'),
				source: 'list',
				codes: 'LOST-1 LOST-2 LOST-3 LOST-OTHER',
				...percent20,
				createInShop: true,
				shop: 'shopify',
			}),
		);
		assert.match(failed.message, /Shopify answered 502/);
		assert.deepEqual(shop.created, ['LOST-1', 'LOST-2', 'LOST-3'], 'the shop made the codes; the node never heard');
		assert.equal((await ts.store.poolStatus('lost', clock.now())).notInShop, 3);

		const synced = ok(await runCoupon(ts, { operation: 'sync', pool: pool('lost'), shop: 'shopify' }));
		assert.deepEqual([synced.created, synced.refused, synced.notInShop], [2, 1, 0]);
		assert.deepEqual((synced.refusedCodes as IDataObject[]).map((r) => r.code), ['LOST-OTHER'], "a code of another discount stays refused");
		assert.deepEqual(shop.created, ['LOST-1', 'LOST-2', 'LOST-3'], 'nothing created twice');
		assert.deepEqual((await assignAll(ts, 'lost', 4)).sort(), ['EMPTY', 'LOST-1', 'LOST-2', 'LOST-3']);
	});

	it('refuses Create in Shop without a discount, and writes nothing', async () => {
		const ts = await newStore();
		const shop = await shopify();
		const failed = failure(await runCoupon(ts, { operation: 'generate', pool: pool('plain'), count: 10, createInShop: true, shop: 'shopify' }));
		assert.match(failed.message, /discountKind: is None, but the shop needs a discount/);
		assert.match(String(failed.description), /Pick/);
		assert.deepEqual(await ts.store.listPools('plain'), []);
		assert.equal(shop.calls.length, 0);
	});
	it('refuses a Shop Subdomain that is not a shop before anything is written or sent', async () => {
		const ts = await newStore();
		const shop = await shopify();
		const result = await runWorkflow({
			nodes: [
				{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify([{}]) } },
				{ name: 'Coupon', type: packageNodeType('coupon'), parameters: { operation: 'generate', pool: pool('elsewhere'), count: 10, ...percent20, createInShop: true, shop: 'shopify' } },
			],
			connections: connect(['Source', 'Coupon']),
			nodeTypes,
			credentials: { ...ts.credentials, ...shopCredentials, shopifyAccessTokenApi: { ...shopCredentials.shopifyAccessTokenApi, shopSubdomain: 'attacker.example/x?' } },
		});
		assert.match(failure(result).message, /is not a shop subdomain/);
		assert.deepEqual(await ts.store.listPools('elsewhere'), []);
		assert.equal(shop.calls.length, 0);
	});
});

describe('Coupon > Create in Shop: WooCommerce', () => {
	it('creates codes 100 a batch through a 429, resumes after a failed batch, and never sends a code twice', async () => {
		const ts = await newStore();
		const shop = await woo({ tooManyRequestsAt: 2, failCall: 4 });
		const failed = failure(
			await runCoupon(ts, {
				operation: 'generate',
				pool: pool('autumn'),
				count: 350,
				discountKind: 'fixed',
				discountValue: '5.00',
				currency: 'EUR',
				createInShop: true,
				shop: 'wooCommerce',
			}),
		);
		assert.match(failed.message, /WooCommerce answered 500/);
		assert.match(String(failed.description), /150 codes of pool "autumn" are not in the shop yet/);
		assert.equal(shop.created.length, 200);
		const synced = ok(await runCoupon(ts, { operation: 'sync', pool: pool('autumn'), shop: 'wooCommerce' }));
		assert.deepEqual([synced.created, synced.notInShop], [150, 0]);
		assert.equal(shop.created.length, 350);
		assert.equal(new Set(shop.created).size, 350);
		const [first] = shop.coupons.values();
		assert.deepEqual(first.body, {
			code: first.body.code,
			discount_type: 'fixed_cart',
			amount: '5.00',
			usage_limit: 1,
			usage_limit_per_user: 1,
			individual_use: true,
		});
		assert.ok(seenHosts.includes(`https://${WOO_HOST}`));
	});

	it("sends the credential's consumer key and secret, which n8n's WooCommerce credential gives as request-style auth", async () => {
		const ts = await newStore();
		const shop = await woo({ auth: { consumerKey: 'ck_test', consumerSecret: 'cs_test' } });
		const json = ok(await runCoupon(ts, { operation: 'generate', pool: pool('keyed'), count: 3, ...percent20, createInShop: true, shop: 'wooCommerce' }));
		assert.deepEqual([(json.shop as IDataObject).created, shop.created.length], [3, 3]);
	});

	it('never hands out a code WooCommerce refused', async () => {
		const ts = await newStore();
		await woo({ taken: ['w-2'] });
		const json = ok(
			await runCoupon(ts, {
				operation: 'import',
				pool: pool('woo'),
				source: 'list',
				codes: 'W-1 W-2 W-3',
				...percent20,
				createInShop: true,
				shop: 'wooCommerce',
			}),
		);
		assert.deepEqual((json.shop as IDataObject).refusedCodes, [{ code: 'W-2', error: 'The coupon code already exists' }]);
		assert.deepEqual((await assignAll(ts, 'woo', 3)).sort(), ['EMPTY', 'W-1', 'W-3']);
	});
});
