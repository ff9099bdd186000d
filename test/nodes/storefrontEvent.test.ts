/**
 * Storefront Event node through the n8n engine: its input is the item n8n's Webhook node emits
 * with Raw Body on (json.headers, json.body parsed, the bytes as binary `data`, base64), built here
 * from the vendor fixtures and signed. The Storefront Trigger's webhook() is called the way n8n
 * calls it, in the same workflow, over the same SQLite store, to show the two front doors share
 * their records and their claims.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from '@jest/globals';
import { NodeHelpers, type IDataObject, type INode, type INodeExecutionData, type IWebhookFunctions, type WorkflowExecuteMode } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { StorefrontEvent } from '../../nodes/StorefrontEvent/StorefrontEvent.node';
import { StorefrontTrigger } from '../../nodes/StorefrontTrigger/StorefrontTrigger.node';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { connect, nodeTypesOf, packageNodeType, runWorkflow } from '../helpers/workflow';
import { fixtureBytes, openShopifyOrderBytes } from '../core/events/helpers';

const SECRET = 'whsec-0123456789abcdef';
const clock = new ManualClock('2026-03-02T09:00:00.000Z');
const newStore = sqliteTestStores('storefront-event', clock);
/** The workflow id runWorkflow gives every run. */
const WORKFLOW_ID = 'test-workflow';

type Source = 'generic' | 'shopify' | 'woocommerce';
const SIGNATURE_HEADER: Record<Source, string> = {
	generic: 'x-dialogue-signature',
	shopify: 'x-shopify-hmac-sha256',
	woocommerce: 'x-wc-webhook-signature',
};
const sign = (body: Buffer, secret: string) => createHmac('sha256', secret).update(body).digest('base64');

interface Request {
	headers: Record<string, string>;
	body: Buffer;
}

/** A delivery as its sender makes it: Node's http module hands over header names in lower case. */
function request(source: Source, body: Buffer, secret: string | null = SECRET): Request {
	const vendor: Record<Source, Record<string, string>> = {
		shopify: { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'snowdevil.myshopify.com', 'x-shopify-webhook-id': '545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9' },
		woocommerce: { 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-source': 'https://shop.example.com/', 'x-wc-webhook-id': '12' },
		generic: {},
	};
	const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(body.length), ...vendor[source] };
	if (secret !== null) headers[SIGNATURE_HEADER[source]] = sign(body, secret);
	return { headers, body };
}

const genericBody = (id = 'evt-1001', total = '80.00') =>
	Buffer.from(
		JSON.stringify({
			id,
			type: 'order.placed',
			occurredAt: '2026-03-02T08:59:00Z',
			customer: { id: 'cust-7', email: 'ada@example.com' },
			order: { id: `ord-${id}`, total, currency: 'EUR', lines: [{ productId: 'shoe-1', categories: ['Shoes'], quantity: 1, price: total }] },
		}),
	);

const DELIVERIES: Array<[string, Source, () => Buffer, string]> = [
	['Shopify orders/create', 'shopify', openShopifyOrderBytes, 'shopify:order.placed:820982911946154508'],
	['WooCommerce order.created', 'woocommerce', () => fixtureBytes('woocommerce-order-created.json'), 'woocommerce:order.created:727'],
	['Generic order.placed', 'generic', () => genericBody(), 'evt-1001'],
];

/** The item n8n's Webhook node (version 2) emits for a POST; without the binary when Raw Body is off. */
function webhookItem(req: Request, rawBody = true): INodeExecutionData {
	return {
		json: { headers: req.headers, params: {}, query: {}, body: JSON.parse(req.body.toString('utf8')) as IDataObject },
		...(rawBody && { binary: { data: { data: req.body.toString('base64'), mimeType: 'application/json' } } }),
	};
}

interface EventRun {
	start: IDataObject[];
	notStarted: IDataObject[];
	error?: string;
}

/** Webhook items into a Storefront Event node, in a workflow run as n8n runs a production webhook's execution. */
async function viaEvent(
	ts: TestStore,
	items: INodeExecutionData[],
	options: { source?: Source | null; parameters?: IDataObject; continueOnFail?: boolean; mode?: WorkflowExecuteMode } = {},
): Promise<EventRun> {
	const source = options.source === undefined ? 'shopify' : options.source;
	const result = await runWorkflow({
		nodes: [
			{
				name: 'Event',
				type: packageNodeType('storefrontEvent'),
				parameters: { events: ['order.placed'], ...options.parameters },
				...(options.continueOnFail && { onError: 'continueRegularOutput' as const }),
			},
		],
		connections: connect(),
		nodeTypes: nodeTypesOf(new StorefrontEvent()),
		credentials: { ...ts.credentials, ...(source && { storefrontWebhookApi: { source, secret: SECRET } }) },
		input: items,
		mode: options.mode ?? 'webhook',
	});
	if (result.status !== 'success') return { start: [], notStarted: [], error: result.nodeError('Event')?.message ?? String(result.error?.message) };
	return { start: result.outputItems('Event', 0).map((i) => i.json), notStarted: result.outputItems('Event', 1).map((i) => i.json) };
}

