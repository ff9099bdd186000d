/**
 * Repeatability Guard node through n8n's real engine (test/helpers/workflow.ts): Items Source ->
 * Guard -> a branch on each output, over a real SQLite store in a temp file selected by the
 * Dialogue Store credential. Time is pinned with the node clock.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeEach, describe, it } from '@jest/globals';
import { NodeHelpers, Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeParameters } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
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
const nodeTypes = nodeTypesOf(new ItemsSource(), new RepeatabilityGuard(), new Passthrough());
/** The harness's workflow id: the default activity. */
const WORKFLOW_ID = 'test-workflow';

const newStore = sqliteTestStores('guard-node', clock);
beforeEach(() => clock.set(T0));

const order = (customerId: string, id: string) => ({ id, type: 'order.placed', customer: { id: customerId } });

/** Items Source -> Guard; output 0 -> "Enter branch", output 1 -> "Skip branch". */
function runGuard(ts: TestStore, parameters: INodeParameters, items: IDataObject[], node: Partial<INode> = {}): Promise<WorkflowResult> {
	return runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Guard', type: packageNodeType('repeatabilityGuard'), parameters, ...node },
			{ name: 'Enter branch', type: testNodeType('passthrough') },
			{ name: 'Skip branch', type: testNodeType('passthrough') },
		],
		connections: connect(['Source', 'Guard'], ['Guard', 'Enter branch', 0], ['Guard', 'Skip branch', 1]),
		nodeTypes,
		credentials: ts.credentials,
	});
}

function ok(result: WorkflowResult): WorkflowResult {
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message ?? result.error));
	return result;
}

const guards = (items: INodeExecutionData[]) => items.map((item) => item.json.guard as IDataObject);
const paired = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);
const reasons = (result: WorkflowResult) => ({
	enter: guards(result.outputItems('Guard', 0)).map((g) => g.reason),
	skip: guards(result.outputItems('Guard', 1)).map((g) => g.reason),
});

function failure(result: WorkflowResult): { message: string; description?: string | null; itemIndex?: number } {
	assert.equal(result.status, 'error');
	const error = result.nodeError('Guard') as unknown as { message: string; description?: string | null; context?: { itemIndex?: number } };
	assert.ok(error, 'the Guard node failed');
	return { message: error.message, description: error.description, itemIndex: error.context?.itemIndex };
}

describe('Repeatability Guard node: description', () => {
	it('has Enter and Skip outputs for Check and Enter, one output otherwise', async () => {
		// Outputs are computed outside an execution, which the "vm" engine cannot evaluate.
		await useExpressionEngine('legacy');
		const { description } = new RepeatabilityGuard();
		const outputsFor = (operation: string, parameters: INodeParameters = {}) => {
			const node: INode = { id: '1', name: 'Guard', type: packageNodeType('repeatabilityGuard'), typeVersion: 1, position: [0, 0], parameters: { operation, ...parameters } };
			const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: new MapNodeTypes(nodeTypes) });
			return NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Guard')!, description);
		};
		assert.deepEqual(outputsFor('check'), [
			{ type: 'main', displayName: 'Enter' },
			{ type: 'main', displayName: 'Skip' },
		]);
		assert.deepEqual(outputsFor('check', { controlGroup: 10 }), [
			{ type: 'main', displayName: 'Enter' },
			{ type: 'main', displayName: 'Skip' },
			{ type: 'main', displayName: 'Control' },
		]);
		assert.deepEqual(outputsFor('check', { controlGroup: 0 }), outputsFor('check'));
		assert.deepEqual(outputsFor('reset', { controlGroup: 10 }), [{ type: 'main' }]);
		assert.deepEqual(outputsFor('reset'), [{ type: 'main' }]);
		assert.deepEqual(outputsFor('history'), [{ type: 'main' }]);
		assert.equal(description.usableAsTool, true);
	});

	afterAll(() => useExpressionEngine(process.env.N8N_EXPRESSION_ENGINE === 'legacy' ? 'legacy' : 'vm'));
});

