/**
 * Composing activities from the package's nodes and n8n's own (Send Email, Wait, Schedule), as a
 * new user does, through the real n8n engine: the defaults find the starting event's customer,
 * id and time past a node that replaced the item, the Guard's Entry Key works after List Members
 * and warns when it cannot tell runs apart, and Purchase Check has a window since the execution
 * started.
 *
 * Send Email is stood in for by the test-only Replace Item (its output holds only the mail's
 * result), the Storefront Trigger by Items Source.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { IConnections, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { CHART_COLORS, CHART_HEIGHT, CHART_WIDTH } from '../../core/chart';
import { ManualClock, systemClock } from '../../core/clock';
import type { Store } from '../../core/store';
import { Coupon } from '../../nodes/Coupon/Coupon.node';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
import { setNodeClock } from '../../nodes/shared/store';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { closeAllStores, storeFor, type StoreCredential } from '../../store/open';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { ReplaceItem } from '../helpers/nodes/ReplaceItem.node';
import { repoRoot } from '../helpers/paths';
import { decodePng, pixelsOf } from '../helpers/png';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, type TestNode } from '../helpers/workflow';
import { orderEvent, registerEvent } from '../store/contract';

const nodeTypes = nodeTypesOf(
	new ItemsSource(),
	new Passthrough(),
	new ReplaceItem(),
	new PurchaseCheck(),
	new CustomerSegment(),
	new RepeatabilityGuard(),
	new Coupon(),
	new StorefrontLedger(),
);
const dir = mkdtempSync(join(tmpdir(), 'composing-'));
const credential = { type: 'sqlite', file: join(dir, 'store.sqlite') };
const credentials = { dialogueStoreApi: credential };
const T0 = Date.parse('2026-05-04T09:00:00Z');
const clock = new ManualClock(T0);
let store: Store;

const pkg = packageNodeType;
const mail = (name: string): TestNode => ({ name, type: 'test.replaceItem', parameters: { toEmail: 'customer@example.com' } });
const json = (items: INodeExecutionData[], key: string) => items.map((item) => item.json[key] as IDataObject);

beforeAll(() => {
	setNodeClock(clock);
	store = storeFor(credential as StoreCredential);
});

afterAll(async () => {
	setNodeClock(systemClock);
	await closeAllStores();
	rmSync(dir, { recursive: true, force: true });
});

describe('the customer follows the item past Send Email', () => {
	it('every package node after a Send Email reads the trigger event\'s customer, id and time, and says which node gave them', async () => {
		await store.ensurePools(['compose-pool'], T0);
		await store.addCodes('compose-pool', [{ code: 'CODE-1' }, { code: 'CODE-2' }], T0);
		const events = [orderEvent('cmp-1', T0 - 60_000, '20.00', { orderId: 'cmp-o1' }), orderEvent('cmp-2', T0 - 30_000, '30.00', { orderId: 'cmp-o2' })];
		await store.recordEvents(events, T0);
		const result = await runWorkflow({
			nodes: [
				{ name: 'Storefront Trigger', type: 'test.itemsSource', parameters: { items: JSON.stringify(events) } },
				mail('Mail 1'),
				{ name: 'Guard', type: pkg('repeatabilityGuard'), parameters: {} },
				mail('Mail 2'),
				{ name: 'Ordered Since?', type: pkg('purchaseCheck'), parameters: { window: 'afterEvent' } },
				mail('Mail 3'),
				{ name: 'Code', type: pkg('coupon'), parameters: { pool: { __rl: true, mode: 'name', value: 'compose-pool' }, assignment: 'each' } },
				mail('Mail 4'),
				{ name: 'Tag', type: pkg('customerSegment'), parameters: { operation: 'add', segment: { __rl: true, mode: 'name', value: 'Mailed twice' } } },
				mail('Mail 5'),
				{ name: 'Tagged?', type: pkg('customerSegment'), parameters: { segment: { __rl: true, mode: 'name', value: 'Mailed twice' } } },
				mail('Mail 6'),
				{ name: 'Profile', type: pkg('storefrontLedger'), parameters: { operation: 'profile' } },
			],
			connections: connect(
				['Storefront Trigger', 'Mail 1'],
				['Mail 1', 'Guard'],
				['Guard', 'Mail 2'],
				['Mail 2', 'Ordered Since?'],
				['Ordered Since?', 'Mail 3', 1],
				['Mail 3', 'Code'],
				['Code', 'Mail 4'],
				['Mail 4', 'Tag'],
				['Tag', 'Mail 5'],
				['Mail 5', 'Tagged?'],
				['Tagged?', 'Mail 6'],
				['Mail 6', 'Profile'],
			),
			nodeTypes,
			credentials,
		});
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const trigger = 'Storefront Trigger';

		const guard = json(result.outputItems('Guard'), 'guard');
		assert.deepEqual(guard.map((g) => [g.reason, g.readFrom]), [
			['first entry', { customerId: trigger, entryKey: trigger }],
			['first entry', { customerId: trigger, entryKey: trigger }],
		]);
		const entries = await store.guardHistory({ customerId: 'cmp-1', limit: 10 });
		assert.deepEqual(entries.map((e) => e.key), ['test:order:cmp-o1'], 'the entry key is the event id');

		const checked = json(result.outputItems('Ordered Since?', 1), 'purchases');
		assert.deepEqual(checked.map((p) => [p.customerId, p.window, p.readFrom]), [
			['cmp-1', { from: new Date(T0 - 60_000 + 1).toISOString() }, { customerId: trigger, eventTime: trigger }],
			['cmp-2', { from: new Date(T0 - 30_000 + 1).toISOString() }, { customerId: trigger, eventTime: trigger }],
		]);

		const coupons = json(result.outputItems('Code'), 'coupon');
		assert.deepEqual(coupons.map((c) => [c.customerId, c.readFrom]), [
			['cmp-1', { customerId: trigger, assignmentKey: trigger }],
			['cmp-2', { customerId: trigger, assignmentKey: trigger }],
		]);
		assert.deepEqual(coupons.map((c) => c.code).sort(), ['CODE-1', 'CODE-2']);

		assert.deepEqual((await store.segmentMembers('Mailed twice', clock.now(), 10, 0)).map((m) => m.customerId), ['cmp-1', 'cmp-2']);
		assert.deepEqual(json(result.outputItems('Tag'), 'segment').map((s) => s.readFrom), [{ customerId: trigger }, { customerId: trigger }]);
		assert.deepEqual(json(result.outputItems('Tagged?'), 'segment').map((s) => s.member), [true, true]);
		assert.deepEqual(
			result.outputItems('Profile').map((item) => [item.json.customerId, item.json.found, item.json.readFrom]),
			[
				['cmp-1', true, { customerId: trigger }],
				['cmp-2', true, { customerId: trigger }],
			],
		);
	});

	it('reads the nearest earlier item that has a customer, and fails only when none has one', async () => {
		const registered = registerEvent('cmp-3', T0);
		const listed = { customer: { id: 'cmp-4' }, segment: { name: 'x' } };
		const run = (items: unknown[]) =>
			runWorkflow({
				nodes: [
					{ name: 'Start', type: 'test.itemsSource', parameters: { items: JSON.stringify(items) } },
					{ name: 'Listed', type: 'test.passthrough', parameters: { note: 'a node in between that keeps the item' } },
					mail('Mail'),
					{ name: 'Tag', type: pkg('customerSegment'), parameters: { operation: 'add', segment: { __rl: true, mode: 'name', value: 'Nearest' } } },
				],
				connections: connect(['Start', 'Listed'], ['Listed', 'Mail'], ['Mail', 'Tag']),
				nodeTypes,
				credentials,
			});
		const found = await run([registered, listed]);
		assert.equal(found.status, 'success', JSON.stringify(found.error));
		assert.deepEqual(json(found.outputItems('Tag'), 'segment').map((s) => s.readFrom), [{ customerId: 'Listed' }, { customerId: 'Listed' }]);
		assert.deepEqual((await store.segmentMembers('Nearest', clock.now(), 10, 0)).map((m) => m.customerId), ['cmp-3', 'cmp-4']);

		const none = await run([{ note: 'no customer' }]);
		assert.equal(none.status, 'error');
		assert.match(String(none.nodeError('Tag')?.message), /Customer ID: is empty/);
	});
});

describe('Entry Key', () => {
	const schedule = { timestamp: '2026-05-04T09:00:00.000+00:00', 'Readable date': 'May 4th 2026, 9:00:00 am' };
	/** Schedule (stand-in) -> Customer Segment: List Members -> Repeatability Guard -> Enter / Skip. */
	const campaign = (segment: string, guard: IDataObject) =>
		runWorkflow({
			nodes: [
				{ name: 'Schedule Trigger', type: 'test.itemsSource', parameters: { items: JSON.stringify([schedule]) } },
				{ name: 'List Members', type: pkg('customerSegment'), parameters: { operation: 'list', segment: { __rl: true, mode: 'name', value: segment } } },
				{ name: 'Guard', type: pkg('repeatabilityGuard'), parameters: { activity: `campaign-${segment}`, ...guard } },
			],
			connections: connect(['Schedule Trigger', 'List Members'], ['List Members', 'Guard']),
			nodeTypes,
			credentials,
		});
	const hints = (result: Awaited<ReturnType<typeof campaign>>) => (result.runData.Guard[0].hints ?? []).map((hint) => hint.message);
	const reasons = (result: Awaited<ReturnType<typeof campaign>>) => [
		...json(result.outputItems('Guard', 0), 'guard').map((g) => `enter: ${g.reason}`),
		...json(result.outputItems('Guard', 1), 'guard').map((g) => `skip: ${g.reason}`),
	];

	async function segmentWith(name: string, customerIds: string[]) {
		await store.recordEvents(customerIds.map((id) => registerEvent(id, T0 - 1000)), T0);
		await store.ensureSegments([name], T0);
		await store.segmentAdd(name, customerIds.map((customerId) => ({ customerId })), T0);
	}

	it('with the default, a batch Guard after List Members enters each member once and skips them in the next run', async () => {
		await segmentWith('Lapsed', ['key-1', 'key-2']);
		const first = await campaign('Lapsed', {});
		assert.equal(first.status, 'success', JSON.stringify(first.error));
		assert.deepEqual(reasons(first), ['enter: first entry', 'enter: first entry']);
		const keys = (await store.guardHistory({ activity: 'campaign-Lapsed', limit: 10 })).map((e) => e.key);
		// No event started the run: the key is the execution's id (the harness's are UUIDs), one for the run.
		assert.equal(keys.length, 2);
		assert.equal(keys[0], keys[1]);
		assert.match(keys[0], /^[0-9a-f-]{36}$/);
		assert.deepEqual(hints(first), []);

		const second = await campaign('Lapsed', {});
		assert.equal(second.status, 'success', JSON.stringify(second.error));
		assert.deepEqual(reasons(second), ['skip: already entered', 'skip: already entered']);
	});

	it('the former default {{ $json.id }} after List Members fails with a hint that names a key that works', async () => {
		await segmentWith('Former', ['key-3']);
		const result = await campaign('Former', { entryKey: '={{ $json.id }}' });
		assert.equal(result.status, 'error');
		const error = result.nodeError('Guard');
		assert.match(String(error?.message), /entryKey: is empty/);
		assert.match(String(error?.description), /\{\{ \$json\.id \?\? \$execution\.id \}\}/);
	});

	it('a Guard keyed on the customer id, or on one key for everyone, gets a hint', async () => {
		await segmentWith('Keyed', ['key-4', 'key-5']);
		const byCustomer = await campaign('Keyed', { entryKey: '={{ $json.customer.id }}' });
		assert.equal(byCustomer.status, 'success', JSON.stringify(byCustomer.error));
		assert.ok(hints(byCustomer).some((h) => h.startsWith('Entry Key is the customer\'s ID ("key-4")') && h.includes('{{ $json.id ?? $execution.id }}')), hints(byCustomer).join('\n'));
		// What the hint warns of: the next run gets through as a retry.
		assert.deepEqual(reasons(await campaign('Keyed', { entryKey: '={{ $json.customer.id }}' })), ['enter: retry of an earlier entry', 'enter: retry of an earlier entry']);

		const bySegment = await campaign('Keyed', { activity: 'by-segment', entryKey: '={{ $json.segment.name }}' });
		assert.ok(hints(bySegment).some((h) => h.startsWith('Entry Key is "Keyed" for all 2 customers')), hints(bySegment).join('\n'));
		const fixed = await campaign('Keyed', { activity: 'fixed', entryKey: 'spring' });
		assert.ok(hints(fixed).some((h) => h.startsWith('Entry Key is the fixed text "spring"')), hints(fixed).join('\n'));
		// The execution's id is one key for everyone and new in every run: no hint.
		const byExecution = await campaign('Keyed', { activity: 'by-execution', entryKey: '={{ $execution.id }}' });
		assert.deepEqual(hints(byExecution), []);
	});
});