const trigger = new StorefrontTrigger();

/** The same delivery to a Storefront Trigger of the same workflow: what it answered, and whether it started an execution. */
async function viaTrigger(ts: TestStore, source: Source, req: Request, nodeId = 'b3d1d0a2-0000-4000-8000-000000000001'): Promise<{ status: number; body: IDataObject }> {
	const { description } = trigger;
	const typeVersion = description.defaultVersion as number;
	const node: INode = {
		id: nodeId,
		name: 'Storefront Trigger',
		type: packageNodeType('storefrontTrigger'),
		typeVersion,
		position: [0, 0],
		parameters: NodeHelpers.getNodeParameters(description.properties, { events: ['order.placed'] }, true, false, { typeVersion } as INode, description) ?? {},
		credentials: { dialogueStoreApi: { id: `store:${ts.file}`, name: 'Store' }, storefrontWebhookApi: { id: `hook:${source}`, name: 'Hook' } },
	};
	const res = {
		statusCode: 200,
		body: undefined as IDataObject | undefined,
		status(code: number) {
			this.statusCode = code;
			return this;
		},
		json(body: IDataObject) {
			this.body = body;
			return this;
		},
	};
	const ctx = {
		getNode: () => node,
		getWorkflow: () => ({ id: WORKFLOW_ID, active: true }),
		getMode: () => 'webhook',
		getNodeParameter: (name: string, fallback?: unknown) => (name in node.parameters ? node.parameters[name] : fallback),
		getCredentials: async (type: string) => (type === 'dialogueStoreApi' ? ts.credential : { source, secret: SECRET }),
		getRequestObject: () => ({ headers: req.headers, rawBody: req.body }),
		getResponseObject: () => res,
		getHeaderData: () => req.headers,
	} as unknown as IWebhookFunctions;
	const result = await trigger.webhook.call(ctx);
	if (result.workflowData) return { status: 200, body: result.webhookResponse as IDataObject };
	return { status: res.statusCode, body: res.body! };
}

