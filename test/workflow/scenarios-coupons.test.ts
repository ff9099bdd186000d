/**
 * Scenario 8, "Thank you with a coupon" (templates/08-thank-you-coupon-*.json), as workflow JSON
 * through n8n's real engine (test/helpers/workflow.ts), repeatable and not repeatable, with
 * retried executions, concurrent executions and an empty pool:
 *
 *   Orders (stand-in for the Storefront Trigger) -> Repeatability Guard -> Coupon (Assign From Pool,
 *   a new code each time) -> Thank-you email (stand-in for Send Email, carries the code)
 *                                                 \-> Pool empty (Coupon's second output)
 *                             \-> Already thanked (Guard's Skip output)
 *
 * Every execution starts from order events in the canonical shape, with their event ids, so a
 * re-run of the same input is what n8n does when it retries an execution.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import type { IConnections, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { ManualClock, systemClock } from '../../core/clock';
import type { Store } from '../../core/store';
import { Coupon } from '../../nodes/Coupon/Coupon.node';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
import { setNodeClock } from '../../nodes/shared/store';
import { storeFor } from '../../store/open';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { connect, nodeTypesOf, runWorkflow, type CredentialsByType, type TestNode, type WorkflowResult } from '../helpers/workflow';
import { orderEvent } from '../store/contract';

const T0 = '2026-05-04T08:00:00.000Z';
const DAY = 86_400_000;
const POOL = 'thank-you-20';
const clock = new ManualClock(T0);
const nodeTypes = nodeTypesOf(new ItemsSource(), new RepeatabilityGuard(), new Coupon(), new Passthrough());

const dir = mkdtempSync(join(tmpdir(), 'dialogue-scenario-8-'));
beforeAll(() => setNodeClock(clock));
afterAll(() => {
	setNodeClock(systemClock);
	rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => clock.set(T0));

/** Scenario 8 as n8n exports it (node types, parameters, connections by node name). */
function thankYouWorkflow(repeatable: boolean, orders: IDataObject[]): { nodes: TestNode[]; connections: IConnections } {
	return {
		nodes: [
			{
				name: 'Order placed',
				type: 'test.itemsSource',
				typeVersion: 1,
				position: [0, 0],
				parameters: { items: JSON.stringify(orders) },
			},
			{
				name: 'Repeatability Guard',
				type: 'n8n-nodes-dialogue-activities.repeatabilityGuard',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					operation: 'check',
					activity: '={{ $workflow.id }}',
					customerId: '={{ $json.customer.id }}',
					policy: repeatable ? 'always' : 'once',
					entryKey: '={{ $json.id }}',
				},
			},
			{
				name: 'Coupon',
				type: 'n8n-nodes-dialogue-activities.coupon',
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					operation: 'assign',
					pool: { __rl: true, mode: 'list', value: POOL },
					customerId: '={{ $json.customer.id }}',
					assignment: 'each',
					assignmentKey: '={{ $json.id }}',
					expiry: 'after',
					expiresAfter: 30,
					expiresAfterUnit: 'days',
					options: { lowStockThreshold: 1 },
				},
			},
			{
				name: 'Thank-you email',
				type: 'test.passthrough',
				typeVersion: 1,
				position: [660, -100],
				parameters: {
					note: '=Thank you for order {{ $json.order.id }}! Your {{ $json.coupon.discount.discountValue }}% code for the next order: {{ $json.coupon.code }}',
				},
			},
			{ name: 'Pool empty', type: 'test.passthrough', typeVersion: 1, position: [660, 100], parameters: {} },
			{ name: 'Already thanked', type: 'test.passthrough', typeVersion: 1, position: [440, 200], parameters: {} },
		],
		connections: {
			'Order placed': { main: [[{ node: 'Repeatability Guard', type: 'main', index: 0 }]] },
			'Repeatability Guard': {
				main: [[{ node: 'Coupon', type: 'main', index: 0 }], [{ node: 'Already thanked', type: 'main', index: 0 }]],
			},
			Coupon: {
				main: [[{ node: 'Thank-you email', type: 'main', index: 0 }], [{ node: 'Pool empty', type: 'main', index: 0 }]],
			},
		},
	};
}

interface Shop {
	store: Store;
	credentials: CredentialsByType;
}

