/**
 * Coupon node, every operation and option, through n8n's real engine (test/helpers/workflow.ts):
 * Items Source -> Coupon (-> a branch on Pool Empty), over a real SQLite store in a temp file
 * selected by the Dialogue Store credential. Time is pinned with the node clock.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeEach, describe, it } from '@jest/globals';
import { NodeHelpers, Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { UNAMBIGUOUS_ALPHABET } from '../../core/coupons';
import { Coupon } from '../../nodes/Coupon/Coupon.node';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import {
	connect,
	MapNodeTypes,
	nodeTypesOf,
	packageNodeType,
	runWorkflow,
	testNodeType,
	useExpressionEngine,
	type WorkflowResult,
} from '../helpers/workflow';

const T0 = '2026-03-02T09:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const clock = new ManualClock(T0);
const nodeTypes = nodeTypesOf(new ItemsSource(), new Coupon(), new Passthrough());

/** A fresh, empty SQLite store, and the credential that makes the node use it. */
const newStore = sqliteTestStores('coupon-node', clock);
beforeEach(() => clock.set(T0));

/** A resource locator value as the editor writes it. */
const pool = (name: string, mode: 'list' | 'name' = 'list') => ({ __rl: true, mode, value: name });

const customerItem = (customerId: string, id = `evt-${customerId}`, extra: IDataObject = {}) => ({
	id,
	type: 'order.placed',
	customer: { id: customerId },
	...extra,
});

/** Items Source -> Coupon; Coupon's second output feeds "Empty branch". */
function runCoupon(
	ts: TestStore,
	parameters: INodeParameters,
	items: IDataObject[],
	options: { node?: Partial<INode>; timezone?: string } = {},
): Promise<WorkflowResult> {
	return runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Coupon', type: packageNodeType('coupon'), parameters, ...options.node },
			{ name: 'Empty branch', type: testNodeType('passthrough') },
		],
		connections: connect(['Source', 'Coupon'], ['Coupon', 'Empty branch', 1]),
		nodeTypes,
		credentials: ts.credentials,
		settings: options.timezone ? { timezone: options.timezone } : undefined,
	});
}

function ok(result: WorkflowResult): WorkflowResult {
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message ?? result.error));
	return result;
}

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);
const coupons = (items: INodeExecutionData[]) => items.map((item) => item.json.coupon as IDataObject);
const paired = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);
const hints = (result: WorkflowResult) => (result.runData.Coupon[0].hints ?? []).map((hint) => hint.message);
const lowStockHints = (result: WorkflowResult) => hints(result).filter((message) => message.startsWith('Coupon pool'));

interface FailedRun {
	message: string;
	description?: string | null;
	itemIndex?: number;
}

/** The node's error, with the item index NodeOperationError keeps in its context. */
function failure(result: WorkflowResult): FailedRun {
	assert.equal(result.status, 'error');
	const error = result.nodeError('Coupon') as unknown as { message: string; description?: string | null; context?: { itemIndex?: number } };
	assert.ok(error, 'the Coupon node failed');
	return { message: error.message, description: error.description, itemIndex: error.context?.itemIndex };
}

/** Fills a pool with codes C001.. through the store (Import Codes is tested on its own). */
async function seedPool(ts: TestStore, name: string, count: number, extra: { validUntil?: number; discountKind?: 'percent'; discountValue?: string } = {}) {
	await ts.store.ensurePools([name], Date.parse(T0));
	const codes = Array.from({ length: count }, (_, i) => ({ code: `${name.toUpperCase()}-${String(i + 1).padStart(3, '0')}`, ...extra }));
	await ts.store.addCodes(name, codes, Date.parse(T0));
	return codes.map((c) => c.code);
}

const assignParams = (name: string, extra: INodeParameters = {}): INodeParameters => ({ operation: 'assign', pool: pool(name), ...extra });

describe('Coupon node: description', () => {
	const { description } = new Coupon();

	it('is an AI tool whose assign description says repeating a call returns the same code', () => {
		assert.equal(description.usableAsTool, true);
		assert.match(description.description, /same customer.*same code/);
		const operation = description.properties.find((p) => p.name === 'operation')!;
		const assign = operation.options!.find((o) => 'value' in o && o.value === 'assign') as { description: string; action: string };
		assert.match(assign.description, /same customer returns the same code, never a second one/);
		assert.match(assign.action, /coupon code/);
		const mode = description.properties.find((p) => p.name === 'assignment')!;
		assert.equal(mode.default, 'perCustomer');
		assert.equal(description.properties.find((p) => p.name === 'assignmentKey')!.default, '={{ $json.id }}');
		assert.equal(description.properties.find((p) => p.name === 'customerId')!.default, '={{ $json.customer.id }}');
	});

	/** The node placed in a workflow, as the editor sees it (defaults filled in). */
	const placed = (parameters: INodeParameters) => {
		const node: INode = { id: '1', name: 'Coupon', type: packageNodeType('coupon'), typeVersion: 1, position: [0, 0], parameters };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new MapNodeTypes(nodeTypes) });
		return { workflow, node: workflow.getNode('Coupon')! };
	};

	it('has two named outputs for Assign From Pool and one for the other operations', async () => {
		// The editor computes outputs outside any execution; the "vm" engine only evaluates inside
		// one (it needs a bridge the engine acquires), so this check uses the "legacy" engine.
		await useExpressionEngine('legacy');
		const outputsFor = (operation: string) => {
			const { workflow, node } = placed({ operation });
			return NodeHelpers.getNodeOutputs(workflow, node, description);
		};
		assert.deepEqual(outputsFor('assign'), [
			{ type: 'main', displayName: 'Assigned' },
			{ type: 'main', displayName: 'Pool Empty' },
		]);
		for (const operation of ['generate', 'import', 'status', 'redeem']) assert.deepEqual(outputsFor(operation), [{ type: 'main' }], operation);
	});

	it('shows the operation, the assignment mode and the pool in the subtitle', async () => {
		await useExpressionEngine('legacy');
		const subtitle = (parameters: INodeParameters) => {
			const { workflow, node } = placed(parameters);
			return workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'internal', {});
		};
		assert.equal(subtitle({}), 'Assign one code per customer');
		assert.equal(subtitle({ pool: pool('thank-you-20') }), 'Assign one code per customer: thank-you-20');
		assert.equal(subtitle({ assignment: 'each', pool: pool('thank-you-20', 'name') }), 'Assign a new code: thank-you-20');
		assert.equal(subtitle({ operation: 'generate', pool: pool('spring') }), 'Generate codes: spring');
		assert.equal(subtitle({ operation: 'import', pool: pool('') }), 'Import codes');
		assert.equal(subtitle({ operation: 'status', pool: pool('spring') }), 'Pool status: spring');
		assert.equal(subtitle({ operation: 'redeem', code: 'X' }), 'Mark redeemed');
	});

	afterAll(() => useExpressionEngine(process.env.N8N_EXPRESSION_ENGINE === 'legacy' ? 'legacy' : 'vm'));
});

