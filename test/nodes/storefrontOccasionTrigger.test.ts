/**
 * Storefront Occasion Trigger node: poll() with n8n-core's real PollContext (parameters with their
 * defaults, the workflow's time zone and node static data as n8n gives them), over a real SQLite
 * store in a temp file selected by the Dialogue Store credential. Time is pinned with the node
 * clock. Also once through the in-process engine, as the editor's "Fetch Test Event" runs it.
 */
import '../helpers/n8n-env';

import assert from 'node:assert/strict';
import { beforeEach, describe, it } from '@jest/globals';
import { PollContext } from 'n8n-core';
import { Workflow, type ICredentialDataDecryptedObject, type IDataObject, type INode, type INodeParameters, type IWorkflowExecuteAdditionalData, type WorkflowExecuteMode } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import type { CanonicalEvent } from '../../core/event';
import { StorefrontOccasionTrigger } from '../../nodes/StorefrontOccasionTrigger/StorefrontOccasionTrigger.node';
import type { StoreCredential } from '../../store/open';
import { sqliteTestStores } from '../helpers/stores';
import { storeCalls } from '../helpers/storeCalls';
import { MapNodeTypes, nodeTypesOf, packageNodeType, runWorkflow, TestCredentialsHelper } from '../helpers/workflow';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = '2026-03-02T09:00:00.000Z';
const clock = new ManualClock(T0);
const trigger = new StorefrontOccasionTrigger();
const nodeTypes = nodeTypesOf(trigger);
const TYPE = packageNodeType('storefrontOccasionTrigger');

const newStore = sqliteTestStores('occasion-node', clock);
beforeEach(() => clock.set(T0));

interface Poller {
	poll(mode?: WorkflowExecuteMode): Promise<IDataObject[] | null>;
	/** The node static data n8n would persist for this workflow. */
	staticData(): IDataObject;
}

/**
 * One active workflow holding the trigger: n8n keeps its Workflow object (and so the node's static
 * data) for as long as the workflow is active; `restartFrom` starts from saved static data.
 */
