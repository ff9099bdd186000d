/**
 * Customer Segment node through the real n8n engine (in-process harness): Items Source ->
 * Customer Segment, with a real SQLite store in a temp file selected by the Dialogue Store
 * credential. Every operation and option, both outputs of Check Membership, expiry, pagination,
 * continueOnFail, bad input (nothing written), and the segment dropdown (listSearch).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type { IDataObject, ILoadOptionsFunctions, INode, INodeExecutionData, INodeParameters, IWorkflowSettings, NodeOperationError } from 'n8n-workflow';

import { ManualClock, systemClock } from '../../core/clock';
import type { Store } from '../../core/store';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { PAGE_SIZE } from '../../nodes/CustomerSegment/actions/list.operation';
import { setNodeClock } from '../../nodes/shared/store';
import { closeAllStores, storeFor, type StoreCredential } from '../../store/open';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { connect, MapNodeTypes, nodeTypesOf, packageNodeType, runWorkflow, testNodeType } from '../helpers/workflow';
import { registerEvent } from '../store/contract';

const START = '2026-04-01T10:00:00.000Z';
const nodeTypes = nodeTypesOf(new ItemsSource(), new CustomerSegment());
const dir = mkdtempSync(join(tmpdir(), 'customer-segment-'));
const credential = { type: 'sqlite', file: join(dir, 'store.sqlite') };
const credentials = { dialogueStoreApi: credential };
const clock = new ManualClock(START);
let store: Store;

const customer = (id: string, extra: IDataObject = {}) => ({ customer: { id }, ...extra });
/** The segment field as the editor stores it: a resource locator value. */
const segment = (value: string, mode: 'list' | 'name' = 'list') => ({ __rl: true, mode, value });

interface Run {
	status: string;
	outputs: INodeExecutionData[][];
	error?: NodeOperationError;
	hints: Array<{ message: string }>;
}

async function run(parameters: INodeParameters, items: IDataObject[], node: Partial<INode> = {}, settings?: IWorkflowSettings): Promise<Run> {
	const result = await runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Segment', type: packageNodeType('customerSegment'), parameters, ...node },
		],
		connections: connect(['Source', 'Segment']),
		nodeTypes,
		credentials,
		settings,
	});
	const ran = result.ran('Segment');
	const ok = ran && result.status === 'success';
	return {
		status: result.status,
		outputs: ok ? [result.outputItems('Segment', 0), result.outputItems('Segment', 1), result.outputItems('Segment', 2)] : [[], [], []],
		error: ran ? (result.nodeError('Segment') as NodeOperationError | undefined) : undefined,
		hints: (ran ? (result.runData.Segment[0].hints ?? []) : []) as Array<{ message: string }>,
	};
}

async function ok(parameters: INodeParameters, items: IDataObject[], settings?: IWorkflowSettings): Promise<INodeExecutionData[][]> {
	const out = await run(parameters, items, {}, settings);
	assert.equal(out.status, 'success', out.error?.message);
	return out.outputs;
}

function assertInputError(out: Run, itemIndex: number, message: RegExp, description: RegExp) {
	assert.equal(out.status, 'error');
	assert.ok(out.error, 'the node failed');
	assert.match(out.error.message, message);
	assert.match(String(out.error.description), description);
	assert.equal(out.error.context.itemIndex, itemIndex);
}

const seg = (item: INodeExecutionData) => item.json.segment as IDataObject;
const members = async (name: string) => (await store.segmentMembers(name, clock.now(), 10_000, 0)).map((m) => m.customerId);
const segmentNames = async () => (await store.listSegments()).map((s) => s.name);

const check = (name: string) => ({ resource: 'membership', operation: 'check', segment: segment(name) });
const add = (name: string, extra: INodeParameters = {}) => ({ resource: 'membership', operation: 'add', segment: segment(name), ...extra });

beforeAll(async () => {
	setNodeClock(clock);
	store = storeFor(credential as StoreCredential);
	await store.recordEvents(
		[registerEvent('cs-ann', Date.parse('2026-01-01T00:00:00Z'), { firstName: 'Ann', phone: '+4915100000001', timezone: 'Europe/Berlin' })],
		Date.parse('2026-01-01T00:00:00Z'),
	);
});

