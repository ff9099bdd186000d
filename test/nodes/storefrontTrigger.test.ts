/**
 * Storefront Trigger node: webhook() called the way n8n calls it, with a mocked IWebhookFunctions
 * (request headers and raw body, a response object that records status and body, parameters,
 * credentials, node), over a real SQLite store in a temp file selected by the Dialogue Store
 * credential. Vendor deliveries use the published samples in test/fixtures/webhooks, signed here.
 * "Nothing recorded" is checked by counting the rows of every table an event writes.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from '@jest/globals';
import {
	NodeHelpers,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type INode,
	type INodeParameters,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { parseJsonBody } from '../../core/events/json';
import { ManualClock } from '../../core/clock';
import { cachedCredentialCount, CREDENTIAL_CACHE_MS, RECHECK_MS } from '../../nodes/shared/credentials';
import { StorefrontTrigger } from '../../nodes/StorefrontTrigger/StorefrontTrigger.node';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { storeCalls } from '../helpers/storeCalls';
import { fixture, fixtureBytes, openShopifyOrderBytes, toVendorJson, type FixtureFile } from '../core/events/helpers';

const SECRET = 'whsec-0123456789abcdef';
const T0 = '2026-03-02T09:00:00.000Z';
const clock = new ManualClock(T0);
const trigger = new StorefrontTrigger();

// ---------------------------------------------------------------- a store per test

const newStore = sqliteTestStores('storefront-trigger', clock);

const TABLES = ['events', 'customers', 'orders', 'order_lines', 'order_categories', 'order_codes', 'carts'] as const;
type Counts = Record<(typeof TABLES)[number], number>;

/** Rows in every table an event writes (zeros before the store's first use). */
function counts(ts: TestStore): Counts {
	const out = Object.fromEntries(TABLES.map((t) => [t, 0])) as Counts;
	let db: DatabaseSync;
	try {
		db = new DatabaseSync(ts.file, { readOnly: true });
	} catch {
		return out;
	}
	try {
		const present = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((r) => r.name));
		for (const table of TABLES) {
			if (present.has(table)) out[table] = Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
		}
	} finally {
		db.close();
	}
	return out;
}

const NOTHING: Counts = { events: 0, customers: 0, orders: 0, order_lines: 0, order_categories: 0, order_codes: 0, carts: 0 };

// ---------------------------------------------------------------- calling webhook() like n8n

type Source = 'generic' | 'shopify' | 'woocommerce';

interface Setup {
	store: TestStore;
	parameters?: INodeParameters;
	/** The Storefront Webhook credential selected on the node. */
	webhook?: { source: Source; secret: string };
	/** The id of that credential (default: one per source and secret); reads are counted in `reads`. */
	webhookCredentialId?: string;
	reads?: { webhook: number; store: number };
	/** 'manual' is the editor's test URL. */
	mode?: 'webhook' | 'manual';
	/** The workflow the trigger is in (each trigger claims its own starts). */
	workflowId?: string;
	/** The node's version; default the one a new node gets. */
	typeVersion?: number;
}

interface Request {
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** n8n did not read the body (rawBody undefined); readRawBody() reads it, or fails. */
	lazyBody?: 'reads' | 'fails';
}

interface Answer {
	status: number | undefined;
	body: IDataObject | undefined;
	/** The items the workflow starts with; undefined when no execution starts. */
	started: IDataObject[] | undefined;
	result: IWebhookResponseData;
}

/** Most tests post unsigned Generic events, so the switch is on unless a test says otherwise. */
const DEFAULT_PARAMETERS: INodeParameters = { source: 'auto', acceptUnsigned: true, events: ['order.placed'], filters: {}, options: {} };

/** The node as n8n runs it: parameters left out get the default of the node's version. */
function nodeOf(setup: Setup): INode {
	const { description } = trigger;
	const typeVersion = setup.typeVersion ?? (description.defaultVersion as number);
	const given = { ...DEFAULT_PARAMETERS, ...setup.parameters };
	for (const name of Object.keys(given)) if (given[name] === undefined) delete given[name];
	return {
		id: 'b3d1d0a2-0000-4000-8000-000000000001',
		name: 'Storefront Trigger',
		type: 'n8n-nodes-dialogue-activities.storefrontTrigger',
		typeVersion,
		position: [0, 0],
		webhookId: 'c0ffee00-0000-4000-8000-000000000002',
		parameters: NodeHelpers.getNodeParameters(description.properties, given, true, false, { typeVersion } as INode, description) ?? {},
		// A credential's id names its contents here, as it does in n8n: the trigger caches credentials
		// by id between deliveries (nodes/shared/credentials.ts).
		credentials: {
			dialogueStoreApi: { id: `store:${setup.store.file}`, name: 'Test store' },
			...(setup.webhook && { storefrontWebhookApi: { id: setup.webhookCredentialId ?? `hook:${setup.webhook.source}:${setup.webhook.secret}`, name: 'Storefront' } }),
		},
	};
}

function getCredentials(setup: Setup) {
	return async (type: string): Promise<ICredentialDataDecryptedObject> => {
		if (type === 'dialogueStoreApi') {
			if (setup.reads) setup.reads.store++;
			return setup.store.credential as unknown as ICredentialDataDecryptedObject;
		}
		if (type === 'storefrontWebhookApi' && setup.webhook) {
			if (setup.reads) setup.reads.webhook++;
			return { ...setup.webhook };
		}
		throw new Error(`Node does not have any credentials set for "${type}"`);
	};
}

function getNodeParameter(node: INode) {
	return (name: string, fallback?: unknown) => (name in node.parameters ? node.parameters[name] : fallback);
}

async function deliver(setup: Setup, request: Request): Promise<Answer> {
	const node = nodeOf(setup);
	// Node's http module hands over header names in lower case.
	const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
	const bytes = request.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body);
	const req: { headers: Record<string, string>; rawBody: Buffer | undefined; readRawBody?: () => Promise<void> } = {
		headers,
		rawBody: request.lazyBody ? undefined : bytes,
	};
	if (request.lazyBody) {
		req.readRawBody = async () => {
			if (request.lazyBody === 'fails') throw new Error('Request body stream was aborted or is not readable');
			req.rawBody = bytes;
		};
	}
	const res = {
		statusCode: undefined as number | undefined,
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
		getWorkflow: () => ({ id: setup.workflowId ?? 'wf-trigger', active: true }),
		getMode: () => setup.mode ?? 'webhook',
		getNodeParameter: getNodeParameter(node),
		getCredentials: getCredentials(setup),
		getRequestObject: () => req,
		getResponseObject: () => res,
		getHeaderData: () => headers,
	} as unknown as IWebhookFunctions;

	const result = await trigger.webhook.call(ctx);
	const started = result.workflowData?.[0]?.map((item) => item.json);
	if (started) {
		assert.equal(res.statusCode, undefined, 'a started delivery is answered by n8n once the execution exists');
		assert.equal(result.noWebhookResponse, undefined);
		return { status: 200, body: result.webhookResponse as IDataObject, started, result };
	}
	assert.equal(result.noWebhookResponse, true, 'a delivery that starts nothing is answered by the node');
	return { status: res.statusCode, body: res.body, started: undefined, result };
}

/** An activation hook, the way n8n calls it when the workflow is activated (checkExists, create) or deactivated (delete). */
async function activate(setup: Setup, method: 'checkExists' | 'create' | 'delete' = 'checkExists'): Promise<boolean> {
	const node = nodeOf(setup);
	const ctx = {
		getNode: () => node,
		getWorkflow: () => ({ id: setup.workflowId ?? 'wf-trigger', active: true }),
		getNodeParameter: getNodeParameter(node),
		getCredentials: getCredentials(setup),
	} as unknown as IHookFunctions;
	return trigger.webhookMethods.default[method].call(ctx);
}

// ---------------------------------------------------------------- deliveries

