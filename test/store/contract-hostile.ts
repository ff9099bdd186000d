/**
 * Hostile deliveries, run against every dialect (sqlite.test.ts, postgres.test.ts): whatever
 * body reaches the Storefront Trigger (NUL characters, unpaired surrogates, strings up to the
 * body limit, thousands of lines, deep nesting, prototype keys, other sources' id namespaces in a
 * Generic body, integers beyond 2^53, every field of the wrong type), signed or not, with Accept
 * Unsigned Events on or off, receiveDelivery over a real store answers 2xx, a 4xx that names the
 * field, or 413; it never throws (the node would answer 500, and shops switch off a webhook that
 * fails), and a refused delivery writes nothing.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { GENERIC_SIGNATURE_HEADER, SHOPIFY_SIGNATURE_HEADER, WOOCOMMERCE_SIGNATURE_HEADER, hmacSha256Base64 } from '../../core/events';
import type { Store } from '../../core/store';
import { receiveDelivery, triggerSettings, type TriggerParameters } from '../../core/trigger';
import { FIXTURE_FILES, fixtureBytes } from '../core/events/helpers';
import type { StoreFactory } from './contract';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 120);
const T0 = Date.parse('2026-03-01T10:00:00Z');
const SECRET = 'hostile-secret';

/** JSON text written as is: integers JSON.stringify cannot write, nesting, broken tails. */
class Raw {
	constructor(readonly text: string) {}
}
/** A long run of one character, written out only in the body (a counterexample stays readable). */
class Huge {
	constructor(
		readonly length: number,
		readonly char: string,
	) {}
}
/** An object as a list of entries, so "__proto__" and "constructor" are keys like any other. */
class Entries {
	constructor(readonly entries: Array<[string, unknown]>) {}
}

function serialize(value: unknown): string {
	if (value instanceof Raw) return value.text;
	if (value instanceof Huge) return JSON.stringify(value.char.repeat(Math.ceil(value.length / value.char.length)));
	if (value instanceof Entries) return `{${value.entries.map(([key, item]) => `${JSON.stringify(key)}:${serialize(item)}`).join(',')}}`;
	if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
	if (value !== null && typeof value === 'object') return serialize(new Entries(Object.entries(value)));
	return JSON.stringify(value) ?? 'null';
}

/** Every object and list in a value, with a way to replace or add one of its members. */
function containers(value: unknown, out: Array<Entries | unknown[]> = []): Array<Entries | unknown[]> {
	if (value instanceof Entries) {
		out.push(value);
		for (const [, item] of value.entries) containers(item, out);
	} else if (Array.isArray(value)) {
		out.push(value);
		for (const item of value) containers(item, out);
	}
	return out;
}

function entriesOf(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(entriesOf);
	if (value !== null && typeof value === 'object') return new Entries(Object.entries(value).map(([key, item]) => [key, entriesOf(item)]));
	return value;
}

const HUGE = [1_000, 70_000, 400_000, 1_100_000];

const hostileText = fc.oneof(
	fc.constantFrom(
		'\u0000',
		'c\u0000-1',
		'\uD800',
		'x\uDC00y',
		'\uDBFF\uDFFF',
		'__proto__',
		'constructor',
		'toString',
		'shopify:order.placed:1',
		'woocommerce:order.placed:7',
		' SHOPIFY:x',
		'ledger:order:1',
		'occasion:birthday:c-1',
		'',
		'   ',
		'1e309',
		'-1',
		'NaN',
		'eur',
		'XXX',
		'order.placed',
		'1899-12-31T23:59:59Z',
		'9999-12-31T00:00:00Z',
		'2026-02-30T00:00:00Z',
		'not-an-email@',
		'javascript:alert(1)',
	),
	fc.string({ unit: 'binary', maxLength: 12 }),
	fc.tuple(fc.constantFrom(...HUGE), fc.constantFrom('x', '\u0000', 'é', '\uD800', '\u{1F600}')).map(([n, c]) => new Huge(n, c)),
);

const hostileNumber = fc.oneof(
	fc.constantFrom('9007199254740993', '-9007199254740993', '820982911946154508', '123456789012345678901234567890', '1e309', '-1e309', '-0', '1.5e-400', '0.1', '1e21').map((text) => new Raw(text)),
	fc.double({ noNaN: true, noDefaultInfinity: true }),
	fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
);