describe('Repeatability Guard node: Check and Enter', () => {
	it('not repeatable (the default): the first order enters, later ones skip with the explanation', async () => {
		const ts = newStore();
		const items = [order('c1', 'o1'), order('c2', 'o2')];
		const first = ok(await runGuard(ts, {}, items));
		const entered = first.outputItems('Guard', 0);
		assert.deepEqual(paired(entered), [{ item: 0 }, { item: 1 }]);
		assert.deepEqual(
			entered.map(({ json: { guard: _guard, ...rest } }) => rest),
			items,
			'the item goes out unchanged plus guard',
		);
		assert.deepEqual(guards(entered)[0], {
			entered: true,
			reason: 'first entry',
			activity: WORKFLOW_ID,
			policy: 'once',
			entries: 1,
			firstEntryAt: T0,
			lastEntryAt: T0,
		});
		assert.equal(first.ran('Skip branch'), false);

		clock.advance(DAY);
		const second = ok(await runGuard(ts, {}, [order('c1', 'o3')]));
		assert.equal(second.outputItems('Guard', 0).length, 0);
		const skipped = second.outputItems('Guard', 1);
		assert.deepEqual(paired(skipped), [{ item: 0 }]);
		assert.deepEqual(skipped[0].json, {
			...order('c1', 'o3'),
			guard: { entered: false, reason: 'already entered', activity: WORKFLOW_ID, policy: 'once', entries: 1, firstEntryAt: T0, lastEntryAt: T0 },
		});
		assert.deepEqual(second.outputItems('Skip branch').map((i) => i.json), skipped.map((i) => i.json), 'the Skip branch runs');
	});

	it('repeatable: every order enters and is counted', async () => {
		const ts = newStore();
		const result = ok(await runGuard(ts, { policy: 'always' }, [order('c1', 'o1'), order('c1', 'o2'), order('c1', 'o3')]));
		const entered = guards(result.outputItems('Guard', 0));
		assert.deepEqual(entered.map((g) => [g.reason, g.entries]), [
			['first entry', 1],
			['repeatable', 2],
			['repeatable', 3],
		]);
		assert.equal(result.outputItems('Guard', 1).length, 0);
	});

	it('at most N times: enters within the limit, then skips with "limit reached"', async () => {
		const ts = newStore();
		const params = { policy: 'atMost', times: 2 };
		const result = ok(await runGuard(ts, params, [order('c1', 'o1'), order('c1', 'o2'), order('c1', 'o3'), order('c2', 'o4')]));
		assert.deepEqual(reasons(result), { enter: ['first entry', 'within limit', 'first entry'], skip: ['limit reached'] });
		assert.deepEqual(paired(result.outputItems('Guard', 1)), [{ item: 2 }]);
		assert.equal(guards(result.outputItems('Guard', 1))[0].entries, 2);
	});

	it('at most once per period: too soon inside the period, enters again once it has passed', async () => {
		const ts = newStore();
		const params = { policy: 'perPeriod', periodAmount: 12, periodUnit: 'hours' };
		assert.deepEqual(reasons(ok(await runGuard(ts, params, [order('c1', 'o1')]))), { enter: ['first entry'], skip: [] });
		clock.advance(11 * HOUR);
		const early = ok(await runGuard(ts, params, [order('c1', 'o2')]));
		assert.deepEqual(reasons(early), { enter: [], skip: ['too soon'] });
		assert.equal(guards(early.outputItems('Guard', 1))[0].lastEntryAt, T0);
		clock.advance(HOUR);
		const later = ok(await runGuard(ts, params, [order('c1', 'o3')]));
		assert.deepEqual(reasons(later), { enter: ['period passed'], skip: [] });
		assert.deepEqual(guards(later.outputItems('Guard', 0))[0], {
			entered: true,
			reason: 'period passed',
			activity: WORKFLOW_ID,
			policy: 'perPeriod',
			entries: 2,
			firstEntryAt: T0,
			lastEntryAt: '2026-03-02T21:00:00.000Z',
		});
		// Days are the default unit.
		const days = { policy: 'perPeriod', periodAmount: 1 };
		assert.deepEqual(reasons(ok(await runGuard(ts, { ...days, activity: 'daily' }, [order('c1', 'd1')]))).enter, ['first entry']);
		clock.advance(DAY - 1);
		assert.deepEqual(reasons(ok(await runGuard(ts, { ...days, activity: 'daily' }, [order('c1', 'd2')]))).skip, ['too soon']);
	});

	it('a retried execution (same entry keys) gets the same answer and counts nothing twice', async () => {
		const ts = newStore();
		const items = [order('c1', 'o1'), order('c1', 'o2')];
		const first = ok(await runGuard(ts, {}, items));
		assert.deepEqual(reasons(first), { enter: ['first entry'], skip: ['already entered'] });

		clock.advance(HOUR);
		const retry = ok(await runGuard(ts, {}, items));
		assert.deepEqual(reasons(retry), { enter: ['retry of an earlier entry'], skip: ['retry of an earlier skip'] });
		assert.deepEqual(paired(retry.outputItems('Guard', 0)), [{ item: 0 }]);
		assert.equal(guards(retry.outputItems('Guard', 0))[0].entries, 1);

		// Repeatable: the retry enters again (same branch as before) without a new entry.
		const always = ok(await runGuard(ts, { policy: 'always', activity: 'every' }, items));
		const again = ok(await runGuard(ts, { policy: 'always', activity: 'every' }, items));
		assert.deepEqual(guards(always.outputItems('Guard', 0)).map((g) => g.entries), [1, 2]);
		assert.deepEqual(reasons(again).enter, ['retry of an earlier entry', 'retry of an earlier entry']);
		assert.deepEqual(guards(again.outputItems('Guard', 0)).map((g) => g.entries), [2, 2]);
	});

	it('keeps activities apart: the default is the workflow, any text shares or separates them', async () => {
		const ts = newStore();
		ok(await runGuard(ts, {}, [order('c1', 'o1')]));
		assert.deepEqual(reasons(ok(await runGuard(ts, { activity: 'birthday' }, [order('c1', 'o2')]))).enter, ['first entry']);
		assert.deepEqual(reasons(ok(await runGuard(ts, { activity: 'birthday' }, [order('c1', 'o3')]))).skip, ['already entered']);
		assert.deepEqual(reasons(ok(await runGuard(ts, { activity: WORKFLOW_ID }, [order('c1', 'o4')]))).skip, ['already entered']);
	});

	it('lets exactly one of many concurrent executions for one customer enter', async () => {
		const ts = newStore();
		const runs = await Promise.all(Array.from({ length: 12 }, (_, n) => runGuard(ts, {}, [order('c1', `race-${n}`)])));
		const entered = runs.flatMap((r) => ok(r).outputItems('Guard', 0));
		const skipped = runs.flatMap((r) => r.outputItems('Guard', 1));
		assert.equal(entered.length, 1);
		assert.equal(skipped.length, 11);
		assert.deepEqual(await ts.store.guardHistory({ activity: WORKFLOW_ID, limit: 100 }).then((rows) => rows.length), 1);
	});

	it('hints which store it used when it meets customers the store has not seen', async () => {
		const ts = newStore();
		const result = ok(await runGuard(ts, {}, [order('stranger', 'o1')]));
		const hints = (result.runData.Guard[0].hints ?? []).map((h) => h.message);
		assert.equal(hints.length, 1);
		assert.match(hints[0], /stranger.*SQLite/);
	});

	it('fails on bad input with the item index, writing nothing: times 0, period 0, missing customer or entry key, empty activity', async () => {
		const ts = newStore();
		const two = [order('c1', 'o1'), order('c2', 'o2')];
		const cases: Array<[INodeParameters, IDataObject[], number, RegExp]> = [
			[{ policy: 'atMost', times: 0 }, two, 0, /^times: "0" is not a whole number from 1 up/],
			[{ policy: 'atMost', times: '={{ $json.n }}' }, [{ ...two[0], n: 2 }, { ...two[1], n: -1 }], 1, /^times:/],
			[{ policy: 'perPeriod', periodAmount: 0 }, two, 0, /^periodAmount:/],
			[{}, [two[0], { id: 'o2' }], 1, /^customerId: is empty/],
			[{}, [two[0], { id: 'o2', customer: {} }], 1, /^customerId: is empty/],
			// The former default reads only the item (the current one falls back to the execution's id).
			[{ entryKey: '={{ $json.id }}' }, [two[0], { customer: { id: 'c2' } }], 1, /^entryKey: is empty/],
			[{ activity: '={{ $json.activity }}' }, two, 0, /^activity: is empty/],
		];
		for (const [params, items, itemIndex, message] of cases) {
			const error = failure(await runGuard(ts, params, items));
			assert.equal(error.itemIndex, itemIndex, error.message);
			assert.match(error.message, message);
		}
		assert.deepEqual(await ts.store.guardHistory({ limit: 100 }), [], 'no entry was recorded');
	});

	it('says what to change when the customer or entry key is missing', async () => {
		const ts = newStore();
		const customer = failure(await runGuard(ts, {}, [{ id: 'o1' }]));
		assert.match(customer.description ?? '', /\{\{ \$json\.customer\.id \}\}/);
		const key = failure(await runGuard(ts, { entryKey: '={{ $json.id }}' }, [{ customer: { id: 'c1' } }]));
		assert.match(key.description ?? '', /\{\{ \$json\.id \?\? \$execution\.id \}\}/);
	});

	it('with continueOnFail puts an error item on the Skip output in input order, paired, and decides the other items', async () => {
		const ts = newStore();
		const items = [order('c1', 'o1'), { id: 'o2' }, order('c1', 'o3')];
		const result = ok(await runGuard(ts, {}, items, { onError: 'continueRegularOutput' }));
		const reasons = (out: INodeExecutionData[]) => out.map((i) => [i.pairedItem, i.json.error ?? (i.json.guard as IDataObject).reason]);
		assert.deepEqual(reasons(result.outputItems('Guard', 0)), [[{ item: 0 }, 'first entry']]);
		assert.deepEqual(reasons(result.outputItems('Guard', 1)), [
			[{ item: 1 }, 'customerId: is empty'],
			[{ item: 2 }, 'already entered'],
		]);
	});

	it('with continue using error output puts an error item on the Error output only', async () => {
		const ts = newStore();
		const items = [order('c1', 'o1'), { id: 'o2' }, order('c1', 'o3')];
		const result = ok(await runGuard(ts, {}, items, { onError: 'continueErrorOutput' }));
		assert.deepEqual(paired(result.outputItems('Guard', 0)), [{ item: 0 }]);
		assert.deepEqual(paired(result.outputItems('Guard', 1)), [{ item: 2 }]);
		assert.deepEqual(
			result.outputItems('Guard', 2).map((i) => [i.pairedItem, i.json]),
			[[{ item: 1 }, { id: 'o2', error: 'customerId: is empty' }]],
		);
	});
});