const sign = (body: string | Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

const SIGNATURE_HEADER: Record<Source, string> = {
	generic: 'X-Dialogue-Signature',
	shopify: 'X-Shopify-Hmac-Sha256',
	woocommerce: 'X-WC-Webhook-Signature',
};

function shopifyHeaders(topic: string, webhookId = '545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9'): Record<string, string> {
	return {
		'Content-Type': 'application/json',
		'X-Shopify-Topic': topic,
		'X-Shopify-Shop-Domain': 'snowdevil.myshopify.com',
		'X-Shopify-API-Version': '2026-07',
		'X-Shopify-Webhook-Id': webhookId,
		'X-Shopify-Event-Id': '59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f',
		'X-Shopify-Triggered-At': '2026-03-02T09:00:00.000000Z',
	};
}

function wooHeaders(topic: string): Record<string, string> {
	const [resource, action] = topic.split('.');
	return {
		'Content-Type': 'application/json',
		'User-Agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)',
		'X-WC-Webhook-Source': 'https://shop.example.com/',
		'X-WC-Webhook-Topic': topic,
		'X-WC-Webhook-Resource': resource,
		'X-WC-Webhook-Event': action,
		'X-WC-Webhook-ID': '12',
		'X-WC-Webhook-Delivery-ID': 'a8f1c1c9b7e0d2f4',
	};
}

/** A vendor delivery of a fixture (or a body derived from one), signed with `secret` unless null. */
function vendorDelivery(source: 'shopify' | 'woocommerce', topic: string, body: string | Buffer, secret: string | null = SECRET): Request {
	const headers = source === 'shopify' ? shopifyHeaders(topic) : wooHeaders(topic);
	if (secret !== null) headers[SIGNATURE_HEADER[source]] = sign(body, secret);
	return { headers, body };
}

const FIXTURE_TOPIC: Record<FixtureFile, [Exclude<Source, 'generic'>, string]> = {
	'shopify-orders-create.json': ['shopify', 'orders/create'],
	'shopify-customers-create.json': ['shopify', 'customers/create'],
	'shopify-checkouts-create.json': ['shopify', 'checkouts/create'],
	'woocommerce-order-created.json': ['woocommerce', 'order.created'],
	'woocommerce-customer-created.json': ['woocommerce', 'customer.created'],
};

/** The Shopify sample as an open, paid order, parsed without losing digits. */
const openShopifyOrder = () => parseJsonBody(openShopifyOrderBytes()) as IDataObject;

/** A fixture as its vendor delivers it; the Shopify order as an open, paid one (see openShopifyOrderBytes). */
function fixtureDelivery(name: FixtureFile, secret: string | null = SECRET): Request {
	const [source, topic] = FIXTURE_TOPIC[name];
	const bytes = name === 'shopify-orders-create.json' ? openShopifyOrderBytes() : fixtureBytes(name);
	return vendorDelivery(source, topic, bytes, secret);
}

interface GenericOptions {
	id?: string;
	type?: string;
	customer?: IDataObject;
	extra?: IDataObject;
}

/** A canonical event as a Generic sender posts it. */
function genericEvent(options: GenericOptions = {}): IDataObject {
	const type = options.type ?? 'order.placed';
	const event: IDataObject = {
		id: options.id ?? 'evt-1001',
		type,
		occurredAt: '2026-03-02T08:59:00Z',
		customer: options.customer ?? { id: 'cust-7', email: 'ada@example.com', firstName: 'Ada' },
	};
	if (type === 'order.placed') {
		event.order = {
			id: 'ord-1001',
			total: '80.00',
			currency: 'EUR',
			couponCodes: [],
			lines: [
				{ productId: 'shoe-1', sku: 'SH-1', categories: ['Shoes'], quantity: 1, price: '60.00' },
				{ productId: 'sock-1', categories: ['Socks'], quantity: 2, price: '10.00' },
			],
		};
	}
	return { ...event, ...options.extra };
}

function genericDelivery(event: IDataObject | string, secret: string | null = null, headers: Record<string, string> = {}): Request {
	const body = typeof event === 'string' ? event : JSON.stringify(event);
	const all: Record<string, string> = { 'Content-Type': 'application/json', ...headers };
	if (secret !== null) all[SIGNATURE_HEADER.generic] = sign(body, secret);
	return { headers: all, body };
}

function assertStarted(answer: Answer): IDataObject {
	assert.equal(answer.status, 200);
	assert.ok(answer.started, `expected an execution, got ${answer.status} ${JSON.stringify(answer.body)}`);
	assert.equal(answer.started.length, 1, 'one item per event');
	assert.equal(answer.body?.status, 'started');
	return answer.started[0];
}

function assertAnswered(answer: Answer, status: number, bodyStatus: string): IDataObject {
	assert.equal(answer.started, undefined, `expected no execution, got ${JSON.stringify(answer.started)}`);
	assert.equal(answer.status, status, JSON.stringify(answer.body));
	assert.equal(answer.body?.status, bodyStatus, JSON.stringify(answer.body));
	return answer.body!;
}

// ---------------------------------------------------------------- tests

describe('Storefront Trigger: signatures', () => {
	const cases: Array<[Exclude<Source, 'generic'>, FixtureFile, string]> = [
		['shopify', 'shopify-orders-create.json', 'shopify:order.placed:820982911946154508'],
		['woocommerce', 'woocommerce-order-created.json', 'woocommerce:order.created:727'],
	];
	for (const [source, file, eventId] of cases) {
		it(`${source}: a valid signature starts the workflow with the canonical event, recorded first`, async () => {
			const ts = newStore();
			const answer = await deliver({ store: ts, webhook: { source, secret: SECRET } }, fixtureDelivery(file));
			const item = assertStarted(answer);
			assert.equal(item.id, eventId);
			assert.equal(item.type, 'order.placed');
			assert.equal(item.source, source);
			assert.equal(item.raw, undefined, 'no raw payload unless the option is on');
			assert.deepEqual(answer.body, { status: 'started', eventId, type: 'order.placed' });
			const rows = counts(ts);
			assert.equal(rows.events, 1);
			assert.equal(rows.customers, 1);
			assert.equal(rows.orders, 1);
			assert.ok(rows.order_lines >= 2);
		});

		it(`${source}: a wrong signature is 401 and records nothing`, async () => {
			const ts = newStore();
			const answer = await deliver({ store: ts, webhook: { source, secret: SECRET } }, fixtureDelivery(file, 'not-the-secret'));
			const body = assertAnswered(answer, 401, 'unauthorized');
			assert.match(String(body.message), /does not match/);
			assert.deepEqual(counts(ts), NOTHING);
		});

		it(`${source}: a missing signature is 401 and records nothing`, async () => {
			const ts = newStore();
			const answer = await deliver({ store: ts, webhook: { source, secret: SECRET } }, fixtureDelivery(file, null));
			const body = assertAnswered(answer, 401, 'unauthorized');
			assert.match(String(body.message), new RegExp(`${SIGNATURE_HEADER[source]} signature header is missing`));
			assert.deepEqual(counts(ts), NOTHING);
		});

		it(`${source}: a body changed after signing is 401`, async () => {
			const ts = newStore();
			const request = fixtureDelivery(file);
			request.body = Buffer.concat([request.body as Buffer, Buffer.from(' ')]);
			assertAnswered(await deliver({ store: ts, webhook: { source, secret: SECRET } }, request), 401, 'unauthorized');
			assert.deepEqual(counts(ts), NOTHING);
		});

		it(`${source}: without a credential the delivery is refused with 401, whatever the Source`, async () => {
			for (const nodeSource of ['auto', source]) {
				const ts = newStore();
				const answer = await deliver({ store: ts, parameters: { source: nodeSource } }, fixtureDelivery(file, null));
				const body = assertAnswered(answer, 401, 'unauthorized');
				assert.match(String(body.message), /unsigned .* deliveries are refused/);
				assert.match(String(body.hint), /Storefront Webhook credential/);
				assert.deepEqual(counts(ts), NOTHING);
			}
		});
	}

	it('generic: valid (plain and sha256= prefixed), wrong and missing signatures', async () => {
		const ts = newStore();
		const webhook = { source: 'generic' as const, secret: SECRET };
		const valid = await deliver({ store: ts, webhook }, genericDelivery(genericEvent({ id: 'g-1' }), SECRET));
		assert.equal(assertStarted(valid).id, 'g-1');
		const body = JSON.stringify(genericEvent({ id: 'g-2' }));
		const prefixed = await deliver({ store: ts, webhook }, { headers: { 'X-Dialogue-Signature': `sha256=${sign(body)}` }, body });
		assert.equal(assertStarted(prefixed).id, 'g-2');
		const before = counts(ts);
		assertAnswered(await deliver({ store: ts, webhook }, genericDelivery(genericEvent({ id: 'g-3' }), 'wrong')), 401, 'unauthorized');
		assertAnswered(await deliver({ store: ts, webhook }, genericDelivery(genericEvent({ id: 'g-4' }))), 401, 'unauthorized');
		assert.deepEqual(counts(ts), before, 'the refused deliveries recorded nothing');
	});

	it('generic: unsigned events are accepted without a credential', async () => {
		const ts = newStore();
		for (const source of ['auto', 'generic']) {
			const answer = await deliver({ store: ts, parameters: { source } }, genericDelivery(genericEvent({ id: `u-${source}` })));
			assert.equal(assertStarted(answer).id, `u-${source}`);
		}
		assert.equal(counts(ts).events, 2);
	});

	it('a signature for another source\'s header is refused (the credential decides, not the headers)', async () => {
		const ts = newStore();
		// A Shopify-looking request, signed the Generic way, sent to a trigger whose credential is Shopify.
		const raw = fixtureBytes('shopify-orders-create.json');
		const request = { headers: { ...shopifyHeaders('orders/create'), 'X-Dialogue-Signature': sign(raw) }, body: raw };
		assertAnswered(await deliver({ store: ts, webhook: { source: 'shopify', secret: SECRET } }, request), 401, 'unauthorized');
		// A Generic event dressed up with Shopify headers, to a Generic credential: read as Generic, checked as Generic.
		const generic = genericDelivery(genericEvent({ id: 'dressed' }), SECRET, { 'X-Shopify-Topic': 'orders/create' });
		assert.equal(assertStarted(await deliver({ store: ts, webhook: { source: 'generic', secret: SECRET } }, generic)).id, 'dressed');
	});

	it('WooCommerce secrets are decoded the way WooCommerce signs with them (&amp; -> &)', async () => {
		const ts = newStore();
		const raw = fixtureBytes('woocommerce-order-created.json');
		const request = vendorDelivery('woocommerce', 'order.created', raw, 'a&b"c');
		const answer = await deliver({ store: ts, webhook: { source: 'woocommerce', secret: 'a&amp;b&quot;c' } }, request);
		assertStarted(answer);
	});

	it('Auto with a credential reads the credential\'s source', async () => {
		const ts = newStore();
		const answer = await deliver(
			{ store: ts, parameters: { source: 'auto', events: ['customer.registered'] }, webhook: { source: 'woocommerce', secret: SECRET } },
			fixtureDelivery('woocommerce-customer-created.json'),
		);
		assert.equal(assertStarted(answer).id, 'woocommerce:customer.created:25');
	});
});

describe('Storefront Trigger: WooCommerce ping and unsupported topics', () => {
	it('the ping WooCommerce sends when a webhook is saved gets 200, unsigned, records nothing', async () => {
		const ping: Request = {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)' },
			body: 'webhook_id=12',
		};
		for (const setup of [{}, { webhook: { source: 'woocommerce' as const, secret: SECRET } }]) {
			const ts = newStore();
			const body = assertAnswered(await deliver({ store: ts, ...setup }, ping), 200, 'ping');
			assert.match(String(body.message), /ping/);
			assert.deepEqual(counts(ts), NOTHING);
		}
	});

	it('a topic the package does not read gets 200 ignored (vendors disable failing webhooks), nothing recorded', async () => {
		const ts = newStore();
		const body = '{"id": 794, "name": "Premium Quality"}';
		const answer = await deliver({ store: ts, webhook: { source: 'woocommerce', secret: SECRET } }, vendorDelivery('woocommerce', 'product.updated', body));
		const answered = assertAnswered(answer, 200, 'ignored');
		assert.equal(answered.topic, 'product.updated');
		assert.match(String(answered.hint), /order\.created/);
		const shopify = await deliver({ store: ts, webhook: { source: 'shopify', secret: SECRET } }, vendorDelivery('shopify', 'products/update', body));
		assertAnswered(shopify, 200, 'ignored');
		assert.deepEqual(counts(ts), NOTHING);
	});

	it('an unsupported topic with a bad signature is still 401', async () => {
		const ts = newStore();
		const answer = await deliver({ store: ts, webhook: { source: 'shopify', secret: SECRET } }, vendorDelivery('shopify', 'products/update', '{}', 'wrong'));
		assertAnswered(answer, 401, 'unauthorized');
	});
});