afterAll(async () => {
	setNodeClock(systemClock);
	await closeAllStores();
	rmSync(dir, { recursive: true, force: true });
});

describe('Customer Segment: node description', () => {
	it('has In / Not in outputs for Check Membership and one output otherwise, and is usable as a tool', () => {
		const { description } = new CustomerSegment();
		assert.equal(description.name, 'customerSegment');
		assert.equal(description.usableAsTool, true);
		assert.match(String(description.outputs), /"operation"\] === "check" \? \[\{ "type": "main", "displayName": "In" \}, \{ "type": "main", "displayName": "Not in" \}\] : \[\{ "type": "main" \}\]/);
		const operations = description.properties.filter((p) => p.name === 'operation').flatMap((p) => (p.options ?? []).map((o) => (o as { value: string }).value));
		assert.deepEqual(operations, ['add', 'check', 'list', 'remove', 'create', 'delete', 'rename']);
		const locator = description.properties.find((p) => p.name === 'segment');
		assert.equal(locator?.type, 'resourceLocator');
		assert.deepEqual(locator?.modes?.map((m) => m.name), ['list', 'name']);
		const createIfMissing = description.properties.find((p) => p.name === 'createIfMissing');
		assert.equal(createIfMissing?.default, true);
	});

	it('shows the operation and the segment in the subtitle, and In / Not in only for Check Membership', () => {
		const node = new CustomerSegment();
		const editor = (parameters: INodeParameters) => {
			const values = NodeHelpers.getNodeParameters(node.description.properties, parameters, true, false, null, node.description) ?? {};
			const placed: INode = { id: '1', name: 'Segment', type: packageNodeType('customerSegment'), typeVersion: 1, position: [0, 0], parameters: values };
			const workflow = new Workflow({ nodes: [placed], connections: {}, active: false, nodeTypes: new MapNodeTypes(nodeTypesOf(node)) });
			const outputs = NodeHelpers.getNodeOutputs(workflow, placed, node.description).map((o) => (typeof o === 'string' ? o : (o.displayName ?? o.type)));
			return [workflow.expression.getSimpleParameterValue(placed, node.description.subtitle, 'internal', {}), outputs];
		};
		assert.deepEqual(editor({ segment: segment('VIP') }), ['Is in VIP', ['In', 'Not in']]);
		assert.deepEqual(editor({ operation: 'add', segment: segment('Big spenders', 'name') }), ['Add to Big spenders', ['main']]);
		assert.deepEqual(editor({ operation: 'list', segment: segment('VIP') }), ['Members of VIP', ['main']]);
		assert.deepEqual(editor({ resource: 'segment', operation: 'create', name: 'New' }), ['Create New', ['main']]);
		assert.deepEqual(editor({ resource: 'segment', operation: 'rename', segment: segment('Old') }), ['Rename Old', ['main']]);
	});

	it('lists existing segments with their member counts for the dropdown', async () => {
		await store.ensureSegments(['Dropdown A', 'Dropdown B'], clock.now());
		await store.segmentAdd('Dropdown B', [{ customerId: 'cs-x' }], clock.now());
		const ctx = {
			getNode: () => ({ credentials: { dialogueStoreApi: { id: '1', name: 'Store' } } }),
			getCredentials: async () => credential,
		} as unknown as ILoadOptionsFunctions;
		const found = await new CustomerSegment().methods.listSearch.searchSegments.call(ctx, 'dropdown');
		assert.deepEqual(found.results, [
			{ name: 'Dropdown A (0 members)', value: 'Dropdown A' },
			{ name: 'Dropdown B (1 member)', value: 'Dropdown B' },
		]);
	});
});