const deep = fc.tuple(fc.integer({ min: 1, max: 400 }), fc.boolean()).map(([depth, objects]) =>
	objects ? new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) : new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`),
);

const prototypeObject = fc
	.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'), fc.constantFrom<unknown>({ id: 'p' }, 'x', 1, null, []))
	.map(([key, value]) => new Entries([[key, entriesOf(value)]]));

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	hostileText,
	hostileNumber,
	deep,
	prototypeObject,
	fc.constantFrom<unknown>(true, false, null, [], new Entries([]), [null], ['a', 1, true]),
);

/** Changes to a body: replace a member of one of its objects or lists, or add a key to one. */
const mutation = fc.record({
	at: fc.nat(),
	slot: fc.nat(),
	key: fc.constantFrom('__proto__', 'constructor', 'id', 'type', 'source', 'customer', 'order', 'lines', 'total', 'currency', 'price', 'quantity', 'email', 'occurredAt', 'line_items', 'billing'),
	add: fc.boolean(),
	value: hostileValue,
});

/** A copy, so a generated value is never changed (fast-check runs it again when it shrinks). */
function copy(value: unknown): unknown {
	if (value instanceof Entries) return new Entries(value.entries.map(([key, item]) => [key, copy(item)]));
	if (Array.isArray(value)) return value.map(copy);
	return value;
}

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(original: unknown, mutations: readonly Mutation[]): unknown {
	const body = copy(original);
	for (const mutation of mutations) {
		const { at, slot, key, add } = mutation;
		const value = copy(mutation.value);
		const all = containers(body);
		if (all.length === 0) return value;
		const target = all[at % all.length];
		if (target instanceof Entries) {
			if (add || target.entries.length === 0) target.entries.push([key, value]);
			else target.entries[slot % target.entries.length][1] = value;
		} else if (add || target.length === 0) target.push(value);
		else target[slot % target.length] = value;
	}
	return body;
}

const ID_PREFIX = fc.constantFrom('', '', '', '', '', '', 'shopify:', 'woocommerce:', 'WooCommerce:', ' ledger:', 'occasion:', 'generic:', 'shop-a:shopify:');

/** A Generic event, correct until mutated, with 1 to a few thousand lines. */
const genericSpec = fc.record({
	prefix: ID_PREFIX,
	id: fc.uuid(),
	type: fc.constantFrom('order.placed', 'order.updated', 'customer.registered', 'cart.updated', 'page.visited', 'cart.abandoned'),
	lines: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(4_999, 5_001, 15_000) }),
	source: fc.option(fc.constantFrom<unknown>('shopify', 'woocommerce', 'ledger', 'occasion', 42), { nil: undefined }),
});

function genericBody({ prefix, id, type, lines, source }: typeof genericSpec extends fc.Arbitrary<infer T> ? T : never): unknown {
	return entriesOf({
		id: `${prefix}${id}`,
		type,
		occurredAt: '2026-03-01T09:00:00Z',
		...(source !== undefined && { source }),
		customer: { id: `c-${id.slice(0, 4)}`, email: `${id.slice(0, 8)}@example.com`, firstName: 'Ann' },
		order: {
			id: `o-${id}`,
			total: '10.00',
			currency: 'EUR',
			couponCodes: ['TEN'],
			lines: Array.from({ length: lines }, (_, n) => ({ productId: `p-${n}`, quantity: 1, price: '0.01', categories: ['shoes'] })),
		},
		cart: { id: `cart-${id}`, total: '1.00', currency: 'EUR', lines: [{ productId: 'p', quantity: 1, price: '1.00' }] },
		page: { url: 'https://shop.example/sale/' },
	});
}

const TOPICS: Record<string, string> = {
	'shopify-orders-create.json': 'orders/create',
	'shopify-customers-create.json': 'customers/create',
	'shopify-checkouts-create.json': 'checkouts/create',
	'woocommerce-order-created.json': 'order.created',
	'woocommerce-customer-created.json': 'customer.created',
};

/** A vendor sample under a fresh id. */
const vendorSpec = fc.record({
	name: fc.constantFrom(...FIXTURE_FILES),
	n: fc.nat(),
	topic: fc.constantFrom<string | undefined>(undefined, undefined, 'products/update', 'coupon.deleted', 'orders/create', 'order.created', ''),
});

function vendorBody({ name, n }: typeof vendorSpec extends fc.Arbitrary<infer T> ? T : never): unknown {
	const json = JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
	json.id = typeof json.id === 'number' ? json.id + n : `${String(json.id)}-${n}`;
	return entriesOf(json);
}

type Mode = 'generic signed' | 'generic forged' | 'unsigned accepted' | 'unsigned refused' | 'auto unsigned accepted' | 'vendor signed' | 'vendor forged';

const delivery = fc.record({
	mode: fc.constantFrom<Mode>('generic signed', 'generic forged', 'unsigned accepted', 'unsigned refused', 'auto unsigned accepted', 'vendor signed', 'vendor forged'),
	generic: genericSpec,
	vendor: vendorSpec,
	mutations: fc.oneof(fc.constant<Mutation[]>([]), fc.array(mutation, { minLength: 1, maxLength: 4 })),
	maxBodySize: fc.constantFrom<number | undefined>(undefined, undefined, 1, 64),
	tail: fc.constantFrom('', '', '', '', '', '', '', '', '', '', ' ', '\u0000', '}', ',', '\uFEFF', '\uD800', '\\'),
	invalidUtf8: fc.nat(9).map((n) => n === 0),
});

const SIGNATURE_HEADERS = { generic: GENERIC_SIGNATURE_HEADER, shopify: SHOPIFY_SIGNATURE_HEADER, woocommerce: WOOCOMMERCE_SIGNATURE_HEADER } as const;

function request(value: typeof delivery extends fc.Arbitrary<infer T> ? T : never) {
	const { mode, mutations, maxBodySize, tail, invalidUtf8 } = value;
	const vendor = mode.startsWith('vendor');
	const body = mutate(vendor ? vendorBody(value.vendor) : genericBody(value.generic), mutations);
	let rawBody = Buffer.from(serialize(body) + tail, 'utf8');
	if (invalidUtf8) rawBody = Buffer.concat([rawBody.subarray(0, rawBody.length >> 1), Buffer.from([0xc3, 0x28, 0xff]), rawBody.subarray(rawBody.length >> 1)]);
	const source = vendor ? (value.vendor.name.startsWith('shopify') ? 'shopify' : 'woocommerce') : 'generic';
	const signed = mode === 'generic signed' || mode === 'generic forged' || vendor;
	const headers: Record<string, string> = {};
	if (source === 'shopify') headers['x-shopify-topic'] = value.vendor.topic ?? TOPICS[value.vendor.name];
	if (source === 'woocommerce') Object.assign(headers, { 'x-wc-webhook-topic': value.vendor.topic ?? TOPICS[value.vendor.name], 'x-wc-webhook-id': '1' });
	if (signed) headers[SIGNATURE_HEADERS[source].toLowerCase()] = hmacSha256Base64(mode.endsWith('forged') ? 'wrong' : SECRET, rawBody);
	const parameters: TriggerParameters = {
		source: mode === 'auto unsigned accepted' ? 'auto' : signed ? 'auto' : 'generic',
		acceptUnsigned: mode.includes('unsigned accepted'),
		events: ['*'],
		options: maxBodySize === undefined ? {} : { maxBodySize },
		...(signed && { credential: { source, secret: SECRET } }),
	};
	return { headers, rawBody, settings: triggerSettings(parameters), mode };
}

type DeliveryValue = typeof delivery extends fc.Arbitrary<infer T> ? T : never;
const plain: Omit<DeliveryValue, 'mode'> = {
	generic: { prefix: '', id: '6f1c2b1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b', type: 'order.placed', lines: 1, source: undefined },
	vendor: { name: 'shopify-orders-create.json', n: 7, topic: undefined },
	mutations: [],
	maxBodySize: undefined,
	tail: '',
	invalidUtf8: false,
};
const EXAMPLES: DeliveryValue[] = [
	{ ...plain, mode: 'generic signed' },
	{ ...plain, mode: 'vendor signed', vendor: { ...plain.vendor, topic: 'products/update' } },
	{ ...plain, mode: 'generic signed', tail: '}' },
	{ ...plain, mode: 'generic forged' },
	{ ...plain, mode: 'generic signed', maxBodySize: 1, generic: { ...plain.generic, lines: 5_001 } },
];

export function hostileContract(factory: StoreFactory): void {
	describe(`hostile deliveries: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
			await store.knownCustomers(['nobody']); // opens and migrates the store
		});
		afterAll(async () => {
			await store.close();
		});

		it('answer 2xx, a 4xx naming the field, or 413, never an error; a refused delivery writes nothing', async () => {
			const seen = new Map<string, number>();
			await fc.assert(
				fc.asyncProperty(delivery, async (value) => {
					const { headers, rawBody, settings, mode } = request(value);
					const before = await factory.dump(store);
					const outcome = await receiveDelivery({ headers, rawBody, now: T0 }, settings, async (event) => (await store.recordEvents([event], T0))[0]);
					const status = outcome.kind === 'start' ? 200 : outcome.status;
					const label = `${status} ${outcome.body.status}`;
					seen.set(label, (seen.get(label) ?? 0) + 1);
					if (status !== 413 && (mode.endsWith('forged') || mode === 'unsigned refused')) assert.equal(status, 401, `${mode}: ${label}`);
					if (status === 200) {
						assert.ok(['started', 'recorded', 'duplicate', 'ignored', 'ping'].includes(outcome.body.status), label);
					} else {
						assert.ok(status === 400 || status === 401 || status === 413, label);
						assert.ok((outcome.body.field ?? '') !== '', `${label} names the field: ${JSON.stringify(outcome.body)}`);
						assert.ok((outcome.body.message ?? '').length < 400, `${label}: a short message`);
					}
					if (status !== 200 || outcome.body.status === 'ignored' || outcome.body.status === 'ping') {
						assert.deepEqual(await factory.dump(store), before, `${label}: nothing written`);
					}
				}),
				// Besides the random deliveries, one of each answer the check below expects, so that no draw of the
				// generator can leave a kind out: a signed Generic order that starts, a signed Shopify delivery of a
				// topic the trigger does not read (ignored), a malformed body, a forged one, one over the size limit.
				{ numRuns: RUNS, examples: EXAMPLES.map((example) => [example]) },
			);
			if (process.env.HOSTILE_DEBUG) console.log(JSON.stringify([...seen]));
			for (const expected of ['200 started', '200 ignored', '400 invalid', '401 unauthorized', '413 too_large']) {
				assert.ok((seen.get(expected) ?? 0) > 0, `${expected} among ${JSON.stringify([...seen])}`);
			}
		});
	});
}