describe('Coupon node: Assign From Pool', () => {
	it('gives each customer one code and the same customer the same code again (default mode)', async () => {
		const ts = newStore();
		const codes = await seedPool(ts, 'thanks', 5, { discountKind: 'percent', discountValue: '20' });
		const items = [customerItem('c1', 'e1'), customerItem('c2', 'e2'), customerItem('c1', 'e3')];

		const result = ok(await runCoupon(ts, assignParams('thanks'), items));
		const assigned = result.outputItems('Coupon', 0);
		assert.equal(result.outputItems('Coupon', 1).length, 0);
		assert.deepEqual(paired(assigned), [{ item: 0 }, { item: 1 }, { item: 2 }]);
		// The item goes out unchanged plus `coupon`.
		assert.deepEqual(
			json(assigned).map(({ coupon: _coupon, ...rest }) => rest),
			items,
		);
		const [first, second, again] = coupons(assigned);
		assert.deepEqual(first, {
			assigned: true,
			pool: 'thanks',
			code: codes[0],
			assignedAt: T0,
			discount: { discountKind: 'percent', discountValue: '20' },
			reused: false,
			expired: false,
			redeemed: false,
			customerId: 'c1',
		});
		assert.equal(second.code, codes[1]);
		assert.equal(second.reused, false);
		assert.equal(again.code, first.code, 'the same customer gets the same code');
		assert.equal(again.reused, true);

		// A later execution for c1 (another event) still gets the first code, not a new one.
		clock.advance(DAY);
		const later = ok(await runCoupon(ts, assignParams('thanks'), [customerItem('c1', 'e9')]));
		assert.deepEqual(
			coupons(later.outputItems('Coupon')).map((c) => [c.code, c.reused, c.assignedAt]),
			[[codes[0], true, T0]],
		);
		assert.deepEqual(await ts.store.poolStatus('thanks', clock.now()), { pool: 'thanks', total: 5, free: 3, assigned: 2, redeemed: 0, expired: 0, notInShop: 0, refusedByShop: 0 });

		// Once c1 has used the code in an order, the code still comes back, now flagged as redeemed.
		ok(await runCoupon(ts, { operation: 'redeem', code: codes[0] }, [{}]));
		const redeemedAt = new Date(clock.now()).toISOString();
		clock.advance(DAY);
		const afterUse = coupons(ok(await runCoupon(ts, assignParams('thanks'), [customerItem('c1', 'e10')])).outputItems('Coupon'));
		assert.deepEqual(
			afterUse.map((c) => [c.code, c.reused, c.redeemed, c.redeemedAt]),
			[[codes[0], true, true, redeemedAt]],
		);
	});

	it('gives a new code for each assignment key, and the same code when the same key comes again (a retry)', async () => {
		const ts = newStore();
		await seedPool(ts, 'each', 5);
		const params = assignParams('each', { assignment: 'each' });
		const items = [customerItem('c1', 'order-1'), customerItem('c1', 'order-2')];

		const first = coupons(ok(await runCoupon(ts, params, items)).outputItems('Coupon'));
		assert.notEqual(first[0].code, first[1].code);
		assert.deepEqual(first.map((c) => c.reused), [false, false]);

		// The execution is retried with the same input: the same codes come back, none is used up.
		clock.advance(HOUR);
		const retry = coupons(ok(await runCoupon(ts, params, items)).outputItems('Coupon'));
		assert.deepEqual(retry.map((c) => c.code), first.map((c) => c.code));
		assert.deepEqual(retry.map((c) => c.reused), [true, true]);
		assert.deepEqual(retry.map((c) => c.assignedAt), [T0, T0]);
		assert.equal((await ts.store.poolStatus('each', clock.now())).assigned, 2);
	});

	it('gives another customer with the same assignment key a code of their own, and names who holds it', async () => {
		const ts = newStore();
		await seedPool(ts, 'shared', 3);
		const params = assignParams('shared', { assignment: 'each', assignmentKey: 'spring-campaign' });
		const [alice] = coupons(ok(await runCoupon(ts, params, [customerItem('alice')])).outputItems('Coupon'));
		const [bob] = coupons(ok(await runCoupon(ts, params, [customerItem('bob')])).outputItems('Coupon'));
		assert.notEqual(bob.code, alice.code, "Bob never gets Alice's code");
		assert.deepEqual([bob.customerId, bob.reused], ['bob', false]);

		clock.advance(HOUR);
		const retry = coupons(ok(await runCoupon(ts, params, [customerItem('alice'), customerItem('bob')])).outputItems('Coupon'));
		assert.deepEqual(
			retry.map((c) => [c.customerId, c.code, c.reused]),
			[
				['alice', alice.code, true],
				['bob', bob.code, true],
			],
		);
		assert.deepEqual((await ts.store.codesOf('bob')).map((h) => h.code), [bob.code]);
		assert.equal((await ts.store.poolStatus('shared', clock.now())).assigned, 2);
	});

	it('takes the assignment key from an expression', async () => {
		const ts = newStore();
		await seedPool(ts, 'keyed', 5);
		const params = assignParams('keyed', { assignment: 'each', assignmentKey: '={{ $json.order.id }}' });
		const items = [
			customerItem('c1', 'delivery-1', { order: { id: 'A' } }),
			customerItem('c1', 'delivery-2', { order: { id: 'A' } }),
			customerItem('c1', 'delivery-3', { order: { id: 'B' } }),
		];
		const [a1, a2, b] = coupons(ok(await runCoupon(ts, params, items)).outputItems('Coupon'));
		assert.equal(a1.code, a2.code);
		assert.equal(a2.reused, true);
		assert.notEqual(b.code, a1.code);
	});

	it('sends customers to Pool Empty when the pool runs out, with pairedItem and the pool named', async () => {
		const ts = newStore();
		await seedPool(ts, 'two', 2);
		const items = [customerItem('c1'), customerItem('c2'), customerItem('c3')];
		const result = ok(await runCoupon(ts, assignParams('two'), items));

		assert.deepEqual(coupons(result.outputItems('Coupon', 0)).map((c) => c.customerId), ['c1', 'c2']);
		const empty = result.outputItems('Coupon', 1);
		assert.deepEqual(json(empty), [{ ...items[2], coupon: { assigned: false, pool: 'two', customerId: 'c3' } }]);
		assert.deepEqual(paired(empty), [{ item: 2 }]);
		assert.deepEqual(json(result.outputItems('Empty branch')), json(empty), 'the Pool Empty branch runs');
	});

	it('never hands out a code past its own Valid Until', async () => {
		const ts = newStore();
		await seedPool(ts, 'old', 2, { validUntil: Date.parse(T0) + HOUR });
		clock.advance(2 * HOUR);
		const result = ok(await runCoupon(ts, assignParams('old'), [customerItem('c1')]));
		assert.equal(result.outputItems('Coupon', 0).length, 0);
		assert.equal(result.outputItems('Coupon', 1).length, 1);
	});

	it('sets no expiry by default, a fixed date, or a duration after assignment in the workflow time zone', async () => {
		const ts = newStore();
		await seedPool(ts, 'exp', 20);
		const expiryOf = async (extra: INodeParameters, customerId: string, timezone?: string) => {
			const result = ok(await runCoupon(ts, assignParams('exp', extra), [customerItem(customerId)], { timezone }));
			return coupons(result.outputItems('Coupon'))[0].expiresAt;
		};

		assert.equal(await expiryOf({}, 'never'), undefined);
		assert.equal(await expiryOf({ expiry: 'at', expiresAt: '2026-06-30T21:59:59Z' }, 'fixed'), '2026-06-30T21:59:59.000Z');
		assert.equal(await expiryOf({ expiry: 'at', expiresAt: '2026-06-30 12:00:00' }, 'fixed-no-offset'), '2026-06-30T12:00:00.000Z');
		// Without an offset, in the workflow's time zone (as the date picker means it); with one, as written.
		assert.equal(await expiryOf({ expiry: 'at', expiresAt: '2026-06-30 12:00:00' }, 'fixed-berlin', 'Europe/Berlin'), '2026-06-30T10:00:00.000Z');
		assert.equal(await expiryOf({ expiry: 'at', expiresAt: '2026-06-30' }, 'day-berlin', 'Europe/Berlin'), '2026-06-29T22:00:00.000Z');
		assert.equal(await expiryOf({ expiry: 'at', expiresAt: '2026-06-30T12:00:00Z' }, 'fixed-utc-berlin', 'Europe/Berlin'), '2026-06-30T12:00:00.000Z');
		assert.equal(await expiryOf({ expiry: 'after', expiresAfter: 90, expiresAfterUnit: 'minutes' }, 'minutes'), '2026-03-02T10:30:00.000Z');
		assert.equal(await expiryOf({ expiry: 'after', expiresAfter: 30 }, 'days-default'), '2026-04-01T09:00:00.000Z');
		assert.equal(await expiryOf({ expiry: 'after', expiresAfter: 2, expiresAfterUnit: 'weeks' }, 'weeks'), '2026-03-16T09:00:00.000Z');
		assert.equal(await expiryOf({ expiry: 'after', expiresAfter: 1, expiresAfterUnit: 'years' }, 'years'), '2027-03-02T09:00:00.000Z');

		// One calendar month from 31 January is the end of February.
		clock.set('2026-01-31T12:00:00Z');
		assert.equal(await expiryOf({ expiry: 'after', expiresAfter: 1, expiresAfterUnit: 'months' }, 'months'), '2026-02-28T12:00:00.000Z');
		// A day across the spring DST change in Berlin is 23 hours: same local time next day.
		clock.set('2026-03-28T12:00:00Z');
		assert.equal(await expiryOf({ expiry: 'after', expiresAfter: 1, expiresAfterUnit: 'days' }, 'dst', 'Europe/Berlin'), '2026-03-29T11:00:00.000Z');
		assert.equal(await expiryOf({ expiry: 'after', expiresAfter: 1, expiresAfterUnit: 'hours' }, 'dst-hours', 'Europe/Berlin'), '2026-03-28T13:00:00.000Z');
	});

	it('claims all items of one pool in one store call, one call per pool when the pool is an expression', async () => {
		const ts = newStore();
		await seedPool(ts, 'alpha', 3);
		await seedPool(ts, 'beta', 3);
		const calls: Array<[string, number]> = [];
		const claim = ts.store.claimCodes.bind(ts.store);
		ts.store.claimCodes = (name, requests, now) => {
			calls.push([name, requests.length]);
			return claim(name, requests, now);
		};
		try {
			const items = [
				customerItem('c1', 'e1', { pool: 'alpha' }),
				customerItem('c2', 'e2', { pool: 'beta' }),
				customerItem('c3', 'e3', { pool: 'alpha' }),
				customerItem('c4', 'e4', { pool: 'alpha' }),
			];
			const result = ok(await runCoupon(ts, assignParams('', { pool: { __rl: true, mode: 'name', value: '={{ $json.pool }}' } }), items));
			assert.deepEqual(calls, [
				['alpha', 3],
				['beta', 1],
			]);
			const out = result.outputItems('Coupon');
			assert.deepEqual(paired(out), [{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }], 'item order is kept');
			assert.deepEqual(coupons(out).map((c) => [c.pool, c.code]), [
				['alpha', 'ALPHA-001'],
				['beta', 'BETA-001'],
				['alpha', 'ALPHA-002'],
				['alpha', 'ALPHA-003'],
			]);
		} finally {
			ts.store.claimCodes = claim;
		}
	});

	it('adds a low-stock hint naming the pool when free codes are at or below the threshold', async () => {
		const ts = newStore();
		await seedPool(ts, 'low', 5);
		const withThreshold = (threshold: number) => assignParams('low', { options: { lowStockThreshold: threshold } });

		// 5 - 1 = 4 free > 3: no hint; without the option never a hint.
		assert.deepEqual(lowStockHints(ok(await runCoupon(ts, withThreshold(3), [customerItem('c1')]))), []);
		assert.deepEqual(lowStockHints(ok(await runCoupon(ts, assignParams('low'), [customerItem('c2'), customerItem('c3')]))), []);
		// 2 free after this one <= 3.
		assert.deepEqual(lowStockHints(ok(await runCoupon(ts, withThreshold(3), [customerItem('c4')]))), [
			'Coupon pool "low" is running low: 1 free code left (low-stock threshold 3). Generate or import more codes.',
		]);
		// Emptied: the hint says so, and the customer went to Pool Empty.
		const emptied = ok(await runCoupon(ts, withThreshold(0), [customerItem('c5'), customerItem('c6')]));
		assert.equal(emptied.outputItems('Coupon', 1).length, 1);
		assert.deepEqual(lowStockHints(emptied), [
			'Coupon pool "low" has no free codes left (low-stock threshold 0). Customers now take the Pool Empty output: generate or import more codes.',
		]);
	});

	it('hints which store it used when the customers are not in it', async () => {
		const ts = newStore();
		await seedPool(ts, 'p', 2);
		const result = ok(await runCoupon(ts, assignParams('p'), [customerItem('stranger')]));
		assert.equal(hints(result).length, 1);
		assert.match(hints(result)[0], /stranger.*not in the store this node used: SQLite/);
	});

	it('fails on an unknown pool with the item index and what to change, writing nothing', async () => {
		const ts = newStore();
		await seedPool(ts, 'real', 3);
		const items = [customerItem('c1', 'e1', { pool: 'real' }), customerItem('c2', 'e2', { pool: 'typo' })];
		// A single pool: the store call fails before any write.
		const single = failure(await runCoupon(ts, assignParams('typo', { pool: pool('typo', 'name') }), [items[0]]));
		assert.equal(single.itemIndex, 0);
		assert.match(single.message, /Coupon pool "typo" does not exist/);
		assert.match(single.description ?? '', /Pick a pool from the list/);

		const byExpression = failure(await runCoupon(ts, assignParams('', { pool: pool('={{ $json.pool }}', 'name') }), [items[1], items[0]]));
		assert.equal(byExpression.itemIndex, 0);
		assert.equal((await ts.store.poolStatus('real', clock.now())).assigned, 0, 'nothing was assigned');
		assert.deepEqual((await ts.store.listPools()).map((p) => p.name), ['real'], 'no pool was created');
	});

	it('fails on bad input before anything is written: empty pool, missing customer, bad key, malformed or negative expiry', async () => {
		const ts = newStore();
		await seedPool(ts, 'safe', 5);
		const two = [customerItem('c1', 'e1'), customerItem('c2', 'e2')];
		const cases: Array<{ params: INodeParameters; items: IDataObject[]; itemIndex: number; message: RegExp; description?: RegExp }> = [
			// An empty literal pool is refused by n8n before the node runs; an expression can still be empty.
			{ params: { operation: 'assign', pool: pool('={{ $json.pool }}', 'name') }, items: two, itemIndex: 0, message: /^pool: is empty/, description: /Pick a coupon pool/ },
			{ params: assignParams('safe'), items: [two[0], { id: 'e2' }], itemIndex: 1, message: /^customerId: is empty/, description: /customer\.id/ },
			{ params: assignParams('safe', { assignment: 'each' }), items: [two[0], { customer: { id: 'c2' } }], itemIndex: 1, message: /^assignmentKey: is empty/, description: /\$json\.id/ },
			{ params: assignParams('safe', { expiry: 'at', expiresAt: '={{ $json.until }}' }), items: [{ ...two[0], until: '2026-07-01' }, { ...two[1], until: 'next tuesday' }], itemIndex: 1, message: /expiresAt/ },
			{ params: assignParams('safe', { expiry: 'at', expiresAt: '={{ $json.missing }}' }), items: two, itemIndex: 0, message: /expiresAt/ },
			{ params: assignParams('safe', { expiry: 'after', expiresAfter: -5 }), items: two, itemIndex: 0, message: /expiresAfter: "-5" is not a whole number/ },
			{ params: assignParams('safe', { expiry: 'after', expiresAfter: 1.5 }), items: two, itemIndex: 0, message: /expiresAfter/ },
			{ params: assignParams('safe', { options: { lowStockThreshold: -1 } }), items: two, itemIndex: 0, message: /lowStockThreshold/ },
		];
		for (const c of cases) {
			const error = failure(await runCoupon(ts, c.params, c.items));
			assert.equal(error.itemIndex, c.itemIndex, error.message);
			assert.match(error.message, c.message);
			assert.ok(error.description, `a description says what to change: ${error.message}`);
			if (c.description) assert.match(error.description, c.description);
		}
		assert.equal((await ts.store.poolStatus('safe', clock.now())).assigned, 0, 'no code was assigned by any failed run');
	});

	const mixedItems = () => [
		customerItem('c1', 'e1', { pool: 'cof' }),
		{ id: 'e2', pool: 'cof' },
		customerItem('c3', 'e3', { pool: 'missing' }),
		customerItem('c4', 'e4', { pool: 'cof' }),
		customerItem('c5', 'e5', { pool: 'other' }),
	];
	const byPool = { pool: pool('={{ $json.pool }}', 'name') };
	const outcome = (item: INodeExecutionData) => [item.pairedItem, item.json.error ?? (item.json.coupon as IDataObject).code ?? 'empty'];

	it('with continueOnFail puts error items on the Pool Empty output in input order, paired, and serves the other items', async () => {
		const ts = newStore();
		await seedPool(ts, 'cof', 1);
		await seedPool(ts, 'other', 1);
		const result = ok(await runCoupon(ts, assignParams('', byPool), mixedItems(), { node: { onError: 'continueRegularOutput' } }));
		assert.deepEqual(result.outputItems('Coupon', 0).map(outcome), [
			[{ item: 0 }, 'COF-001'],
			[{ item: 4 }, 'OTHER-001'],
		]);
		const empty = result.outputItems('Coupon', 1).map(outcome);
		assert.deepEqual(paired(result.outputItems('Coupon', 1)), [{ item: 1 }, { item: 2 }, { item: 3 }]);
		assert.match(String(empty[0][1]), /customerId: is empty/);
		assert.match(String(empty[1][1]), /Coupon pool "missing" does not exist/);
		assert.equal(empty[2][1], 'empty', 'the pool ran out for c4');
	});

	it('with continue using error output puts error items on the Error output only', async () => {
		const ts = newStore();
		await seedPool(ts, 'cof', 1);
		await seedPool(ts, 'other', 1);
		const result = ok(await runCoupon(ts, assignParams('', byPool), mixedItems(), { node: { onError: 'continueErrorOutput' } }));
		assert.deepEqual(paired(result.outputItems('Coupon', 0)), [{ item: 0 }, { item: 4 }]);
		assert.deepEqual(result.outputItems('Coupon', 1).map(outcome), [[{ item: 3 }, 'empty']]);
		const errors = result.outputItems('Coupon', 2);
		assert.deepEqual(paired(errors), [{ item: 1 }, { item: 2 }]);
		assert.deepEqual(errors.map((item) => item.json.id), ['e2', 'e3'], 'n8n adds the input item');
	});
});