describe('Storefront Trigger: duplicates', () => {
	it('the same delivery twice: the second records nothing and starts nothing', async () => {
		const ts = newStore();
		const setup = { store: ts, webhook: { source: 'shopify' as const, secret: SECRET } };
		assertStarted(await deliver(setup, fixtureDelivery('shopify-orders-create.json')));
		const once = counts(ts);
		clock.advance({ hours: 2 }); // Shopify retries for up to 48 hours
		const second = assertAnswered(await deliver(setup, fixtureDelivery('shopify-orders-create.json')), 200, 'duplicate');
		assert.equal(second.eventId, 'shopify:order.placed:820982911946154508');
		assert.deepEqual(counts(ts), once);
		clock.set(T0);
	});

	it('the start guarantee, at most once: the start is committed before n8n gets the execution data; that window is measured, and a crash in it makes the retry a duplicate', async () => {
		const ts = newStore();
		const setup = { store: ts, parameters: { events: ['customer.registered'] } };
		const calls = storeCalls(ts.store);
		const claim = ts.store.claimOccasions.bind(ts.store);
		let committedAt = 0n;
		ts.store.claimOccasions = async (claims, now) => {
			const won = await claim(claims, now);
			committedAt = process.hrtime.bigint();
			return won;
		};
		const windows: number[] = [];
		for (let i = 0; i < 50; i++) {
			committedAt = 0n;
			calls.length = 0;
			const answer = await deliver(setup, genericDelivery(genericEvent({ id: `window-${i}`, type: 'customer.registered' })));
			const handedOver = process.hrtime.bigint();
			assertStarted(answer);
			assert.ok(committedAt > 0n && committedAt <= handedOver, 'the start was committed before webhook() returned the execution data');
			// Nothing of the store comes after the start's claim: the window is this node's own synchronous work.
			assert.equal(calls.at(-1), 'claimOccasions', `the claim is the last store call (calls: ${calls.join(', ')})`);
			windows.push(Number(handedOver - committedAt) / 1e6);
		}
		windows.sort((a, b) => a - b);
		const median = windows[windows.length >> 1];
		console.log(`start committed -> execution data handed to n8n: median ${median.toFixed(3)} ms, max ${windows[windows.length - 1].toFixed(3)} ms`);

		// n8n stops before it saves the execution (the data above is dropped): the shop sees no 200
		// and retries, and the retry is answered as a duplicate. That start is lost, never doubled.
		assertAnswered(await deliver(setup, genericDelivery(genericEvent({ id: 'window-0', type: 'customer.registered' }))), 200, 'duplicate');
	});

	it('one store, several workflows: each trigger starts once per event; a record-only trigger uses up no start', async () => {
		const ts = newStore();
		const webhook = { source: 'shopify' as const, secret: SECRET };
		const recordOnly = { store: ts, webhook, workflowId: 'wf-record-only', parameters: { events: [] } };
		const thankYou = { store: ts, webhook, workflowId: 'wf-thank-you' };
		const bigSpenders = { store: ts, webhook, workflowId: 'wf-big-spenders' };
		assertAnswered(await deliver(recordOnly, fixtureDelivery('shopify-orders-create.json')), 200, 'recorded');
		const once = counts(ts);
		assertStarted(await deliver(thankYou, fixtureDelivery('shopify-orders-create.json')));
		assertStarted(await deliver(bigSpenders, fixtureDelivery('shopify-orders-create.json')));
		assertAnswered(await deliver(thankYou, fixtureDelivery('shopify-orders-create.json')), 200, 'duplicate');
		assertAnswered(await deliver(bigSpenders, fixtureDelivery('shopify-orders-create.json')), 200, 'duplicate');
		assertAnswered(await deliver(recordOnly, fixtureDelivery('shopify-orders-create.json')), 200, 'duplicate');
		assert.deepEqual(counts(ts), once, 'recorded once, whatever the number of triggers');
	});

	it('Shopify orders/create then orders/paid for one order: one placement, one execution', async () => {
		const ts = newStore();
		const setup = { store: ts, webhook: { source: 'shopify' as const, secret: SECRET } };
		assertStarted(await deliver(setup, fixtureDelivery('shopify-orders-create.json')));
		const paidBody = openShopifyOrder();
		paidBody.financial_status = 'paid';
		const paid = await deliver(setup, vendorDelivery('shopify', 'orders/paid', toVendorJson(paidBody)));
		assertAnswered(paid, 200, 'duplicate');
		assert.equal(counts(ts).orders, 1);
		assert.equal(counts(ts).events, 1);
	});

	it('the published Shopify sample, a cancelled and voided order, is recorded but starts nothing', async () => {
		const ts = newStore();
		const setup = { store: ts, webhook: { source: 'shopify' as const, secret: SECRET } };
		const answer = assertAnswered(await deliver(setup, vendorDelivery('shopify', 'orders/create', fixtureBytes('shopify-orders-create.json'))), 200, 'recorded');
		assert.equal(answer.reason, 'the order is cancelled');
		assert.equal(counts(ts).orders, 1);
	});

	it('Shopify orders/paid alone also starts once per order', async () => {
		const ts = newStore();
		const setup = { store: ts, webhook: { source: 'shopify' as const, secret: SECRET } };
		const paidBody = toVendorJson(openShopifyOrder());
		assert.equal(assertStarted(await deliver(setup, vendorDelivery('shopify', 'orders/paid', paidBody))).id, 'shopify:order.placed:820982911946154508');
		assertAnswered(await deliver(setup, vendorDelivery('shopify', 'orders/paid', paidBody)), 200, 'duplicate');
	});

	it('a Generic redelivery repeats the event id: duplicate, even with a new delivery id', async () => {
		const ts = newStore();
		assertStarted(await deliver({ store: ts }, genericDelivery(genericEvent(), null, { 'X-Dialogue-Delivery-Id': 'd-1' })));
		assertAnswered(await deliver({ store: ts }, genericDelivery(genericEvent(), null, { 'X-Dialogue-Delivery-Id': 'd-2' })), 200, 'duplicate');
		assert.equal(counts(ts).events, 1);
	});

	it('in the editor\'s test mode a redelivery starts again (the same sample may be resent) but records nothing twice', async () => {
		const ts = newStore();
		assertStarted(await deliver({ store: ts, mode: 'manual' }, genericDelivery(genericEvent())));
		const once = counts(ts);
		const again = await deliver({ store: ts, mode: 'manual' }, genericDelivery(genericEvent()));
		assertStarted(again);
		assert.equal(again.body?.duplicate, true);
		assert.deepEqual(counts(ts), once);
	});
});