describe('Purchase Check: since this execution started', () => {
	it('a scheduled campaign counts the orders placed since its execution started, also after a Wait', async () => {
		// The execution's start is n8n's real clock: the nodes' clock follows it here.
		const now = Date.now();
		clock.set(now);
		await store.recordEvents(
			[
				orderEvent('since-ordered', now - 40 * 86_400_000, '10.00', { orderId: 'since-1' }),
				orderEvent('since-ordered', now + 60_000, '42.00', { orderId: 'since-2' }),
				orderEvent('since-before', now - 60_000, '15.00', { orderId: 'since-3' }),
				registerEvent('since-never', now - 86_400_000),
			],
			now,
		);
		await store.ensureSegments(['Reactivate'], now);
		await store.segmentAdd('Reactivate', ['since-before', 'since-never', 'since-ordered'].map((customerId) => ({ customerId })), now);
		clock.set(now + 3 * 86_400_000); // the Wait is over when the check runs
		const result = await runWorkflow({
			nodes: [
				{ name: 'Schedule Trigger', type: 'test.itemsSource', parameters: { items: JSON.stringify([{ timestamp: new Date(now).toISOString() }]) } },
				{ name: 'List Members', type: pkg('customerSegment'), parameters: { operation: 'list', segment: { __rl: true, mode: 'name', value: 'Reactivate' } } },
				mail('Send Email'),
				{ name: 'Wait 3 Days', type: 'test.passthrough', parameters: {} },
				{
					name: 'Ordered Since?',
					type: pkg('purchaseCheck'),
					parameters: { conditions: { condition: [{ kind: 'orderCount', compare: 'gte', orders: 1 }] }, window: 'sinceExecution' },
				},
			],
			connections: connect(['Schedule Trigger', 'List Members'], ['List Members', 'Send Email'], ['Send Email', 'Wait 3 Days'], ['Wait 3 Days', 'Ordered Since?']),
			nodeTypes,
			credentials,
		});
		const finished = Date.now();
		clock.set(T0);
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const customers = (output: number) => json(result.outputItems('Ordered Since?', output), 'purchases').map((p) => p.customerId);
		assert.deepEqual(customers(0), ['since-ordered']);
		assert.deepEqual(customers(1), ['since-before', 'since-never']);
		const yes = json(result.outputItems('Ordered Since?', 0), 'purchases')[0];
		assert.equal(yes.count, 1, 'the order of 40 days ago is not in the window');
		const from = Date.parse(String((yes.window as IDataObject).from));
		assert.ok(from >= now && from <= finished, `the window starts when the execution started: ${String((yes.window as IDataObject).from)}`);
		assert.deepEqual(yes.readFrom, { customerId: 'List Members' });
	});
});