describe('Coupon node: Generate Codes', () => {
	const codePattern = (prefix: string, length: number) => new RegExp(`^${prefix}[${UNAMBIGUOUS_ALPHABET}]{${length}}$`);

	it('creates the pool and adds unique codes of prefix + random characters from the unambiguous alphabet', async () => {
		const ts = newStore();
		const params = { operation: 'generate', pool: pool('spring', 'name'), count: 300, prefix: 'ty-', length: 6 };
		const result = ok(await runCoupon(ts, params, [{ a: 1 }, { a: 2 }]));
		const out = result.outputItems('Coupon');
		assert.equal(out.length, 1, 'one output item, however many input items');
		assert.deepEqual(out[0].pairedItem, { item: 0 });
		const { pool: name, added, codes } = out[0].json as { pool: string; added: number; codes: string[] };
		assert.equal(name, 'spring');
		assert.equal(added, 300);
		assert.equal(new Set(codes).size, 300);
		for (const code of codes) assert.match(code, codePattern('ty-', 6), 'the prefix as typed');
		for (const ambiguous of '0O1IL5S2Z8B') assert.ok(!codes.some((c) => c.slice(3).includes(ambiguous)), ambiguous);

		// A second run adds more, still unique within the pool.
		const again = ok(await runCoupon(ts, { ...params, count: 200 }, [{}]));
		const more = again.outputItems('Coupon')[0].json.codes as string[];
		assert.equal(new Set([...codes, ...more]).size, 500);
		assert.deepEqual(await ts.store.poolStatus('spring', clock.now()), { pool: 'spring', total: 500, free: 500, assigned: 0, redeemed: 0, expired: 0, notInShop: 0, refusedByShop: 0 });
	});

	it('uses 8 characters and no prefix by default, and carries the discount to the assigned coupon', async () => {
		const ts = newStore();
		const generate = {
			operation: 'generate',
			pool: pool('fixed', 'name'),
			count: 3,
			discountKind: 'fixed',
			discountValue: '12.50',
			currency: 'eur',
			minimumOrder: '50',
		};
		const codes = ok(await runCoupon(ts, generate, [{}])).outputItems('Coupon')[0].json.codes as string[];
		for (const code of codes) assert.match(code, codePattern('', 8));

		const assigned = coupons(ok(await runCoupon(ts, assignParams('fixed'), [customerItem('c1')])).outputItems('Coupon'))[0];
		assert.ok(codes.includes(assigned.code as string));
		assert.deepEqual(assigned.discount, { discountKind: 'fixed', discountValue: '12.50', currency: 'EUR', minimumOrder: '50' });
	});

	it('stops handing out generated codes after Valid Until, and counts them as expired', async () => {
		const ts = newStore();
		ok(await runCoupon(ts, { operation: 'generate', pool: pool('brief', 'name'), count: 2, validUntil: '2026-03-02T12:00:00Z' }, [{}]));
		clock.set('2026-03-02T12:00:00Z');
		const result = ok(await runCoupon(ts, assignParams('brief'), [customerItem('late')]));
		assert.equal(result.outputItems('Coupon', 1).length, 1);
		assert.deepEqual(await ts.store.poolStatus('brief', clock.now()), { pool: 'brief', total: 2, free: 0, assigned: 0, redeemed: 0, expired: 2, notInShop: 0, refusedByShop: 0 });
	});

	it('reads a Valid Until without an offset in the workflow time zone', async () => {
		const ts = newStore();
		// 13:00 in Berlin (winter time) is 12:00 UTC.
		ok(await runCoupon(ts, { operation: 'generate', pool: pool('local', 'name'), count: 1, validUntil: '2026-03-02 13:00' }, [{}], { timezone: 'Europe/Berlin' }));
		clock.set('2026-03-02T11:59:59Z');
		assert.equal(ok(await runCoupon(ts, assignParams('local'), [customerItem('in-time')])).outputItems('Coupon', 0).length, 1);
		ok(await runCoupon(ts, { operation: 'generate', pool: pool('local', 'name'), count: 1, validUntil: '2026-03-02 13:00' }, [{}], { timezone: 'Europe/Berlin' }));
		clock.set('2026-03-02T12:00:00Z');
		assert.equal(ok(await runCoupon(ts, assignParams('local'), [customerItem('too-late')])).outputItems('Coupon', 1).length, 1, 'past 13:00 Berlin time');
	});

	it('refuses bad input with item index 0 and creates no pool', async () => {
		const ts = newStore();
		const base = { operation: 'generate', pool: pool('never', 'name'), count: 5 };
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ ...base, count: -5 }, /^count: "-5" is not a whole number from 1 to 100000/],
			[{ ...base, count: '={{ "many" }}' }, /^count: "many" is not a whole number/],
			[{ ...base, count: 0 }, /^count:/],
			[{ ...base, count: 100_001 }, /^count:/],
			[{ ...base, length: 3 }, /^length:/],
			[{ ...base, count: 100_000, length: 4 }, /^length: 4 characters are too few/],
			[{ ...base, prefix: 'two words' }, /^prefix:/],
			[{ ...base, pool: pool('={{ $json.pool }}', 'name') }, /^pool: is empty/],
			[{ ...base, validUntil: '31/12/2026' }, /validUntil/],
			[{ ...base, discountKind: 'percent', discountValue: '120' }, /^discountValue: 120% is not a percentage/],
			[{ ...base, discountKind: 'percent', discountValue: 'lots' }, /^discountValue:/],
			[{ ...base, discountKind: 'fixed', discountValue: '5' }, /^currency: is needed for a fixed-amount discount/],
		];
		for (const [params, message] of cases) {
			const error = failure(await runCoupon(ts, params, [{}, {}]));
			assert.equal(error.itemIndex, 0, error.message);
			assert.match(error.message, message);
			assert.ok(error.description, `a description says what to change: ${error.message}`);
		}
		assert.deepEqual(await ts.store.listPools(), []);
	});

	it('with continueOnFail returns the error as an item paired with item 0', async () => {
		const ts = newStore();
		const result = ok(
			await runCoupon(ts, { operation: 'generate', pool: pool('x', 'name'), count: -1 }, [{}], { node: { onError: 'continueRegularOutput' } }),
		);
		const out = result.outputItems('Coupon');
		assert.equal(out.length, 1);
		assert.match(String(out[0].json.error), /^count:/);
		assert.deepEqual(out[0].pairedItem, { item: 0 });
	});
});

