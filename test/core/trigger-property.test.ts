/**
 * Property: whatever reaches the Storefront Trigger (random, truncated or mutated vendor bodies,
 * for every source), receiveDelivery over a real store either records the whole event (its
 * customer, and for orders the order with every line) or writes nothing — never a crash, never
 * half an event. Whatever a Generic body claims, it is recorded as a Generic event or not at all,
 * and a body above the size limit writes nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { EVENT_SOURCES, hmacSha256Base64 } from '../../core/events';
import { receiveDelivery, triggerSettings } from '../../core/trigger';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
import { FIXTURE_FILES, fixtureBytes } from './events/helpers';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 300);
const SECRET = 'property-secret';
const TOPICS: Record<string, [string, string]> = {
	'shopify-orders-create.json': ['x-shopify-topic', 'orders/create'],
	'shopify-customers-create.json': ['x-shopify-topic', 'customers/create'],
	'shopify-checkouts-create.json': ['x-shopify-topic', 'checkouts/create'],
	'woocommerce-order-created.json': ['x-wc-webhook-topic', 'order.created'],
	'woocommerce-customer-created.json': ['x-wc-webhook-topic', 'customer.created'],
};

describe('trigger property: all of an event or nothing', () => {
	const dir = mkdtempSync(join(tmpdir(), 'dialogue-trigger-prop-'));
	const file = join(dir, 'store.sqlite');
	const store = new SqlStore(new SqliteDriver(file));
	const db = new DatabaseSync(file, { readOnly: true });
	afterAll(async () => {
		db.close();
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
	const snapshot = () => ({ events: count('events'), customers: count('customers'), orders: count('orders'), lines: count('order_lines'), carts: count('carts') });

	/** A vendor body: the sample, truncated, with a byte flipped, or with a field replaced. */
	const body = fc.oneof(
		fc.constantFrom(...FIXTURE_FILES).map((name) => ({ name, bytes: fixtureBytes(name) })),
		fc.tuple(fc.constantFrom(...FIXTURE_FILES), fc.nat()).map(([name, cut]) => {
			const bytes = fixtureBytes(name);
			return { name, bytes: bytes.subarray(0, cut % (bytes.length + 1)) };
		}),
		fc.tuple(fc.constantFrom(...FIXTURE_FILES), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([name, at, byte]) => {
			const bytes = Buffer.from(fixtureBytes(name));
			if (bytes.length) bytes[at % bytes.length] = byte;
			return { name, bytes };
		}),
		fc.tuple(fc.constantFrom(...FIXTURE_FILES), fc.constantFrom('id', 'customer', 'line_items', 'total_price', 'currency', 'created_at', 'email', 'billing', 'token'), fc.jsonValue()).map(
			([name, key, value]) => {
				const json = JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
				json[key] = value;
				json.id = typeof json.id === 'number' ? json.id + Math.floor(Math.random() * 1e6) : json.id;
				return { name, bytes: Buffer.from(JSON.stringify(json)) };
			},
		),
	);

	it('records a whole event or nothing, and answers every delivery', async () => {
		const outcomes = new Map<string, number>();
		await fc.assert(
			fc.asyncProperty(body, fc.boolean(), async ({ name, bytes }, signed) => {
				const [header, topic] = TOPICS[name];
				const source = header.startsWith('x-shopify') ? 'shopify' : 'woocommerce';
				const signature = hmacSha256Base64(SECRET, signed ? bytes : Buffer.concat([bytes, Buffer.from(' ')]));
				const headers = {
					[header]: topic,
					[source === 'shopify' ? 'x-shopify-hmac-sha256' : 'x-wc-webhook-signature']: signature,
					...(source === 'woocommerce' ? { 'x-wc-webhook-id': '1' } : {}),
				};
				const settings = triggerSettings({ events: ['order.placed'], credential: { source, secret: SECRET } });
				const before = snapshot();
				const outcome = await receiveDelivery({ headers, rawBody: bytes }, settings, async (event) => {
					const [recorded] = await store.recordEvents([event], Date.now());
					return recorded;
				});
				const afterwards = snapshot();
				const status = outcome.kind === 'start' ? 'started' : String(outcome.body.status);
				outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
				if (!signed) assert.equal(status, 'unauthorized');
				const wrote = afterwards.events - before.events;
				if (status === 'started' || status === 'recorded') {
					assert.equal(wrote, 1);
					const event = outcome.kind === 'start' ? outcome.event : undefined;
					if (event?.order) {
						const lines = (db.prepare('SELECT COUNT(*) AS n FROM order_lines WHERE order_id = ?').get(event.order.id) as { n: number }).n;
						assert.equal(lines, event.order.lines.length, 'every line of the order');
					}
				} else {
					assert.deepEqual(afterwards, before, `${status}: nothing written`);
				}
			}),
			{ numRuns: RUNS },
		);
		assert.ok((outcomes.get('unauthorized') ?? 0) > 0 && (outcomes.get('invalid') ?? 0) > 0, JSON.stringify([...outcomes]));
		assert.ok((outcomes.get('started') ?? 0) + (outcomes.get('recorded') ?? 0) + (outcomes.get('duplicate') ?? 0) > 0, JSON.stringify([...outcomes]));
	});

	const generic = (extra: Record<string, unknown>) =>
		JSON.stringify({
			type: 'order.placed',
			occurredAt: '2026-03-02T09:00:00Z',
			customer: { id: 'c-1' },
			order: { id: `o-${Math.random()}`, total: '1.00', currency: 'EUR', lines: [{ productId: 'p', quantity: 1, price: '1.00' }] },
			...extra,
		});
	const RESERVED = /^(shopify|woocommerce|ledger|occasion):/i;
	let serial = 0;

	it('a Generic body is recorded as a Generic event under an id of its own, or not at all', async () => {
		const claim = fc.record({
			prefix: fc.constantFrom('', 'shopify:', 'woocommerce:', 'ledger:', 'occasion:', 'SHOPIFY:', ' Ledger:', 'generic:', 'shop-a:shopify:'),
			rest: fc.string({ minLength: 1, maxLength: 12 }),
			source: fc.option(fc.constantFrom<unknown>(...EVENT_SOURCES, 'Shopify', 'magento', 42), { nil: undefined }),
			signed: fc.boolean(),
		});
		await fc.assert(
			fc.asyncProperty(claim, async ({ prefix, rest, source, signed }) => {
				const id = `${prefix}${rest}-${++serial}`;
				const bytes = Buffer.from(generic({ id, ...(source !== undefined && { source }) }));
				const settings = signed
					? triggerSettings({ events: ['order.placed'], credential: { source: 'generic', secret: SECRET } })
					: triggerSettings({ events: ['order.placed'], acceptUnsigned: true });
				const headers = signed ? { 'x-dialogue-signature': hmacSha256Base64(SECRET, bytes) } : {};
				const before = snapshot();
				const outcome = await receiveDelivery({ headers, rawBody: bytes }, settings, async (event) => (await store.recordEvents([event], Date.now()))[0]);
				const status = outcome.kind === 'start' ? 'started' : String(outcome.body.status);
				if (RESERVED.test(id.trim())) {
					assert.equal(status, 'invalid');
					assert.equal(outcome.body.field, 'id');
				}
				if (status === 'started') {
					const row = db.prepare('SELECT source FROM events WHERE id = ?').get(id.trim()) as { source: string } | undefined;
					assert.equal(row?.source, 'generic', id);
				} else {
					assert.deepEqual(snapshot(), before, `${status}: nothing written`);
				}
			}),
			{ numRuns: RUNS },
		);
	});

	it('a body above Max Body Size is refused (413) and writes nothing; one within it is read', async () => {
		await fc.assert(
			fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 4096 }), async (kb, padding) => {
				const bytes = Buffer.from(`${generic({ id: `size-${++serial}` })}${' '.repeat(padding)}`);
				const settings = triggerSettings({ events: ['order.placed'], acceptUnsigned: true, options: { maxBodySize: kb } });
				const before = snapshot();
				const outcome = await receiveDelivery({ headers: {}, rawBody: bytes }, settings, async (event) => (await store.recordEvents([event], Date.now()))[0]);
				if (bytes.length > kb * 1024) {
					assert.equal(outcome.kind === 'respond' && outcome.status, 413);
					assert.deepEqual(snapshot(), before);
				} else {
					assert.equal(outcome.kind, 'start');
				}
			}),
			{ numRuns: RUNS },
		);
	});
});
