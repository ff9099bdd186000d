/**
 * Property tests: whatever arrives (random JSON, random bytes, truncated or mutated vendor
 * samples, any headers), normalizeDelivery either returns a canonical event that validateEvent
 * accepts unchanged, or a WooCommerce ping, or throws an InputError. Never anything else.
 */
import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../../core/errors';
import { EVENT_TYPES, OCCASION_TYPES } from '../../../core/event';
import { parseJsonBody } from '../../../core/events/json';
import { SHOPIFY_TOPICS } from '../../../core/events/shopify';
import { normalizeDelivery, type DeliveryInput, type DeliverySource } from '../../../core/events/source';
import { validateEvent } from '../../../core/events/validate';
import { WOOCOMMERCE_TOPICS } from '../../../core/events/woocommerce';
import { FIXTURE_FILES, fixture, fixtureBytes, toVendorJson, type FixtureFile } from './helpers';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 400);
const SOURCES: DeliverySource[] = ['auto', 'generic', 'shopify', 'woocommerce'];

/** Runs one delivery and checks the contract; returns what happened, for coverage checks. */
function checkDelivery(input: DeliveryInput): 'event' | 'ping' | 'input-error' {
	let result;
	try {
		result = normalizeDelivery(input);
	} catch (error) {
		if (error instanceof InputError) {
			assert.equal(typeof error.field, 'string');
			assert.ok(error.message.startsWith(`${error.field}: `));
			return 'input-error';
		}
		throw error;
	}
	if (result.kind === 'ping') {
		assert.equal(result.source, 'woocommerce');
		return 'ping';
	}
	assert.equal(result.kind, 'event');
	assert.deepEqual(validateEvent(result.event), result.event);
	assert.deepEqual(validateEvent(JSON.parse(JSON.stringify(result.event))), result.event);
	assert.match(result.event.occurredAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
	return 'event';
}

// ---------------------------------------------------------------------------------------------
// Headers

const casing = fc.constantFrom(
	(s: string) => s,
	(s: string) => s.toLowerCase(),
	(s: string) => s.toUpperCase(),
);

const anyTopic = fc.oneof(
	fc.constantFrom(...SHOPIFY_TOPICS, ...WOOCOMMERCE_TOPICS, 'products/update', 'order.deleted', 'action.wc_x'),
	fc.string({ maxLength: 20 }),
);

const extraHeaders = fc.dictionary(
	fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('x-wc-webhook-id', 'user-agent', 'constructor', '__proto__', 'toString')),
	fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 })),
	{ maxKeys: 3 },
);

const headersArb = fc
	.tuple(
		fc.constantFrom('none', 'shopify', 'shopify-events', 'woocommerce'),
		anyTopic,
		casing,
		extraHeaders,
		fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
	)
	.map(([kind, topic, toCase, extra, deliveryId]) => {
		const headers: Record<string, string | string[]> = { ...extra };
		if (kind === 'shopify') headers[toCase('X-Shopify-Topic')] = topic;
		if (kind === 'shopify-events') headers['shopify-topic'] = topic;
		if (kind === 'woocommerce') headers[toCase('X-WC-Webhook-Topic')] = topic;
		if (deliveryId !== undefined) {
			headers[toCase('X-Shopify-Webhook-Id')] = deliveryId;
			headers[toCase('X-WC-Webhook-Delivery-ID')] = deliveryId;
		}
		return headers;
	});

// ---------------------------------------------------------------------------------------------
// Bodies

type Path = Array<string | number>;

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
	if (Array.isArray(value)) value.forEach((entry, index) => (out.push([...prefix, index]), paths(entry, [...prefix, index], out)));
	else if (typeof value === 'object' && value !== null) {
		for (const [key, entry] of Object.entries(value)) {
			out.push([...prefix, key]);
			paths(entry, [...prefix, key], out);
		}
	}
	return out;
}

/** A copy of `root` with the value at one path replaced by `replacement`, or deleted. */
function mutate(root: unknown, pick: number, replacement: unknown, remove: boolean): unknown {
	const copy = structuredClone(root);
	const all = paths(copy);
	if (all.length === 0) return replacement;
	const path = all[pick % all.length];
	let parent = copy as Record<string | number, unknown>;
	for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
	const last = path[path.length - 1];
	if (remove && !Array.isArray(parent)) delete parent[last];
	else parent[last] = replacement;
	return copy;
}

/** Values that stress the readers: wrong types, edge numbers, near-valid strings. */
const nastyValue = fc.oneof(
	fc.jsonValue({ maxDepth: 2 }),
	fc.constantFrom(
		null,
		'',
		' ',
		0,
		-1,
		1.5,
		9007199254740993,
		'820982911946154508',
		'2021-12-31T19:00:00-05:00',
		'2017-03-22T19:28:02',
		'2023-02-29T00:00:00Z',
		'abc',
		'USD',
		'usd',
		'1e5',
		'-0.00',
		[],
		{},
		{ toString: 1 },
		{ valueOf: 'x', toJSON: 1 },
		['a', { code: 'X' }],
		'https://example.com/x',
		'a@b.c',
	),
);

