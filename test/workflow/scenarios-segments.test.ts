/**
 * Scenarios 2 (Big spenders) and 4 (Kids' clothing buyers), templates/02-* and 04-*, as workflow
 * JSON run through the real n8n engine, and "Wait, then check": Purchase Check with "Only Orders
 * After the Event That Started This Execution". The store state is asserted afterwards.
 *
 * The Storefront Trigger is stood in for by the test-only Items Source (it emits the canonical
 * order events the trigger would, after the store has recorded them), and the Wait by a
 * Passthrough with the clock moved on: an in-process run cannot suspend an execution.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { IConnections, IDataObject, INode } from 'n8n-workflow';

import { ManualClock, systemClock } from '../../core/clock';
import type { CanonicalEvent } from '../../core/event';
import type { Store } from '../../core/store';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { setNodeClock } from '../../nodes/shared/store';
import { closeAllStores, storeFor, type StoreCredential } from '../../store/open';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { nodeTypesOf, runWorkflow } from '../helpers/workflow';
import { orderEvent, registerEvent } from '../store/contract';

const nodeTypes = nodeTypesOf(new ItemsSource(), new Passthrough(), new PurchaseCheck(), new CustomerSegment());
const dir = mkdtempSync(join(tmpdir(), 'scenarios-segments-'));
const credential = { type: 'sqlite', file: join(dir, 'store.sqlite') };
const storeCredential = { dialogueStoreApi: { id: 'store', name: 'Dialogue Store' } };
const clock = new ManualClock('2026-05-04T09:00:00Z');
let store: Store;

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** A workflow as n8n exports it (the part the engine reads). */
interface WorkflowJson {
	nodes: INode[];
	connections: IConnections;
}

/** The stand-in trigger node, emitting the given events. */
const triggerNode = (events: unknown[]): INode => ({
	id: 'trigger',
	name: 'Storefront Trigger',
	type: 'test.itemsSource',
	typeVersion: 1,
	position: [0, 0],
	parameters: { items: JSON.stringify(events) },
});

async function execute(workflow: WorkflowJson) {
	const result = await runWorkflow({ ...workflow, nodeTypes, credentials: { dialogueStoreApi: credential } });
	assert.equal(result.status, 'success', JSON.stringify(result.error));
	return result;
}

const ids = (items: Array<{ json: IDataObject }>) => items.map((item) => (item.json.customer as IDataObject).id);
const members = async (segment: string) => (await store.segmentMembers(segment, clock.now(), 1000, 0)).map((m) => m.customerId);

beforeAll(() => {
	setNodeClock(clock);
	store = storeFor(credential as StoreCredential);
});

afterAll(async () => {
	setNodeClock(systemClock);
	await closeAllStores();
	rmSync(dir, { recursive: true, force: true });
});