describe('Customer Segment: Add', () => {
	it('adds for ever, creating the segment when missing; adding again changes nothing', async () => {
		const [out] = await ok(add('Add forever'), [customer('cs-a1', { keep: 1 })]);
		assert.deepEqual(out[0].json, { customer: { id: 'cs-a1' }, keep: 1, segment: { name: 'Add forever', member: true, added: true, addedAt: START } });
		assert.deepEqual(out[0].pairedItem, { item: 0 });
		clock.advance({ minutes: 5 });
		const [again] = await ok(add('Add forever'), [customer('cs-a1')]);
		assert.deepEqual(seg(again[0]), { name: 'Add forever', member: true, added: false, addedAt: START });
		assert.deepEqual(await members('Add forever'), ['cs-a1']);
		clock.set(START);
	});

	it('adds until a date: ISO with an offset, or a picked date read in the workflow time zone', async () => {
		const [out] = await ok(add('Add until', { membership: 'until', until: '2026-05-01T00:00:00+02:00' }), [customer('cs-u1')]);
		assert.deepEqual(seg(out[0]), { name: 'Add until', member: true, added: true, addedAt: START, expiresAt: '2026-04-30T22:00:00.000Z' });
		const [picked] = await ok(add('Add until', { membership: 'until', until: '2026-05-01T00:00:00' }), [customer('cs-u2')], { timezone: 'America/New_York' });
		assert.equal(seg(picked[0]).expiresAt, '2026-05-01T04:00:00.000Z');
		const [expression] = await ok(add('Add until', { membership: 'until', until: '={{ $json.endsAt }}' }), [customer('cs-u3', { endsAt: '2026-06-01T00:00:00Z' })]);
		assert.equal(seg(expression[0]).expiresAt, '2026-06-01T00:00:00.000Z');
	});

	it('adds for a duration: exact hours, calendar months', async () => {
		const [hours] = await ok(add('Add for', { membership: 'for', durationAmount: 36, durationUnit: 'hours' }), [customer('cs-f1')]);
		assert.equal(seg(hours[0]).expiresAt, '2026-04-02T22:00:00.000Z');
		clock.set('2026-01-31T10:00:00Z');
		const [months] = await ok(add('Add for', { membership: 'for', durationAmount: 1, durationUnit: 'months' }), [customer('cs-f2')]);
		assert.equal(seg(months[0]).expiresAt, '2026-02-28T10:00:00.000Z');
		clock.set(START);
	});

	it('counts an expired membership as not in, and adding again starts a new one', async () => {
		await ok(add('Expiring', { membership: 'for', durationAmount: 1, durationUnit: 'days' }), [customer('cs-e1')]);
		assert.equal((await ok(check('Expiring'), [customer('cs-e1')]))[0].length, 1);
		clock.advance({ days: 1 });
		const [inSegment, notIn] = await ok(check('Expiring'), [customer('cs-e1')]);
		assert.deepEqual([inSegment.length, notIn.length], [0, 1]);
		assert.deepEqual(seg(notIn[0]), { name: 'Expiring', member: false });
		const [renewed] = await ok(add('Expiring'), [customer('cs-e1')]);
		assert.deepEqual(seg(renewed[0]), { name: 'Expiring', member: true, added: true, addedAt: '2026-04-02T10:00:00.000Z' });
		clock.set(START);
	});

	it('adds a batch with one store call per segment', async () => {
		const original = store.segmentAdd.bind(store);
		const calls: Array<[string, number]> = [];
		store.segmentAdd = async (name, adds, now) => {
			calls.push([name, adds.length]);
			return original(name, adds, now);
		};
		try {
			const items = [customer('cs-b1', { s: 'Batch A' }), customer('cs-b2', { s: 'Batch B' }), customer('cs-b3', { s: 'Batch A' })];
			const [out] = await ok(add('', { segment: segment('={{ $json.s }}', 'name') }), items);
			assert.deepEqual(out.map((item) => [seg(item).name, item.pairedItem]), [
				['Batch A', { item: 0 }],
				['Batch B', { item: 1 }],
				['Batch A', { item: 2 }],
			]);
		} finally {
			store.segmentAdd = original;
		}
		assert.deepEqual(calls, [
			['Batch A', 2],
			['Batch B', 1],
		]);
	});

	it('with Create Segment If Missing off, fails on a missing segment and writes nothing', async () => {
		await store.ensureSegments(['Exists'], clock.now());
		const out = await run(add('', { segment: segment('={{ $json.s }}', 'name'), createIfMissing: false }), [
			customer('cs-n1', { s: 'Exists' }),
			customer('cs-n2', { s: 'Not there' }),
		]);
		assertInputError(out, 1, /^Segment "Not there" does not exist in this store/, /Create If Missing/);
		assert.deepEqual(await members('Exists'), []);
		assert.ok(!(await segmentNames()).includes('Not there'));
	});

	it('refuses bad input before writing anything', async () => {
		const bad = async (parameters: INodeParameters, items: IDataObject[], itemIndex: number, message: RegExp, description: RegExp) => {
			assertInputError(await run(add('Never written', parameters), items), itemIndex, message, description);
			assert.ok(!(await segmentNames()).includes('Never written'), 'the segment was not created');
		};
		await bad({}, [customer('cs-x1'), { nobody: true }], 1, /^Customer ID: is empty/, /\{\{ \$json\.customer\.id \}\}/);
		await bad({ membership: 'until', until: 'next week' }, [customer('cs-x1')], 0, /^Until: "next week" is not a date and time/, /ISO 8601/);
		await bad({ membership: 'until', until: '2026-03-01T00:00:00Z' }, [customer('cs-x1')], 0, /^Until: the membership would end at 2026-03-01T00:00:00.000Z, which is not in the future/, /later date/);
		await bad({ membership: 'for', durationAmount: '={{ -2 }}', durationUnit: 'days' }, [customer('cs-x1')], 0, /^Duration: "-2" is not a whole number of 0 or more/, /whole number/);
		await bad({ membership: 'for', durationAmount: 0, durationUnit: 'days' }, [customer('cs-x1')], 0, /^Duration: the membership would end at/, /longer duration/);
		await bad({ membership: 'for', durationAmount: 2, durationUnit: '={{ "fortnights" }}' }, [customer('cs-x1')], 0, /^Duration Unit: "fortnights"/, /Pick one of the units/);
		// An empty literal is stopped by n8n itself (required parameter); an expression can still give nothing.
		assertInputError(await run(add('={{ $json.segmentName }}'), [customer('cs-x1')]), 0, /^Segment: is empty/, /Pick a segment from the list or type its name/);
	});

	it('under continueOnFail, puts an error item on the output, paired, and adds the rest', async () => {
		const out = await run(add('Partly'), [customer('cs-p1'), { nobody: true }, customer('cs-p2')], { onError: 'continueRegularOutput' });
		assert.equal(out.status, 'success');
		assert.deepEqual(out.outputs[0][0], { json: { error: 'Customer ID: is empty' }, pairedItem: { item: 1 } });
		assert.deepEqual(out.outputs[0].slice(1).map((item) => item.pairedItem), [{ item: 0 }, { item: 2 }]);
		assert.deepEqual(await members('Partly'), ['cs-p1', 'cs-p2']);
	});

	it('names the store in a hint for a customer it has never seen', async () => {
		const out = await run(add('Hinted'), [customer('cs-ann'), customer('cs-stranger')]);
		assert.equal(out.hints.length, 1);
		assert.match(out.hints[0].message, /\(cs-stranger\) are not in the store this node used: SQLite/);
	});
});