const fixtureArb = fc.constantFrom<FixtureFile>(...FIXTURE_FILES);

function topicsFor(file: FixtureFile): readonly string[] {
	if (file.startsWith('shopify-orders')) return ['orders/create', 'orders/paid', 'orders/updated', 'orders/cancelled'];
	if (file.startsWith('shopify-customers')) return ['customers/create', 'customers/update'];
	if (file.startsWith('shopify-checkouts')) return ['checkouts/create', 'checkouts/update'];
	if (file.startsWith('woocommerce-order')) return ['order.created', 'order.updated'];
	return ['customer.created', 'customer.updated'];
}

/** A fixture delivered with the right headers for one of its topics, then damaged. */
const fixtureDelivery = (damage: fc.Arbitrary<(file: FixtureFile) => Buffer | string>) =>
	fc.tuple(fixtureArb, fc.nat(), damage, casing, fc.constantFrom<DeliverySource>('auto', 'shopify', 'woocommerce')).map(
		([file, topicPick, hurt, toCase, source]): DeliveryInput => {
			const topics = topicsFor(file);
			const topic = topics[topicPick % topics.length];
			const header = file.startsWith('shopify') ? toCase('X-Shopify-Topic') : toCase('X-WC-Webhook-Topic');
			return { source, headers: { [header]: topic }, rawBody: hurt(file) };
		},
	);

const truncation = fc.nat().map((cut) => (file: FixtureFile) => {
	const bytes = fixtureBytes(file);
	return bytes.subarray(0, cut % (bytes.length + 1));
});

const byteFlip = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => (file: FixtureFile) => {
	const bytes = Buffer.from(fixtureBytes(file));
	bytes[at % bytes.length] = byte;
	return bytes;
});

const valueMutation = fc.tuple(fc.array(fc.tuple(fc.nat(), nastyValue, fc.boolean()), { minLength: 1, maxLength: 4 })).map(
	([changes]) =>
		(file: FixtureFile) => {
			let body: unknown = fixture(file);
			for (const [pick, value, remove] of changes) body = mutate(body, pick, value, remove);
			return toVendorJson(body);
		},
);

// ---------------------------------------------------------------------------------------------
// Valid canonical events, for the Generic round trip

const idArb = fc.oneof(
	fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
	fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
	fc.bigInt({ min: 2n ** 53n, max: 10n ** 20n }).map((n) => `${n}`),
);
const amountArb = fc.oneof(
	fc.integer({ min: 0, max: 10_000_000 }).map((cents) => `${Math.floor(cents / 100)}.${`${cents % 100}`.padStart(2, '0')}`),
	fc.integer({ min: 0, max: 100_000 }),
);
const instantArb = fc
	.tuple(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2026-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -12 * 60, max: 14 * 60 }))
	.map(([date, offset]) => {
		const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
		const sign = offset < 0 ? '-' : '+';
		const abs = Math.abs(offset);
		return `${local}${sign}${`${Math.floor(abs / 60)}`.padStart(2, '0')}:${`${abs % 60}`.padStart(2, '0')}`;
	});
const labelsArb = fc.option(fc.array(fc.string({ maxLength: 12 }), { maxLength: 4 }), { nil: undefined });
const lineArb = fc.record(
	{ productId: idArb, sku: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }), name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), categories: labelsArb, quantity: fc.nat({ max: 1000 }), price: amountArb },
	{ requiredKeys: ['productId', 'quantity', 'price'] },
);
const genericEventArb = fc
	.record({
		id: idArb,
		type: fc.constantFrom(...EVENT_TYPES, ...OCCASION_TYPES),
		occurredAt: instantArb,
		customer: fc.record(
			{
				id: idArb,
				email: fc.emailAddress(),
				firstName: fc.string({ maxLength: 15 }),
				acceptsMarketing: fc.boolean(),
				timezone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'UTC', 'asia/tokyo'),
				birthday: fc.constantFrom('1990-05-17', '--02-29', '12-31'),
				registeredAt: instantArb,
			},
			{ requiredKeys: ['id'] },
		),
		order: fc.record({ id: idArb, total: amountArb, currency: fc.constantFrom('EUR', 'usd', 'JPY'), couponCodes: labelsArb, promotions: labelsArb, lines: fc.array(lineArb, { maxLength: 3 }), status: fc.constantFrom('paid', 'Cancelled') }, { requiredKeys: ['id', 'total', 'currency'] }),
		cart: fc.record({ id: idArb, total: amountArb, currency: fc.constantFrom('EUR', 'GBP'), lines: fc.array(lineArb, { maxLength: 3 }), recoveryUrl: fc.webUrl() }, { requiredKeys: ['id', 'total', 'currency'] }),
		product: fc.record({ id: idArb, name: fc.string({ maxLength: 10 }), categories: labelsArb }, { requiredKeys: ['id'] }),
		page: fc.record({ url: fc.webUrl() }),
		subscription: fc.record({ status: fc.constantFrom('subscribed', 'unsubscribed') }),
		email: fc.record({ action: fc.constantFrom('opened', 'clicked') }),
		social: fc.record({ kind: fc.constantFrom('review', 'share') }),
	})
	// A product.updated lists every category of its product (none: []).
	.map((event) => toVendorJson(event.type === 'product.updated' ? { ...event, product: { ...event.product, categories: event.product.categories ?? [] } } : event));

