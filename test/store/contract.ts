/**
 * The store contract: ONE suite, run against every dialect (sqlite.test.ts, postgres.test.ts).
 * Each dialect file passes a factory for a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { CanonicalEvent } from '../../core/event';
import { NotFoundError } from '../../core/errors';
import type { DueQuery, OccasionCandidate, Store } from '../../core/store';
import { SCHEMA_VERSION } from '../../store/schema';

export interface StoreFactory {
	dialect: string;
	/** A fresh, empty store. */
	create(): Promise<Store>;
	/** Every row of every table, for erasure checks. */
	dump(store: Store): Promise<Record<string, unknown[]>>;
	/**
	 * A store opened (and so migrated to the newest schema) on a database that was first created
	 * with the migrations up to `version` only, and then filled by the `seed` statements.
	 */
	createAt(version: number, seed: string[]): Promise<Store>;
	/** A second client on the store's database, outside the store; dialects with row locks only (PostgreSQL). */
	connect?(store: Store): Promise<SqlClient>;
}

export interface SqlClient {
	query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
	close(): Promise<void>;
}

export type SeedValue = string | number | null;

const literal = (value: SeedValue) =>
	value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`;

/** createAt with `rows` per table (test data only, written as literals). */
export function createAtVersion(
	factory: StoreFactory,
	version: number,
	rows: Record<string, Array<Record<string, SeedValue>>>,
): Promise<Store> {
	const seed = Object.entries(rows).flatMap(([table, list]) =>
		list.map((row) => `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.values(row).map(literal).join(', ')})`),
	);
	return factory.createAt(version, seed);
}

const T0 = Date.parse('2026-03-01T10:00:00Z');
const DAY = 86_400_000;

let seq = 0;
export function orderEvent(
	customerId: string,
	at: number,
	total: string,
	opts: { currency?: string; categories?: string[]; coupons?: string[]; promotions?: string[]; status?: string; orderId?: string } = {},
): CanonicalEvent {
	const id = opts.orderId ?? `o-${++seq}`;
	return {
		id: `test:order:${id}`,
		type: 'order.placed',
		occurredAt: new Date(at).toISOString(),
		source: 'generic',
		customer: { id: customerId, email: `${customerId}@example.com` },
		order: {
			id,
			total,
			currency: opts.currency ?? 'EUR',
			couponCodes: opts.coupons ?? [],
			promotions: opts.promotions ?? [],
			status: opts.status,
			lines: [
				{ productId: `p-${id}`, sku: `SKU-${id}`, name: 'Thing', categories: opts.categories ?? [], quantity: 1, price: total },
			],
		},
	};
}

export function registerEvent(customerId: string, at: number, extra: Partial<CanonicalEvent['customer']> = {}): CanonicalEvent {
	return {
		id: `test:register:${customerId}`,
		type: 'customer.registered',
		occurredAt: new Date(at).toISOString(),
		source: 'generic',
		customer: { id: customerId, email: `${customerId}@example.com`, firstName: 'Ada', ...extra },
	};
}

export function cartEvent(customerId: string, cartId: string, at: number, quantity: number): CanonicalEvent {
	return {
		id: `test:cart:${cartId}:${at}`,
		type: 'cart.updated',
		occurredAt: new Date(at).toISOString(),
		source: 'generic',
		customer: { id: customerId },
		cart: {
			id: cartId,
			total: quantity ? '59.90' : '0',
			currency: 'EUR',
			recoveryUrl: `https://shop.example/cart/${cartId}`,
			lines: quantity ? [{ productId: 'sock', categories: ['Socks'], quantity, price: '29.95' }] : [],
		},
	};
}

const codes = (n: number, prefix = 'C') => Array.from({ length: n }, (_, i) => ({ code: `${prefix}${String(i).padStart(5, '0')}` }));