describe('Scenario 2: Big spenders', () => {
	/** Order placed -> Purchase Check (amount spent > 1000 EUR, all time) -> Yes -> Customer Segment: Add "Big spenders". */
	const bigSpenders = (events: unknown[]): WorkflowJson => ({
		nodes: [
			triggerNode(events),
			{
				id: 'check',
				name: 'Spent More Than 1000?',
				type: 'n8n-nodes-dialogue-activities.purchaseCheck',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					conditions: { condition: [{ kind: 'amountSpent', compare: 'gt', amount: '1000', currency: 'EUR' }] },
					window: 'all',
				},
				credentials: storeCredential,
			},
			{
				id: 'add',
				name: 'Add to Big Spenders',
				type: 'n8n-nodes-dialogue-activities.customerSegment',
				typeVersion: 1,
				position: [440, -100],
				parameters: {
					resource: 'membership',
					operation: 'add',
					segment: { __rl: true, mode: 'name', value: 'Big spenders' },
					membership: 'forever',
				},
				credentials: storeCredential,
			},
		],
		connections: {
			'Storefront Trigger': { main: [[{ node: 'Spent More Than 1000?', type: 'main', index: 0 }]] },
			'Spent More Than 1000?': { main: [[{ node: 'Add to Big Spenders', type: 'main', index: 0 }], []] },
		},
	});

	// Totals 999.99, 1000.00 and 1000.01, each reached by the order that triggers the run.
	const orders: CanonicalEvent[] = [
		orderEvent('s2-below', at('2026-04-01T10:00:00Z'), '500.00', { orderId: 's2-1' }),
		orderEvent('s2-below', at('2026-05-04T08:00:00Z'), '499.99', { orderId: 's2-2' }),
		orderEvent('s2-exact', at('2026-05-04T08:10:00Z'), '1000.00', { orderId: 's2-3' }),
		orderEvent('s2-above', at('2026-02-01T10:00:00Z'), '0.01', { orderId: 's2-4' }),
		orderEvent('s2-above', at('2026-03-01T10:00:00Z'), '400.00', { orderId: 's2-5' }),
		orderEvent('s2-above', at('2026-05-04T08:20:00Z'), '600.00', { orderId: 's2-6' }),
		// Another currency is not added to the EUR total.
		orderEvent('s2-above', at('2026-05-01T08:20:00Z'), '5000', { orderId: 's2-7', currency: 'USD' }),
	];
	const triggering = [orders[1], orders[2], orders[5]];

	it('adds only the customer who spent more than 1000', async () => {
		await store.recordEvents(orders, clock.now());
		const result = await execute(bigSpenders(triggering));

		assert.deepEqual(ids(result.outputItems('Spent More Than 1000?', 0)), ['s2-above']);
		assert.deepEqual(ids(result.outputItems('Spent More Than 1000?', 1)), ['s2-below', 's2-exact']);
		assert.deepEqual(
			result.outputItems('Spent More Than 1000?', 1).map((item) => (item.json.purchases as IDataObject).amounts),
			[{ EUR: '999.99' }, { EUR: '1000.00' }],
		);
		const added = result.outputItems('Add to Big Spenders');
		assert.equal(added.length, 1);
		assert.equal(added[0].json.id, orders[5].id, 'the triggering event goes on unchanged');
		assert.deepEqual((added[0].json.purchases as IDataObject).amounts, { EUR: '1000.01', USD: '5000.00' });
		assert.deepEqual(added[0].json.segment, { name: 'Big spenders', member: true, added: true, addedAt: '2026-05-04T09:00:00.000Z' });

		assert.deepEqual(await members('Big spenders'), ['s2-above']);
	});

	it('changes nothing when the same execution runs again (a retry)', async () => {
		clock.advance({ minutes: 1 });
		const result = await execute(bigSpenders(triggering));
		assert.deepEqual(result.outputItems('Add to Big Spenders').map((item) => (item.json.segment as IDataObject).added), [false]);
		assert.deepEqual(await members('Big spenders'), ['s2-above']);
		const [membership] = await store.segmentCheck('Big spenders', ['s2-above'], clock.now());
		assert.equal(membership?.addedAt, at('2026-05-04T09:00:00Z'));
	});
});

describe("Scenario 4: Kids' clothing buyers", () => {
	const SEGMENT = "Customers who buy children's clothing";
	const kidsClothing = (events: unknown[]): WorkflowJson => ({
		nodes: [
			triggerNode(events),
			{
				id: 'check',
				name: 'Bought Boys or Girls?',
				type: 'n8n-nodes-dialogue-activities.purchaseCheck',
				typeVersion: 1,
				position: [220, 0],
				parameters: { conditions: { condition: [{ kind: 'boughtCategories', categories: 'Boys, Girls' }] } },
				credentials: storeCredential,
			},
			{
				id: 'add',
				name: "Add to Children's Clothing Buyers",
				type: 'n8n-nodes-dialogue-activities.customerSegment',
				typeVersion: 1,
				position: [440, -100],
				parameters: { resource: 'membership', operation: 'add', segment: { __rl: true, mode: 'name', value: SEGMENT } },
				credentials: storeCredential,
			},
		],
		connections: {
			'Storefront Trigger': { main: [[{ node: 'Bought Boys or Girls?', type: 'main', index: 0 }]] },
			'Bought Boys or Girls?': { main: [[{ node: "Add to Children's Clothing Buyers", type: 'main', index: 0 }]] },
		},
	});

	it('adds customers whose history holds Boys or Girls, and nobody else', async () => {
		const orders: CanonicalEvent[] = [
			orderEvent('s4-boys', at('2026-05-04T08:00:00Z'), '39.90', { orderId: 's4-1', categories: ['Boys', 'Shoes'] }),
			orderEvent('s4-girls', at('2026-05-04T08:01:00Z'), '24.50', { orderId: 's4-2', categories: ['girls'] }),
			// Bought for children months ago; today's order is for an adult.
			orderEvent('s4-history', at('2025-12-01T10:00:00Z'), '19.00', { orderId: 's4-3', categories: ['Girls'] }),
			orderEvent('s4-history', at('2026-05-04T08:02:00Z'), '80.00', { orderId: 's4-4', categories: ['Men'] }),
			orderEvent('s4-other', at('2026-05-04T08:03:00Z'), '55.00', { orderId: 's4-5', categories: ['Men', 'Women', 'Boyswear', 'Baby'] }),
			// A cancelled order does not make a buyer.
			orderEvent('s4-cancelled', at('2026-05-04T08:04:00Z'), '30.00', { orderId: 's4-6', categories: ['Boys'], status: 'cancelled' }),
		];
		await store.recordEvents(orders, clock.now());
		const triggering = [orders[0], orders[1], orders[3], orders[4], orders[5]];
		const result = await execute(kidsClothing(triggering));

		assert.deepEqual(ids(result.outputItems('Bought Boys or Girls?', 0)), ['s4-boys', 's4-girls', 's4-history']);
		assert.deepEqual(ids(result.outputItems('Bought Boys or Girls?', 1)), ['s4-other', 's4-cancelled']);
		assert.deepEqual(
			result.outputItems('Bought Boys or Girls?', 0).map((item) => (item.json.purchases as { conditions: Array<{ matched: string[] }> }).conditions[0].matched),
			[['Boys'], ['girls'], ['Girls']],
		);
		assert.deepEqual(await members(SEGMENT), ['s4-boys', 's4-girls', 's4-history']);
		assert.ok((await store.listSegments()).some((s) => s.name === SEGMENT), 'created on first use');
	});
});