describe('Storefront Trigger: malformed and wrong-shape bodies', () => {
	const badGeneric: Array<[string, string, string | RegExp]> = [
		['malformed JSON', '{"id": "evt-1", "type": "order.placed",', /body: is not valid JSON/],
		['an empty body', '', /body: is empty/],
		['a JSON array', '[1, 2]', /event/],
		['a page visit without a customer', JSON.stringify({ ...genericEvent({ type: 'page.visited', extra: { page: { url: 'https://shop.example/' } } }), customer: undefined }), /customer: is required/],
		['an unknown event type', JSON.stringify(genericEvent({ type: 'order.shipped' })), /type: .*not an event type/],
		['an order.placed without order', JSON.stringify({ ...genericEvent(), order: undefined }), /order: is required/],
		['a price that is not an amount', JSON.stringify(genericEvent({ extra: { order: { id: 'o', total: 'ten', currency: 'EUR' } } })), /order\.total/],
	];
	for (const [what, body, message] of badGeneric) {
		it(`Generic, ${what}: 400 naming what is wrong, nothing recorded`, async () => {
			const ts = newStore();
			const answered = assertAnswered(await deliver({ store: ts }, { headers: { 'Content-Type': 'application/json' }, body }), 400, 'invalid');
			assert.match(String(answered.message), message instanceof RegExp ? message : new RegExp(message));
			assert.ok(answered.field, 'the field is named');
			assert.ok(answered.hint, 'the answer says what to change');
			assert.deepEqual(counts(ts), NOTHING);
		});
	}

	it('Shopify, a signed body that does not fit the topic: 400, nothing recorded', async () => {
		const ts = newStore();
		const setup = { store: ts, webhook: { source: 'shopify' as const, secret: SECRET } };
		const noTotal = openShopifyOrder();
		delete noTotal.total_price;
		const answered = assertAnswered(await deliver(setup, vendorDelivery('shopify', 'orders/create', toVendorJson(noTotal))), 400, 'invalid');
		assert.equal(answered.field, 'total_price');
		assertAnswered(await deliver(setup, vendorDelivery('shopify', 'orders/create', '["not", "an", "order"]')), 400, 'invalid');
		assertAnswered(await deliver(setup, vendorDelivery('shopify', 'orders/create', '{"id": 1,')), 400, 'invalid');
		assert.deepEqual(counts(ts), NOTHING);
	});

	it('WooCommerce, a signed order without an id: 400, nothing recorded', async () => {
		const ts = newStore();
		const order = fixture('woocommerce-order-created.json');
		delete order.id;
		const answer = await deliver({ store: ts, webhook: { source: 'woocommerce', secret: SECRET } }, vendorDelivery('woocommerce', 'order.created', JSON.stringify(order)));
		assert.equal(assertAnswered(answer, 400, 'invalid').field, 'id');
		assert.deepEqual(counts(ts), NOTHING);
	});

	it('a vendor credential and a request without the vendor topic header: 400 naming the header', async () => {
		const ts = newStore();
		const body = JSON.stringify(genericEvent());
		const answer = await deliver({ store: ts, webhook: { source: 'shopify', secret: SECRET } }, { headers: { 'X-Shopify-Hmac-Sha256': sign(body) }, body });
		assert.match(String(assertAnswered(answer, 400, 'invalid').message), /X-Shopify-Topic/);
		assert.deepEqual(counts(ts), NOTHING);
	});

	it('rawBody not read by n8n: read on demand; unreadable: 400', async () => {
		const ts = newStore();
		assertStarted(await deliver({ store: ts }, { ...genericDelivery(genericEvent()), lazyBody: 'reads' }));
		const ts2 = newStore();
		const answered = assertAnswered(await deliver({ store: ts2 }, { ...genericDelivery(genericEvent()), lazyBody: 'fails' }), 400, 'invalid');
		assert.equal(answered.field, 'body');
		assert.deepEqual(counts(ts2), NOTHING);
	});
});