describe('Customer Segment: Check Membership', () => {
	beforeAll(async () => {
		await store.ensureSegments(['VIP'], clock.now());
		await store.segmentAdd('VIP', [{ customerId: 'cs-ann' }, { customerId: 'cs-c2', until: Date.parse('2026-05-01T00:00:00Z') }], clock.now());
	});

	it('sends members to In and others to Not in, with the membership, paired', async () => {
		const [inSegment, notIn] = await ok(check('VIP'), [customer('cs-ann'), customer('cs-out'), customer('cs-c2', { n: 1 })]);
		assert.deepEqual(
			inSegment.map((item) => [item.json, item.pairedItem]),
			[
				[{ customer: { id: 'cs-ann' }, segment: { name: 'VIP', member: true, addedAt: START } }, { item: 0 }],
				[{ customer: { id: 'cs-c2' }, n: 1, segment: { name: 'VIP', member: true, addedAt: START, expiresAt: '2026-05-01T00:00:00.000Z' } }, { item: 2 }],
			],
		);
		assert.deepEqual(notIn.map((item) => [item.json, item.pairedItem]), [[{ customer: { id: 'cs-out' }, segment: { name: 'VIP', member: false } }, { item: 1 }]]);
	});

	it('finds the segment by name as well as from the list', async () => {
		const [inSegment] = await ok({ ...check('VIP'), segment: segment('VIP', 'name') }, [customer('cs-ann')]);
		assert.equal(inSegment.length, 1);
	});

	it('fails on an unknown segment, naming the item and what to change', async () => {
		assertInputError(await run(check('Nope'), [customer('cs-ann')]), 0, /^Segment "Nope" does not exist in this store/, /Pick a segment from the list/);
	});

	it('under continueOnFail, puts error items on the Not in output in input order, paired', async () => {
		const items = [customer('cs-ann', { s: 'VIP' }), customer('cs-ann', { s: 'Nope' }), customer('cs-nobody', { s: 'VIP' })];
		const out = await run({ ...check(''), segment: segment('={{ $json.s }}', 'name') }, items, { onError: 'continueRegularOutput' });
		assert.equal(out.status, 'success');
		const named = (items: INodeExecutionData[]) => items.map((item) => [item.json.error ?? seg(item).name, item.pairedItem]);
		assert.deepEqual(named(out.outputs[0]), [['VIP', { item: 0 }]]);
		assert.deepEqual(named(out.outputs[1]), [
			['Segment "Nope" does not exist in this store', { item: 1 }],
			['VIP', { item: 2 }],
		]);
	});

	it('under continue using error output, puts error items on the Error output only', async () => {
		const items = [customer('cs-ann', { s: 'VIP' }), customer('cs-ann', { s: 'Nope' }), customer('cs-nobody', { s: 'VIP' })];
		const out = await run({ ...check(''), segment: segment('={{ $json.s }}', 'name') }, items, { onError: 'continueErrorOutput' });
		assert.equal(out.status, 'success');
		assert.deepEqual(out.outputs[0].map((item) => item.pairedItem), [{ item: 0 }]);
		assert.deepEqual(out.outputs[1].map((item) => item.pairedItem), [{ item: 2 }]);
		assert.deepEqual(out.outputs[2].map((item) => [item.json.error, item.json.s, item.pairedItem]), [
			['Segment "Nope" does not exist in this store', 'Nope', { item: 1 }],
		]);
	});
});