describe('Wait, then check: only orders after the event that started the execution', () => {
	const T0 = at('2026-06-01T12:00:00Z');
	/** Registered -> Wait 3 days (stand-in) -> Purchase Check (ordered since the event?) -> Ordered / Not ordered. */
	const waitThenCheck = (events: unknown[]): WorkflowJson => ({
		nodes: [
			triggerNode(events),
			{ id: 'wait', name: 'Wait 3 Days', type: 'test.passthrough', typeVersion: 1, position: [220, 0], parameters: {} },
			{
				id: 'check',
				name: 'Ordered Since?',
				type: 'n8n-nodes-dialogue-activities.purchaseCheck',
				typeVersion: 1,
				position: [440, 0],
				parameters: { conditions: { condition: [{ kind: 'orderCount', compare: 'gte', orders: 1 }] }, window: 'afterEvent' },
				credentials: storeCredential,
			},
			{ id: 'yes', name: 'Ordered', type: 'test.passthrough', typeVersion: 1, position: [660, -100], parameters: {} },
			{ id: 'no', name: 'Not Ordered', type: 'test.passthrough', typeVersion: 1, position: [660, 100], parameters: {} },
		],
		connections: {
			'Storefront Trigger': { main: [[{ node: 'Wait 3 Days', type: 'main', index: 0 }]] },
			'Wait 3 Days': { main: [[{ node: 'Ordered Since?', type: 'main', index: 0 }]] },
			'Ordered Since?': {
				main: [[{ node: 'Ordered', type: 'main', index: 0 }], [{ node: 'Not Ordered', type: 'main', index: 0 }]],
			},
		},
	});

	it('passes a customer who ordered after the event, not one who ordered only before it', async () => {
		const registered = (id: string) => registerEvent(id, T0);
		const ownOrder = orderEvent('w-own', T0, '25.00', { orderId: 'w-5' });
		await store.recordEvents(
			[
				registered('w-after'),
				registered('w-before'),
				registered('w-never'),
				orderEvent('w-after', T0 - 30 * DAY, '10.00', { orderId: 'w-1' }),
				orderEvent('w-after', T0 + DAY, '59.00', { orderId: 'w-2' }),
				orderEvent('w-before', T0 - 5 * DAY, '59.00', { orderId: 'w-3' }),
				orderEvent('w-before', T0 - 1, '12.00', { orderId: 'w-4' }),
				ownOrder,
			],
			T0,
		);
		clock.set(T0 + 3 * DAY); // the Wait is over
		const events = [registered('w-after'), registered('w-before'), registered('w-never'), ownOrder];
		const result = await execute(waitThenCheck(events));

		assert.deepEqual(ids(result.outputItems('Ordered')), ['w-after']);
		// The order that started the execution (w-own) is not an order "since" it.
		assert.deepEqual(ids(result.outputItems('Not Ordered')), ['w-before', 'w-never', 'w-own']);
		const after = result.outputItems('Ordered')[0].json.purchases as IDataObject;
		assert.deepEqual([after.count, after.amounts, after.window], [1, { EUR: '59.00' }, { from: '2026-06-01T12:00:00.001Z' }]);
		// The same customers checked over all time would all have ordered, but w-never.
		const allTime = waitThenCheck(events);
		allTime.nodes[2].parameters.window = 'all';
		const control = await execute(allTime);
		assert.deepEqual(ids(control.outputItems('Ordered')), ['w-after', 'w-before', 'w-own']);
	});
});