/** Rows in the events table (0 before the store's first use). */
function recordedEvents(ts: TestStore): number {
	let db: DatabaseSync;
	try {
		db = new DatabaseSync(ts.file, { readOnly: true });
	} catch {
		return 0;
	}
	try {
		const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'events'`).get();
		return table ? Number((db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n) : 0;
	} finally {
		db.close();
	}
}

describe('Storefront Event: a delivery from n8n\'s Webhook node', () => {
	for (const [name, source, body, eventId] of DELIVERIES) {
		it(`${name}, signed: Start with the canonical event, recorded first; a redelivery is Not Started (duplicate)`, async () => {
			const ts = newStore();
			const req = request(source, body());
			const first = await viaEvent(ts, [webhookItem(req)], { source });
			assert.equal(first.error, undefined);
			assert.deepEqual(first.notStarted, []);
			assert.equal(first.start.length, 1);
			assert.equal(first.start[0].id, eventId);
			assert.equal(first.start[0].type, 'order.placed');
			assert.equal(recordedEvents(ts), 1);

			const again = await viaEvent(ts, [webhookItem(req)], { source });
			assert.deepEqual(again.start, []);
			assert.equal(again.notStarted.length, 1);
			assert.equal(again.notStarted[0].reason, 'duplicate');
			assert.equal(again.notStarted[0].statusCode, 200);
			assert.equal((again.notStarted[0].body as IDataObject).eventId, eventId);
			assert.equal(recordedEvents(ts), 1);
		});

		it(`${name}, signed with another secret: Not Started (unauthorized, 401) and nothing recorded`, async () => {
			const ts = newStore();
			const run = await viaEvent(ts, [webhookItem(request(source, body(), 'not-the-secret'))], { source });
			assert.deepEqual(run.start, []);
			assert.equal(run.notStarted.length, 1);
			const [item] = run.notStarted;
			assert.equal(item.reason, 'unauthorized');
			assert.equal(item.statusCode, 401);
			assert.match(String((item.body as IDataObject).message), /signature does not match the body/);
			assert.equal(recordedEvents(ts), 0);
		});
	}

	it('the signature is checked over the raw bytes, not the JSON n8n parsed: a body changed after signing is unauthorized', async () => {
		const ts = newStore();
		const req = request('shopify', openShopifyOrderBytes());
		const item = webhookItem(req);
		item.binary!.data.data = Buffer.concat([req.body, Buffer.from(' ')]).toString('base64');
		const run = await viaEvent(ts, [item]);
		assert.equal(run.notStarted[0]?.reason, 'unauthorized');
		assert.equal(recordedEvents(ts), 0);
	});

	it('Raw Body off: the node fails with a message that says to turn it on, and records nothing', async () => {
		const ts = newStore();
		const run = await viaEvent(ts, [webhookItem(request('shopify', openShopifyOrderBytes()), false)]);
		assert.match(run.error ?? '', /no raw body/);
		assert.equal(recordedEvents(ts), 0);
	});

	it('Raw Body off under continueOnFail: Not Started with status code 500 (the shop retries) and the hint, nothing recorded', async () => {
		const ts = newStore();
		const good = webhookItem(request('generic', genericBody('g-ok'), SECRET));
		const run = await viaEvent(ts, [good, webhookItem(request('generic', genericBody('g-raw-off')), false)], { source: 'generic', continueOnFail: true });
		assert.deepEqual(
			run.start.map((e) => e.id),
			['g-ok'],
		);
		assert.equal(run.notStarted.length, 1);
		assert.equal(run.notStarted[0].statusCode, 500);
		assert.match(String(run.notStarted[0].error), /no raw body/);
		assert.equal(recordedEvents(ts), 1, 'only the item with its raw body');
	});

	it('a filtered-out event is recorded and Not Started (recorded, with the reason); a body above Max Body Size is Not Started (too_large, 413)', async () => {
		const ts = newStore();
		const small = await viaEvent(ts, [webhookItem(request('generic', genericBody('g-small', '5.00')))], {
			source: 'generic',
			parameters: { filters: { minimumTotal: 50 } },
		});
		assert.deepEqual(small.start, []);
		assert.equal(small.notStarted[0].reason, 'recorded');
		assert.equal(small.notStarted[0].statusCode, 200);
		assert.match(String((small.notStarted[0].body as IDataObject).reason), /minimum order total/);
		assert.equal(recordedEvents(ts), 1);

		const big = await viaEvent(ts, [webhookItem(request('shopify', openShopifyOrderBytes()))], { parameters: { options: { maxBodySize: 1 } } });
		assert.equal(big.notStarted[0].reason, 'too_large');
		assert.equal(big.notStarted[0].statusCode, 413);
		assert.equal(recordedEvents(ts), 1);
	});

	it('without a credential an unsigned Shopify delivery is Not Started (unauthorized)', async () => {
		const ts = newStore();
		const run = await viaEvent(ts, [webhookItem(request('shopify', openShopifyOrderBytes(), null))], { source: null });
		assert.equal(run.notStarted[0].reason, 'unauthorized');
		assert.equal(recordedEvents(ts), 0);
	});
});

describe('Storefront Event and Storefront Trigger share records and starts', () => {
	it('a delivery the Storefront Trigger started is a duplicate for the Storefront Event of the same workflow', async () => {
		const ts = newStore();
		const req = request('shopify', openShopifyOrderBytes());
		assert.deepEqual(await viaTrigger(ts, 'shopify', req), { status: 200, body: { status: 'started', eventId: 'shopify:order.placed:820982911946154508', type: 'order.placed' } });
		const run = await viaEvent(ts, [webhookItem(req)]);
		assert.deepEqual(run.start, []);
		assert.equal(run.notStarted[0].reason, 'duplicate');
		assert.equal(recordedEvents(ts), 1);
	});

	it('a delivery the Storefront Event started is a duplicate for the Storefront Trigger of the same workflow', async () => {
		const ts = newStore();
		const req = request('woocommerce', fixtureBytes('woocommerce-order-created.json'));
		assert.equal((await viaEvent(ts, [webhookItem(req)], { source: 'woocommerce' })).start.length, 1);
		const answer = await viaTrigger(ts, 'woocommerce', req);
		assert.equal(answer.status, 200);
		assert.equal(answer.body.status, 'duplicate');
		assert.equal(recordedEvents(ts), 1);
	});

	it('a start the Storefront Trigger claimed under its own node, as it did before starts were claimed per workflow, is still a duplicate', async () => {
		const ts = newStore();
		const nodeId = 'b3d1d0a2-0000-4000-8000-0000000000aa';
		const req = request('generic', genericBody('g-before'));
		await ts.store.claimOccasions([{ consumer: `trigger:${WORKFLOW_ID}:${nodeId}`, kind: 'trigger.start', customerId: 'cust-7', occurrence: 'g-before' }], clock.now());
		assert.equal((await viaTrigger(ts, 'generic', req, nodeId)).body.status, 'duplicate');
	});

	it("in the editor's test mode a redelivery starts again (the same sample may be resent), recorded once", async () => {
		const ts = newStore();
		const req = request('generic', genericBody('g-test'));
		for (let n = 0; n < 2; n++) assert.equal((await viaEvent(ts, [webhookItem(req)], { source: 'generic', mode: 'manual' })).start.length, 1);
		assert.equal(recordedEvents(ts), 1);
	});
});
