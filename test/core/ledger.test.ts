/**
 * core/ledger: items (canonical JSON, n8n's Shopify / WooCommerce node output, mapped CSV rows) to
 * canonical events, recording them idempotently in one store call, profiles and erasure, over a
 * real SQLite store.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { InputError } from '../../core/errors';
import type { CanonicalEvent } from '../../core/event';
import {
	customerProfiles,
	eventFromItem,
	eventsFromItems,
	eventsFromRows,
	forgetCustomers,
	ledgerSummary,
	mappedInstant,
	recordLedger,
	type MappedRow,
} from '../../core/ledger';
import type { Store } from '../../core/store';
import type { Driver } from '../../store/driver';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
import { fixtureBytes } from './events/helpers';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
/** Counts the transactions a driver runs (by mode) and its erasure scrubs. */
function countTransactions(driver: Driver): Record<'read' | 'write' | 'scrub', number> {
	const counts = { read: 0, write: 0, scrub: 0 };
	const transaction = driver.transaction.bind(driver);
	driver.transaction = (fn, mode) => {
		counts[mode]++;
		return transaction(fn, mode);
	};
	const scrub = driver.scrub?.bind(driver);
	if (scrub) {
		driver.scrub = () => {
			counts.scrub++;
			return scrub();
		};
	}
	return counts;
}

/** The store, recording the name of every method called on it from outside. */
function countCalls(store: Store): { store: Store; calls: string[] } {
	const calls: string[] = [];
	const counted = new Proxy(store, {
		get(target, name, receiver) {
			const value: unknown = Reflect.get(target, name, receiver);
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) => {
				calls.push(String(name));
				return (value as (...a: unknown[]) => unknown).apply(target, args);
			};
		},
	});
	return { store: counted, calls };
}

const isInputError = (field: string) => (e: unknown) => e instanceof InputError && e.field === field;

/** A fixture as n8n's Shopify / WooCommerce node hands it on: plain JSON.parse (ids above 2^53 rounded). */
const n8nOutput = (name: Parameters<typeof fixtureBytes>[0]) => JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;

/** The Shopify order fixture with product ids of today's size (below 2^53), as a real shop has them. */
function shopifyOrder(): Record<string, unknown> {
	const order = n8nOutput('shopify-orders-create.json');
	order.line_items = (order.line_items as Array<Record<string, unknown>>).map((line, i) => ({
		...line,
		product_id: line.product_id === null ? null : 8_012_345_678_900 + i,
	}));
	return order;
}