describe('Coupon node: Import Codes', () => {
	const importParams = (name: string, extra: INodeParameters = {}): INodeParameters => ({ operation: 'import', pool: pool(name, 'name'), ...extra });

	it('imports one code per input item, skipping and counting repeats and codes already in the pool', async () => {
		const ts = newStore();
		await seedPool(ts, 'shop', 1); // SHOP-001
		const items = [{ code: 'summer-1' }, { code: ' SUMMER-2 ' }, { code: 'Summer-1' }, { code: 'shop-001' }, { code: 12345 }];
		const result = ok(await runCoupon(ts, importParams('shop'), items));
		const out = result.outputItems('Coupon');
		assert.equal(out.length, 1);
		assert.deepEqual(out[0].json, {
			pool: 'shop',
			received: 5,
			added: 3,
			skipped: 2,
			repeatedInInput: 1,
			alreadyInPool: 1,
			skippedCodes: ['Summer-1', 'shop-001'],
		});
		assert.deepEqual(out[0].pairedItem, items.map((_, item) => ({ item })));
		assert.deepEqual(await ts.store.poolStatus('shop', clock.now()), { pool: 'shop', total: 4, free: 4, assigned: 0, redeemed: 0, expired: 0, notInShop: 0, refusedByShop: 0 });

		// Importing the same file again adds nothing.
		const again = ok(await runCoupon(ts, importParams('shop'), items)).outputItems('Coupon')[0].json;
		assert.equal(again.added, 0);
		assert.equal(again.skipped, 5);
	});

	it('reads a nested field, creates the pool by default and carries discount and validity', async () => {
		const ts = newStore();
		const params = importParams('nested', { codeField: 'coupon.code', discountKind: 'percent', discountValue: '10', validUntil: '2026-12-31T23:00:00Z' });
		const out = ok(await runCoupon(ts, params, [{ coupon: { code: 'N-1' } }, { coupon: { code: 'N-2' } }])).outputItems('Coupon')[0].json;
		assert.equal(out.added, 2);
		const assigned = coupons(ok(await runCoupon(ts, assignParams('nested'), [customerItem('c1')])).outputItems('Coupon'))[0];
		assert.equal(assigned.code, 'N-1');
		assert.deepEqual(assigned.discount, { discountKind: 'percent', discountValue: '10' });
		clock.set('2027-01-01T00:00:00Z');
		assert.equal((await ts.store.poolStatus('nested', clock.now())).expired, 1, 'N-2 passed its Valid Until');
	});

	it('imports a pasted list separated by lines, commas, semicolons or spaces', async () => {
		const ts = newStore();
		const params = importParams('pasted', { source: 'list', codes: 'AAA-1\nbbb-2, CCC-3;ddd-4  aaa-1\n\n' });
		const out = ok(await runCoupon(ts, params, [{}, {}])).outputItems('Coupon');
		assert.equal(out.length, 1);
		assert.deepEqual(out[0].pairedItem, { item: 0 });
		assert.deepEqual(out[0].json, { pool: 'pasted', received: 5, added: 4, skipped: 1, repeatedInInput: 1, alreadyInPool: 0, skippedCodes: ['aaa-1'] });
	});

	it('keeps codes as given: Straße10 stays Straße10; a twin by case or width is a repeat; assign and redeem find it', async () => {
		const ts = newStore();
		const items = [{ code: 'Straße10' }, { code: 'STRASSE10' }, { code: 'straße10' }, { code: 'ＳＴＲＡＳＳＥ10' }];
		const out = ok(await runCoupon(ts, importParams('umlaut'), items)).outputItems('Coupon')[0].json;
		assert.deepEqual([out.added, out.repeatedInInput, out.skippedCodes], [2, 2, ['straße10', 'ＳＴＲＡＳＳＥ10']]);

		const assigned = coupons(ok(await runCoupon(ts, assignParams('umlaut'), [customerItem('c1'), customerItem('c2')])).outputItems('Coupon'));
		assert.deepEqual(assigned.map((c) => c.code), ['Straße10', 'STRASSE10']);

		const redeemed = coupons(ok(await runCoupon(ts, { operation: 'redeem', code: '={{ $json.used }}' }, [{ used: 'STRAẞE10' }, { used: 'strasse\u200b10' }])).outputItems('Coupon'));
		assert.deepEqual(
			redeemed.map((c) => [c.code, c.found, c.redeemed]),
			[
				['Straße10', true, true],
				['STRASSE10', true, true],
			],
		);
	});

	it('with Create Pool If Missing off, an unknown pool is an error and nothing is created', async () => {
		const ts = newStore();
		const error = failure(await runCoupon(ts, importParams('nope', { createPool: false }), [{ code: 'X-1' }]));
		assert.equal(error.itemIndex, 0);
		assert.match(error.message, /Coupon pool "nope" does not exist/);
		assert.match(error.description ?? '', /create it with Coupon > Generate Codes or Import Codes/);
		assert.deepEqual(await ts.store.listPools(), []);

		await seedPool(ts, 'exists', 0);
		assert.equal(ok(await runCoupon(ts, importParams('exists', { createPool: false }), [{ code: 'X-1' }])).outputItems('Coupon')[0].json.added, 1);
	});

	it('fails on an item without a code, or with a code that is no code, naming the item; nothing is imported', async () => {
		const ts = newStore();
		const cases: Array<[IDataObject[], number, RegExp, RegExp?]> = [
			[[{ code: 'OK-1' }, { other: 'x' }], 1, /^code: has no code in this item/, /this item has: other/],
			[[{ code: 'OK-1' }, { code: 'has space' }], 1, /is not a coupon code/, /no spaces/],
			[[{ code: 'OK-1' }, { code: { nested: true } }], 1, /^code: expected text, got object/],
			[[{ code: 'x'.repeat(65) }], 0, /is 65 characters long; at most 64 are allowed/, /at most 64 characters/],
			[[{ code: 'OK-1' }, { code: 'SUMMER10\u200b' }], 1, /contains an invisible character \(U\+200B\)/, /Remove it/],
		];
		for (const [items, itemIndex, message, description] of cases) {
			const error = failure(await runCoupon(ts, importParams('strict'), items));
			assert.equal(error.itemIndex, itemIndex, error.message);
			assert.match(error.message, message);
			assert.ok(error.description, `a description says what to change: ${error.message}`);
			if (description) assert.match(error.description, description);
		}
		const pasted = failure(await runCoupon(ts, importParams('strict', { source: 'list', codes: ' \n , ' }), [{}]));
		assert.equal(pasted.itemIndex, 0);
		assert.match(pasted.message, /^codes: no code to import/);
		assert.deepEqual(await ts.store.listPools(), [], 'nothing was written, not even the pool');
	});

	it('with continueOnFail imports the good items and returns an error item for each bad one', async () => {
		const ts = newStore();
		const items = [{ code: 'G-1' }, {}, { code: 'G-2' }];
		const out = ok(await runCoupon(ts, importParams('partial'), items, { node: { onError: 'continueRegularOutput' } })).outputItems('Coupon');
		assert.equal(out.length, 2);
		assert.match(String(out[0].json.error), /has no code/);
		assert.deepEqual(out[0].pairedItem, { item: 1 });
		assert.equal(out[1].json.added, 2);

		const allBad = ok(await runCoupon(ts, importParams('partial'), [{}], { node: { onError: 'continueRegularOutput' } })).outputItems('Coupon');
		assert.deepEqual(paired(allBad), [{ item: 0 }]);
		assert.ok('error' in allBad[0].json);
	});
});