describe('Storefront Trigger: orders over time, keys, refunds and guests', () => {
	const shopify = (ts: TestStore) => ({ store: ts, webhook: { source: 'shopify' as const, secret: SECRET } });
	const woo = (ts: TestStore) => ({ store: ts, webhook: { source: 'woocommerce' as const, secret: SECRET } });
	const SHOPIFY_CUSTOMER = '115310627314723954';
	/** The open Shopify sample at `updatedAt`, changed by `extra`. */
	const shopifyOrder = (updatedAt: string, extra: IDataObject = {}) => toVendorJson({ ...openShopifyOrder(), updated_at: updatedAt, ...extra });
	const spent = async (ts: TestStore, customerId: string) =>
		(await ts.store.purchases([{ customerId }]))[0].totals.map((t) => [t.currency, t.orders, t.amountMinor]);

	it('Shopify create, cancel, then a delayed older paid update: the order stays cancelled', async () => {
		const ts = newStore();
		assertStarted(await deliver(shopify(ts), vendorDelivery('shopify', 'orders/create', shopifyOrder('2022-01-01T00:00:00Z'))));
		const cancelled = shopifyOrder('2022-01-01T02:00:00Z', { cancelled_at: '2022-01-01T02:00:00Z', financial_status: 'voided' });
		assertAnswered(await deliver(shopify(ts), vendorDelivery('shopify', 'orders/cancelled', cancelled)), 200, 'recorded');
		assert.deepEqual(await spent(ts, SHOPIFY_CUSTOMER), []);
		const late = shopifyOrder('2022-01-01T01:00:00Z', { financial_status: 'paid' });
		assertAnswered(await deliver(shopify(ts), vendorDelivery('shopify', 'orders/updated', late)), 200, 'recorded');
		assert.deepEqual(await spent(ts, SHOPIFY_CUSTOMER), [], 'the older update does not count the order again');
		assert.equal((await ts.store.getCustomer(SHOPIFY_CUSTOMER))?.lastOrderAt, undefined);
	});

	it('Shopify orders/cancelled before orders/create: recorded, not counted, and the create starts nothing', async () => {
		const ts = newStore();
		const cancelled = shopifyOrder('2022-01-01T02:00:00Z', { cancelled_at: '2022-01-01T02:00:00Z', financial_status: 'voided' });
		assertAnswered(await deliver(shopify(ts), vendorDelivery('shopify', 'orders/cancelled', cancelled)), 200, 'recorded');
		const create = assertAnswered(await deliver(shopify(ts), vendorDelivery('shopify', 'orders/create', shopifyOrder('2022-01-01T00:00:00Z'))), 200, 'recorded');
		assert.equal(create.reason, 'the order is cancelled');
		assert.deepEqual(await spent(ts, SHOPIFY_CUSTOMER), []);
		assert.equal(counts(ts).orders, 1);
	});

	it('WooCommerce order 727 and a Generic update of order "727" for another customer are two orders', async () => {
		const ts = newStore();
		assertStarted(await deliver(woo(ts), fixtureDelivery('woocommerce-order-created.json')));
		const update = genericEvent({ id: 'gen-upd-727', type: 'order.updated', customer: { id: 'cust-other' } });
		update.order = { id: '727', total: '99.00', currency: 'USD', status: 'cancelled', lines: [] };
		assertAnswered(await deliver({ store: ts, parameters: { events: [] } }, genericDelivery(update)), 200, 'recorded');
		assert.deepEqual(await spent(ts, 'email:john.doe@example.com'), [['USD', 1, 2935n]], 'the WooCommerce customer\'s order is untouched');
		assert.equal(counts(ts).orders, 2);
	});

	it('WooCommerce refunds are subtracted from the amount spent', async () => {
		const ts = newStore();
		assertStarted(await deliver(woo(ts), fixtureDelivery('woocommerce-order-created.json')));
		const refunded = { ...fixture('woocommerce-order-created.json'), date_modified_gmt: '2017-03-23T10:00:00', refunds: [{ id: 730, reason: 'scratched', total: '-10.00' }] };
		assertAnswered(await deliver(woo(ts), vendorDelivery('woocommerce', 'order.updated', JSON.stringify(refunded))), 200, 'recorded');
		assert.deepEqual(await spent(ts, 'email:john.doe@example.com'), [['USD', 1, 1935n]]);
	});

	it('a Shopify point-of-sale sale without customer, email or phone is recorded (200) and starts nothing', async () => {
		const ts = newStore();
		const pos = shopifyOrder('2022-01-01T00:00:00Z', { customer: null, email: null, contact_email: null, phone: null, billing_address: null, shipping_address: null });
		const answer = assertAnswered(await deliver(shopify(ts), vendorDelivery('shopify', 'orders/create', pos)), 200, 'recorded');
		assert.match(String(answer.reason), /names no customer/);
		assert.deepEqual([counts(ts).events, counts(ts).orders, counts(ts).customers], [1, 1, 0]);
	});

	it('a phone-only Shopify order is a guest keyed by the phone and starts the workflow', async () => {
		const ts = newStore();
		const phoneOnly = shopifyOrder('2022-01-01T00:00:00Z', { customer: null, email: null, contact_email: null, phone: '+1 555-625-1199' });
		const item = assertStarted(await deliver(shopify(ts), vendorDelivery('shopify', 'orders/create', phoneOnly)));
		assert.equal((item.customer as IDataObject).id, 'phone:+15556251199');
		assert.equal((await ts.store.getCustomer('phone:+15556251199'))?.phone, '+1 555-625-1199');
	});

	it('a WooCommerce admin order with an empty billing email is recorded (200): by phone, or without a customer', async () => {
		const ts = newStore();
		const sample = fixture('woocommerce-order-created.json');
		const byPhone = { ...sample, billing: { ...(sample.billing as IDataObject), email: '' } };
		assertStarted(await deliver(woo(ts), vendorDelivery('woocommerce', 'order.created', JSON.stringify(byPhone))));
		const nobody = { ...sample, id: 728, billing: { ...(sample.billing as IDataObject), email: '', phone: '' } };
		const answer = assertAnswered(await deliver(woo(ts), vendorDelivery('woocommerce', 'order.created', JSON.stringify(nobody))), 200, 'recorded');
		assert.match(String(answer.reason), /names no customer/);
		assert.equal(counts(ts).orders, 2);
	});
});