describe('ledger', () => {
	const dir = mkdtempSync(join(tmpdir(), 'dialogue-ledger-'));
	let store: Store;
	beforeAll(() => {
		store = new SqlStore(new SqliteDriver(join(dir, 'ledger.sqlite')));
	});
	afterAll(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	describe('items to events', () => {
		it("n8n's Shopify node output: an order, with the Storefront Trigger's event id", () => {
			const event = eventFromItem('shopifyOrders', shopifyOrder());
			assert.equal(event.id, 'shopify:order.placed:820982911946154508', 'the rounded id is recovered from admin_graphql_api_id');
			assert.equal(event.type, 'order.placed');
			assert.equal(event.source, 'shopify');
			assert.equal(event.customer?.id, '115310627314723954');
			assert.equal(event.order?.total, '404.95');
			assert.equal(event.order?.currency, 'USD');
			assert.equal(event.order?.lines.length, 5);
			assert.equal(event.order?.status, 'cancelled', 'the fixture order is cancelled: recorded, never counted');
		});

		it('a rounded product id is an error that names the line and says where the item should come from', () => {
			assert.throws(
				() => eventFromItem('shopifyOrders', n8nOutput('shopify-orders-create.json')),
				(e: unknown) => e instanceof InputError && e.field === 'line_items[0].product_id' && /n8n's Shopify node/.test(e.hint ?? ''),
			);
		});

		it("n8n's WooCommerce node output: orders and customers", () => {
			const order = eventFromItem('woocommerceOrders', n8nOutput('woocommerce-order-created.json'));
			assert.equal(order.id, 'woocommerce:order.created:727');
			assert.equal(order.customer?.id, 'email:john.doe@example.com', 'customer_id 0 is a guest');
			assert.equal(order.order?.total, '29.35');
			const customer = eventFromItem('woocommerceCustomers', n8nOutput('woocommerce-customer-created.json'));
			assert.equal(customer.type, 'customer.registered');
			assert.equal(customer.customer?.id, '25');
			assert.equal(customer.customer?.registeredAt, '2017-03-21T19:09:28.000Z');
			const shopifyCustomer = eventFromItem('shopifyCustomers', n8nOutput('shopify-customers-create.json'));
			assert.equal(shopifyCustomer.customer?.id, '706405506930370084');
		});

		it('a customer where an order is expected is an error naming the missing field', () => {
			assert.throws(() => eventFromItem('woocommerceOrders', n8nOutput('woocommerce-customer-created.json')), (e: unknown) => e instanceof InputError && /WooCommerce node/.test(e.hint ?? ''));
		});

		it('canonical JSON: validated, source "ledger" by default; occasions are refused', () => {
			const event = eventFromItem('canonical', { id: 'e1', type: 'customer.registered', occurredAt: '2026-01-01T10:00:00+02:00', customer: { id: 7, email: 'A@Example.com' }, extra: 1 });
			assert.deepEqual(event, { id: 'e1', type: 'customer.registered', occurredAt: '2026-01-01T08:00:00.000Z', source: 'ledger', customer: { id: '7', email: 'a@example.com' } });
			assert.throws(() => eventFromItem('canonical', { id: 'o', type: 'cart.abandoned', occurredAt: '2026-01-01T00:00:00Z', customer: { id: '1' } }), isInputError('type'));
			assert.throws(() => eventFromItem('canonical', { type: 'order.placed' }), isInputError('id'));
		});

		it('eventsFromItems keeps going past a bad item and reports it by index', () => {
			const batch = eventsFromItems('woocommerceOrders', [
				{ itemIndex: 0, json: n8nOutput('woocommerce-order-created.json') },
				{ itemIndex: 1, json: { id: 5 } },
			]);
			assert.equal(batch.entries.length, 1);
			assert.deepEqual(batch.entries[0].itemIndexes, [0]);
			assert.equal(batch.failures[0].itemIndex, 1);
		});
	});

	describe('mapped rows', () => {
		it('dates as CSV exports write them', () => {
			const berlin = 'Europe/Berlin';
			assert.equal(mappedInstant('2024-01-15 10:30:00 -0500', 'd', berlin), Date.parse('2024-01-15T15:30:00Z'));
			assert.equal(mappedInstant('2024-01-15T10:30:00Z', 'd', berlin), Date.parse('2024-01-15T10:30:00Z'));
			assert.equal(mappedInstant('2024-01-15 10:30', 'd', berlin), Date.parse('2024-01-15T09:30:00Z'), 'no offset: the zone given');
			assert.equal(mappedInstant('2024-07-15', 'd', berlin), Date.parse('2024-07-14T22:00:00Z'), 'a date: midnight in the zone');
			assert.equal(mappedInstant('2024-01-15 10:30:00 UTC', 'd', berlin), Date.parse('2024-01-15T10:30:00Z'));
			assert.equal(mappedInstant(1_700_000_000_000, 'd', berlin), 1_700_000_000_000);
			assert.throws(() => mappedInstant('15/01/2024', 'occurredAt', berlin), isInputError('occurredAt'));
			assert.throws(() => mappedInstant('', 'occurredAt', berlin), isInputError('occurredAt'));
		});

		it("one row per line item (Shopify's CSV export): one order, lines and codes added up, first values win", () => {
			const rows: MappedRow[] = [
				{ orderId: '#1001', customerId: '', email: 'Kim@Example.com', occurredAt: '2024-01-15 10:30:00 -0500', total: '54.00', currency: 'usd', couponCodes: 'WELCOME10', productName: 'Girls dress', sku: 'GD-1', categories: 'Girls, Dresses', quantity: '1', price: '30.00', acceptsMarketing: 'yes' },
				{ orderId: '#1001', email: 'kim@example.com', productName: 'Boys cap', sku: 'BC-2', categories: 'Boys', quantity: '2', price: '12.00', couponCodes: 'welcome10' },
				{ orderId: '#1002', customerId: 'c-9', occurredAt: '2024-02-01', currency: 'EUR', sku: 'S-1', quantity: 2, price: '9.95' },
				{ orderId: '#1003', customerId: 'c-9', occurredAt: '2024-02-02', currency: 'EUR', total: '20', categories: 'Boys' },
			];
			const batch = eventsFromRows(rows.map((row, itemIndex) => ({ itemIndex, row })), { zone: 'Europe/Berlin' });
			assert.deepEqual(batch.failures, []);
			assert.deepEqual(
				batch.entries.map((e) => [e.event.id, e.itemIndexes]),
				[
					['ledger:order.placed:#1001', [0, 1]],
					['ledger:order.placed:#1002', [2]],
					['ledger:order.placed:#1003', [3]],
				],
			);
			const [kim, sum, single] = batch.entries.map((e) => e.event);
			assert.deepEqual(kim.customer, { id: 'email:kim@example.com', email: 'kim@example.com', acceptsMarketing: true });
			assert.equal(kim.occurredAt, '2024-01-15T15:30:00.000Z');
			assert.equal(kim.source, 'ledger');
			assert.deepEqual(kim.order, {
				id: '#1001',
				total: '54.00',
				currency: 'USD',
				couponCodes: ['WELCOME10', 'welcome10'],
				promotions: [],
				lines: [
					{ productId: 'sku:GD-1', sku: 'GD-1', name: 'Girls dress', categories: ['Girls', 'Dresses'], quantity: 1, price: '30.00' },
					{ productId: 'sku:BC-2', sku: 'BC-2', name: 'Boys cap', categories: ['Boys'], quantity: 2, price: '12.00' },
				],
			});
			assert.equal(sum.order?.total, '19.90', 'no total: the sum of the lines');
			assert.equal(sum.occurredAt, '2024-01-31T23:00:00.000Z', 'a date: midnight in the zone given');
			assert.deepEqual(single.order?.lines, [{ productId: 'order:#1003', categories: ['Boys'], quantity: 1, price: '20.00' }], 'categories alone make a line that costs the order');
		});

		it('customer rows; defaults for type and id; a bad row fails alone, a bad order fails all its rows', () => {
			const rows: MappedRow[] = [
				{ type: 'customer.registered', customerId: 'r-1', registeredAt: '2023-05-01T08:00:00Z', birthday: '1990-05-17', timezone: 'europe/berlin', firstName: ' Rita ' },
				{ customerId: 'r-2', email: 'r2@example.com', occurredAt: '2023-06-01T08:00:00Z', acceptsMarketing: 'no' },
				{ orderId: 'x1', customerId: 'r-1', occurredAt: 'yesterday', currency: 'EUR', total: '5' },
				{ orderId: 'x2', customerId: 'r-1', occurredAt: '2023-06-01T08:00:00Z', total: '5' },
				{ orderId: 'x2', customerId: 'r-1', sku: 'A' },
				{ type: 'page.visited', customerId: 'r-1', occurredAt: '2023-06-01T08:00:00Z' },
			];
			const batch = eventsFromRows(rows.map((row, itemIndex) => ({ itemIndex, row })));
			assert.deepEqual(
				batch.entries.map((e) => e.event.id),
				['ledger:customer.registered:r-1', 'ledger:customer.updated:r-2:2023-06-01T08:00:00.000Z'],
			);
			assert.deepEqual(batch.entries[0].event.customer, {
				id: 'r-1',
				firstName: 'Rita',
				birthday: '1990-05-17',
				timezone: 'Europe/Berlin',
				registeredAt: '2023-05-01T08:00:00.000Z',
			});
			assert.equal(batch.entries[0].event.occurredAt, '2023-05-01T08:00:00.000Z', 'registration date as the event time');
			assert.equal(batch.entries[1].event.customer?.acceptsMarketing, false);
			assert.deepEqual(
				batch.failures.map((f) => [f.itemIndex, (f.error as InputError).field]),
				[
					[2, 'occurredAt'],
					[3, 'order.currency'],
					[4, 'order.currency'],
					[5, 'type'],
				],
			);
		});

		it('rows without customer or order id are errors naming the field to map', () => {
			const batch = eventsFromRows([
				{ itemIndex: 0, row: { occurredAt: '2024-01-01T00:00:00Z', orderId: '1' } },
				{ itemIndex: 1, row: { customerId: 'a', occurredAt: '2024-01-01T00:00:00Z', type: 'order.placed' } },
				{ itemIndex: 2, row: { customerId: 'a', acceptsMarketing: 'maybe', occurredAt: '2024-01-01T00:00:00Z' } },
			]);
			assert.deepEqual(
				batch.failures.map((f) => (f.error as InputError).field),
				['customerId', 'orderId', 'acceptsMarketing'],
			);
		});

		it('rows and items with a negative amount, a currency that is not ISO 4217 or a date after now are errors naming the field', () => {
			const order = { customerId: 'a', occurredAt: '2026-05-01T00:00:00Z', currency: 'EUR', total: '5' };
			const batch = eventsFromRows(
				[
					{ orderId: 'n1', ...order, total: '-5' },
					{ orderId: 'n2', ...order, productId: 'p', quantity: 1, price: '-1.50' },
					{ orderId: 'n3', ...order, currency: 'ZZZ' },
					{ orderId: 'n4', ...order, occurredAt: '2026-06-03T00:00:00Z' },
					{ orderId: 'n5', ...order },
				].map((row, itemIndex) => ({ itemIndex, row })),
				{ now: T0 },
			);
			assert.deepEqual(
				batch.failures.map((f) => (f.error as InputError).field),
				['total', 'price', 'currency', 'occurredAt'],
			);
			assert.deepEqual(batch.entries.map((e) => e.event.order?.id), ['n5']);
			const items = eventsFromItems(
				'canonical',
				[
					{ itemIndex: 0, json: { id: 'e1', type: 'order.placed', occurredAt: '9999-01-01T00:00:00Z', customer: { id: 'a' }, order: { id: 'o', total: '1', currency: 'EUR' } } },
					{ itemIndex: 1, json: { id: 'e2', type: 'order.placed', occurredAt: '2026-05-01T00:00:00Z', customer: { id: 'a' }, order: { id: 'o', total: '-1', currency: 'EUR' } } },
				],
				T0,
			);
			assert.deepEqual(
				items.failures.map((f) => (f.error as InputError).field),
				['occurredAt', 'order.total'],
			);
		});
	});

	describe('recording, profile, erasure', () => {
		it('records a batch in one call; running it again records nothing', async () => {
			const orders = Array.from({ length: 30 }, (_, i) => ({
				itemIndex: i,
				row: { orderId: `o${i}`, customerId: `k${i % 3}`, occurredAt: new Date(T0 - i * DAY).toISOString(), total: '10.00', currency: 'EUR', categories: i % 2 ? 'Boys' : 'Shoes' },
			}));
			const batch = eventsFromRows(orders);
			const first = await recordLedger(store, T0, batch.entries);
			assert.deepEqual(ledgerSummary(first, 0), { recorded: 30, duplicates: 0, suppressed: 0, failed: 0, newCustomers: 3 });
			const again = await recordLedger(store, T0, eventsFromRows(orders).entries);
			assert.deepEqual(ledgerSummary(again, 2), { recorded: 0, duplicates: 30, suppressed: 0, failed: 2, newCustomers: 0 });
			assert.ok(again.every((r) => r.duplicate && !r.recorded));
			const [k0] = await store.purchases([{ customerId: 'k0' }]);
			assert.equal(k0.totals[0].orders, 10);
			assert.equal(k0.totals[0].amountMinor, 10_000n);
			assert.deepEqual(await recordLedger(store, T0, []), []);
		});

		it('a backfill after a forget skips the forgotten customer\'s older events, counted as suppressed', async () => {
			const rows = Array.from({ length: 4 }, (_, i) => ({
				itemIndex: i,
				row: { orderId: `bf${i}`, customerId: i < 3 ? 'bf-gone' : 'bf-stays', occurredAt: new Date(T0 - (i + 1) * DAY).toISOString(), total: '10.00', currency: 'EUR' },
			}));
			await recordLedger(store, T0, eventsFromRows(rows).entries);
			await forgetCustomers(store, ['bf-gone'], { now: T0 });
			const again = await recordLedger(store, T0, eventsFromRows(rows).entries);
			assert.deepEqual(ledgerSummary(again, 0), { recorded: 0, duplicates: 1, suppressed: 3, failed: 0, newCustomers: 0 });
			assert.deepEqual(again.map((r) => r.suppressed), [true, true, true, false]);
			assert.equal(await store.getCustomer('bf-gone'), undefined);
		});

		it('profile: customer, all-time purchases, segments, coupons held, activities; unknown customers are found: false', async () => {
			const id = 'prof-1';
			const events: CanonicalEvent[] = [
				{ id: 'prof-reg', type: 'customer.registered', occurredAt: new Date(T0 - 400 * DAY).toISOString(), source: 'generic', customer: { id, email: 'p@example.com', firstName: 'Pia', timezone: 'Europe/Berlin' } },
				{
					id: 'prof-o1',
					type: 'order.placed',
					occurredAt: new Date(T0 - 300 * DAY).toISOString(),
					source: 'generic',
					customer: { id },
					order: { id: 'po1', total: '600.00', currency: 'EUR', couponCodes: ['WELCOME'], promotions: [], lines: [{ productId: 'dress', categories: ['Girls'], quantity: 1, price: '600.00' }] },
				},
				{
					id: 'prof-o2',
					type: 'order.placed',
					occurredAt: new Date(T0 - 2 * DAY).toISOString(),
					source: 'generic',
					customer: { id },
					order: { id: 'po2', total: '500.01', currency: 'EUR', couponCodes: [], promotions: [], lines: [{ productId: 'cap', sku: 'CAP', categories: ['Boys'], quantity: 1, price: '500.01' }] },
				},
			];
			await store.recordEvents(events, T0);
			await store.ensureSegments(['Big spenders', 'Old'], T0);
			await store.segmentAdd('Big spenders', [{ customerId: id }], T0 - DAY);
			await store.segmentAdd('Old', [{ customerId: id, until: T0 - 1 }], T0 - 10 * DAY);
			await store.ensurePools(['thanks'], T0);
			await store.addCodes('thanks', [{ code: 'THX-1' }, { code: 'THX-2' }], T0);
			await store.claimCodes('thanks', [{ customerId: id, key: 'k1', expiresAt: T0 + 30 * DAY }], T0);
			await store.guardEnter([{ activity: 'welcome', customerId: id, key: 'e1', policy: { kind: 'once' } }], T0 - DAY);

			const [profile, unknown] = await customerProfiles(store, T0, [id, 'nobody']);
			assert.equal(profile.found, true);
			assert.equal(profile.customer?.firstName, 'Pia');
			assert.equal(profile.customer?.registeredAt, new Date(T0 - 400 * DAY).toISOString());
			assert.equal(profile.customer?.lastOrderAt, new Date(T0 - 2 * DAY).toISOString());
			assert.equal(profile.purchases.count, 2);
			assert.deepEqual(profile.purchases.amounts, { EUR: '1100.01' });
			assert.deepEqual(profile.purchases.categories, ['Boys', 'Girls']);
			assert.deepEqual(profile.purchases.couponCodes, ['WELCOME']);
			assert.deepEqual(profile.segments, [{ segment: 'Big spenders', addedAt: new Date(T0 - DAY).toISOString() }], 'expired memberships are left out');
			assert.equal(profile.coupons.length, 1);
			assert.equal(profile.coupons[0].pool, 'thanks');
			assert.equal(profile.coupons[0].status, 'held');
			assert.deepEqual(profile.activities, [{ activity: 'welcome', entryKey: 'e1', enteredAt: new Date(T0 - DAY).toISOString() }]);
			assert.equal(unknown.found, false);
			assert.equal(unknown.customer, undefined);
			assert.equal(unknown.purchases.count, 0);
		});

		it('forget: the customer and their guest orders under the same email', async () => {
			const id = 'gone-1';
			await store.recordEvents(
				[
					{ id: 'gone-reg', type: 'customer.registered', occurredAt: new Date(T0).toISOString(), source: 'generic', customer: { id, email: 'gone@example.com' } },
					{
						id: 'gone-guest-order',
						type: 'order.placed',
						occurredAt: new Date(T0).toISOString(),
						source: 'generic',
						customer: { id: 'email:gone@example.com', email: 'gone@example.com' },
						order: { id: 'gg1', total: '5.00', currency: 'EUR', couponCodes: [], promotions: [], lines: [] },
					},
				],
				T0,
			);
			const [result] = await forgetCustomers(store, [id]);
			assert.equal(result.erased, true);
			assert.deepEqual(result.alsoErased, ['email:gone@example.com']);
			assert.equal(result.removed.customers, 2);
			assert.equal(result.removed.events, 2);
			assert.equal(result.removed.orders, 1);
			assert.equal(await store.getCustomer('email:gone@example.com'), undefined);
			const [again] = await forgetCustomers(store, [id]);
			assert.equal(again.erased, false);
			assert.equal(again.total, 0);
		});

		it('forget: the guest orders under the customer\'s phone number too', async () => {
			const id = 'gone-2';
			const at = new Date(T0).toISOString();
			await store.recordEvents(
				[
					{ id: 'gone2-reg', type: 'customer.registered', occurredAt: at, source: 'generic', customer: { id, phone: '+49 170 7654321' } },
					{
						id: 'gone2-phone-order',
						type: 'order.placed',
						occurredAt: at,
						source: 'shopify',
						customer: { id: 'phone:+491707654321', phone: '+49 170 7654321' },
						order: { id: 'gp1', total: '5.00', currency: 'EUR', couponCodes: [], promotions: [], lines: [] },
					},
				],
				T0,
			);
			const [result] = await forgetCustomers(store, [id]);
			assert.deepEqual(result.alsoErased, ['phone:+491707654321']);
			assert.equal(result.removed.orders, 1);
			assert.equal(await store.getCustomer('phone:+491707654321'), undefined);
		});
	});
	describe('a batch of customers is one store call', () => {
		const driver = new SqliteDriver(join(dir, 'batch.sqlite'));
		const batchStore = new SqlStore(driver);
		const ids = Array.from({ length: 50 }, (_, i) => `batch-${i}`);
		const registrations = ids.map((id, i): CanonicalEvent => ({
			id: `batch-reg-${i}`,
			type: 'customer.registered',
			occurredAt: new Date(T0 - DAY).toISOString(),
			source: 'generic',
			customer: { id, email: `${id}@example.com` },
		}));
		beforeAll(async () => {
			await batchStore.recordEvents(registrations, T0 - DAY);
			await batchStore.ensureSegments(['Batch'], T0);
			await batchStore.segmentAdd('Batch', ids.map((customerId) => ({ customerId })), T0 - DAY);
			await batchStore.guardEnter(ids.map((customerId) => ({ activity: 'welcome', customerId, key: 'w', policy: { kind: 'once' } })), T0 - DAY);
		});
		afterAll(async () => {
			await batchStore.close();
		});

		it('profiles of 50 customers: one store call, one transaction', async () => {
			const transactions = countTransactions(driver);
			const { store: counted, calls } = countCalls(batchStore);
			const profiles = await customerProfiles(counted, T0, ids);
			assert.equal(calls.length, 1, `store calls: ${calls.length}`);
			assert.deepEqual(transactions, { read: 1, write: 0, scrub: 0 });
			assert.deepEqual(profiles.map((p) => p.customerId), ids);
			assert.ok(profiles.every((p) => p.found && p.segments.length === 1 && p.activities.length === 1));
			assert.deepEqual(profiles.map((p) => p.customer?.email), ids.map((id) => `${id}@example.com`));
		});

		it('forgetting 50 customers: one store call, one write transaction, one scrub', async () => {
			const transactions = countTransactions(driver);
			const { store: counted, calls } = countCalls(batchStore);
			const results = await forgetCustomers(counted, ids, { now: T0 });
			assert.equal(calls.length, 1, `store calls: ${calls.length}`);
			assert.deepEqual(transactions, { read: 0, write: 1, scrub: 1 });
			assert.deepEqual(results.map((r) => [r.customerId, r.erased, r.removed.customers]), ids.map((id) => [id, true, 1]));
			assert.equal((await batchStore.knownCustomers(ids)).size, 0);
			const again = await batchStore.recordEvents(registrations, T0 + DAY);
			assert.ok(again.every((o) => o.suppressed === true), 'older events about each of them are suppressed');
		});
	});
});