// ---------------------------------------------------------------------------------------------

describe('normalizeDelivery never throws anything but an InputError', () => {
	it('random JSON values, for every source and any headers', () => {
		fc.assert(
			fc.property(fc.constantFrom(...SOURCES), headersArb, fc.oneof(fc.json({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null')), (source, headers, body) => {
				checkDelivery({ source, headers, rawBody: body });
			}),
			{ numRuns: RUNS },
		);
	});

	it('random text and bytes', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...SOURCES),
				headersArb,
				fc.oneof(
					fc.string({ unit: 'binary', maxLength: 200 }),
					fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
					fc.nat().map((n) => `webhook_id=${n}`),
					fc.constantFrom('', ' ', '\ufeff', '[', '{"a":', '"', '[[[[[[[[', '0'.repeat(400), `${'['.repeat(300)}${']'.repeat(300)}`),
				),
				(source, headers, body) => {
					checkDelivery({ source, headers, rawBody: body });
				},
			),
			{ numRuns: RUNS },
		);
	});

	it('truncated vendor samples', () => {
		fc.assert(
			fc.property(fixtureDelivery(truncation), (input) => {
				checkDelivery(input);
			}),
			{ numRuns: RUNS },
		);
	});

	it('vendor samples with a flipped byte', () => {
		fc.assert(
			fc.property(fixtureDelivery(byteFlip), (input) => {
				checkDelivery(input);
			}),
			{ numRuns: RUNS },
		);
	});

	it('vendor samples with values replaced or removed', () => {
		const outcomes = new Map<string, number>();
		fc.assert(
			fc.property(fixtureDelivery(valueMutation), (input) => {
				const outcome = checkDelivery(input);
				outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
			}),
			{ numRuns: RUNS * 2 },
		);
		// the mutations must leave many deliveries usable, or the property tests little
		assert.ok((outcomes.get('event') ?? 0) > RUNS / 4, JSON.stringify([...outcomes]));
		assert.ok((outcomes.get('input-error') ?? 0) > 0, JSON.stringify([...outcomes]));
	});

	it('every intact vendor sample normalizes for every one of its topics', () => {
		for (const file of FIXTURE_FILES) {
			for (const topic of topicsFor(file)) {
				const header = file.startsWith('shopify') ? 'X-Shopify-Topic' : 'X-WC-Webhook-Topic';
				assert.equal(checkDelivery({ source: 'auto', headers: { [header]: topic }, rawBody: fixtureBytes(file) }), 'event', `${file} ${topic}`);
			}
		}
	});
});

describe('Generic deliveries of valid canonical events', () => {
	it('come back as validateEvent makes them, keeping big integer ids', () => {
		fc.assert(
			fc.property(genericEventArb, (body) => {
				const result = normalizeDelivery({ source: 'generic', headers: {}, rawBody: body });
				assert.ok(result.kind === 'event');
				const expected = validateEvent(parseJsonBody(body));
				assert.deepEqual(result.event, expected);
				assert.deepEqual(validateEvent(expected), expected);
				const input = parseJsonBody(body) as { id: unknown };
				assert.equal(result.event.id, typeof input.id === 'string' ? input.id.trim() : `${input.id as number}`);
			}),
			{ numRuns: RUNS },
		);
	});

	it('a mutated valid event is still either valid or an InputError', () => {
		fc.assert(
			fc.property(genericEventArb, fc.array(fc.tuple(fc.nat(), nastyValue, fc.boolean()), { minLength: 1, maxLength: 3 }), (body, changes) => {
				let value = parseJsonBody(body);
				for (const [pick, replacement, remove] of changes) value = mutate(value, pick, replacement, remove);
				checkDelivery({ source: 'generic', headers: {}, rawBody: toVendorJson(value) });
			}),
			{ numRuns: RUNS },
		);
	});
});