describe('Repeatability Guard node: control group', () => {
	/** Customers c0..c39 of the activity "welcome" held out at 10 % (computed with Python's hashlib). */
	const HELD_AT_10 = ['c4', 'c15', 'c16', 'c17', 'c22', 'c39'];
	const customers = Array.from({ length: 40 }, (_, i) => `c${i}`);

	/** Items Source -> Guard; outputs 0, 1, 2 -> Enter, Skip, Control branches. */
	function runWithControl(ts: TestStore, parameters: INodeParameters, items: IDataObject[]): Promise<WorkflowResult> {
		return runWorkflow({
			nodes: [
				{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
				{ name: 'Guard', type: packageNodeType('repeatabilityGuard'), parameters: { activity: 'welcome', controlGroup: 10, ...parameters } },
				{ name: 'Enter branch', type: testNodeType('passthrough') },
				{ name: 'Skip branch', type: testNodeType('passthrough') },
				{ name: 'Control branch', type: testNodeType('passthrough') },
			],
			connections: connect(['Source', 'Guard'], ['Guard', 'Enter branch', 0], ['Guard', 'Skip branch', 1], ['Guard', 'Control branch', 2]),
			nodeTypes,
			credentials: ts.credentials,
		});
	}
	const customerOf = (items: INodeExecutionData[]) => items.map((item) => (item.json.customer as IDataObject).id);

	it('sends the held-out customers to Control, recorded as held out; a retry sends them there again', async () => {
		const ts = newStore();
		const items = customers.map((id) => order(id, `o-${id}`));
		const first = ok(await runWithControl(ts, {}, items));
		assert.deepEqual(customerOf(first.outputItems('Guard', 2)), HELD_AT_10);
		assert.deepEqual(customerOf(first.outputItems('Control branch')), HELD_AT_10, 'the Control branch runs');
		assert.deepEqual(customerOf(first.outputItems('Guard', 0)), customers.filter((id) => !HELD_AT_10.includes(id)));
		assert.equal(first.outputItems('Guard', 1).length, 0);
		assert.deepEqual(guards(first.outputItems('Guard', 2))[0], {
			entered: false,
			heldOut: true,
			reason: 'control group',
			activity: 'welcome',
			policy: 'once',
			entries: 1,
			firstEntryAt: T0,
			lastEntryAt: T0,
		});
		assert.deepEqual(paired(first.outputItems('Guard', 2)), HELD_AT_10.map((id) => ({ item: customers.indexOf(id) })));
		const history = await ts.store.guardHistory({ activity: 'welcome', limit: 100 });
		assert.deepEqual(history.filter((h) => h.heldOut).map((h) => h.customerId).sort(), [...HELD_AT_10].sort());

		clock.advance(HOUR);
		const retry = ok(await runWithControl(ts, {}, items));
		assert.deepEqual(customerOf(retry.outputItems('Guard', 2)), HELD_AT_10);
		assert.deepEqual([...new Set(guards(retry.outputItems('Guard', 2)).map((g) => g.reason))], ['retry of an earlier hold-out']);

		// Held out counts as entered: the next order of a once-only activity skips everyone.
		const next = ok(await runWithControl(ts, {}, customers.map((id) => order(id, `n-${id}`))));
		assert.deepEqual([next.outputItems('Guard', 0).length, next.outputItems('Guard', 2).length], [0, 0]);
		assert.deepEqual([...new Set(guards(next.outputItems('Guard', 1)).map((g) => g.reason))], ['already entered']);
	});

	it('raising the share holds out more customers of a repeatable activity, keeping those held out before', async () => {
		const ts = newStore();
		const at10 = ok(await runWithControl(ts, { policy: 'always' }, customers.map((id) => order(id, `a-${id}`))));
		const at20 = ok(await runWithControl(ts, { policy: 'always', controlGroup: 20 }, customers.map((id) => order(id, `b-${id}`))));
		const held20 = customerOf(at20.outputItems('Guard', 2));
		assert.deepEqual(customerOf(at10.outputItems('Guard', 2)), HELD_AT_10);
		assert.deepEqual(held20, ['c2', 'c4', 'c10', 'c14', 'c15', 'c16', 'c17', 'c21', 'c22', 'c24', 'c29', 'c39']);
	});

	it('refuses a share of 100 % with what to enter, writing nothing', async () => {
		const ts = newStore();
		const error = failure(await runWithControl(ts, { controlGroup: 100 }, [order('c1', 'o1')]));
		assert.match(error.message, /^controlGroup: "100" is not a percentage from 0 to 99\.9/);
		assert.match(error.description ?? '', /10 for 10 %/);
		assert.deepEqual(await ts.store.guardHistory({ limit: 10 }), []);
	});
});

describe('Repeatability Guard node: Reset Customer and Entry History', () => {
	it('reset lets a customer enter a not-repeatable activity again', async () => {
		const ts = newStore();
		ok(await runGuard(ts, {}, [order('c1', 'o1')]));
		assert.deepEqual(reasons(ok(await runGuard(ts, {}, [order('c1', 'o2')]))).skip, ['already entered']);

		const reset = ok(await runGuard(ts, { operation: 'reset' }, [order('c1', 'r1'), order('c9', 'r2')]));
		assert.deepEqual(
			reset.outputItems('Guard').map((i) => [i.pairedItem, i.json.guardReset]),
			[
				[{ item: 0 }, { activity: WORKFLOW_ID, customerId: 'c1', removed: true }],
				[{ item: 1 }, { activity: WORKFLOW_ID, customerId: 'c9', removed: false }],
			],
		);
		assert.equal(reset.outputItems('Guard').length, 2);
		assert.equal(reset.ran('Skip branch'), false);

		clock.advance(HOUR);
		const again = ok(await runGuard(ts, {}, [order('c1', 'o3')]));
		assert.deepEqual(guards(again.outputItems('Guard', 0)).map((g) => [g.reason, g.entries, g.firstEntryAt]), [
			['first entry', 1, '2026-03-02T10:00:00.000Z'],
		]);
	});

	it('a retried execution that was skipped is skipped again, also after a reset', async () => {
		const ts = newStore();
		ok(await runGuard(ts, {}, [order('c1', 'o1')]));
		assert.deepEqual(reasons(ok(await runGuard(ts, {}, [order('c1', 'o2')]))).skip, ['already entered']);
		ok(await runGuard(ts, { operation: 'reset' }, [order('c1', 'r1')]));

		clock.advance(HOUR);
		const retry = ok(await runGuard(ts, {}, [order('c1', 'o2')]));
		assert.deepEqual(reasons(retry), { enter: [], skip: ['retry of an earlier skip'] });
		assert.equal(guards(retry.outputItems('Guard', 1))[0].entered, false);
		assert.deepEqual(reasons(ok(await runGuard(ts, {}, [order('c1', 'o3')]))).enter, ['first entry']);
		assert.deepEqual(
			(await ts.store.guardHistory({ customerId: 'c1', limit: 10 })).map((h) => h.key),
			['o3', 'o1'],
		);
	});

	it('reset fails on a missing customer id with the item index', async () => {
		const ts = newStore();
		const error = failure(await runGuard(ts, { operation: 'reset' }, [order('c1', 'r1'), { id: 'r2' }]));
		assert.equal(error.itemIndex, 1);
		assert.match(error.message, /^customerId: is empty/);
	});

	it('history lists entries newest first, per activity and optionally per customer, up to the limit', async () => {
		const ts = newStore();
		ok(await runGuard(ts, { policy: 'always' }, [order('c1', 'o1'), order('c2', 'o2')]));
		clock.advance(HOUR);
		ok(await runGuard(ts, { policy: 'always' }, [order('c1', 'o3')]));
		ok(await runGuard(ts, { policy: 'always', activity: 'other' }, [order('c1', 'x1')]));
		// A skipped attempt is not an entry.
		ok(await runGuard(ts, { activity: 'other' }, [order('c1', 'x2')]));

		const all = ok(await runGuard(ts, { operation: 'history' }, [{}]));
		assert.deepEqual(all.outputItems('Guard').map((i) => i.json), [
			{ activity: WORKFLOW_ID, customerId: 'c1', entryKey: 'o3', enteredAt: '2026-03-02T10:00:00.000Z' },
			{ activity: WORKFLOW_ID, customerId: 'c1', entryKey: 'o1', enteredAt: T0 },
			{ activity: WORKFLOW_ID, customerId: 'c2', entryKey: 'o2', enteredAt: T0 },
		]);
		assert.deepEqual(paired(all.outputItems('Guard')), [{ item: 0 }, { item: 0 }, { item: 0 }]);

		const c2 = ok(await runGuard(ts, { operation: 'history', historyCustomerId: 'c2' }, [{}]));
		assert.deepEqual(c2.outputItems('Guard').map((i) => i.json.entryKey), ['o2']);
		const limited = ok(await runGuard(ts, { operation: 'history', limit: 1 }, [{}]));
		assert.deepEqual(limited.outputItems('Guard').map((i) => i.json.entryKey), ['o3']);
		const other = ok(await runGuard(ts, { operation: 'history', activity: 'other' }, [{}]));
		assert.deepEqual(other.outputItems('Guard').map((i) => i.json.entryKey), ['x1']);
	});

	it('history refuses a limit of 0 with the item index', async () => {
		const ts = newStore();
		const error = failure(await runGuard(ts, { operation: 'history', limit: 0 }, [{}]));
		assert.equal(error.itemIndex, 0);
		assert.match(error.message, /^limit:/);
	});
});
