/**
 * The store contract for orders: their state over time, their key, refunds, orders without a
 * customer, and the upgrade of a version-1 store. Run against every dialect next to storeContract.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { CanonicalEvent, EventSource } from '../../core/event';
import type { RecordOutcome, Store } from '../../core/store';
import { cartEvent, createAtVersion, registerEvent, type StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface OrderOptions {
	customerId?: string;
	type?: 'order.placed' | 'order.updated';
	source?: EventSource;
	status?: string;
	refunded?: string;
	total?: string;
	eventId?: string;
}

/** An event about order `orderId` at `at` (default: order.placed by customer c, Generic). */
function orderAt(orderId: string, at: number, options: OrderOptions = {}): CanonicalEvent {
	const type = options.type ?? 'order.placed';
	const total = options.total ?? '50.00';
	const event: CanonicalEvent = {
		id: options.eventId ?? `test:${options.source ?? 'generic'}:${type}:${orderId}:${at}`,
		type,
		occurredAt: new Date(at).toISOString(),
		source: options.source ?? 'generic',
		customer: { id: options.customerId ?? 'c' },
		order: {
			id: orderId,
			total,
			currency: 'EUR',
			couponCodes: [],
			promotions: [],
			lines: [{ productId: `p-${orderId}`, categories: ['Shoes'], quantity: 1, price: total }],
			...(options.status !== undefined && { status: options.status }),
			...(options.refunded !== undefined && { refunded: options.refunded }),
		},
	};
	return event;
}

/** Whether the order the event is about counts, as the store reports it. */
const countedOf = (outcome: RecordOutcome) => (outcome as RecordOutcome & { order?: { counted: boolean } }).order?.counted;