export function storeContract(factory: StoreFactory): void {
	describe(`store contract: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		it('reports its schema version and where it lives', async () => {
			assert.equal(await store.schemaVersion(), SCHEMA_VERSION);
			assert.equal(store.dialect, factory.dialect);
			assert.ok(store.description.length > 5);
		});

		describe('events and purchases', () => {
			it('records an event once; a redelivery writes nothing', async () => {
				const event = orderEvent('rec-1', T0, '10.00');
				const [first] = await store.recordEvents([event], T0);
				assert.deepEqual(first, { id: event.id, recorded: true, newCustomer: true, order: { counted: true } });
				const [again] = await store.recordEvents([event], T0 + 5);
				assert.deepEqual(again, { id: event.id, recorded: false, newCustomer: false, order: { counted: true } });
				const [stats] = await store.purchases([{ customerId: 'rec-1' }]);
				assert.equal(stats.totals[0].orders, 1);
			});

			it('sums money per currency exactly, in minor units', async () => {
				const events = [
					orderEvent('sum-1', T0, '0.10'),
					orderEvent('sum-1', T0 + 1, '0.20'),
					orderEvent('sum-1', T0 + 2, '999.70'),
					orderEvent('sum-1', T0 + 3, '1500', { currency: 'JPY' }),
				];
				await store.recordEvents(events, T0);
				const [stats] = await store.purchases([{ customerId: 'sum-1' }]);
				assert.deepEqual(
					stats.totals.map((t) => [t.currency, t.orders, t.amountMinor]),
					[
						['EUR', 3, 100000n],
						['JPY', 1, 1500n],
					],
				);
				assert.equal(stats.firstOrderAt, T0);
				assert.equal(stats.lastOrderAt, T0 + 3);
			});

			it('answers categories, products, skus, coupons and promotions within a window', async () => {
				await store.recordEvents(
					[
						orderEvent('win-1', T0 - 10 * DAY, '20.00', { categories: ['Boys'], coupons: ['old10'] }),
						orderEvent('win-1', T0, '30.00', { categories: ['Girls', 'Shoes'], promotions: ['Online furniture clearance'] }),
						orderEvent('win-1', T0 + DAY, '40.00', { categories: ['Hats'], status: 'cancelled' }),
					],
					T0,
				);
				const [all, recent, between] = await store.purchases([
					{ customerId: 'win-1' },
					{ customerId: 'win-1', from: T0 - DAY },
					{ customerId: 'win-1', from: T0 - 11 * DAY, to: T0 },
				]);
				assert.equal(all.totals[0].orders, 2, 'the cancelled order is not counted');
				assert.deepEqual(all.categories, ['Boys', 'Girls', 'Shoes']);
				assert.deepEqual(all.couponCodes, ['old10']);
				assert.deepEqual(all.promotions, ['Online furniture clearance']);
				assert.equal(all.products.length, 2);
				assert.equal(all.skus.length, 2);
				assert.deepEqual(recent.categories, ['Girls', 'Shoes']);
				assert.equal(recent.totals[0].amountMinor, 3000n);
				assert.deepEqual(between.categories, ['Boys'], 'the upper bound is exclusive');
			});

			it('an order update changes the status and whether it counts', async () => {
				const placed = orderEvent('upd-1', T0, '50.00', { orderId: 'upd-order' });
				await store.recordEvents([placed], T0);
				const cancelled: CanonicalEvent = {
					...placed,
					id: 'test:order-cancelled:upd-order',
					type: 'order.updated',
					order: { ...placed.order!, status: 'cancelled' },
				};
				await store.recordEvents([cancelled], T0 + 1);
				const [stats] = await store.purchases([{ customerId: 'upd-1' }]);
				assert.deepEqual(stats.totals, []);
			});

			it('only order events record a purchase: an order carried by another event is context', async () => {
				const checkout = { ...orderEvent('ctx-1', T0, '99.00', { promotions: ['Online furniture clearance'] }), id: 'test:checkout:ctx-1', type: 'checkout.promotion_applied' as const };
				const [outcome] = await store.recordEvents([checkout], T0);
				assert.equal(outcome.recorded, true);
				const [stats] = await store.purchases([{ customerId: 'ctx-1' }]);
				assert.deepEqual(stats.totals, []);
			});

			it('a customer with no orders has empty stats; unknown customers are not known', async () => {
				await store.recordEvents([registerEvent('empty-1', T0)], T0);
				const [stats] = await store.purchases([{ customerId: 'empty-1' }]);
				assert.deepEqual(stats.totals, []);
				assert.equal(stats.lastOrderAt, undefined);
				const known = await store.knownCustomers(['empty-1', 'nobody']);
				assert.deepEqual([...known], ['empty-1']);
			});

			it('merges customer profiles: later events fill in, never blank out', async () => {
				await store.recordEvents([registerEvent('prof-1', T0, { birthday: '1990-05-17', timezone: 'Europe/Berlin' })], T0);
				await store.recordEvents([orderEvent('prof-1', T0 + DAY, '5.00')], T0 + DAY);
				const customer = await store.getCustomer('prof-1');
				assert.equal(customer?.firstName, 'Ada');
				assert.equal(customer?.birthday, '1990-05-17');
				assert.equal(customer?.timezone, 'Europe/Berlin');
				assert.equal(customer?.registeredAt, T0);
				assert.equal(customer?.lastOrderAt, T0 + DAY);
			});

			it('a batch is all or nothing: a bad event rolls back the events before it', async () => {
				const good = orderEvent('atom-1', T0, '1.00');
				const bad = orderEvent('atom-1', T0, 'not money');
				await assert.rejects(store.recordEvents([good, bad], T0));
				const [stats] = await store.purchases([{ customerId: 'atom-1' }]);
				assert.deepEqual(stats.totals, []);
				assert.equal((await store.knownCustomers(['atom-1'])).size, 0);
			});

			it('100 parallel transactions, half failing, are each all or nothing', async () => {
				const results = await Promise.allSettled(
					Array.from({ length: 100 }, (_, i) => {
						const batch = [orderEvent(`par-${i}`, T0, '1.00'), orderEvent(`par-${i}`, T0, '2.00')];
						if (i % 2) batch.push(orderEvent(`par-${i}`, T0, 'NaN'));
						return store.recordEvents(batch, T0);
					}),
				);
				assert.equal(results.filter((r) => r.status === 'fulfilled').length, 50);
				const stats = await store.purchases(Array.from({ length: 100 }, (_, i) => ({ customerId: `par-${i}` })));
				stats.forEach((s, i) => {
					if (i % 2) assert.deepEqual(s.totals, [], `failed batch ${i} left nothing`);
					else assert.equal(s.totals[0].amountMinor, 300n, `batch ${i} is whole`);
				});
			});
		});

		describe('segments', () => {
			it('creates, adds, checks, lists, removes, renames and deletes', async () => {
				await store.ensureSegments(['Big spenders'], T0);
				await store.ensureSegments(['Big spenders'], T0 + 1);
				const added = await store.segmentAdd('Big spenders', [{ customerId: 'a' }, { customerId: 'b', until: T0 + DAY }], T0);
				assert.deepEqual(
					added.map((m) => [m.customerId, m.added, m.expiresAt]),
					[
						['a', true, undefined],
						['b', true, T0 + DAY],
					],
				);
				const again = await store.segmentAdd('Big spenders', [{ customerId: 'a' }], T0 + 5);
				assert.equal(again[0].added, false);
				assert.equal(again[0].addedAt, T0);
				const [a, b, c] = await store.segmentCheck('Big spenders', ['a', 'b', 'c'], T0 + 1);
				assert.ok(a && b && !c);
				const later = await store.segmentCheck('Big spenders', ['b'], T0 + DAY);
				assert.equal(later[0], undefined, 'an expired membership counts as not in');
				assert.deepEqual(
					(await store.segmentMembers('Big spenders', T0 + 1, 10, 0)).map((m) => m.customerId),
					['a', 'b'],
				);
				assert.deepEqual(
					(await store.segmentMembers('Big spenders', T0 + 1, 1, 1)).map((m) => m.customerId),
					['b'],
				);
				const renewed = await store.segmentAdd('Big spenders', [{ customerId: 'b' }], T0 + 2 * DAY);
				assert.equal(renewed[0].added, true, 'adding after expiry starts a new membership');
				assert.deepEqual(await store.segmentRemove('Big spenders', ['a', 'zz']), [true, false]);
				assert.deepEqual(
					(await store.segmentsOf('b', T0 + 2 * DAY)).map((s) => s.segment),
					['Big spenders'],
				);
				const renamed = await store.renameSegment('Big spenders', 'VIP');
				assert.equal(renamed.name, 'VIP');
				assert.equal(renamed.members, 1);
				assert.ok((await store.listSegments('vi')).some((s) => s.name === 'VIP'));
				assert.deepEqual(await store.deleteSegment('VIP'), { removedMembers: 1 });
				await assert.rejects(store.segmentCheck('VIP', ['b'], T0), (e: unknown) => e instanceof NotFoundError && e.field === 'segment');
			});

			it('an unknown segment is a NotFoundError naming the field, and nothing is written', async () => {
				await assert.rejects(store.segmentAdd('Nope', [{ customerId: 'x' }], T0), NotFoundError);
				assert.equal((await store.listSegments('nope')).length, 0);
			});
		});

		describe('coupons', () => {
			it('imports codes once, reports duplicates, and tells the pool status', async () => {
				await store.ensurePools(['status'], T0);
				const first = await store.addCodes('status', codes(5), T0);
				assert.deepEqual(first, { added: 5, skipped: [] });
				const second = await store.addCodes('status', [...codes(2), { code: 'NEW1', validUntil: T0 + DAY }], T0);
				assert.deepEqual(second, { added: 1, skipped: ['C00000', 'C00001'] });
				await store.claimCodes('status', [{ customerId: 'x', key: 'k1', expiresAt: T0 + DAY }], T0);
				await store.redeemCodes([{ code: 'C00000', orderId: 'o1' }], T0 + 1);
				assert.deepEqual(await store.poolStatus('status', T0 + 2), {
					pool: 'status',
					total: 6,
					free: 5,
					assigned: 1,
					redeemed: 1,
					expired: 0,
					notInShop: 0,
					refusedByShop: 0,
				});
				const later = await store.poolStatus('status', T0 + DAY);
				assert.equal(later.expired, 1, 'the unassigned code past its validity');
				assert.equal(later.free, 4);
			});

			it('the same key returns the same code; other keys get other codes; an empty pool is an outcome', async () => {
				await store.ensurePools(['keys'], T0);
				await store.addCodes('keys', codes(2, 'K'), T0);
				const [a1] = await store.claimCodes('keys', [{ customerId: 'c1', key: 'e1' }], T0);
				const [a2] = await store.claimCodes('keys', [{ customerId: 'c1', key: 'e1' }], T0 + 1);
				assert.ok(a1.assigned && a2.assigned);
				assert.equal(a1.code, a2.code);
				assert.equal(a2.reused, true);
				const [b, c] = await store.claimCodes('keys', [{ customerId: 'c2', key: 'e2' }, { customerId: 'c3', key: 'e3' }], T0);
				assert.ok(b.assigned && b.code !== a1.code);
				assert.deepEqual(c, { assigned: false, pool: 'keys' });
				assert.deepEqual(
					(await store.codesOf('c1')).map((h) => h.code),
					[a1.code],
				);
			});

			it('never hands out a code past its validity', async () => {
				await store.ensurePools(['validity'], T0);
				await store.addCodes('validity', [{ code: 'OLD', validUntil: T0 }, { code: 'NEW', validUntil: T0 + DAY }], T0);
				const [claim] = await store.claimCodes('validity', [{ customerId: 'v', key: 'v' }], T0 + 1);
				assert.ok(claim.assigned);
				assert.equal(claim.code, 'NEW');
			});

			it('an order that uses a code marks it redeemed', async () => {
				await store.ensurePools(['redeem'], T0);
				await store.addCodes('redeem', [{ code: 'THANKS-ABC' }], T0);
				await store.claimCodes('redeem', [{ customerId: 'r1', key: 'r1' }], T0);
				await store.recordEvents([orderEvent('r1', T0 + DAY, '10.00', { coupons: ['thanks-abc'] })], T0 + DAY);
				const [held] = await store.codesOf('r1');
				assert.equal(held.redeemedAt, T0 + DAY);
				const [again] = await store.redeemCodes([{ code: 'THANKS-ABC' }], T0 + 2 * DAY);
				assert.deepEqual(again, { code: 'THANKS-ABC', found: true, redeemed: false, redeemedAt: T0 + DAY });
				const [missing] = await store.redeemCodes([{ code: 'NOPE' }], T0);
				assert.equal(missing.found, false);
				// The same key again: the same code, and when it was used.
				const [reclaimed] = await store.claimCodes('redeem', [{ customerId: 'r1', key: 'r1' }], T0 + 3 * DAY);
				assert.ok(reclaimed.assigned);
				assert.deepEqual([reclaimed.code, reclaimed.reused, reclaimed.redeemedAt], ['THANKS-ABC', true, T0 + DAY]);
			});

			it('unknown pool: NotFoundError naming the field', async () => {
				await assert.rejects(
					store.claimCodes('no-such-pool', [{ customerId: 'x', key: 'x' }], T0),
					(e: unknown) => e instanceof NotFoundError && e.field === 'pool',
				);
			});

			it('200 parallel claims by one customer with one assignment key get one code', async () => {
				await store.ensurePools(['same-key'], T0);
				await store.addCodes('same-key', codes(50, 'S'), T0);
				const results = await Promise.all(
					Array.from({ length: 200 }, () => store.claimCodes('same-key', [{ customerId: 'one', key: 'evt-1' }], T0)),
				);
				const handed = new Set(results.map(([r]) => (r.assigned ? r.code : 'EMPTY')));
				assert.equal(handed.size, 1);
				assert.ok(!handed.has('EMPTY'));
				assert.equal((await store.poolStatus('same-key', T0)).assigned, 1);
			});

			it('1,000 customers claiming in parallel from a pool of 500: 500 distinct codes, 500 pool empty', async () => {
				await store.ensurePools(['rush'], T0);
				await store.addCodes('rush', codes(500, 'R'), T0);
				const results = await Promise.all(
					Array.from({ length: 1000 }, (_, i) => store.claimCodes('rush', [{ customerId: `cust-${i}`, key: `cust-${i}` }], T0)),
				);
				const assigned = results.flat().filter((r) => r.assigned);
				assert.equal(assigned.length, 500);
				assert.equal(new Set(assigned.map((r) => (r.assigned ? r.code : ''))).size, 500, 'no code twice');
				assert.equal(results.flat().filter((r) => !r.assigned).length, 500);
				const status = await store.poolStatus('rush', T0);
				assert.equal(status.free, 0);
				assert.equal(status.assigned, 500);
			});
		});

		describe('repeatability guard', () => {
			const enter = (customerId: string, key: string, policy: Parameters<Store['guardEnter']>[0][0]['policy'], now = T0, activity = 'act') =>
				store.guardEnter([{ activity, customerId, key, policy }], now).then(([o]) => o);

			it('once: the first key enters, later keys skip, a retried key gets its first decision', async () => {
				const first = await enter('g1', 'e1', { kind: 'once' });
				assert.equal(first.entered, true);
				assert.equal(first.entries, 1);
				const retry = await enter('g1', 'e1', { kind: 'once' }, T0 + 5);
				assert.deepEqual([retry.entered, retry.replay, retry.entries], [true, true, 1]);
				const second = await enter('g1', 'e2', { kind: 'once' }, T0 + 6);
				assert.deepEqual([second.entered, second.entries, second.firstAt], [false, 1, T0]);
				const other = await enter('g1', 'e3', { kind: 'once' }, T0, 'another activity');
				assert.equal(other.entered, true, 'activities are separate');
			});

			it('always enters but records; at most N; once per period', async () => {
				for (let i = 0; i < 3; i++) assert.equal((await enter('g2', `a${i}`, { kind: 'always' })).entries, i + 1);
				const atMost = [];
				for (let i = 0; i < 4; i++) atMost.push((await enter('g3', `m${i}`, { kind: 'atMost', times: 2 })).entered);
				assert.deepEqual(atMost, [true, true, false, false]);
				const period = { kind: 'perPeriod', periodMs: DAY } as const;
				assert.equal((await enter('g4', 'p1', period, T0)).entered, true);
				assert.equal((await enter('g4', 'p2', period, T0 + DAY - 1)).entered, false);
				assert.equal((await enter('g4', 'p3', period, T0 + DAY)).entered, true);
				assert.equal((await enter('g4', 'p4', period, T0 + DAY + 1)).entered, false);
			});

			it('reset allows re-entry; history lists entries', async () => {
				await enter('g5', 'r1', { kind: 'once' });
				assert.equal((await enter('g5', 'r2', { kind: 'once' })).entered, false);
				assert.deepEqual(await store.guardReset('act', 'g5'), { removed: true });
				assert.equal((await enter('g5', 'r3', { kind: 'once' }, T0 + 10)).entered, true);
				const history = await store.guardHistory({ customerId: 'g5', limit: 10 });
				assert.deepEqual(
					history.map((h) => h.key),
					['r3', 'r1'],
				);
				assert.equal((await store.guardHistory({ activity: 'act', customerId: 'g5', limit: 1 })).length, 1);
			});

			it('100 parallel once-only entries for one customer: exactly one enters', async () => {
				const results = await Promise.all(Array.from({ length: 100 }, (_, i) => enter('race-once', `k${i}`, { kind: 'once' })));
				assert.equal(results.filter((r) => r.entered).length, 1);
				assert.equal((await store.guardHistory({ customerId: 'race-once', limit: 1000 })).length, 1);
			});

			it('100 parallel at-most-3 entries for one customer: exactly three enter', async () => {
				const results = await Promise.all(
					Array.from({ length: 100 }, (_, i) => enter('race-3', `k${i}`, { kind: 'atMost', times: 3 })),
				);
				assert.equal(results.filter((r) => r.entered).length, 3);
				assert.equal((await store.guardHistory({ customerId: 'race-3', limit: 1000 })).length, 3);
			});

			it('100 parallel retries of one key: one entry, every attempt told it entered', async () => {
				const results = await Promise.all(Array.from({ length: 100 }, () => enter('race-key', 'same', { kind: 'always' })));
				assert.ok(results.every((r) => r.entered));
				assert.equal(results.filter((r) => !r.replay).length, 1);
				assert.equal((await store.guardHistory({ customerId: 'race-key', limit: 1000 })).length, 1);
			});

			it('batches in opposite orders do not deadlock', async () => {
				const customers = Array.from({ length: 20 }, (_, i) => `dl-${i}`);
				const batch = (list: string[], tag: string) =>
					store.guardEnter(
						list.map((customerId) => ({ activity: 'dl', customerId, key: `${tag}-${customerId}`, policy: { kind: 'always' } as const })),
						T0,
					);
				const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => batch(i % 2 ? customers : [...customers].reverse(), `t${i}`)));
				assert.ok(runs.every((r) => r.length === 20 && r.every((o) => o.entered)));
			});
		});

		describe('occasions', () => {
			it('finds abandoned carts, registrations without order, lapsed customers and birthdays, each claimed once', async () => {
				await store.recordEvents(
					[
						registerEvent('occ-new', T0 - 8 * DAY, { birthday: '--03-02' }),
						registerEvent('occ-buyer', T0 - 8 * DAY),
						orderEvent('occ-buyer', T0 - 7 * DAY, '10.00'),
						orderEvent('occ-lapsed', T0 - 100 * DAY, '10.00'),
						cartEvent('occ-cart', 'cart-1', T0 - 4 * DAY, 2),
						cartEvent('occ-cart2', 'cart-2', T0 - 4 * DAY, 1),
						orderEvent('occ-cart2', T0 - 3 * DAY, '29.95'),
						cartEvent('occ-cart3', 'cart-3', T0 - 4 * DAY, 1),
						cartEvent('occ-cart3', 'cart-3', T0 - 4 * DAY + 1000, 0),
					],
					T0,
				);
				const q = { consumer: 'wf1', limit: 100 };
				const carts = await store.dueAbandonedCarts({ ...q, kind: 'cart.abandoned', before: T0 - 3 * DAY });
				assert.deepEqual(
					carts.map((c) => [c.customer.id, c.cart?.id, c.cart?.version]),
					[['occ-cart', 'cart-1', 1]],
					'ordered and emptied carts are not abandoned',
				);
				assert.equal(carts[0].cart?.recoveryUrl, 'https://shop.example/cart/cart-1');
				const fresh = await store.dueRegisteredWithoutOrder({ ...q, kind: 'customer.no_order_since_registration', before: T0 - 7 * DAY });
				assert.deepEqual(
					fresh.map((c) => c.customer.id),
					['occ-new'],
				);
				const lapsed = await store.dueLapsed({ ...q, kind: 'customer.lapsed', before: T0 - 90 * DAY });
				assert.deepEqual(
					lapsed.map((c) => c.customer.id),
					['occ-lapsed'],
				);
				const birthdays = await store.dueBirthdays({ ...q, kind: 'customer.birthday', monthDays: ['03-01', '03-02'], years: ['2026'] });
				assert.deepEqual(
					birthdays.map((c) => c.customer.id),
					['occ-new'],
				);
				const claims = [
					{ consumer: 'wf1', kind: 'cart.abandoned', customerId: 'occ-cart', occurrence: 'cart-1:1' },
					{ consumer: 'wf1', kind: 'customer.birthday', customerId: 'occ-new', occurrence: '2026' },
					{ consumer: 'wf1', kind: 'customer.lapsed', customerId: 'occ-lapsed', occurrence: String(lapsed[0].at) },
					{ consumer: 'wf1', kind: 'customer.no_order_since_registration', customerId: 'occ-new', occurrence: 'once' },
				];
				assert.deepEqual(await store.claimOccasions(claims, T0), [true, true, true, true]);
				assert.deepEqual(await store.claimOccasions(claims, T0), [false, false, false, false]);
				assert.equal((await store.dueAbandonedCarts({ ...q, kind: 'cart.abandoned', before: T0 })).length, 0);
				assert.equal((await store.dueBirthdays({ ...q, kind: 'customer.birthday', monthDays: ['03-02'], years: ['2026'] })).length, 0);
				assert.equal((await store.dueBirthdays({ ...q, kind: 'customer.birthday', monthDays: ['03-02'], years: ['2027'] })).length, 1);
				assert.equal(
					(await store.dueBirthdays({ ...q, kind: 'customer.birthday', monthDays: ['03-02'], years: ['2027'], afterCustomerId: 'occ-new' })).length,
					0,
					'the cursor pages past customers already read',
				);
				assert.equal((await store.dueLapsed({ ...q, kind: 'customer.lapsed', before: T0 - 90 * DAY })).length, 0);
				assert.equal(
					(await store.dueAbandonedCarts({ ...q, consumer: 'wf2', kind: 'cart.abandoned', before: T0 })).length,
					1,
					'another consumer still gets it',
				);
				// The cart changes again: a new version is a new occasion.
				await store.recordEvents([cartEvent('occ-cart', 'cart-1', T0 - DAY, 3)], T0);
				assert.deepEqual(
					(await store.dueAbandonedCarts({ ...q, kind: 'cart.abandoned', before: T0 })).map((c) => c.cart?.version),
					[2],
				);
			});

			it('pages on after a cursor (instant, id): candidates with the same instant are neither repeated nor skipped', async () => {
				const at = T0 - 500 * DAY;
				await store.recordEvents(
					['pg-a', 'pg-b', 'pg-c'].flatMap((id) => [registerEvent(id, at), cartEvent(id, `cart-${id}`, at, 1), orderEvent(`${id}-buyer`, at, '5.00')]),
					at,
				);
				const q = { consumer: 'pager', after: at, before: at + 1, limit: 2 };
				const pages = async (find: (query: Omit<DueQuery, 'kind'>) => Promise<OccasionCandidate[]>, idOf: (c: OccasionCandidate) => string) => {
					const first = await find(q);
					const last = first[first.length - 1];
					const second = await find({ ...q, cursor: { at: last.at!, id: idOf(last) } });
					return [first, second].map((page) => page.map(idOf));
				};
				const cartId = (c: OccasionCandidate) => c.cart!.id;
				const customerId = (c: OccasionCandidate) => c.customer.id;
				assert.deepEqual(await pages((query) => store.dueAbandonedCarts({ ...query, kind: 'cart.abandoned' }), cartId), [
					['cart-pg-a', 'cart-pg-b'],
					['cart-pg-c'],
				]);
				assert.deepEqual(await pages((query) => store.dueRegisteredWithoutOrder({ ...query, kind: 'customer.no_order_since_registration' }), customerId), [
					['pg-a', 'pg-b'],
					['pg-c'],
				]);
				assert.deepEqual(await pages((query) => store.dueLapsed({ ...query, kind: 'customer.lapsed' }), customerId), [
					['pg-a-buyer', 'pg-b-buyer'],
					['pg-c-buyer'],
				]);
			});

			it('two pollers claiming the same occasions in parallel: each claimed exactly once', async () => {
				const claims = Array.from({ length: 50 }, (_, i) => ({ consumer: 'poll', kind: 'k', customerId: `p${i}`, occurrence: '1' }));
				const [a, b] = await Promise.all([store.claimOccasions(claims, T0), store.claimOccasions([...claims].reverse(), T0)]);
				const wins = a.map((won, i) => Number(won) + Number(b[claims.length - 1 - i]));
				assert.ok(wins.every((w) => w === 1));
			});
		});

		describe('profiles', () => {
			it('many customers in one call: their own rows, current memberships, codes and newest entries up to each limit', async () => {
				await store.recordEvents([registerEvent('prof-a', T0), orderEvent('prof-a', T0, '30.00', { categories: ['Girls'] }), registerEvent('prof-b', T0)], T0);
				await store.ensureSegments(['prof-now', 'prof-old'], T0);
				await store.segmentAdd('prof-now', [{ customerId: 'prof-a' }, { customerId: 'prof-b' }], T0);
				await store.segmentAdd('prof-old', [{ customerId: 'prof-a', until: T0 + 1 }], T0);
				await store.ensurePools(['prof-pool'], T0);
				await store.addCodes('prof-pool', codes(3, 'PROF'), T0);
				await store.claimCodes('prof-pool', [{ customerId: 'prof-a', key: 'k1' }], T0);
				await store.claimCodes('prof-pool', [{ customerId: 'prof-a', key: 'k2' }], T0 + 1);
				for (const [n, key] of ['e1', 'e2', 'e3'].entries()) {
					await store.guardEnter([{ activity: 'prof-act', customerId: 'prof-a', key, policy: { kind: 'always' } }], T0 + n);
				}
				await store.guardEnter([{ activity: 'prof-act', customerId: 'prof-b', key: 'e1', policy: { kind: 'always' } }], T0);
				const [a, nobody, b, aOne] = await store.profiles(
					[
						{ customerId: 'prof-a', activityLimit: 2 },
						{ customerId: 'prof-nobody', activityLimit: 5 },
						{ customerId: 'prof-b', activityLimit: 0 },
						{ customerId: 'prof-a', activityLimit: 1 },
					],
					T0 + 2,
				);
				assert.equal(a.customerId, 'prof-a');
				assert.equal(a.customer?.email, 'prof-a@example.com');
				assert.deepEqual(a.purchases.totals, [{ currency: 'EUR', orders: 1, amountMinor: 3000n }]);
				assert.deepEqual(a.purchases.categories, ['Girls']);
				assert.deepEqual(a.segments.map((m) => m.segment), ['prof-now'], 'the expired membership is left out');
				assert.deepEqual(a.codes.map((c) => [c.pool, c.assignedAt]), [['prof-pool', T0], ['prof-pool', T0 + 1]]);
				assert.deepEqual(a.activities.map((e) => e.key), ['e3', 'e2'], 'newest first, at most the limit');
				assert.deepEqual(aOne.activities.map((e) => e.key), ['e3']);
				assert.deepEqual([b.customer?.id, b.segments.length, b.codes.length, b.activities.length], ['prof-b', 1, 0, 0]);
				assert.deepEqual(
					{ ...nobody, purchases: nobody.purchases.totals },
					{ customerId: 'prof-nobody', customer: undefined, purchases: [], segments: [], codes: [], activities: [] },
				);
			});
		});

		describe('erasure', () => {
			it('forgetting a customer leaves no row that names them', async () => {
				const id = 'forget-me';
				await store.recordEvents(
					[registerEvent(id, T0, { phone: '+491701234567' }), orderEvent(id, T0, '12.00', { categories: ['Boys'] }), cartEvent(id, 'cart-forget', T0, 1)],
					T0,
				);
				await store.ensureSegments(['forget-seg'], T0);
				await store.segmentAdd('forget-seg', [{ customerId: id }], T0);
				await store.ensurePools(['forget-pool'], T0);
				await store.addCodes('forget-pool', [{ code: 'FORGET1' }, { code: 'FORGET2' }], T0);
				await store.claimCodes('forget-pool', [{ customerId: id, key: `customer:${id}` }], T0);
				await store.guardEnter([{ activity: 'forget-act', customerId: id, key: 'e', policy: { kind: 'once' } }], T0);
				await store.claimOccasions([{ consumer: 'c', kind: 'k', customerId: id, occurrence: '1' }], T0);
				const report = await store.forgetCustomer(id);
				assert.equal(report.removed.customers, 1);
				assert.equal(report.removed.coupon_codes, 1);
				const dump = JSON.stringify(await factory.dump(store));
				assert.ok(!dump.includes(id), 'no row names the customer id');
				assert.ok(!dump.includes('+491701234567') && !dump.includes(`${id}@example.com`));
				const status = await store.poolStatus('forget-pool', T0);
				assert.equal(status.assigned, 1, 'the handed-out code is never handed out again');
			});
		});
	});
}