let files = 0;
/** A fresh store whose pool holds `codes` 20% codes, made by the Coupon node's Generate Codes. */
async function shopWithPool(codes: number): Promise<Shop> {
	const credential = { type: 'sqlite' as const, file: join(dir, `store-${++files}.sqlite`) };
	const credentials = { dialogueStoreApi: credential };
	const setup = await runWorkflow({
		nodes: [
			{ name: 'Start', type: 'test.itemsSource', parameters: { items: '[{}]' } },
			{
				name: 'Generate',
				type: 'n8n-nodes-dialogue-activities.coupon',
				parameters: {
					operation: 'generate',
					pool: { __rl: true, mode: 'name', value: POOL },
					count: codes,
					prefix: 'THANKS-',
					discountKind: 'percent',
					discountValue: '20',
				},
			},
		],
		connections: connect(['Start', 'Generate']),
		nodeTypes,
		credentials,
	});
	assert.equal(setup.status, 'success', JSON.stringify(setup.error?.message));
	return { store: storeFor(credential), credentials };
}

/** One execution of scenario 8 for these order events. */
async function placeOrders(shop: Shop, repeatable: boolean, orders: IDataObject[]): Promise<WorkflowResult> {
	const result = await runWorkflow({ ...thankYouWorkflow(repeatable, orders), nodeTypes, credentials: shop.credentials });
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message));
	return result;
}

const order = (customerId: string, orderId: string, at = Date.parse(T0)) =>
	orderEvent(customerId, at, '59.90', { orderId }) as unknown as IDataObject;
const outputOf = (result: WorkflowResult, node: string): INodeExecutionData[] => (result.ran(node) ? result.outputItems(node) : []);
const codesIn = (result: WorkflowResult) => outputOf(result, 'Thank-you email').map((item) => (item.json.coupon as IDataObject).code as string);