describe('Customer Segment: Remove', () => {
	it('removes members (removed false for non-members) and leaves them Not in', async () => {
		await store.ensureSegments(['Leaving'], clock.now());
		await store.segmentAdd('Leaving', [{ customerId: 'cs-r1' }, { customerId: 'cs-r2' }], clock.now());
		const [out] = await ok({ resource: 'membership', operation: 'remove', segment: segment('Leaving') }, [customer('cs-r1'), customer('cs-r9')]);
		assert.deepEqual(out.map((item) => [seg(item), item.pairedItem]), [
			[{ name: 'Leaving', member: false, removed: true }, { item: 0 }],
			[{ name: 'Leaving', member: false, removed: false }, { item: 1 }],
		]);
		assert.deepEqual(await members('Leaving'), ['cs-r2']);
		const [, notIn] = await ok(check('Leaving'), [customer('cs-r1')]);
		assert.equal(notIn.length, 1);
	});

	it('fails on an unknown segment and on a missing customer ID', async () => {
		const remove = { resource: 'membership', operation: 'remove', segment: segment('Gone') };
		assertInputError(await run(remove, [customer('cs-r1')]), 0, /^Segment "Gone" does not exist/, /Pick a segment/);
		assertInputError(await run({ ...remove, segment: segment('Leaving') }, [{}]), 0, /^Customer ID: is empty/, /Map the customer ID/);
		assert.deepEqual(await members('Leaving'), ['cs-r2']);
	});
});