describe('template 11: win back a segment', () => {
	/** n8n's own nodes of the template, stood in for in-process; sticky notes dropped. */
	const STAND_INS: Record<string, string> = {
		'n8n-nodes-base.scheduleTrigger': 'test.itemsSource',
		'n8n-nodes-base.emailSend': 'test.replaceItem',
		'n8n-nodes-base.wait': 'test.passthrough',
		'n8n-nodes-base.noOp': 'test.passthrough',
	};

	it('emails every member a code, and after the Wait reminds, with the same code, only those still in the segment who have not ordered since the run started', async () => {
		const template = JSON.parse(readFileSync(join(repoRoot, 'templates', '11-segment-reactivation.json'), 'utf8')) as { nodes: INode[]; connections: IConnections };
		const now = Date.now();
		clock.set(now);
		const members = ['wb-orders', 'wb-quiet'];
		await store.recordEvents(members.map((id) => registerEvent(id, now - 200 * 86_400_000)), now);
		await store.ensureSegments(['Lapsed customers'], now);
		await store.segmentAdd('Lapsed customers', members.map((customerId) => ({ customerId })), now);
		await store.ensurePools(['reactivation-15'], now);
		await store.addCodes('reactivation-15', ['WB-1', 'WB-2', 'WB-3'].map((code) => ({ code })), now);
		// During the week one member orders (the clock cannot move within an in-process run).
		await store.recordEvents([orderEvent('wb-orders', now + 60_000, '35.00', { orderId: 'wb-o1' })], now);
		clock.set(now + 7 * 86_400_000 + 60_000);

		const nodes = template.nodes
			.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
			.map((node) => {
				const type = STAND_INS[node.type] ?? node.type;
				const standIn = node.type === 'n8n-nodes-base.scheduleTrigger' ? { items: JSON.stringify([{ timestamp: new Date(now).toISOString() }]) } : undefined;
				return { ...node, type, typeVersion: type.startsWith('test.') ? 1 : node.typeVersion, parameters: standIn ?? node.parameters, credentials: undefined };
			});
		const result = await runWorkflow({ nodes, connections: template.connections, nodeTypes, credentials });
		clock.set(T0);
		assert.equal(result.status, 'success', JSON.stringify(result.error));

		const sent = (name: string) => result.outputItems(name).map((item) => item.json.mail as { to: string; html: string });
		const first = sent('Email the code');
		assert.deepEqual(first.map((m) => m.to), members.map((id) => `${id}@example.com`).sort());
		const codeOf = (to: string) => /<strong>([A-Z0-9-]+)<\/strong><\/p>$/.exec(first.find((m) => m.to === to)!.html)?.[1];
		assert.deepEqual(members.map((id) => codeOf(`${id}@example.com`)).sort(), ['WB-1', 'WB-2']);
		assert.deepEqual(json(result.outputItems('Still lapsed?'), 'segment').map((s) => s.readFrom), [{ customerId: 'Reactivation code' }, { customerId: 'Reactivation code' }]);
		assert.deepEqual(json(result.outputItems('Ordered: done'), 'purchases').map((p) => p.customerId), ['wb-orders']);
		const reminders = sent('Email the reminder');
		assert.deepEqual(reminders.map((m) => m.to), ['wb-quiet@example.com']);
		assert.match(reminders[0].html, new RegExp(`<strong>${codeOf('wb-quiet@example.com')}</strong>`), 'the same code');
	});
});