describe('Coupon node: Pool Status', () => {
	it('counts total, free, assigned, redeemed and expired codes', async () => {
		const ts = newStore();
		const codes = await seedPool(ts, 'stat', 5);
		await ts.store.addCodes('stat', [{ code: 'SHORT-LIVED', validUntil: Date.parse(T0) + HOUR }], Date.parse(T0));
		// c1's code expires after a day; c2's never, and c2 redeems it.
		ok(await runCoupon(ts, assignParams('stat', { expiry: 'after', expiresAfter: 1 }), [customerItem('c1')]));
		ok(await runCoupon(ts, assignParams('stat'), [customerItem('c2')]));
		ok(await runCoupon(ts, { operation: 'redeem', code: codes[1] }, [{}]));
		clock.advance(2 * DAY);

		const calls: string[] = [];
		const status = ts.store.poolStatus.bind(ts.store);
		ts.store.poolStatus = (name, now) => {
			calls.push(name);
			return status(name, now);
		};
		try {
			const result = ok(await runCoupon(ts, { operation: 'status', pool: pool('stat') }, [{ a: 1 }, { a: 2 }]));
			const expected = { pool: 'stat', total: 6, free: 3, assigned: 2, redeemed: 1, expired: 2, notInShop: 0, refusedByShop: 0 };
			assert.deepEqual(json(result.outputItems('Coupon')), [expected, expected]);
			assert.deepEqual(paired(result.outputItems('Coupon')), [{ item: 0 }, { item: 1 }]);
			assert.deepEqual(calls, ['stat'], 'one count per pool, not per item');
		} finally {
			ts.store.poolStatus = status;
		}
	});

	it('reports an unknown pool with the item index; continueOnFail makes it an error item', async () => {
		const ts = newStore();
		await seedPool(ts, 'known', 1);
		const params = { operation: 'status', pool: pool('={{ $json.pool }}', 'name') };
		const items = [{ pool: 'known' }, { pool: 'unknown' }];
		const error = failure(await runCoupon(ts, params, items));
		assert.equal(error.itemIndex, 1);
		assert.match(error.message, /Coupon pool "unknown" does not exist/);

		const out = ok(await runCoupon(ts, params, items, { node: { onError: 'continueRegularOutput' } })).outputItems('Coupon');
		assert.deepEqual(paired(out), [{ item: 1 }, { item: 0 }]);
		assert.match(String(out[0].json.error), /unknown/);
		assert.equal(out[1].json.total, 1);
	});
});