function activeWorkflow(
	credential: StoreCredential,
	parameters: INodeParameters,
	{ workflowId = 'wf-occasions', nodeName = 'Occasions', timezone = 'UTC', restartFrom }: { workflowId?: string; nodeName?: string; timezone?: string; restartFrom?: IDataObject } = {},
): Poller {
	const node: INode = {
		// Consumers are workflow id + node id; another node is another id.
		id: `node-${nodeName}`,
		name: nodeName,
		type: TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { dialogueStoreApi: { id: 'store', name: 'Store' } },
	};
	const workflow = new Workflow({
		id: workflowId,
		name: 'Occasions',
		nodes: [node],
		connections: {},
		nodeTypes: new MapNodeTypes(nodeTypes),
		staticData: structuredClone(restartFrom ?? {}),
		settings: { timezone },
		active: true,
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({ dialogueStoreApi: credential as unknown as ICredentialDataDecryptedObject }),
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	return {
		async poll(mode: WorkflowExecuteMode = 'trigger') {
			const context = new PollContext(workflow, workflow.getNode(nodeName)!, additionalData, mode, mode === 'manual' ? 'manual' : 'activate');
			const result = await trigger.poll.call(context);
			if (result === null) return null;
			assert.equal(result.length, 1, 'one output');
			return result[0].map((item) => item.json);
		},
		staticData: () => JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}

const ids = (items: IDataObject[] | null) => (items ?? []).map((item) => item.id as string);

function cart(customerId: string, cartId: string, at: number): CanonicalEvent {
	return {
		id: `cart:${cartId}:${at}`,
		type: 'cart.updated',
		occurredAt: new Date(at).toISOString(),
		source: 'generic',
		customer: { id: customerId, email: `${customerId}@example.com`, firstName: 'Ada' },
		cart: {
			id: cartId,
			total: '59.90',
			currency: 'EUR',
			recoveryUrl: `https://shop.example/cart/${cartId}`,
			lines: [{ productId: 'sock', name: 'Wool socks', categories: ['Socks'], quantity: 2, price: '29.95' }],
		},
	};
}

function registered(id: string, at: number, extra: Partial<CanonicalEvent['customer']> = {}): CanonicalEvent {
	return { id: `reg:${id}`, type: 'customer.registered', occurredAt: new Date(at).toISOString(), source: 'generic', customer: { id, email: `${id}@example.com`, ...extra } };
}

const CART_3_DAYS: INodeParameters = { occasion: 'cart.abandoned', abandonedAfter: 3, abandonedAfterUnit: 'days' };

describe('Storefront Occasion Trigger node', () => {
	it('is a polling trigger, not a tool', () => {
		assert.equal(trigger.description.polling, true);
		assert.deepEqual(trigger.description.inputs, []);
		assert.equal(trigger.description.usableAsTool, undefined);
		assert.equal(trigger.description.name, 'storefrontOccasionTrigger');
	});

	it('polled twice: each occasion starts the workflow once; the item is the canonical occasion event', async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents([cart('ann', 'k1', now - 4 * DAY), cart('bob', 'k2', now - HOUR)], now);
		const poller = activeWorkflow(credential, { ...CART_3_DAYS, emitAlreadyDue: true });
		const first = await poller.poll();
		assert.deepEqual(ids(first), ['occasion:cart.abandoned:ann:k1:1']);
		const [item] = first!;
		assert.equal(item.type, 'cart.abandoned');
		assert.equal(item.occurredAt, T0);
		assert.deepEqual(item.customer, { id: 'ann', email: 'ann@example.com', firstName: 'Ada' });
		assert.deepEqual(item.cart, {
			id: 'k1',
			total: '59.90',
			currency: 'EUR',
			lines: [{ productId: 'sock', name: 'Wool socks', categories: ['Socks'], quantity: 2, price: '29.95' }],
			recoveryUrl: 'https://shop.example/cart/k1',
		});
		assert.equal((item.occasion as IDataObject).dueAt, new Date(now - DAY).toISOString());
		assert.equal(await poller.poll(), null, 'polled again at once: nothing');
		clock.advance(3 * DAY);
		assert.deepEqual(ids(await poller.poll()), ['occasion:cart.abandoned:bob:k2:1'], 'bob\'s cart when its 3 days are up');
		clock.advance(DAY);
		assert.equal(await poller.poll(), null);
	});

	it('first activation does not flood: occasions already due are skipped, new ones come, also after a restart', async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents(
			Array.from({ length: 50 }, (_, i) => cart(`old${i}`, `old-${i}`, now - 30 * DAY + i * HOUR)),
			now,
		);
		const poller = activeWorkflow(credential, CART_3_DAYS);
		assert.equal(await poller.poll(), null, 'a month of abandoned carts is not sent at activation');
		const saved = poller.staticData();
		assert.deepEqual((saved['node:Occasions'] as IDataObject).activation, { kind: 'cart.abandoned', at: Date.parse(T0) });

		await store.recordEvents([cart('new', 'fresh', now + HOUR)], now + HOUR);
		clock.advance(3 * DAY + 2 * HOUR);
		assert.deepEqual(ids(await poller.poll()), ['occasion:cart.abandoned:new:fresh:1']);

		// n8n restarts with the saved static data: still no flood.
		const restarted = activeWorkflow(credential, CART_3_DAYS, { restartFrom: poller.staticData() });
		clock.advance(DAY);
		assert.equal(await restarted.poll(), null);

		// Switched to "emit already due": the backlog comes, Max Occasions per Poll at a time, oldest first.
		const backlog = activeWorkflow(credential, { ...CART_3_DAYS, emitAlreadyDue: true, maxPerPoll: 20 }, { restartFrom: poller.staticData() });
		const batches = [await backlog.poll(), await backlog.poll(), await backlog.poll(), await backlog.poll()];
		assert.deepEqual(
			batches.map((b) => b?.length ?? 0),
			[20, 20, 10, 0],
		);
		assert.equal(ids(batches[0])[0], 'occasion:cart.abandoned:old0:old-0:1');
	});

	it('off by default, what the store learns of after activation comes even when it was due before (a late delivery); the static data keeps how far it has read', async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents([cart('known', 'k-known', now - 10 * DAY)], now - DAY);
		const poller = activeWorkflow(credential, CART_3_DAYS);
		const state = (p = poller) => p.staticData()['node:Occasions'] as IDataObject;
		assert.equal(await poller.poll(), null, 'due and known at activation: not emitted');

		clock.advance(HOUR);
		await store.recordEvents([cart('late', 'k-late', now - 10 * DAY)], clock.now()); // updated 10 days ago, recorded now
		clock.advance(HOUR);
		assert.deepEqual(ids(await poller.poll()), ['occasion:cart.abandoned:late:k-late:1']);
		assert.equal(state().known, now + 2 * HOUR, 'the mark advances');
		clock.advance(HOUR);
		assert.equal(await poller.poll(), null, 'once');
		assert.equal(state().known, now + 3 * HOUR);

		// n8n restarts with the saved static data: the mark and the activation are kept.
		const restarted = activeWorkflow(credential, CART_3_DAYS, { restartFrom: poller.staticData() });
		await store.recordEvents([cart('later', 'k-later', now - 5 * DAY)], clock.now());
		clock.advance(HOUR);
		assert.deepEqual(ids(await restarted.poll()), ['occasion:cart.abandoned:later:k-later:1']);
		assert.deepEqual(state(restarted), { activation: { kind: 'cart.abandoned', at: now }, known: now + 4 * HOUR });

		// Another occasion starts over: a new activation, and its own mark.
		const lapsed = activeWorkflow(credential, { occasion: 'customer.lapsed', lapsedAfter: 90, lapsedAfterUnit: 'days' }, { restartFrom: restarted.staticData() });
		assert.equal(await lapsed.poll(), null);
		assert.deepEqual(state(lapsed), { activation: { kind: 'customer.lapsed', at: now + 4 * HOUR }, known: now + 4 * HOUR });
	});

	it('the start guarantee, at most once: occasions are claimed before n8n gets them; that window is measured, and an occasion lost in it never comes again', async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents([cart('ann', 'k1', now - 4 * DAY), cart('bob', 'k2', now - 5 * DAY)], now);
		// Nothing of the store comes after the claims: the window between their commit and n8n
		// getting the items is this node's own synchronous work.
		const calls = storeCalls(store);
		let committedAt = 0n;
		const claim = store.claimOccasions.bind(store);
		store.claimOccasions = async (claims, at) => {
			const won = await claim(claims, at);
			committedAt = process.hrtime.bigint();
			return won;
		};
		const poller = activeWorkflow(credential, { ...CART_3_DAYS, emitAlreadyDue: true });
		const items = await poller.poll();
		const handedOver = process.hrtime.bigint();
		assert.equal(items?.length, 2);
		assert.ok(committedAt > 0n && committedAt <= handedOver, 'the claims were committed before poll() returned the items');
		assert.equal(calls.at(-1), 'claimOccasions', `the claims are the last store call before the items go to n8n (calls: ${calls.join(', ')})`);
		console.log(`claims committed -> items handed to n8n: ${(Number(handedOver - committedAt) / 1e6).toFixed(3)} ms`);
		// n8n stops before it saves the execution (the items above are dropped): the next poll does not offer them again.
		clock.advance(HOUR);
		assert.equal(await poller.poll(), null);
	});

	it('two pollers of the same workflow at once (two n8n instances, an overlapping poll): each occasion once', async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents(
			Array.from({ length: 80 }, (_, i) => cart(`c${i}`, `k${i}`, now - 4 * DAY - i * 1000)),
			now,
		);
		const parameters = { ...CART_3_DAYS, emitAlreadyDue: true, maxPerPoll: 200 };
		const a = activeWorkflow(credential, parameters);
		const b = activeWorkflow(credential, parameters);
		const [fromA, fromB] = await Promise.all([a.poll(), b.poll()]);
		const all = [...ids(fromA), ...ids(fromB)];
		assert.equal(all.length, 80);
		assert.equal(new Set(all).size, 80);
		assert.deepEqual(await Promise.all([a.poll(), b.poll()]), [null, null]);
		// Another workflow (or another trigger node) is another consumer: it gets every occasion too.
		const other = activeWorkflow(credential, parameters, { workflowId: 'wf-other' });
		assert.equal((await other.poll())?.length, 80);
	});

	it("the editor's test run shows a sample of what is due and claims nothing", async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents(
			Array.from({ length: 15 }, (_, i) => cart(`m${i}`, `mk${i}`, now - 5 * DAY + i * 1000)),
			now,
		);
		const poller = activeWorkflow(credential, CART_3_DAYS);
		const sample = await poller.poll('manual');
		assert.equal(sample?.length, 10, 'a sample of at most 10');
		assert.equal((await poller.poll('manual'))?.length, 10, 'again: nothing was claimed');
		assert.deepEqual(poller.staticData(), {}, 'and the activation time was not set');
		// Active with "emit already due": all 15 come, none lost to the test runs.
		const active = activeWorkflow(credential, { ...CART_3_DAYS, emitAlreadyDue: true });
		assert.equal((await active.poll())?.length, 15);
		await assert.rejects(poller.poll('manual'), (error: Error) => {
			assert.match(error.message, /No occasion of this kind is due right now/);
			assert.match((error as Error & { description?: string }).description ?? '', /Storefront Ledger/);
			return true;
		});
	});

	it("birthdays at midnight in the customer's zone, else the workflow's, else the zone set on the node", async () => {
		const { store, credential } = newStore();
		const T = Date.parse('2026-01-01T00:00:00Z');
		await store.recordEvents(
			[registered('tokyo', T, { birthday: '--03-10' }), registered('ny', T, { birthday: '1990-03-10', timezone: 'America/New_York' })],
			T,
		);
		clock.set('2026-03-09T14:00:00Z');
		const workflowZone = activeWorkflow(credential, { occasion: 'customer.birthday', emitAlreadyDue: true }, { timezone: 'Asia/Tokyo' });
		assert.equal(await workflowZone.poll(), null);
		clock.set('2026-03-09T15:00:00Z'); // midnight in Tokyo
		assert.deepEqual(ids(await workflowZone.poll()), ['occasion:customer.birthday:tokyo:2026']);
		clock.set('2026-03-10T03:00:00Z');
		assert.equal(await workflowZone.poll(), null, 'still 9 March in New York');
		clock.set('2026-03-10T04:00:00Z'); // midnight in New York, on daylight-saving time since 8 March
		const [ny] = (await workflowZone.poll())!;
		assert.equal(ny.id, 'occasion:customer.birthday:ny:2026');
		assert.deepEqual((ny.occasion as IDataObject).birthday, { date: '2026-03-10', daysBefore: 0, timezone: 'America/New_York' });

		// A week before, in the zone set on the node (the workflow's is UTC), another trigger node.
		clock.set('2026-03-02T15:00:00Z');
		const card = activeWorkflow(credential, { occasion: 'customer.birthday', daysBefore: 7, timezone: 'Asia/Tokyo', emitAlreadyDue: true }, { nodeName: 'Card' });
		// Not the id of the greeting on the day: a guard keyed on the event id tells the two apart.
		assert.deepEqual(ids(await card.poll()), ['occasion:customer.birthday:tokyo:2026:7-days-before']);
	});

	it('a customer recorded after activation whose birthday is exactly N days ahead is emitted on that first day; one known at activation waits', async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents([registered('known', now - DAY, { birthday: '1990-03-12' })], now - DAY);
		const poller = activeWorkflow(credential, { occasion: 'customer.birthday', daysBefore: 10 });
		assert.equal(await poller.poll(), null, 'due and known at activation: not emitted');

		await store.recordEvents([registered('newcomer', now + HOUR, { birthday: '1990-03-12' })], now + HOUR);
		clock.advance(2 * HOUR);
		assert.deepEqual(ids(await poller.poll()), ['occasion:customer.birthday:newcomer:2026:10-days-before']);
		clock.advance(HOUR);
		assert.equal(await poller.poll(), null, 'once');
		// Switched to "emit already due", the customer known at activation comes too.
		const backlog = activeWorkflow(credential, { occasion: 'customer.birthday', daysBefore: 10, emitAlreadyDue: true }, { restartFrom: poller.staticData() });
		assert.deepEqual(ids(await backlog.poll()), ['occasion:customer.birthday:known:2026:10-days-before']);
	});

	it('a bad setting is an error naming the field', async () => {
		const { credential } = newStore();
		const poller = activeWorkflow(credential, { occasion: 'customer.birthday', timezone: 'Mars/Base' });
		await assert.rejects(poller.poll(), (error: Error) => {
			assert.match(error.message, /^Time Zone Name or ID: "Mars\/Base" is not a time zone/);
			assert.match((error as Error & { description?: string }).description ?? '', /IANA/);
			return true;
		});
	});

	it("through n8n's engine: a manual run of the workflow polls and outputs the occasions", async () => {
		const { store, credential } = newStore();
		const now = clock.now();
		await store.recordEvents([registered('reg7', now - 8 * DAY)], now);
		const result = await runWorkflow({
			nodes: [{ name: 'Occasions', type: TYPE, parameters: { occasion: 'customer.no_order_since_registration', registeredAfter: 7, registeredAfterUnit: 'days' } }],
			connections: {},
			nodeTypes,
			credentials: { dialogueStoreApi: credential as unknown as ICredentialDataDecryptedObject },
		});
		assert.equal(result.status, 'success', JSON.stringify(result.error?.message));
		assert.deepEqual(
			result.outputItems('Occasions').map((item) => item.json.id),
			['occasion:customer.no_order_since_registration:reg7:once'],
		);
	});
});