describe('Customer Segment: List Members', () => {
	const list = (name: string, extra: INodeParameters = {}) => ({ resource: 'membership', operation: 'list', segment: segment(name), ...extra });

	beforeAll(async () => {
		await store.ensureSegments(['Listed', 'Large'], clock.now());
		await store.segmentAdd(
			'Listed',
			[
				{ customerId: 'cs-ann' },
				{ customerId: 'cs-l2', until: Date.parse('2026-04-01T10:30:00Z') },
				{ customerId: 'cs-l3' },
				{ customerId: 'cs-l4', until: Date.parse('2026-04-01T11:00:00Z') },
			],
			clock.now(),
		);
		const many = Array.from({ length: PAGE_SIZE * 2 + 3 }, (_, i) => ({ customerId: `cs-m${String(i).padStart(5, '0')}` }));
		await store.segmentAdd('Large', many, clock.now());
	});

	it('emits one item per current member with its profile, paired with the asking item', async () => {
		clock.set('2026-04-01T10:31:00Z'); // cs-l2's membership has ended, cs-l4's has not
		const [out] = await ok(list('Listed'), [{ run: 1 }]);
		clock.set(START);
		assert.deepEqual(
			out.map((item) => item.json),
			[
				{
					customer: { id: 'cs-ann', email: 'cs-ann@example.com', phone: '+4915100000001', firstName: 'Ann', timezone: 'Europe/Berlin', registeredAt: '2026-01-01T00:00:00.000Z' },
					segment: { name: 'Listed', member: true, addedAt: START },
				},
				{ customer: { id: 'cs-l3' }, segment: { name: 'Listed', member: true, addedAt: START } },
				{ customer: { id: 'cs-l4' }, segment: { name: 'Listed', member: true, addedAt: START, expiresAt: '2026-04-01T11:00:00.000Z' } },
			],
		);
		assert.deepEqual(out.map((item) => item.pairedItem), [{ item: 0 }, { item: 0 }, { item: 0 }]);
	});

	it('leaves the profile out when asked', async () => {
		const [out] = await ok(list('Listed', { includeProfile: false, limit: 1 }), [{}]);
		assert.deepEqual(out[0].json.customer, { id: 'cs-ann' });
	});

	it('pages with Limit and Offset, ordered by customer ID', async () => {
		const ids = async (limit: number, offset: number) => (await ok(list('Large', { limit, offset, includeProfile: false }), [{}]))[0].map((item) => (item.json.customer as IDataObject).id);
		assert.deepEqual(await ids(3, 0), ['cs-m00000', 'cs-m00001', 'cs-m00002']);
		assert.deepEqual(await ids(2, 998), ['cs-m00998', 'cs-m00999']);
		assert.deepEqual(await ids(5, PAGE_SIZE * 2 + 1), ['cs-m01001', 'cs-m01002']);
		assert.deepEqual(await ids(5, PAGE_SIZE * 2 + 3), []);
		assert.equal((await ids(50, 0)).length, 50);
	});

	it('returns all members across pages', async () => {
		const calls: number[] = [];
		const original = store.segmentMembers.bind(store);
		store.segmentMembers = async (name, now, limit, offset) => {
			calls.push(offset);
			return original(name, now, limit, offset);
		};
		let out: INodeExecutionData[];
		try {
			[out] = await ok(list('Large', { returnAll: true, includeProfile: false }), [{}]);
		} finally {
			store.segmentMembers = original;
		}
		assert.equal(out.length, PAGE_SIZE * 2 + 3);
		assert.equal(new Set(out.map((item) => (item.json.customer as IDataObject).id)).size, PAGE_SIZE * 2 + 3);
		assert.deepEqual(calls, [0, PAGE_SIZE, PAGE_SIZE * 2]);
	});

	it('lists once per input item, and fails on an unknown segment or a bad limit', async () => {
		const [twice] = await ok(list('Listed', { includeProfile: false }), [{ a: 1 }, { b: 2 }]);
		assert.deepEqual(twice.map((item) => item.pairedItem), [0, 0, 0, 0, 1, 1, 1, 1].map((item) => ({ item })));
		assertInputError(await run(list('Missing'), [{}]), 0, /^Segment "Missing" does not exist/, /Pick a segment/);
		assertInputError(await run(list('Listed', { limit: '={{ 0 }}' }), [{}]), 0, /^Limit: "0" is not a whole number from 1 to 10000/, /Return All/);
		assertInputError(await run(list('Listed', { offset: '={{ -1 }}' }), [{}]), 0, /^Offset: "-1" is not a whole number/, /how many members to skip/);
	});
});