describe('scenario 8: thank you with a coupon', () => {
	it('repeatable: three orders for one customer get three emails with three distinct codes', async () => {
		const shop = await shopWithPool(10);
		const orders = [order('ann', '1001'), order('ann', '1002', Date.parse(T0) + DAY), order('ann', '1003', Date.parse(T0) + 2 * DAY)];
		const runs: WorkflowResult[] = [];
		for (const placed of orders) {
			runs.push(await placeOrders(shop, true, [placed]));
			clock.advance(DAY);
		}

		const codes = runs.flatMap(codesIn);
		assert.equal(codes.length, 3);
		assert.equal(new Set(codes).size, 3, 'three distinct codes');
		for (const code of codes) assert.match(code, /^THANKS-/);
		const emails = runs.flatMap((r) => outputOf(r, 'Thank-you email'));
		assert.deepEqual(
			emails.map((e) => e.json.note),
			codes.map((code, n) => `Thank you for order ${1001 + n}! Your 20% code for the next order: ${code}`),
		);
		assert.deepEqual(
			emails.map((e) => (e.json.coupon as IDataObject).expiresAt),
			['2026-06-03T08:00:00.000Z', '2026-06-04T08:00:00.000Z', '2026-06-05T08:00:00.000Z'],
			'each code expires 30 days after its assignment',
		);
		assert.ok(runs.every((r) => !r.ran('Already thanked') && !r.ran('Pool empty')));
		assert.deepEqual((await shop.store.codesOf('ann')).map((held) => held.code), codes);
	});

	it('repeatable, with the three orders in one execution: three distinct codes in one batch', async () => {
		const shop = await shopWithPool(10);
		const result = await placeOrders(shop, true, [order('ann', '1001'), order('ann', '1002'), order('ann', '1003')]);
		const codes = codesIn(result);
		assert.equal(new Set(codes).size, 3);
		assert.deepEqual(outputOf(result, 'Thank-you email').map((item) => item.json.order && (item.json.order as IDataObject).id), ['1001', '1002', '1003']);
	});

	it('not repeatable: only the first order gets an email and a code; one code in total', async () => {
		const shop = await shopWithPool(10);
		const first = await placeOrders(shop, false, [order('ann', '1001')]);
		clock.advance(DAY);
		const second = await placeOrders(shop, false, [order('ann', '1002')]);
		clock.advance(DAY);
		const third = await placeOrders(shop, false, [order('ann', '1003')]);

		assert.equal(codesIn(first).length, 1);
		assert.deepEqual(codesIn(second), []);
		assert.deepEqual(codesIn(third), []);
		for (const [run, orderId] of [
			[second, '1002'],
			[third, '1003'],
		] as const) {
			assert.equal(run.ran('Coupon'), false, 'no coupon step for a skipped order');
			const skipped = outputOf(run, 'Already thanked');
			assert.deepEqual(skipped.map((item) => [(item.json.order as IDataObject).id, (item.json.guard as IDataObject).reason]), [[orderId, 'already entered']]);
		}
		assert.equal((await shop.store.poolStatus(POOL, clock.now())).assigned, 1);
		assert.deepEqual((await shop.store.codesOf('ann')).map((held) => held.code), codesIn(first));
	});

	it('not repeatable, other customers still get their first code', async () => {
		const shop = await shopWithPool(10);
		const result = await placeOrders(shop, false, [order('ann', '1001'), order('bob', '1002'), order('ann', '1003')]);
		assert.deepEqual(outputOf(result, 'Thank-you email').map((item) => (item.json.customer as IDataObject).id), ['ann', 'bob']);
		assert.deepEqual(outputOf(result, 'Already thanked').map((item) => (item.json.order as IDataObject).id), ['1003']);
		assert.equal(new Set(codesIn(result)).size, 2);
	});

	for (const repeatable of [true, false]) {
		it(`${repeatable ? 'repeatable' : 'not repeatable'}: a re-run of the same executions (same event ids) hands out no new code`, async () => {
			const shop = await shopWithPool(10);
			const orders = [[order('ann', '1001')], [order('ann', '1002')], [order('ann', '1003')]];
			const firstCodes: string[][] = [];
			for (const placed of orders) firstCodes.push(codesIn(await placeOrders(shop, repeatable, placed)));
			const assigned = (await shop.store.poolStatus(POOL, clock.now())).assigned;
			assert.equal(assigned, repeatable ? 3 : 1);

			clock.advance(DAY);
			for (const [n, placed] of orders.entries()) {
				const retry = await placeOrders(shop, repeatable, placed);
				assert.deepEqual(codesIn(retry), firstCodes[n], `order ${n + 1} gets the code it got the first time`);
				for (const item of outputOf(retry, 'Thank-you email')) {
					assert.equal((item.json.guard as IDataObject).reason, 'retry of an earlier entry');
					assert.equal((item.json.coupon as IDataObject).reused, true);
					assert.equal((item.json.coupon as IDataObject).assignedAt, T0);
				}
			}
			assert.equal((await shop.store.poolStatus(POOL, clock.now())).assigned, assigned, 'no new code was assigned');
		});
	}

	it('not repeatable: two executions for one customer at the same moment hand out one code', async () => {
		const shop = await shopWithPool(10);
		const runs = await Promise.all([
			placeOrders(shop, false, [order('ann', '1001')]),
			placeOrders(shop, false, [order('ann', '1002')]),
			placeOrders(shop, false, [order('ann', '1003')]),
		]);
		assert.equal(runs.flatMap(codesIn).length, 1);
		assert.equal(runs.flatMap((r) => outputOf(r, 'Already thanked')).length, 2);
		assert.equal((await shop.store.poolStatus(POOL, clock.now())).assigned, 1);
	});

	it('a pool of 2 codes and 3 customers: the third customer takes the Pool empty branch, visibly', async () => {
		const shop = await shopWithPool(2);
		const result = await placeOrders(shop, false, [order('ann', '1001'), order('bob', '1002'), order('cy', '1003')]);

		assert.deepEqual(outputOf(result, 'Thank-you email').map((item) => (item.json.customer as IDataObject).id), ['ann', 'bob']);
		assert.equal(new Set(codesIn(result)).size, 2);
		const empty = outputOf(result, 'Pool empty');
		assert.deepEqual(empty.map((item) => [(item.json.customer as IDataObject).id, item.json.coupon]), [
			['cy', { assigned: false, pool: POOL, customerId: 'cy' }],
		]);
		const hints = (result.runData.Coupon[0].hints ?? []).map((hint) => hint.message);
		assert.ok(hints.some((message) => message.startsWith(`Coupon pool "${POOL}" has no free codes left`)), hints.join('\n'));
		assert.deepEqual(await shop.store.poolStatus(POOL, clock.now()), { pool: POOL, total: 2, free: 0, assigned: 2, redeemed: 0, expired: 0, notInShop: 0, refusedByShop: 0 });

		// Cy entered the (not repeatable) activity but got no code: the guard counted the entry,
		// so the workflow's Pool empty branch is where the marketer follows up.
		assert.equal((empty[0].json.guard as IDataObject).reason, 'first entry');
	});
});
