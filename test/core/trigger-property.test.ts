/**
 * Property: whatever reaches the Storefront Trigger (random, truncated or mutated vendor bodies,
 * for every source), receiveDelivery over a real store either records the whole event (its
 * customer, and for orders the order with every line) or writes nothing — never a crash, never
 * half an event.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { hmacSha256Base64 } from '../../core/events';
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
	after(async () => {
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
});