describe('Customer Segment: Create, Rename, Delete', () => {
	const create = (name: string) => ({ resource: 'segment', operation: 'create', name });

	it('creates a segment, and leaves an existing one as it is', async () => {
		const [out] = await ok(create('Created'), [{ a: 1 }]);
		assert.deepEqual(out[0], { json: { a: 1, segment: { name: 'Created', created: true, createdAt: START, members: 0 } }, pairedItem: { item: 0 } });
		clock.advance({ hours: 1 });
		await store.segmentAdd('Created', [{ customerId: 'cs-k1' }], clock.now());
		const [again] = await ok(create('Created'), [{}, {}]);
		assert.deepEqual(again.map(seg), [
			{ name: 'Created', created: false, createdAt: START, members: 1 },
			{ name: 'Created', created: false, createdAt: START, members: 1 },
		]);
		clock.set(START);
	});

	it('says created only for the item that created the segment, also at the same instant', async () => {
		const [out] = await ok(create('Same instant'), [{}, {}]);
		assert.deepEqual(out.map((item) => seg(item).created), [true, false]);
		const [again] = await ok(create('Same instant'), [{}]);
		assert.deepEqual(again.map(seg), [{ name: 'Same instant', created: false, createdAt: START, members: 0 }]);
	});

	it('refuses an empty name', async () => {
		assertInputError(await run(create('={{ $json.name }}'), [{}]), 0, /^Name: is empty/, /type its name/);
		assertInputError(await run(create('  '), [{}]), 0, /^Name: /, /type its name/);
	});

	it('renames a segment, keeping its members', async () => {
		await store.ensureSegments(['Old name'], clock.now());
		await store.segmentAdd('Old name', [{ customerId: 'cs-n1' }], clock.now());
		const [out] = await ok({ resource: 'segment', operation: 'rename', segment: segment('Old name'), newName: 'New name' }, [{}]);
		assert.deepEqual(seg(out[0]), { name: 'New name', previousName: 'Old name', members: 1 });
		assert.deepEqual(await members('New name'), ['cs-n1']);
		assert.ok(!(await segmentNames()).includes('Old name'));
	});

	it('refuses to rename onto an existing name, an unknown segment, or to an empty name', async () => {
		await store.ensureSegments(['Taken', 'Mine'], clock.now());
		const rename = (from: string, newName: string) => ({ resource: 'segment', operation: 'rename', segment: segment(from), newName });
		assertInputError(await run(rename('Mine', 'Taken'), [{}]), 0, /^New Name: a segment named "Taken" already exists/, /Choose another name/);
		assertInputError(await run(rename('Unknown', 'Other'), [{}]), 0, /^Segment "Unknown" does not exist/, /Pick a segment/);
		assertInputError(await run(rename('Mine', '={{ "" }}'), [{}]), 0, /^New Name: is empty/, /type its name/);
		assert.ok((await segmentNames()).includes('Mine'));
	});

	it('deletes a segment with its memberships, once per name in a batch', async () => {
		await store.ensureSegments(['Doomed'], clock.now());
		await store.segmentAdd('Doomed', [{ customerId: 'cs-d1' }, { customerId: 'cs-d2' }], clock.now());
		const [out] = await ok({ resource: 'segment', operation: 'delete', segment: segment('Doomed') }, [{ a: 1 }, { a: 2 }]);
		assert.deepEqual(out.map((item) => [item.json, item.pairedItem]), [
			[{ a: 1, segment: { name: 'Doomed', deleted: true, removedMembers: 2 } }, { item: 0 }],
			[{ a: 2, segment: { name: 'Doomed', deleted: true, removedMembers: 2 } }, { item: 1 }],
		]);
		assert.ok(!(await segmentNames()).includes('Doomed'));
		assertInputError(await run(check('Doomed'), [customer('cs-d1')]), 0, /does not exist/, /Pick a segment/);
	});

	it('fails to delete an unknown segment; under continueOnFail, an error item', async () => {
		const remove = { resource: 'segment', operation: 'delete', segment: segment('Never was') };
		assertInputError(await run(remove, [{}]), 0, /^Segment "Never was" does not exist/, /Pick a segment/);
		const out = await run(remove, [{}], { onError: 'continueRegularOutput' });
		assert.deepEqual(out.outputs[0], [{ json: { error: 'Segment "Never was" does not exist in this store' }, pairedItem: { item: 0 } }]);
	});
});