describe('template 12: weekly activity report', () => {
	const STAND_INS: Record<string, string> = {
		'n8n-nodes-base.scheduleTrigger': 'test.itemsSource',
		'n8n-nodes-base.emailSend': 'test.replaceItem',
	};

	it('mails one report per activity with its chart attached: entered vs control, the funnel drawn from the figures', async () => {
		const template = JSON.parse(readFileSync(join(repoRoot, 'templates', '12-weekly-activity-report.json'), 'utf8')) as { nodes: INode[]; connections: IConnections };
		const now = Date.now();
		clock.set(now);
		const customers = Array.from({ length: 12 }, (_, i) => `wr-${i}`);
		const outcomes = await store.guardEnter(
			customers.map((customerId, i) => ({ activity: 'welcome', customerId, key: `wr-entry-${i}`, policy: { kind: 'once' as const }, holdOut: i % 3 === 0 })),
			now - 10 * 86_400_000,
		);
		const entered = outcomes.filter((o) => !o.heldOut).map((o) => o.customerId);
		await store.recordEvents(entered.slice(0, 4).map((id) => orderEvent(id, now - 9 * 86_400_000, '20.00', { orderId: `wr-o-${id}` })), now);

		const nodes = template.nodes
			.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
			.map((node) => {
				const type = STAND_INS[node.type] ?? node.type;
				const standIn = node.type === 'n8n-nodes-base.scheduleTrigger' ? { items: JSON.stringify([{ timestamp: new Date(now).toISOString() }]) } : undefined;
				return { ...node, type, typeVersion: type.startsWith('test.') ? 1 : node.typeVersion, parameters: standIn ?? node.parameters, credentials: undefined };
			});
		const result = await runWorkflow({ nodes, connections: template.connections, nodeTypes, credentials });
		clock.set(T0);
		assert.equal(result.status, 'success', JSON.stringify(result.error));

		const mails = result.outputItems('Email the report').map((item) => item.json.mail as { to: string; html: string; attachments: Array<{ name: string; fileName: string; mimeType: string; data: string }> });
		assert.deepEqual(mails.map((m) => m.to), ['marketing@example.com', 'marketing@example.com']);
		const [welcome, thanks] = mails;
		assert.match(welcome.html, /The activity <strong>welcome<\/strong>/);
		assert.match(welcome.html, new RegExp(`Entered: <strong>${entered.length}</strong>, converted 4 \\(${((4 / entered.length) * 100).toFixed(1)} %\\)`));
		assert.match(welcome.html, new RegExp(`Control group \\(held out\\): <strong>${customers.length - entered.length}</strong>, converted 0`));
		assert.match(thanks.html, /Lift: <strong>needs customers in both groups<\/strong>/);
		assert.deepEqual(welcome.attachments.map((a) => [a.name, a.mimeType]), [['chart', 'image/png']]);
		assert.match(welcome.attachments[0].fileName, /^activity-report-welcome-\d{4}-\d{2}-\d{2}\.png$/);
		const chart = decodePng(Buffer.from(welcome.attachments[0].data, 'base64'));
		assert.deepEqual([chart.width, chart.height], [CHART_WIDTH, CHART_HEIGHT]);
		assert.ok(pixelsOf(chart, CHART_COLORS.converted) > 0 && pixelsOf(chart, CHART_COLORS.control) === 0, 'conversions drawn; nobody in the control group converted');
		assert.equal(pixelsOf(decodePng(Buffer.from(thanks.attachments[0].data, 'base64')), CHART_COLORS.entered), 0, 'nobody entered thank-you-coupon here');
	});
});