export function ordersContract(factory: StoreFactory): void {
	describe(`store contract, orders: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		const spent = async (customerId: string) =>
			(await store.purchases([{ customerId }]))[0].totals.map((t) => [t.currency, t.orders, t.amountMinor]);

		describe('state over time', () => {
			it('a delayed older update changes nothing: the newest state by the event\'s own time wins', async () => {
				const c = 'late-1';
				await store.recordEvents([orderAt('late', T0, { customerId: c, status: 'pending' })], T0);
				await store.recordEvents([orderAt('late', T0 + 2 * HOUR, { customerId: c, type: 'order.updated', status: 'cancelled' })], T0 + 2 * HOUR);
				const [late] = await store.recordEvents([orderAt('late', T0 + HOUR, { customerId: c, type: 'order.updated', status: 'paid' })], T0 + 3 * HOUR);
				assert.equal(late.recorded, true, 'the older update is recorded as an event');
				assert.equal(countedOf(late), false, 'and the order stays cancelled');
				assert.deepEqual(await spent(c), []);
				assert.equal((await store.getCustomer(c))?.lastOrderAt, undefined);
			});

			it('a cancellation that arrives before the create: recorded, not counted, and the outcome says so', async () => {
				const c = 'early-1';
				const [cancelled] = await store.recordEvents([orderAt('early', T0 + HOUR, { customerId: c, type: 'order.updated', status: 'cancelled' })], T0 + HOUR);
				assert.equal(countedOf(cancelled), false);
				const [created] = await store.recordEvents([orderAt('early', T0, { customerId: c, status: 'pending' })], T0 + 2 * HOUR);
				assert.equal(created.recorded, true);
				assert.equal(countedOf(created), false, 'a create for an order known cancelled does not count');
				assert.deepEqual(await spent(c), []);
				const [again] = await store.recordEvents([orderAt('early', T0, { customerId: c, status: 'pending' })], T0 + 3 * HOUR);
				assert.deepEqual([again.recorded, countedOf(again)], [false, false], 'a redelivery says the same');
			});

			it('a newer update that pays a cancelled-then-restored order counts it again, once', async () => {
				const c = 'restore-1';
				await store.recordEvents([orderAt('restore', T0, { customerId: c })], T0);
				await store.recordEvents([orderAt('restore', T0 + HOUR, { customerId: c, type: 'order.updated', status: 'cancelled' })], T0 + HOUR);
				const [paid] = await store.recordEvents([orderAt('restore', T0 + 2 * HOUR, { customerId: c, type: 'order.updated', status: 'paid' })], T0 + 2 * HOUR);
				assert.equal(countedOf(paid), true);
				assert.deepEqual(await spent(c), [['EUR', 1, 5000n]]);
				assert.equal((await store.getCustomer(c))?.lastOrderAt, T0);
			});
		});

		describe('what derives from counted orders', () => {
			it('a customer whose only order is cancelled has no last order: registered without ordering finds them, lapsed does not', async () => {
				const c = 'only-cancelled';
				await store.recordEvents([registerEvent(c, T0 - 200 * DAY), orderAt('oc', T0 - 150 * DAY, { customerId: c })], T0 - 150 * DAY);
				assert.equal((await store.getCustomer(c))?.lastOrderAt, T0 - 150 * DAY);
				await store.recordEvents([orderAt('oc', T0 - 149 * DAY, { customerId: c, type: 'order.updated', status: 'cancelled' })], T0);
				assert.equal((await store.getCustomer(c))?.lastOrderAt, undefined);
				const q = { consumer: 'orders-contract', limit: 1000, before: T0 };
				const fresh = await store.dueRegisteredWithoutOrder({ ...q, kind: 'customer.no_order_since_registration' });
				assert.ok(fresh.some((x) => x.customer.id === c), 'registered without ordering');
				const lapsed = await store.dueLapsed({ ...q, kind: 'customer.lapsed' });
				assert.ok(!lapsed.some((x) => x.customer.id === c), 'a cancelled order is no last order to lapse from');
			});

			it('the last order falls back to the newest order still counted', async () => {
				const c = 'fallback-1';
				await store.recordEvents([orderAt('fb-1', T0 - 10 * DAY, { customerId: c }), orderAt('fb-2', T0 - DAY, { customerId: c })], T0);
				await store.recordEvents([orderAt('fb-2', T0, { customerId: c, type: 'order.updated', status: 'refunded' })], T0);
				assert.equal((await store.getCustomer(c))?.lastOrderAt, T0 - 10 * DAY);
			});

			it('a cart closed by an order reopens when that order is cancelled', async () => {
				const c = 'cart-reopen';
				await store.recordEvents([cartEvent(c, 'cart-r', T0 - 5 * DAY, 1), orderAt('cr', T0 - 4 * DAY, { customerId: c })], T0 - 4 * DAY);
				const q = { consumer: 'orders-contract', kind: 'cart.abandoned', limit: 1000, before: T0 };
				assert.ok(!(await store.dueAbandonedCarts(q)).some((x) => x.customer.id === c), 'closed by the order');
				await store.recordEvents([orderAt('cr', T0 - 3 * DAY, { customerId: c, type: 'order.updated', status: 'cancelled' })], T0);
				const due = (await store.dueAbandonedCarts(q)).filter((x) => x.customer.id === c);
				assert.deepEqual(
					due.map((x) => x.cart?.id),
					['cart-r'],
				);
			});
		});

		describe('one batch', () => {
			it('records as one event at a time would: merges, duplicates, older and newer updates, carts and coupons in batch order', async () => {
				await store.ensurePools(['batch-pool'], T0);
				await store.addCodes('batch-pool', [{ code: 'BATCH-CODE' }], T0);
				const withCode = (event: CanonicalEvent, code: string): CanonicalEvent => ({ ...event, order: { ...event.order!, couponCodes: [code] } });
				const placed = withCode(orderAt('b-o1', T0 + 2 * HOUR, { customerId: 'b-ann', status: 'paid', eventId: 'b:placed' }), 'BATCH-CODE');
				const batch: CanonicalEvent[] = [
					registerEvent('b-ann', T0, { birthday: '1990-05-17' }),
					placed,
					// Bob's first event, after Ann's order in the batch: Ann's order redeems the code.
					withCode(orderAt('b-o2', T0 + HOUR, { customerId: 'b-bob', eventId: 'b:bob' }), 'batch-code'),
					orderAt('b-o1', T0 + HOUR, { customerId: 'b-ann', type: 'order.updated', status: 'cancelled', eventId: 'b:older' }),
					placed,
					orderAt('b-o1', T0 + 3 * HOUR, { customerId: 'b-ann', type: 'order.updated', status: 'cancelled', eventId: 'b:newer' }),
					placed,
					{ ...registerEvent('b-ann', T0 + 4 * HOUR, { firstName: 'Anna' }), id: 'b:profile', type: 'customer.updated' },
					{ ...cartEvent('b-bob', 'b-cart', T0 + 2 * HOUR, 1), id: 'b:cart-1' },
					{ ...cartEvent('b-bob', 'b-cart', T0 + HOUR, 2), id: 'b:cart-older' },
					{ ...cartEvent('b-bob', 'b-cart', T0 + 3 * HOUR, 3), id: 'b:cart-3' },
					orderAt('b-o3', T0 + 5 * HOUR, { customerId: 'b-cy', eventId: 'b:cy' }),
					// The same event id again with other content: a duplicate.
					orderAt('b-o3', T0 + 6 * HOUR, { customerId: 'b-cy', eventId: 'b:cy', total: '70.00' }),
				];
				const paid = { counted: true, status: 'paid' };
				const cancelled = { counted: false, status: 'cancelled' };
				const expected: RecordOutcome[] = [
					{ id: 'test:register:b-ann', recorded: true, newCustomer: true },
					{ id: 'b:placed', recorded: true, newCustomer: false, order: paid },
					{ id: 'b:bob', recorded: true, newCustomer: true, order: { counted: true } },
					{ id: 'b:older', recorded: true, newCustomer: false, order: paid },
					{ id: 'b:placed', recorded: false, newCustomer: false, order: paid },
					{ id: 'b:newer', recorded: true, newCustomer: false, order: cancelled },
					{ id: 'b:placed', recorded: false, newCustomer: false, order: cancelled },
					{ id: 'b:profile', recorded: true, newCustomer: false },
					{ id: 'b:cart-1', recorded: true, newCustomer: false },
					{ id: 'b:cart-older', recorded: true, newCustomer: false },
					{ id: 'b:cart-3', recorded: true, newCustomer: false },
					{ id: 'b:cy', recorded: true, newCustomer: true, order: { counted: true } },
					{ id: 'b:cy', recorded: false, newCustomer: false, order: { counted: true } },
				];
				assert.deepEqual(await store.recordEvents(batch, T0 + DAY), expected);

				const ann = await store.getCustomer('b-ann');
				assert.deepEqual([ann?.firstName, ann?.birthday, ann?.registeredAt, ann?.lastOrderAt], ['Anna', '1990-05-17', T0, undefined]);
				assert.deepEqual(await spent('b-ann'), []);
				assert.deepEqual(await spent('b-bob'), [['EUR', 1, 5000n]]);
				assert.equal((await store.getCustomer('b-bob'))?.lastOrderAt, T0 + HOUR);
				assert.deepEqual(await spent('b-cy'), [['EUR', 1, 5000n]]);
				assert.equal((await store.getCustomer('b-cy'))?.lastOrderAt, T0 + 5 * HOUR);
				const [code] = await store.redeemCodes([{ code: 'BATCH-CODE' }], T0 + DAY);
				assert.equal(code.redeemedAt, T0 + 2 * HOUR, 'redeemed by the first order of the batch that names it');
				const carts = (await store.dueAbandonedCarts({ consumer: 'batch', kind: 'cart.abandoned', limit: 1000, before: T0 + DAY })).filter((x) => x.cart?.id === 'b-cart');
				assert.deepEqual(carts.map((x) => (x.cart?.lines as Array<{ quantity: number }>).map((line) => line.quantity)), [[3]], 'the newest cart state');

				// The batch again: every event a duplicate, each with its order's state now; nothing changes.
				const again = await store.recordEvents(batch, T0 + 2 * DAY);
				assert.deepEqual(
					again,
					expected.map(({ id, order }) => ({ id, recorded: false, newCustomer: false, ...(order && { order: id === 'b:bob' || id === 'b:cy' ? order : cancelled }) })),
				);
				assert.deepEqual(await spent('b-bob'), [['EUR', 1, 5000n]]);
				assert.equal((await store.getCustomer('b-ann'))?.firstName, 'Anna');
			});
		});

		describe('the key of an order', () => {
			it('orders are keyed by source and id: the same id from another source is another customer\'s order', async () => {
				await store.recordEvents([orderAt('15', T0, { customerId: 'woo-1', source: 'woocommerce', total: '25.00' })], T0);
				const [other] = await store.recordEvents(
					[orderAt('15', T0 + HOUR, { customerId: 'gen-2', source: 'generic', type: 'order.updated', status: 'cancelled', total: '99.00' })],
					T0 + HOUR,
				);
				assert.equal(countedOf(other), false);
				assert.deepEqual(await spent('woo-1'), [['EUR', 1, 2500n]], 'the WooCommerce order is untouched');
				assert.equal((await store.getCustomer('woo-1'))?.lastOrderAt, T0);
				await store.recordEvents([orderAt('15', T0 + 2 * HOUR, { customerId: 'gen-2', source: 'generic', status: 'paid', total: '99.00' })], T0 + 2 * HOUR);
				assert.deepEqual(await spent('woo-1'), [['EUR', 1, 2500n]]);
			});

			it('an update that names another customer does not change the order', async () => {
				await store.recordEvents([orderAt('shared-id', T0, { customerId: 'owner-1' })], T0);
				await store.recordEvents([orderAt('shared-id', T0 + HOUR, { customerId: 'intruder-1', type: 'order.updated', status: 'cancelled' })], T0 + HOUR);
				assert.deepEqual(await spent('owner-1'), [['EUR', 1, 5000n]]);
				assert.deepEqual(await spent('intruder-1'), []);
			});

			it('forgetting a customer removes their orders of every source and leaves other customers\' orders with the same id', async () => {
				await store.recordEvents(
					[orderAt('f-15', T0, { customerId: 'forget-o', source: 'woocommerce', eventId: 'f-15-woo' }), orderAt('f-15', T0, { customerId: 'keep-o', source: 'shopify', eventId: 'f-15-shop' })],
					T0,
				);
				await store.recordEvents([orderAt('f-16', T0, { customerId: 'forget-o', source: 'shopify' })], T0);
				await store.forgetCustomer('forget-o');
				const dump = JSON.stringify(await factory.dump(store));
				assert.ok(!dump.includes('forget-o'), 'no row names the customer');
				assert.deepEqual(await spent('keep-o'), [['EUR', 1, 5000n]]);
			});
		});

		describe('refunds', () => {
			it('refunds are subtracted from the amount spent; a fully refunded order is not counted', async () => {
				const c = 'refund-1';
				await store.recordEvents([orderAt('rf-1', T0, { customerId: c, total: '100.00' }), orderAt('rf-2', T0 + 1, { customerId: c, total: '40.00', refunded: '10.00' })], T0);
				assert.deepEqual(await spent(c), [['EUR', 2, 13000n]], 'a refund on the create counts');
				await store.recordEvents([orderAt('rf-1', T0 + HOUR, { customerId: c, total: '100.00', type: 'order.updated', status: 'processing', refunded: '25.50' })], T0 + HOUR);
				assert.deepEqual(await spent(c), [['EUR', 2, 10450n]], 'a partial refund reduces the amount');
				const [full] = await store.recordEvents([orderAt('rf-2', T0 + HOUR, { customerId: c, total: '40.00', type: 'order.updated', refunded: '40.00' })], T0 + HOUR);
				assert.equal(countedOf(full), false);
				assert.deepEqual(await spent(c), [['EUR', 1, 7450n]], 'the fully refunded order no longer counts');
				assert.equal((await store.getCustomer(c))?.lastOrderAt, T0);
			});
		});

		describe('orders without a customer', () => {
			it('an anonymous order is recorded against nobody and counts for nobody', async () => {
				const anonymous = { ...orderAt('anon-1', T0, { eventId: 'test:anon-1' }), customer: undefined } as unknown as CanonicalEvent;
				const [outcome] = await store.recordEvents([anonymous], T0);
				assert.deepEqual([outcome.recorded, outcome.newCustomer], [true, false]);
				const [again] = await store.recordEvents([anonymous], T0 + 1);
				assert.equal(again.recorded, false);
				const dump = await factory.dump(store);
				const orders = dump.orders as Array<Record<string, unknown>>;
				const row = orders.find((o) => o.id === 'anon-1');
				assert.ok(row, 'the order is kept');
				assert.equal(row.customer_id, null);
				const events = dump.events as Array<Record<string, unknown>>;
				assert.equal(events.find((e) => e.id === 'test:anon-1')?.customer_id, null);
				const cancelled = { ...orderAt('anon-1', T0 + HOUR, { type: 'order.updated', status: 'cancelled' }), customer: undefined } as unknown as CanonicalEvent;
				assert.equal(countedOf((await store.recordEvents([cancelled], T0 + HOUR))[0]), false, 'its updates apply');
			});
		});

		describe('upgrade', () => {
			it('a version-1 store upgrades keeping customers, orders, lines, categories and codes', async () => {
				const old = await createAtVersion(factory, 1, {
					customers: [
						{ id: 'v1-a', email: 'a@example.com', first_seen_at: T0, updated_at: T0, last_order_at: T0, registered_at: T0 - DAY },
						{ id: 'v1-b', email: 'b@example.com', first_seen_at: T0, updated_at: T0, last_order_at: T0 + DAY, registered_at: T0 - DAY },
					],
					events: [
						{ id: 'woocommerce:order.created:15', type: 'order.placed', source: 'woocommerce', customer_id: 'v1-a', occurred_at: T0, recorded_at: T0, payload: '{}' },
						{ id: 'shopify:order.placed:77', type: 'order.placed', source: 'shopify', customer_id: 'v1-b', occurred_at: T0 + DAY, recorded_at: T0, payload: '{}' },
					],
					orders: [
						{ id: '15', customer_id: 'v1-a', placed_at: T0, currency: 'EUR', total_minor: 2500, status: 'processing', counted: 1 },
						{ id: '77', customer_id: 'v1-b', placed_at: T0 + DAY, currency: 'EUR', total_minor: 1000, status: 'cancelled', counted: 0 },
					],
					order_lines: [
						{ order_id: '15', line_no: 0, customer_id: 'v1-a', placed_at: T0, product_id: 'p-1', sku: 'SKU-1', name: 'Shoe', quantity: 1, price_minor: 2500 },
					],
					order_categories: [{ order_id: '15', category: 'Shoes', customer_id: 'v1-a', placed_at: T0 }],
					order_codes: [
						{ order_id: '15', kind: 'coupon', code: 'WELCOME', customer_id: 'v1-a', placed_at: T0 },
						{ order_id: '15', kind: 'promotion', code: 'Spring sale', customer_id: 'v1-a', placed_at: T0 },
					],
					carts: [
						{ id: 'k-a', customer_id: 'v1-a', currency: 'EUR', total_minor: 2500, item_count: 1, lines: '[]', updated_at: T0 - HOUR, version: 1, closed_at: T0 },
						{ id: 'k-b', customer_id: 'v1-b', currency: 'EUR', total_minor: 1000, item_count: 1, lines: '[]', updated_at: T0, version: 1, closed_at: T0 + DAY },
					],
				});
				try {
					assert.ok((await old.schemaVersion()) >= 2);
					const [a, b] = await old.purchases([{ customerId: 'v1-a' }, { customerId: 'v1-b' }]);
					assert.deepEqual(
						a.totals.map((t) => [t.currency, t.orders, t.amountMinor]),
						[['EUR', 1, 2500n]],
					);
					assert.deepEqual([a.categories, a.products, a.skus, a.couponCodes, a.promotions], [['Shoes'], ['p-1'], ['SKU-1'], ['WELCOME'], ['Spring sale']]);
					assert.deepEqual(b.totals, []);
					assert.equal((await old.getCustomer('v1-a'))?.email, 'a@example.com');
					assert.equal((await old.getCustomer('v1-a'))?.lastOrderAt, T0);
					assert.equal((await old.getCustomer('v1-b'))?.lastOrderAt, undefined, 'a last order that was cancelled is cleared');
					const carts = await old.dueAbandonedCarts({ consumer: 'upgrade', kind: 'cart.abandoned', limit: 10, before: T0 + 2 * DAY });
					assert.deepEqual(
						carts.map((x) => x.cart?.id),
						['k-b'],
						'a cart closed by an order that was cancelled is open again',
					);
					// The order kept its source: a WooCommerce update finds it, a Generic one for "15" does not.
					await old.recordEvents([orderAt('15', T0 + HOUR, { customerId: 'v1-a', source: 'generic', type: 'order.updated', status: 'cancelled' })], T0 + HOUR);
					assert.equal((await old.purchases([{ customerId: 'v1-a' }]))[0].totals.length, 1);
					await old.recordEvents([orderAt('15', T0 + HOUR, { customerId: 'v1-a', source: 'woocommerce', type: 'order.updated', status: 'cancelled' })], T0 + HOUR);
					assert.deepEqual((await old.purchases([{ customerId: 'v1-a' }]))[0].totals, []);
				} finally {
					await old.close();
				}
			});
		});
	});
}