describe('Storefront Trigger: event types and filters', () => {
	it('an event type not selected is recorded (200) and starts nothing', async () => {
		const ts = newStore();
		const setup = { store: ts, parameters: { events: ['cart.updated'] }, webhook: { source: 'shopify' as const, secret: SECRET } };
		const answered = assertAnswered(await deliver(setup, fixtureDelivery('shopify-orders-create.json')), 200, 'recorded');
		assert.equal(answered.reason, 'event type order.placed is not selected');
		const rows = counts(ts);
		assert.equal(rows.events, 1);
		assert.equal(rows.orders, 1);
	});

	it('no event type selected: record only', async () => {
		const ts = newStore();
		const answered = assertAnswered(await deliver({ store: ts, parameters: { events: [] } }, genericDelivery(genericEvent())), 200, 'recorded');
		assert.match(String(answered.reason), /record only/);
		assert.equal(counts(ts).events, 1);
	});

	it('Any Event starts on every type; several types start on each of them', async () => {
		const ts = newStore();
		const any = await deliver({ store: ts, parameters: { events: ['*'] } }, genericDelivery(genericEvent({ id: 'r-1', type: 'customer.registered' })));
		assertStarted(any);
		const setup = { store: ts, parameters: { events: ['customer.registered', 'cart.updated'] }, webhook: { source: 'shopify' as const, secret: SECRET } };
		assertStarted(await deliver(setup, fixtureDelivery('shopify-customers-create.json')));
		const cart = assertStarted(await deliver(setup, fixtureDelivery('shopify-checkouts-create.json')));
		assert.equal(cart.type, 'cart.updated');
		assert.equal((cart.cart as IDataObject).recoveryUrl, 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token');
		assertAnswered(await deliver(setup, fixtureDelivery('shopify-orders-create.json')), 200, 'recorded');
		assert.equal(counts(ts).carts, 1);
	});

	/** Delivers a Generic event to a trigger with these filters; true when it started. */
	async function passes(filters: INodeParameters, event: IDataObject, events: string[] = ['*']): Promise<boolean> {
		const ts = newStore();
		const answer = await deliver({ store: ts, parameters: { events, filters } }, genericDelivery(event));
		assert.equal(counts(ts).events, 1, 'recorded whether or not it starts');
		if (answer.started) return true;
		assert.equal(answer.status, 200);
		assert.equal(answer.body?.status, 'recorded');
		assert.match(String(answer.body?.reason), /^filter not met: /);
		return false;
	}

	it('filter: minimum order total, with and without currency', async () => {
		assert.equal(await passes({ minimumTotal: 80 }, genericEvent()), true);
		assert.equal(await passes({ minimumTotal: 80.01 }, genericEvent()), false);
		assert.equal(await passes({ minimumTotal: 50, currency: 'EUR' }, genericEvent()), true);
		assert.equal(await passes({ minimumTotal: 50, currency: 'USD' }, genericEvent()), false);
		assert.equal(await passes({ minimumTotal: 0 }, genericEvent({ type: 'customer.registered' })), false);
	});

	it('filter: minimum order total on vendor orders (Shopify 404.95 USD, WooCommerce 29.35 USD)', async () => {
		const shopify = { store: newStore(), parameters: { filters: { minimumTotal: 400, currency: 'USD' } }, webhook: { source: 'shopify' as const, secret: SECRET } };
		assertStarted(await deliver(shopify, fixtureDelivery('shopify-orders-create.json')));
		const woo = { store: newStore(), parameters: { filters: { minimumTotal: 30 } }, webhook: { source: 'woocommerce' as const, secret: SECRET } };
		const answered = assertAnswered(await deliver(woo, fixtureDelivery('woocommerce-order-created.json')), 200, 'recorded');
		assert.equal(answered.reason, 'filter not met: minimum order total');
	});

	it('filter: any of these categories in the order, the cart or the product', async () => {
		assert.equal(await passes({ categories: 'Bags, shoes' }, genericEvent()), true);
		assert.equal(await passes({ categories: 'Bags' }, genericEvent()), false);
		const cart = genericEvent({
			type: 'cart.updated',
			extra: { cart: { id: 'cart-1', total: '25.00', currency: 'EUR', lines: [{ productId: 'b-1', categories: ['Bags'], quantity: 1, price: '25.00' }] } },
		});
		assert.equal(await passes({ categories: 'bags' }, cart), true);
		const view = genericEvent({ type: 'product.viewed', extra: { product: { id: 'hat-1', categories: ['Hats'] } } });
		assert.equal(await passes({ categories: 'hats' }, view), true);
		assert.equal(await passes({ categories: 'hats' }, genericEvent({ type: 'customer.registered' })), false);
	});

	it('filter: categories from Shopify product type and tags', async () => {
		const body = openShopifyOrder();
		const lines = body.line_items as IDataObject[];
		lines[0].product_type = 'Sunglasses';
		const setup = { store: newStore(), parameters: { filters: { categories: 'sunglasses' } }, webhook: { source: 'shopify' as const, secret: SECRET } };
		assertStarted(await deliver(setup, vendorDelivery('shopify', 'orders/create', toVendorJson(body))));
		const other = { ...setup, store: newStore(), parameters: { filters: { categories: 'hats' } } };
		assertAnswered(await deliver(other, vendorDelivery('shopify', 'orders/create', toVendorJson(body))), 200, 'recorded');
		assert.equal(counts(setup.store).order_categories, 1);
	});

	it('filter: URL contains / equals / starts with (page.visited)', async () => {
		const visit = genericEvent({ type: 'page.visited', extra: { page: { url: 'https://shop.example.com/Sale/summer?utm=x' } } });
		assert.equal(await passes({ urlContains: '/sale/' }, visit), true);
		assert.equal(await passes({ urlContains: '/winter/' }, visit), false);
		assert.equal(await passes({ urlEquals: 'https://shop.example.com/sale/summer?utm=x' }, visit), true);
		assert.equal(await passes({ urlEquals: 'https://shop.example.com/sale/summer' }, visit), false);
		assert.equal(await passes({ urlStartsWith: 'https://shop.example.com/sale' }, visit), true);
		assert.equal(await passes({ urlStartsWith: 'https://shop.example.com/blog' }, visit), false);
		assert.equal(await passes({ urlContains: '/sale/' }, genericEvent()), false, 'an order has no URL');
	});

	it('filter: promotion or coupon code applied (any, or one of a list)', async () => {
		const withCode = genericEvent({ extra: { order: { ...(genericEvent().order as IDataObject), couponCodes: ['WELCOME10'] } } });
		const withPromotion = genericEvent({ extra: { order: { ...(genericEvent().order as IDataObject), promotions: ['Summer Sale'] } } });
		assert.equal(await passes({ codeApplied: '' }, withCode), true);
		assert.equal(await passes({ codeApplied: '' }, withPromotion), true);
		assert.equal(await passes({ codeApplied: '' }, genericEvent()), false);
		assert.equal(await passes({ codeApplied: 'welcome10, VIP' }, withCode), true);
		assert.equal(await passes({ codeApplied: 'summer sale' }, withPromotion), true);
		assert.equal(await passes({ codeApplied: 'VIP' }, withCode), false);
	});

	it('filter: a WooCommerce coupon line; the code is marked redeemed in its pool', async () => {
		const ts = newStore();
		await ts.store.ensurePools(['welcome'], clock.now());
		await ts.store.addCodes('welcome', [{ code: 'WELCOME10' }], clock.now());
		await ts.store.claimCodes('welcome', [{ customerId: 'email:john.doe@example.com', key: 'k1' }], clock.now());
		const order = fixture('woocommerce-order-created.json');
		order.coupon_lines = [{ id: 1, code: 'welcome10', discount: '1.00', discount_tax: '0.00', meta_data: [] }];
		const setup = { store: ts, parameters: { filters: { codeApplied: 'WELCOME10' } }, webhook: { source: 'woocommerce' as const, secret: SECRET } };
		const item = assertStarted(await deliver(setup, vendorDelivery('woocommerce', 'order.created', JSON.stringify(order))));
		assert.deepEqual((item.order as IDataObject).couponCodes, ['welcome10']);
		assert.equal((await ts.store.poolStatus('welcome', clock.now())).redeemed, 1);
	});

	it('every filter added must be met', async () => {
		const filters = { minimumTotal: 50, currency: 'EUR', categories: 'Socks', codeApplied: '' };
		assert.equal(await passes(filters, genericEvent()), false);
		const withCode = genericEvent({ extra: { order: { ...(genericEvent().order as IDataObject), couponCodes: ['X1'] } } });
		assert.equal(await passes(filters, withCode), true);
	});
});

describe('Storefront Trigger: output and settings', () => {
	it('the output item is the canonical event; the raw payload is added under the option', async () => {
		const ts = newStore();
		const setup = { store: ts, parameters: { options: { includeRaw: true } }, webhook: { source: 'shopify' as const, secret: SECRET } };
		const item = assertStarted(await deliver(setup, fixtureDelivery('shopify-orders-create.json')));
		assert.deepEqual(Object.keys(item).sort(), ['customer', 'id', 'occurredAt', 'order', 'raw', 'source', 'type']);
		const raw = item.raw as IDataObject;
		assert.equal(raw.id, '820982911946154508', 'big ids keep every digit');
		assert.equal(raw.total_price, '404.95');
		assert.equal((item.customer as IDataObject).email, 'john@example.com');
	});

	it('the store records what Purchase Check reads: customer, order total, lines, categories', async () => {
		const ts = newStore();
		assertStarted(await deliver({ store: ts }, genericDelivery(genericEvent())));
		const customer = await ts.store.getCustomer('cust-7');
		assert.equal(customer?.email, 'ada@example.com');
		const [stats] = await ts.store.purchases([{ customerId: 'cust-7' }]);
		assert.deepEqual(stats.totals, [{ currency: 'EUR', orders: 1, amountMinor: 8000n }]);
		assert.deepEqual([...stats.categories].sort(), ['Shoes', 'Socks']);
	});

	it('a node Source that differs from the credential\'s is an error: no answer of its own, nothing recorded', async () => {
		const ts = newStore();
		const setup = { store: ts, parameters: { source: 'woocommerce' }, webhook: { source: 'shopify' as const, secret: SECRET } };
		await assert.rejects(deliver(setup, fixtureDelivery('shopify-orders-create.json')), (error: unknown) => {
			assert.ok(error instanceof NodeOperationError);
			assert.match(error.message, /reads WooCommerce deliveries but the Storefront Webhook credential is for Shopify/);
			assert.match(String(error.description), /Set Source to Auto/);
			return true;
		});
		assert.deepEqual(counts(ts), NOTHING);
		await assert.rejects(activate(setup), /credential is for Shopify/);
	});

	it('an empty signing secret fails activation (checkExists and create) with a message that names the field and says what to change', async () => {
		const ts = newStore();
		const setup = { store: ts, webhook: { source: 'shopify' as const, secret: '' } };
		// n8n 2.x reports a failed publication by the error's message alone, so the message carries the fix.
		for (const method of ['checkExists', 'create'] as const) {
			await assert.rejects(activate(setup, method), (error: unknown) => {
				assert.ok(error instanceof NodeOperationError);
				assert.match(error.message, /^credential\.secret: is empty, so no delivery could be verified\. Edit the Storefront Webhook credential and paste the signing secret/);
				return true;
			});
		}
		assert.deepEqual(counts(ts), NOTHING);
	});

	it('activation checks the settings: a bad filter value fails it, good settings pass', async () => {
		const ts = newStore();
		await assert.rejects(activate({ store: ts, parameters: { filters: { currency: 'euros' } } }), /filters\.currency/);
		await assert.rejects(activate({ store: ts, webhook: { source: 'shopify', secret: '' } }), /credential\.secret/);
		assert.equal(await activate({ store: ts, webhook: { source: 'shopify', secret: SECRET } }), true);
		assert.equal(await activate({ store: ts }), true);
	});

	it('in queue mode a SQLite store fails activation and every delivery (n8n answers 500, the shop retries), recording nothing', async () => {
		const ts = newStore();
		const setup = { store: ts, webhook: { source: 'generic' as const, secret: SECRET } };
		const refused = (error: unknown) => {
			assert.ok(error instanceof NodeOperationError);
			assert.match(error.message, /^type: n8n runs in queue mode \(EXECUTIONS_MODE=queue\).*split the ledger/);
			assert.match(`${error.message} ${String(error.description)}`, /PostgreSQL Dialogue Store.*DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE=true/);
			return true;
		};
		process.env.EXECUTIONS_MODE = 'queue';
		try {
			for (const method of ['checkExists', 'create'] as const) await assert.rejects(activate(setup, method), refused);
			await assert.rejects(deliver(setup, genericDelivery(genericEvent(), SECRET)), refused);
			assert.deepEqual(counts(ts), NOTHING);
			process.env.DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE = 'true';
			assert.equal(await activate(setup), true);
			assertStarted(await deliver(setup, genericDelivery(genericEvent(), SECRET)));
		} finally {
			delete process.env.EXECUTIONS_MODE;
			delete process.env.DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE;
		}
	});

	it('the description: a trigger with one POST webhook, every credential optional, shop credentials only with Register Webhooks in the Shop, a notice about unsigned events', () => {
		const { description } = trigger;
		assert.deepEqual(description.group, ['trigger']);
		assert.deepEqual(description.inputs, []);
		assert.equal(description.webhooks?.length, 1);
		assert.equal(description.webhooks?.[0].httpMethod, 'POST');
		assert.equal(description.webhooks?.[0].responseMode, 'onReceived');
		assert.deepEqual(
			description.credentials?.map((c) => [c.name, c.required]),
			[
				['dialogueStoreApi', false],
				['storefrontWebhookApi', false],
				['shopifyAccessTokenApi', false],
				['shopifyOAuth2Api', false],
				['wooCommerceApi', false],
			],
		);
		for (const credential of description.credentials?.slice(2) ?? []) assert.deepEqual(credential.displayOptions?.show?.registerWebhooks, [true]);
		const notice = description.properties.find((p) => p.type === 'notice');
		assert.match(String(notice?.displayName), /refuses every delivery \(401\), unless Accept Unsigned Events is on/);
		const events = description.properties.find((p) => p.name === 'events');
		assert.deepEqual(events?.default, ['order.placed']);
	});

	it('Accept Unsigned Events is on for versions 1 and 1.1 (saved workflows keep accepting) and off for a new node', () => {
		const { description } = trigger;
		assert.equal(description.defaultVersion, 1.2);
		const acceptUnsigned = (typeVersion: number) =>
			NodeHelpers.getNodeParameters(description.properties, {}, true, false, { typeVersion } as INode, description)?.acceptUnsigned;
		assert.deepEqual([1, 1.1, 1.2].map(acceptUnsigned), [true, true, false]);
		for (const property of description.properties.filter((p) => p.name === 'acceptUnsigned')) {
			assert.match(String(property.description), /Anyone who knows the URL can then send events that record customers and orders and start the workflow/);
		}
	});
});

describe('Storefront Trigger: unsigned events cannot forge', () => {
	const unsignedOff = { acceptUnsigned: undefined };

	it('a new trigger without a credential refuses unsigned Generic events (401): no customer, order or coupon touched', async () => {
		const ts = newStore();
		await ts.store.ensurePools(['only-one'], clock.now());
		await ts.store.addCodes('only-one', [{ code: 'FREE-1' }], clock.now());
		await ts.store.recordEvents([{ id: 'known', type: 'customer.registered', occurredAt: T0, source: 'shopify', customer: { id: 'cust-7', email: 'ada@example.com' } }], clock.now());
		const before = counts(ts);
		const forged = genericEvent({ customer: { id: 'cust-7', email: 'attacker@example.com' }, extra: { order: { ...(genericEvent().order as IDataObject), couponCodes: ['FREE-1'] } } });
		const body = assertAnswered(await deliver({ store: ts, parameters: unsignedOff }, genericDelivery(forged)), 401, 'unauthorized');
		assert.match(String(body.hint), /Accept Unsigned Events/);
		assert.deepEqual(counts(ts), before);
		assert.equal((await ts.store.getCustomer('cust-7'))?.email, 'ada@example.com');
		assert.equal((await ts.store.poolStatus('only-one', clock.now())).redeemed, 0);
		assertStarted(await deliver({ store: ts, parameters: { acceptUnsigned: true } }, genericDelivery(genericEvent({ id: 'switched-on' }))));
	});

	for (const typeVersion of [1, 1.1]) {
		it(`version ${typeVersion} keeps accepting unsigned Generic events until the switch is turned off`, async () => {
			const ts = newStore();
			assertStarted(await deliver({ store: ts, typeVersion, parameters: unsignedOff }, genericDelivery(genericEvent({ id: 'saved-before' }))));
			assertAnswered(await deliver({ store: ts, typeVersion, parameters: { acceptUnsigned: false } }, genericDelivery(genericEvent({ id: 'off' }))), 401, 'unauthorized');
			assert.equal(counts(ts).events, 1);
		});
	}

	it('a Generic body cannot take a Shopify event: refused (400 naming id), and the real delivery records its own customer and total', async () => {
		const ts = newStore();
		const eventId = 'shopify:order.placed:820982911946154508';
		const forged = genericEvent({
			id: eventId,
			customer: { id: 'forger', email: 'forger@example.com' },
			extra: { source: 'shopify', order: { id: '820982911946154508', total: '0.01', currency: 'EUR', lines: [] } },
		});
		const refused = assertAnswered(await deliver({ store: ts, workflowId: 'wf-generic' }, genericDelivery(forged)), 400, 'invalid');
		assert.equal(refused.field, 'id');
		assert.deepEqual(counts(ts), NOTHING);
		const real = assertStarted(await deliver({ store: ts, webhook: { source: 'shopify', secret: SECRET } }, fixtureDelivery('shopify-orders-create.json')));
		assert.equal(real.id, eventId);
		const db = new DatabaseSync(ts.file, { readOnly: true });
		try {
			assert.deepEqual({ ...db.prepare('SELECT source, customer_id FROM events WHERE id = ?').get(eventId) }, { source: 'shopify', customer_id: (real.customer as IDataObject).id });
			assert.deepEqual({ ...db.prepare('SELECT total_minor FROM orders WHERE id = ?').get('820982911946154508') }, { total_minor: 40495 });
		} finally {
			db.close();
		}
	});

	it('a Generic event is recorded with source generic, whatever its body says', async () => {
		const ts = newStore();
		const item = assertStarted(await deliver({ store: ts }, genericDelivery(genericEvent({ id: 'says-shopify', extra: { source: 'shopify' } }))));
		assert.equal(item.source, 'generic');
		const db = new DatabaseSync(ts.file, { readOnly: true });
		try {
			assert.deepEqual({ ...db.prepare('SELECT source FROM events WHERE id = ?').get('says-shopify') }, { source: 'generic' });
		} finally {
			db.close();
		}
	});
});

describe('Storefront Trigger: body size', () => {
	/** A Generic order of about `kb` KB: lines of one product each. */
	const bigOrder = (kb: number) => {
		const line = { productId: 'p', categories: [], quantity: 1, price: '1.00' };
		const lines = Array.from({ length: Math.ceil((kb * 1024) / JSON.stringify(line).length) }, (_, i) => ({ ...line, productId: `p-${i}` }));
		return genericEvent({ id: `big-${kb}`, extra: { order: { id: `big-${kb}`, total: `${lines.length}.00`, currency: 'EUR', lines } } });
	};

	it('a body above the default 1024 KB is answered 413, nothing recorded', async () => {
		const ts = newStore();
		const request = genericDelivery(bigOrder(1100));
		assert.ok(Buffer.byteLength(request.body as string) > 1024 * 1024);
		const answer = await deliver({ store: ts }, request);
		assert.equal(answer.status, 413, 'refused by its size');
		const answered = assertAnswered(answer, 413, 'too_large');
		assert.equal(answered.field, 'body');
		assert.match(String(answered.message), /above this trigger's limit of 1024 KB/);
		assert.match(String(answered.hint), /Max Body Size/);
		assert.deepEqual(counts(ts), NOTHING);
	});

	it('Max Body Size (KB) sets the limit; signed vendor deliveries above it are refused too', async () => {
		const ts = newStore();
		const small = { options: { maxBodySize: 1 } };
		assertStarted(await deliver({ store: ts, parameters: small }, genericDelivery(genericEvent({ id: 'small' }))));
		assertAnswered(await deliver({ store: ts, parameters: small }, genericDelivery(bigOrder(2))), 413, 'too_large');
		assertAnswered(await deliver({ store: ts, parameters: small, webhook: { source: 'shopify', secret: SECRET } }, fixtureDelivery('shopify-orders-create.json')), 413, 'too_large');
		assert.equal(counts(ts).events, 1);
	});

	it('a Content-Length above the limit is answered 413 without reading the body', async () => {
		const ts = newStore();
		const request: Request = { ...genericDelivery(genericEvent()), lazyBody: 'fails' };
		request.headers = { ...request.headers, 'Content-Length': String(2 * 1024 * 1024) };
		assertAnswered(await deliver({ store: ts }, request), 413, 'too_large');
		assert.deepEqual(counts(ts), NOTHING);
	});
});

describe('Storefront Trigger: credentials are read once per activation, not per delivery', () => {
	// n8n builds an expression isolate for every credential read outside an execution, so an active
	// trigger keeps what it read (nodes/shared/credentials.ts) and reads again only when it must.
	const events = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => genericEvent({ id: `${prefix}-${i}`, extra: { order: { id: `${prefix}-order-${i}`, total: '10.00', currency: 'EUR', lines: [] } } }));

	it('ten deliveries read each credential once; concurrent first deliveries share that read', async () => {
		const reads = { webhook: 0, store: 0 };
		const setup: Setup = { store: newStore(), webhook: { source: 'generic', secret: SECRET }, webhookCredentialId: 'hook-once', reads, workflowId: 'wf-once' };
		const answers = await Promise.all(events('once', 10).map((event) => deliver(setup, genericDelivery(event, SECRET))));
		for (const answer of answers) assertStarted(answer);
		assert.deepEqual(reads, { webhook: 1, store: 1 });
		assertAnswered(await deliver(setup, genericDelivery(events('once', 1)[0], SECRET)), 200, 'duplicate');
		assert.deepEqual(reads, { webhook: 1, store: 1 });
	});

	it('a rotated secret takes effect on its first delivery; forged deliveries read the credential at most once a second', async () => {
		const reads = { webhook: 0, store: 0 };
		const setup: Setup = { store: newStore(), webhook: { source: 'generic', secret: 'old-secret' }, webhookCredentialId: 'hook-rotated', reads, workflowId: 'wf-rotated' };
		const [first, second, third, fourth] = events('rotated', 4);
		assertStarted(await deliver(setup, genericDelivery(first, 'old-secret')));
		setup.webhook = { source: 'generic', secret: 'new-secret' }; // edited in n8n: same credential id
		clock.advance(RECHECK_MS);
		assertStarted(await deliver(setup, genericDelivery(second, 'new-secret')));
		assert.equal(reads.webhook, 2, 'the refusal with the cached secret read the credential again');
		for (let n = 0; n < 5; n++) assertAnswered(await deliver(setup, genericDelivery(third, 'old-secret')), 401, 'unauthorized');
		assertAnswered(await deliver(setup, genericDelivery(third)), 401, 'unauthorized');
		assert.equal(reads.webhook, 2, 'refusals within a second of the last read use that read');
		clock.advance(RECHECK_MS);
		assertAnswered(await deliver(setup, genericDelivery(fourth, 'forged')), 401, 'unauthorized');
		assert.equal(reads.webhook, 3, 'a second later, a refusal is checked against a new read first');
		assert.equal(counts(setup.store).events, 2, 'the refused deliveries recorded nothing');
	});

	it('an edited credential is read again after the cache time, without a signature failing first', async () => {
		const reads = { webhook: 0, store: 0 };
		const storeA = newStore();
		const storeB = newStore();
		const setup: Setup = { store: storeA, reads, workflowId: 'wf-edited' };
		// The same store credential id, first pointing at A, then edited to point at B.
		const node = (s: Setup) => ({ ...s, store: { ...s.store, file: storeA.file } });
		const [first, second, third] = events('edited', 3);
		assertStarted(await deliver(node(setup), genericDelivery(first)));
		setup.store = storeB;
		assertStarted(await deliver(node(setup), genericDelivery(second)));
		assert.equal(counts(storeA).events, 2, 'within the cache time the trigger still writes where it read');
		clock.advance(CREDENTIAL_CACHE_MS);
		assertStarted(await deliver(node(setup), genericDelivery(third)));
		assert.equal(counts(storeB).events, 1, 'after the cache time the edit is in effect');
		assert.equal(reads.store, 2);
	});

	it('activation and deactivation drop what was cached; test runs in the editor always read', async () => {
		const reads = { webhook: 0, store: 0 };
		const setup: Setup = { store: newStore(), webhook: { source: 'generic', secret: SECRET }, webhookCredentialId: 'hook-activated', reads, workflowId: 'wf-activated' };
		const [first, second, third, fourth, fifth] = events('activated', 5);
		assertStarted(await deliver(setup, genericDelivery(first, SECRET)));
		const cachedBefore = cachedCredentialCount();
		assert.equal(await activate(setup, 'delete'), true);
		assert.equal(cachedCredentialCount(), cachedBefore - 2, 'both credentials of this node were dropped');
		assertStarted(await deliver(setup, genericDelivery(second, SECRET)));
		assert.deepEqual(reads, { webhook: 2, store: 2 });
		// n8n activates with checkExists (and calls create only if that says false): both drop the cache.
		assert.equal(await activate(setup, 'checkExists'), true);
		assertStarted(await deliver(setup, genericDelivery(third, SECRET)));
		assert.equal(await activate(setup, 'create'), true);
		assertStarted(await deliver(setup, genericDelivery(fourth, SECRET)));
		assert.deepEqual(reads, { webhook: 4, store: 4 }, 'each activation read the webhook credential afresh and dropped the store read');
		assertStarted(await deliver({ ...setup, mode: 'manual' }, genericDelivery(fifth, SECRET)));
		assert.deepEqual(reads, { webhook: 5, store: 5 }, 'a test delivery reads both credentials');
	});

	it('a failed read is not kept: the next delivery reads again', async () => {
		const setup: Setup = { store: newStore(), webhook: { source: 'generic', secret: SECRET }, webhookCredentialId: 'hook-failing', workflowId: 'wf-failing' };
		const [first] = events('failing', 1);
		const failing: Setup = { ...setup, webhook: undefined, webhookCredentialId: undefined };
		// The node still has the credential selected, but n8n cannot read it (deleted, or a key mismatch).
		const node = nodeOf(setup);
		const ctx = {
			getNode: () => node,
			getWorkflow: () => ({ id: 'wf-failing', active: true }),
			getMode: () => 'webhook',
			getNodeParameter: getNodeParameter(node),
			getCredentials: getCredentials(failing),
			getRequestObject: () => ({ headers: {}, rawBody: Buffer.from('{}') }),
			getResponseObject: () => ({}),
			getHeaderData: () => ({}),
		} as unknown as IWebhookFunctions;
		await assert.rejects(trigger.webhook.call(ctx), /does not have any credentials set/);
		assertStarted(await deliver(setup, genericDelivery(first, SECRET)));
	});
});
