/**
 * core/trigger.ts: settings, filters, the event-type choice, the dedup policy and one delivery end
 * to end over a recorder fake (the node tests run the same flow over a real SQLite store).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from '@jest/globals';
import type { CanonicalEvent } from '../../core/event';
import { InputError } from '../../core/errors';
import type { RecordOutcome } from '../../core/store';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
import {
	ANY_EVENT,
	admit,
	filtersOf,
	receiveDelivery,
	startDecision,
	triggerSettings,
	unmetFilter,
	type TriggerOutcome,
	type TriggerSettings,
} from '../../core/trigger';
import { fixtureBytes, openShopifyOrderBytes } from './events/helpers';

const SECRET = 'shh-its-a-secret';
const sign = (body: Buffer | string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

const order = (extra: Partial<NonNullable<CanonicalEvent['order']>> = {}): NonNullable<CanonicalEvent['order']> => ({
	id: 'o-1',
	total: '80.00',
	currency: 'EUR',
	couponCodes: [],
	promotions: [],
	lines: [{ productId: 'p-1', categories: ['Shoes'], quantity: 1, price: '80.00' }],
	...extra,
});

const event = (extra: Partial<CanonicalEvent> = {}): CanonicalEvent => ({
	id: 'evt-1',
	type: 'order.placed',
	occurredAt: '2026-03-02T09:00:00.000Z',
	source: 'generic',
	customer: { id: 'c-1' },
	order: order(),
	...extra,
});

function expectInputError(fn: () => unknown, field: string, pattern?: RegExp): void {
	assert.throws(fn, (error: unknown) => {
		assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
		assert.equal(error.field, field);
		if (pattern) assert.match(error.message, pattern);
		assert.ok(error.hint && error.hint.length > 0, 'the error says what to change');
		return true;
	});
}

describe('triggerSettings', () => {
	it('defaults: Auto source, no signing, unsigned events refused, 1024 KB bodies, record only, no filters', () => {
		const settings = triggerSettings({});
		assert.equal(settings.source, 'auto');
		assert.equal(settings.signing, undefined);
		assert.equal(settings.acceptUnsigned, false);
		assert.equal(settings.maxBodyBytes, 1024 * 1024);
		assert.deepEqual([...(settings.eventTypes as Set<string>)], []);
		assert.deepEqual(settings.filters, {});
		assert.equal(settings.includeRaw, false);
		assert.equal(settings.startDuplicates, false);
	});

	it('the credential decides the source when the node says Auto', () => {
		const settings = triggerSettings({ source: 'auto', credential: { source: 'woocommerce', secret: SECRET } });
		assert.equal(settings.source, 'woocommerce');
		assert.deepEqual(settings.signing, { source: 'woocommerce', secret: SECRET });
	});

	it('the same source on node and credential is fine', () => {
		assert.equal(triggerSettings({ source: 'shopify', credential: { source: 'shopify', secret: SECRET } }).source, 'shopify');
	});

	it('a node source that differs from the credential is an error naming both', () => {
		expectInputError(
			() => triggerSettings({ source: 'shopify', credential: { source: 'woocommerce', secret: SECRET } }),
			'source',
			/Shopify.*WooCommerce/,
		);
	});

	it('refuses an unknown source, a credential without a secret or with an unknown source', () => {
		expectInputError(() => triggerSettings({ source: 'magento' }), 'source');
		expectInputError(() => triggerSettings({ credential: { source: 'shopify', secret: '' } }), 'credential.secret');
		expectInputError(() => triggerSettings({ credential: { source: 'magento', secret: SECRET } }), 'credential.source');
	});

	it('event types: a set, any, or an unknown type refused', () => {
		const settings = triggerSettings({ events: ['order.placed', 'cart.updated'] });
		assert.deepEqual([...(settings.eventTypes as Set<string>)].sort(), ['cart.updated', 'order.placed']);
		assert.equal(triggerSettings({ events: ['order.placed', ANY_EVENT] }).eventTypes, 'any');
		expectInputError(() => triggerSettings({ events: ['order.shipped'] }), 'events', /order\.shipped/);
	});

	it('options and test mode', () => {
		assert.equal(triggerSettings({ options: { includeRaw: true } }).includeRaw, true);
		assert.equal(triggerSettings({ testMode: true }).startDuplicates, true);
		assert.equal(triggerSettings({ acceptUnsigned: true }).acceptUnsigned, true);
		assert.equal(triggerSettings({ acceptUnsigned: 'yes' }).acceptUnsigned, false, 'only an explicit true accepts unsigned events');
	});

	it('Max Body Size: whole KB above 0, else an error naming the option', () => {
		assert.equal(triggerSettings({ options: { maxBodySize: 2 } }).maxBodyBytes, 2048);
		for (const bad of [0, -1, 1.5, 'big']) expectInputError(() => triggerSettings({ options: { maxBodySize: bad } }), 'options.maxBodySize');
	});
});

describe('filtersOf', () => {
	it('reads every filter; blanks are no filter', () => {
		assert.deepEqual(
			filtersOf({
				minimumTotal: 49.9,
				currency: 'eur',
				categories: ' Shoes, bags ,,SHOES',
				urlContains: '/Sale/',
				urlEquals: '',
				urlStartsWith: 'https://shop.example.com',
				codeApplied: 'welcome10, Summer Sale',
			}),
			{
				minimumTotal: '49.9',
				currency: 'EUR',
				categories: ['shoes', 'bags'],
				url: [
					{ match: 'contains', value: '/sale/' },
					{ match: 'startsWith', value: 'https://shop.example.com' },
				],
				codes: ['welcome10', 'summer sale'],
			},
		);
		assert.deepEqual(filtersOf({ categories: '', currency: ' ', minimumTotal: '' }), {});
	});

	it('an added but empty code filter means any code or promotion', () => {
		assert.equal(filtersOf({ codeApplied: '' }).codes, 'any');
		assert.equal(filtersOf({}).codes, undefined);
	});

	it('refuses a negative or non-decimal minimum and a bad currency, naming the field', () => {
		expectInputError(() => filtersOf({ minimumTotal: -5 }), 'filters.minimumTotal');
		expectInputError(() => filtersOf({ minimumTotal: 'fifty' }), 'filters.minimumTotal');
		expectInputError(() => filtersOf({ currency: 'euro' }), 'filters.currency');
		expectInputError(() => filtersOf({ urlContains: 42 }), 'filters.urlContains');
	});
});

describe('unmetFilter', () => {
	const unmet = (e: CanonicalEvent, filters: Record<string, unknown>) => unmetFilter(e, filtersOf(filters));

	it('no filters: everything passes', () => {
		assert.equal(unmet(event({ type: 'customer.registered', order: undefined }), {}), undefined);
	});

	it('minimum order total: exact decimal comparison, order else cart, nothing else passes', () => {
		assert.equal(unmet(event(), { minimumTotal: 80 }), undefined);
		assert.equal(unmet(event(), { minimumTotal: '80.01' }), 'minimum order total');
		assert.equal(unmet(event({ order: order({ total: '0.30' }) }), { minimumTotal: '0.3' }), undefined);
		const cart = { id: 'k-1', total: '120', currency: 'USD', lines: [] };
		assert.equal(unmet(event({ type: 'cart.updated', order: undefined, cart }), { minimumTotal: 100 }), undefined);
		assert.equal(unmet(event({ type: 'customer.registered', order: undefined }), { minimumTotal: 0 }), 'minimum order total');
	});

	it('currency: only orders and carts in it', () => {
		assert.equal(unmet(event(), { currency: 'EUR', minimumTotal: 50 }), undefined);
		assert.equal(unmet(event(), { currency: 'usd', minimumTotal: 50 }), 'currency');
		assert.equal(unmet(event({ type: 'page.visited', order: undefined, page: { url: 'https://x.test/' } }), { currency: 'EUR' }), 'currency');
	});

	it('categories: any of them, in order, cart or product, ignoring case', () => {
		assert.equal(unmet(event(), { categories: 'bags, SHOES' }), undefined);
		assert.equal(unmet(event(), { categories: 'bags' }), 'categories');
		const cart = { id: 'k', total: '5', currency: 'EUR', lines: [{ productId: 'p', categories: ['Bags'], quantity: 1, price: '5' }] };
		assert.equal(unmet(event({ type: 'cart.updated', order: undefined, cart }), { categories: 'bags' }), undefined);
		const product = { id: 'p-9', categories: ['Hats'] };
		assert.equal(unmet(event({ type: 'product.viewed', order: undefined, product }), { categories: 'hats' }), undefined);
		assert.equal(unmet(event({ type: 'customer.registered', order: undefined }), { categories: 'hats' }), 'categories');
	});

	it('URL contains / equals / starts with, ignoring case; every one added must hold', () => {
		const visit = event({ type: 'page.visited', order: undefined, page: { url: 'https://Shop.example.com/Sale/summer' } });
		assert.equal(unmet(visit, { urlContains: '/sale/' }), undefined);
		assert.equal(unmet(visit, { urlContains: '/winter' }), 'URL');
		assert.equal(unmet(visit, { urlEquals: 'https://shop.example.com/sale/summer' }), undefined);
		assert.equal(unmet(visit, { urlEquals: 'https://shop.example.com/sale' }), 'URL');
		assert.equal(unmet(visit, { urlStartsWith: 'https://shop.example.com/sale' }), undefined);
		assert.equal(unmet(visit, { urlStartsWith: '/sale' }), 'URL');
		assert.equal(unmet(visit, { urlContains: 'sale', urlStartsWith: 'http://' }), 'URL');
		const view = event({ type: 'product.viewed', order: undefined, product: { id: 'p', url: 'https://shop.example.com/sale/p' } });
		assert.equal(unmet(view, { urlContains: '/sale/' }), undefined);
		assert.equal(unmet(event(), { urlContains: '/sale/' }), 'URL');
	});

	it('promotion or coupon code: any, or one of the listed, ignoring case', () => {
		const withCode = event({ order: order({ couponCodes: ['WELCOME10'] }) });
		const withPromotion = event({ order: order({ promotions: ['Summer Sale'] }) });
		assert.equal(unmet(withCode, { codeApplied: '' }), undefined);
		assert.equal(unmet(withPromotion, { codeApplied: '' }), undefined);
		assert.equal(unmet(event(), { codeApplied: '' }), 'promotion or coupon code');
		assert.equal(unmet(withCode, { codeApplied: 'welcome10' }), undefined);
		assert.equal(unmet(withPromotion, { codeApplied: 'summer sale, VIP' }), undefined);
		assert.equal(unmet(withCode, { codeApplied: 'VIP' }), 'promotion or coupon code');
	});
});

describe('startDecision', () => {
	const settings = (events: unknown, filters: Record<string, unknown> = {}) => triggerSettings({ events, filters });

	it('starts on a selected type that meets the filters', () => {
		assert.deepEqual(startDecision(event(), settings(['order.placed'])), { start: true });
		assert.deepEqual(startDecision(event(), settings([ANY_EVENT])), { start: true });
	});

	it('a type not selected, record-only and an unmet filter say why', () => {
		assert.deepEqual(startDecision(event(), settings(['cart.updated'])), { start: false, reason: 'event type order.placed is not selected' });
		const recordOnly = startDecision(event(), settings([]));
		assert.equal(recordOnly.start, false);
		assert.match((recordOnly as { reason: string }).reason, /record only/);
		assert.deepEqual(startDecision(event(), settings(['order.placed'], { minimumTotal: 100 })), {
			start: false,
			reason: 'filter not met: minimum order total',
		});
	});
});


describe('admit', () => {
	const body = '{"hello":"world"}';
	const signing = (source: 'generic' | 'shopify' | 'woocommerce') => ({ source, signing: { source, secret: SECRET } });

	it('accepts the right signature in each source\'s header', () => {
		assert.deepEqual(admit({ headers: { 'x-dialogue-signature': sign(body) }, rawBody: body }, signing('generic')), { ok: true, source: 'generic' });
		assert.deepEqual(admit({ headers: { 'X-Shopify-Hmac-Sha256': sign(body) }, rawBody: body }, signing('shopify')), { ok: true, source: 'shopify' });
		assert.deepEqual(admit({ headers: { 'x-wc-webhook-signature': sign(body) }, rawBody: body }, signing('woocommerce')), {
			ok: true,
			source: 'woocommerce',
		});
	});

	it('refuses a missing or wrong signature, and one in another source\'s header', () => {
		const missing = admit({ headers: {}, rawBody: body }, signing('shopify'));
		assert.equal(missing.ok, false);
		assert.match((missing as { message: string }).message, /X-Shopify-Hmac-Sha256 signature header is missing/);
		const wrong = admit({ headers: { 'x-shopify-hmac-sha256': sign(body, 'other') }, rawBody: body }, signing('shopify'));
		assert.match((wrong as { message: string }).message, /does not match/);
		const elsewhere = admit({ headers: { 'x-wc-webhook-signature': sign(body) }, rawBody: body }, signing('shopify'));
		assert.equal(elsewhere.ok, false);
	});

	it('without a credential: Generic only, and only when unsigned events are accepted', () => {
		for (const source of ['auto', 'generic'] as const) {
			const refused = admit({ headers: {}, rawBody: body }, { source });
			assert.equal(refused.ok, false);
			assert.match((refused as { message: string }).message, /unsigned deliveries are refused/);
			assert.match((refused as { hint: string }).hint, /Accept Unsigned Events/);
			assert.deepEqual(admit({ headers: {}, rawBody: body }, { source, acceptUnsigned: true }), { ok: true, source: 'generic' });
		}
		const shopify = admit({ headers: { 'x-shopify-topic': 'orders/create' }, rawBody: body }, { source: 'auto', acceptUnsigned: true });
		assert.equal(shopify.ok, false);
		assert.match((shopify as { message: string }).message, /unsigned Shopify deliveries are refused/);
		assert.equal(admit({ headers: {}, rawBody: body }, { source: 'woocommerce', acceptUnsigned: true }).ok, false);
	});
});

describe('receiveDelivery', () => {
	/** A recorder over a Set of event ids: what the store does with event ids. */
	function recorder(options: { fail?: Error } = {}) {
		const ids = new Set<string>();
		const calls: CanonicalEvent[] = [];
		const record = async (e: CanonicalEvent): Promise<RecordOutcome> => {
			calls.push(e);
			if (options.fail) throw options.fail;
			const recorded = !ids.has(e.id);
			ids.add(e.id);
			return { id: e.id, recorded, newCustomer: recorded };
		};
		return { record, calls };
	}

	const settingsFor = (extra: Parameters<typeof triggerSettings>[0] = {}): TriggerSettings =>
		triggerSettings({ events: ['order.placed'], acceptUnsigned: true, ...extra });
	const genericBody = (extra: Record<string, unknown> = {}) =>
		JSON.stringify({
			id: 'evt-1',
			type: 'order.placed',
			occurredAt: '2026-03-02T09:00:00Z',
			customer: { id: 'c-1' },
			order: { id: 'o-1', total: '80.00', currency: 'EUR', lines: [{ productId: 'p-1', categories: ['Shoes'], quantity: 1, price: '80.00' }] },
			...extra,
		});
	const responded = (outcome: TriggerOutcome) => {
		assert.equal(outcome.kind, 'respond');
		return outcome as Extract<TriggerOutcome, { kind: 'respond' }>;
	};

	it('starts on a selected Generic event, and a redelivery is a duplicate', async () => {
		const { record, calls } = recorder();
		const first = await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor(), record);
		assert.equal(first.kind, 'start');
		assert.deepEqual(first.body, { status: 'started', eventId: 'evt-1', type: 'order.placed' });
		const second = responded(await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor(), record));
		assert.equal(second.status, 200);
		assert.equal(second.body.status, 'duplicate');
		assert.equal(calls.length, 2);
	});

	it('a redelivery of an event older than its customer\'s forget is answered suppressed and starts nothing', async () => {
		const store = new SqlStore(new SqliteDriver(':memory:'));
		try {
			const record = async (e: CanonicalEvent) => (await store.recordEvents([e], Date.now()))[0];
			assert.equal((await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor(), record)).kind, 'start');
			await store.forgetCustomer('c-1', Date.parse('2026-03-03T00:00:00Z'));
			for (const settings of [settingsFor(), settingsFor({ testMode: true })]) {
				const again = responded(await receiveDelivery({ headers: {}, rawBody: genericBody() }, settings, record));
				assert.equal(again.status, 200);
				assert.equal(again.body.status, 'suppressed');
				assert.equal(again.body.eventId, 'evt-1');
			}
			assert.equal(await store.getCustomer('c-1'), undefined);
			const later = genericBody({ id: 'evt-2', occurredAt: '2026-03-04T09:00:00Z', order: { id: 'o-2', total: '80.00', currency: 'EUR', lines: [] } });
			assert.equal((await receiveDelivery({ headers: {}, rawBody: later }, settingsFor(), record)).kind, 'start', 'an event after the forget starts');
		} finally {
			await store.close();
		}
	});

	it("judges the category filter with the catalog's categories of the lines' products, which the started item's lines carry", async () => {
		const { record } = recorder();
		const lookups: string[][] = [];
		const catalog = async (ids: string[]) => {
			lookups.push(ids);
			return { 'p-2': ['Boys', 'Shoes'] };
		};
		const lines = [
			{ productId: 'p-1', categories: [], quantity: 1, price: '40.00' },
			{ productId: 'p-2', categories: ['Sale'], quantity: 1, price: '40.00' },
		];
		const body = genericBody({ order: { id: 'o-1', total: '80.00', currency: 'EUR', lines } });
		const settings = settingsFor({ filters: { categories: 'boys' } });
		const started = await receiveDelivery({ headers: {}, rawBody: body }, settings, record, undefined, catalog);
		assert.equal(started.kind, 'start');
		assert.deepEqual(lookups, [['p-1', 'p-2']]);
		assert.deepEqual(
			started.kind === 'start' && started.item.order?.lines.map((line) => [line.productId, line.categories]),
			[['p-1', []], ['p-2', ['Sale', 'Boys', 'Shoes']]],
		);
		const without = responded(await receiveDelivery({ headers: {}, rawBody: genericBody({ id: 'evt-9', order: { id: 'o-9', total: '80.00', currency: 'EUR', lines } }) }, settings, record));
		assert.equal(without.body.reason, 'filter not met: categories', 'no catalog: the lines carry no Boys');
	});

	it('in test mode a redelivery starts again (marked duplicate), still recorded once', async () => {
		const { record } = recorder();
		await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor({ testMode: true }), record);
		const again = await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor({ testMode: true }), record);
		assert.equal(again.kind, 'start');
		assert.equal(again.body.duplicate, true);
	});

	it('records but does not start an unselected type or an unmet filter', async () => {
		const { record, calls } = recorder();
		const unselected = responded(
			await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor({ events: ['cart.updated'] }), record),
		);
		assert.deepEqual(unselected.body, { status: 'recorded', eventId: 'evt-1', type: 'order.placed', reason: 'event type order.placed is not selected' });
		const filtered = responded(
			await receiveDelivery({ headers: {}, rawBody: genericBody({ id: 'evt-2' }) }, settingsFor({ filters: { minimumTotal: 100 } }), record),
		);
		assert.equal(filtered.body.status, 'recorded');
		assert.equal(filtered.body.reason, 'filter not met: minimum order total');
		assert.equal(calls.length, 2);
	});

	it('adds the raw payload under the option, digits kept', async () => {
		const { record } = recorder();
		const raw = openShopifyOrderBytes();
		const headers = { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': sign(raw) };
		const settings = settingsFor({ credential: { source: 'shopify', secret: SECRET }, options: { includeRaw: true } });
		const outcome = await receiveDelivery({ headers, rawBody: raw }, settings, record);
		assert.equal(outcome.kind, 'start');
		const item = (outcome as Extract<TriggerOutcome, { kind: 'start' }>).item;
		assert.equal(item.id, 'shopify:order.placed:820982911946154508');
		assert.equal((item.raw as { id: unknown }).id, '820982911946154508');
	});

	it('a WooCommerce ping is answered 200 without recording, unsigned', async () => {
		const { record, calls } = recorder();
		for (const settings of [settingsFor(), settingsFor({ credential: { source: 'woocommerce', secret: SECRET } })]) {
			const ping = responded(await receiveDelivery({ headers: { 'user-agent': 'WooCommerce/9.0 Hookshot' }, rawBody: 'webhook_id=12' }, settings, record));
			assert.equal(ping.status, 200);
			assert.equal(ping.body.status, 'ping');
		}
		assert.equal(calls.length, 0);
	});

	it('401 for a bad signature and for unsigned vendor deliveries, nothing recorded', async () => {
		const { record, calls } = recorder();
		const raw = fixtureBytes('shopify-orders-create.json');
		const signed = settingsFor({ credential: { source: 'shopify', secret: SECRET } });
		const bad = responded(await receiveDelivery({ headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': sign(raw, 'nope') }, rawBody: raw }, signed, record));
		assert.equal(bad.status, 401);
		assert.equal(bad.body.status, 'unauthorized');
		const unsigned = responded(await receiveDelivery({ headers: { 'x-shopify-topic': 'orders/create' }, rawBody: raw }, settingsFor(), record));
		assert.equal(unsigned.status, 401);
		assert.ok(unsigned.body.hint?.includes('Storefront Webhook credential'));
		assert.equal(calls.length, 0);
	});

	it('400 names what is wrong and records nothing; an unsupported topic is ignored with 200', async () => {
		const { record, calls } = recorder();
		const malformed = responded(await receiveDelivery({ headers: {}, rawBody: '{"id": "evt-1",' }, settingsFor(), record));
		assert.equal(malformed.status, 400);
		assert.equal(malformed.body.field, 'body');
		assert.match(malformed.body.message ?? '', /not valid JSON/);
		const shape = responded(await receiveDelivery({ headers: {}, rawBody: genericBody({ type: 'page.visited', order: undefined, page: { url: 'https://shop.example/' }, customer: undefined }) }, settingsFor(), record));
		assert.equal(shape.status, 400);
		assert.equal(shape.body.field, 'customer');
		const raw = '{"id": 1}';
		const signed = settingsFor({ credential: { source: 'woocommerce', secret: SECRET } });
		const topic = responded(
			await receiveDelivery({ headers: { 'x-wc-webhook-topic': 'product.updated', 'x-wc-webhook-signature': sign(raw) }, rawBody: raw }, signed, record),
		);
		assert.equal(topic.status, 200);
		assert.equal(topic.body.status, 'ignored');
		assert.equal(topic.body.topic, 'product.updated');
		const occasion = responded(
			await receiveDelivery({ headers: {}, rawBody: genericBody({ type: 'cart.abandoned', order: undefined, cart: { id: 'k', total: '1', currency: 'EUR', lines: [] } }) }, settingsFor(), record),
		);
		assert.equal(occasion.status, 400, 'occasions are found in the store, never posted');
		assert.equal(occasion.body.field, 'type');
		assert.equal(calls.length, 0);
	});

	it('a value the store must not hold is a 400 naming the field, with what to send instead, and records nothing', async () => {
		const { record, calls } = recorder();
		const now = Date.parse('2026-03-02T10:00:00Z');
		const refused = async (rawBody: string, field: string, pattern: RegExp, headers: Record<string, string> = {}, settings = settingsFor()) => {
			const outcome = responded(await receiveDelivery({ headers, rawBody, now }, settings, record));
			assert.equal(outcome.status, 400, field);
			assert.equal(outcome.body.status, 'invalid');
			assert.equal(outcome.body.field, field);
			assert.match(outcome.body.message ?? '', pattern);
			assert.ok((outcome.body.hint ?? '').length > 0, 'says what to send instead');
		};
		const generic = JSON.parse(genericBody()) as { order: Record<string, unknown> };
		await refused(JSON.stringify({ ...generic, order: { ...generic.order, total: '-80.00' } }), 'order.total', /below zero/);
		await refused(JSON.stringify({ ...generic, order: { ...generic.order, lines: [{ productId: 'p', quantity: 1, price: '-1' }] } }), 'order.lines[0].price', /below zero/);
		await refused(JSON.stringify({ ...generic, order: { ...generic.order, currency: 'XXX' } }), 'order.currency', /not an ISO 4217 currency/);
		await refused(genericBody({ occurredAt: '9999-12-31T00:00:00Z' }), 'occurredAt', /more than a day after now/);
		await refused(genericBody({ occurredAt: '0000-01-01T00:00:00Z' }), 'occurredAt', /before 1900/);
		const shopify = Buffer.from(openShopifyOrderBytes().toString('utf8').replace('"total_price": "404.95"', '"total_price": "-409.94"'));
		await refused(
			shopify.toString('utf8'),
			'total_price',
			/-409.94 is below zero/,
			{ 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': sign(shopify) },
			settingsFor({ credential: { source: 'shopify', secret: SECRET } }),
		);
		assert.equal(calls.length, 0);
	});

	it('a placed order the store already knows as cancelled, and an order without a customer, are recorded and start nothing', async () => {
		const known = async (e: CanonicalEvent): Promise<RecordOutcome> => ({ id: e.id, recorded: true, newCustomer: false, order: { counted: false, status: 'cancelled' } });
		const cancelled = responded(await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor(), known));
		assert.deepEqual([cancelled.status, cancelled.body.status, cancelled.body.reason], [200, 'recorded', 'the order is cancelled']);
		const { record, calls } = recorder();
		const anonymous = responded(await receiveDelivery({ headers: {}, rawBody: genericBody({ customer: undefined }) }, settingsFor({ events: [ANY_EVENT] }), record));
		assert.deepEqual([anonymous.status, anonymous.body.status], [200, 'recorded']);
		assert.match(anonymous.body.reason ?? '', /names no customer/);
		assert.equal(calls[0].customer, undefined, 'recorded without a customer');
	});

	it('a store that refuses the content is a 400; a store failure is thrown', async () => {
		const refusing = recorder({ fail: new InputError('order.total', 'is out of range', 'Send a smaller amount.') });
		const refused = responded(await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor(), refusing.record));
		assert.equal(refused.status, 400);
		assert.equal(refused.body.field, 'order.total');
		const down = recorder({ fail: new Error('database is locked') });
		await assert.rejects(receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor(), down.record), /database is locked/);
	});

	it('refuses unsigned Generic events (401) unless accepting them is switched on, nothing recorded', async () => {
		const { record, calls } = recorder();
		const refused = responded(await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor({ acceptUnsigned: undefined }), record));
		assert.equal(refused.status, 401);
		assert.equal(refused.body.status, 'unauthorized');
		assert.match(refused.body.hint ?? '', /Accept Unsigned Events/);
		assert.equal(calls.length, 0);
		assert.equal((await receiveDelivery({ headers: {}, rawBody: genericBody() }, settingsFor(), record)).kind, 'start');
	});

	it('a Generic event has source generic, whatever its body says', async () => {
		const { record, calls } = recorder();
		const unsigned = await receiveDelivery({ headers: {}, rawBody: genericBody({ source: 'shopify' }) }, settingsFor(), record);
		assert.equal(unsigned.kind, 'start');
		const body = genericBody({ id: 'evt-2', source: 'ledger' });
		const signed = settingsFor({ credential: { source: 'generic', secret: SECRET } });
		assert.equal((await receiveDelivery({ headers: { 'x-dialogue-signature': sign(body) }, rawBody: body }, signed, record)).kind, 'start');
		assert.deepEqual(
			calls.map((e) => [e.id, e.source]),
			[
				['evt-1', 'generic'],
				['evt-2', 'generic'],
			],
		);
	});

	it('a Generic body cannot take another source\'s event id: 400 naming id, nothing recorded; the real delivery then starts', async () => {
		const { record, calls } = recorder();
		const shopifyId = 'shopify:order.placed:820982911946154508';
		const claimed = [shopifyId, 'woocommerce:order.created:727', 'ledger:order.placed:o-1', 'occasion:customer.birthday:c-1:2026', 'Shopify:order.placed:1', ' shopify:x'];
		for (const id of claimed) {
			const forged = responded(await receiveDelivery({ headers: {}, rawBody: genericBody({ id, source: 'shopify' }) }, settingsFor(), record));
			assert.equal(forged.status, 400, id);
			assert.equal(forged.body.field, 'id');
			assert.match(forged.body.message ?? '', /begins with/);
			assert.ok(forged.body.hint);
		}
		const body = genericBody({ id: shopifyId });
		const signed = settingsFor({ credential: { source: 'generic', secret: SECRET } });
		assert.equal(responded(await receiveDelivery({ headers: { 'x-dialogue-signature': sign(body) }, rawBody: body }, signed, record)).status, 400, 'signed Generic too');
		assert.equal(calls.length, 0);
		const raw = openShopifyOrderBytes();
		const real = await receiveDelivery(
			{ headers: { 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': sign(raw) }, rawBody: raw },
			settingsFor({ credential: { source: 'shopify', secret: SECRET } }),
			record,
		);
		assert.equal(real.kind, 'start');
		assert.deepEqual(real.body, { status: 'started', eventId: shopifyId, type: 'order.placed' });
		assert.equal((real as Extract<TriggerOutcome, { kind: 'start' }>).event.source, 'shopify');
		const own = await receiveDelivery({ headers: {}, rawBody: genericBody({ id: 'shop-a:shopify:order-1' }) }, settingsFor(), record);
		assert.equal(own.kind, 'start', 'a vendor name later in the id is the sender\'s own');
	});

	it('a body above the limit is 413 before it is verified or parsed, nothing recorded; a body at the limit is read', async () => {
		const { record, calls } = recorder();
		const body = genericBody();
		const size = Buffer.byteLength(body);
		const limit = (bytes: number): TriggerSettings => ({ ...settingsFor(), maxBodyBytes: bytes });
		const over = responded(await receiveDelivery({ headers: {}, rawBody: body }, limit(size - 1), record));
		assert.equal(over.status, 413);
		assert.equal(over.body.status, 'too_large');
		assert.equal(over.body.field, 'body');
		assert.match(over.body.hint ?? '', /Max Body Size/);
		const unparseable = `{${' '.repeat(2048)}`;
		assert.equal(responded(await receiveDelivery({ headers: {}, rawBody: unparseable }, settingsFor({ options: { maxBodySize: 1 } }), record)).status, 413);
		const raw = openShopifyOrderBytes();
		const shopify = settingsFor({ credential: { source: 'shopify', secret: SECRET }, options: { maxBodySize: 1 } });
		const unsigned = await receiveDelivery({ headers: { 'x-shopify-topic': 'orders/create' }, rawBody: raw }, shopify, record);
		assert.equal(responded(unsigned).status, 413, 'the size is checked before the signature');
		assert.equal(calls.length, 0);
		assert.equal((await receiveDelivery({ headers: {}, rawBody: Buffer.from(body) }, limit(size), record)).kind, 'start');
		assert.equal(responded(await receiveDelivery({ headers: {}, rawBody: 'é'.repeat(600) }, limit(1100), record)).status, 413, 'bytes, not characters');
	});
});