describe('Coupon node: Mark Redeemed', () => {
	it('marks a code once, keeps the first redemption, and reports unknown codes as not found', async () => {
		const ts = newStore();
		const [code] = await seedPool(ts, 'red', 2);
		const params = { operation: 'redeem', code: '={{ $json.order.couponCodes[0] }}', orderId: '={{ $json.order.id }}' };
		const order = (id: string, used: string) => ({ id: `evt-${id}`, customer: { id: 'c1' }, order: { id, couponCodes: [used] } });

		const first = ok(await runCoupon(ts, params, [order('1001', code.toLowerCase())])).outputItems('Coupon');
		assert.deepEqual(json(first), [
			{ ...order('1001', code.toLowerCase()), coupon: { code, found: true, redeemed: true, alreadyRedeemed: false, redeemedAt: T0, orderId: '1001' } },
		]);
		assert.deepEqual(paired(first), [{ item: 0 }]);

		clock.advance(HOUR);
		const out = coupons(ok(await runCoupon(ts, params, [order('1002', code), order('1003', 'NOPE-1')])).outputItems('Coupon'));
		assert.deepEqual(out, [
			{ code, found: true, redeemed: true, alreadyRedeemed: true, redeemedAt: T0, orderId: '1002' },
			{ code: 'NOPE-1', found: false, redeemed: false, alreadyRedeemed: false, orderId: '1003' },
		]);
		assert.equal((await ts.store.poolStatus('red', clock.now())).redeemed, 1);
	});

	it('restricts the code to a pool when one is given', async () => {
		const ts = newStore();
		const [inA] = await seedPool(ts, 'a', 1);
		await seedPool(ts, 'b', 1);
		const inB = coupons(
			ok(await runCoupon(ts, { operation: 'redeem', code: inA, redeemPool: pool('b') }, [{}])).outputItems('Coupon'),
		)[0];
		assert.deepEqual(inB, { code: inA, pool: 'b', found: false, redeemed: false, alreadyRedeemed: false });
		const inPoolA = coupons(ok(await runCoupon(ts, { operation: 'redeem', code: inA, redeemPool: pool('a') }, [{}])).outputItems('Coupon'))[0];
		assert.equal(inPoolA.redeemed, true);
		assert.equal(inPoolA.pool, 'a');
	});

	it('fails on an empty code or an unknown pool with the item index; nothing is marked', async () => {
		const ts = newStore();
		const [code] = await seedPool(ts, 'm', 1);
		const params = { operation: 'redeem', code: '={{ $json.code }}', redeemPool: pool('={{ $json.pool }}', 'name') };

		const empty = failure(await runCoupon(ts, params, [{ code, pool: 'm' }, { code: '', pool: 'm' }]));
		assert.equal(empty.itemIndex, 1);
		assert.match(empty.message, /^code: is empty/);

		const unknown = failure(await runCoupon(ts, params, [{ code, pool: 'nowhere' }]));
		assert.equal(unknown.itemIndex, 0);
		assert.match(unknown.message, /Coupon pool "nowhere" does not exist/);
		assert.equal((await ts.store.poolStatus('m', clock.now())).redeemed, 0);

		const cof = ok(await runCoupon(ts, params, [{ code: '', pool: 'm' }, { code, pool: 'm' }], { node: { onError: 'continueRegularOutput' } }));
		const out = cof.outputItems('Coupon');
		assert.deepEqual(paired(out), [{ item: 0 }, { item: 1 }]);
		assert.match(String(out[0].json.error), /code: is empty/);
		assert.equal((out[1].json.coupon as IDataObject).redeemed, true);
	});
});
