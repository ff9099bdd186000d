/**
 * findOccasions over a real SQLite store, with a ManualClock walking across days, time zones,
 * daylight-saving changes, new year and 29 February: each occasion is emitted once per consumer
 * and occurrence, polled twice or by two pollers at once, and a first activation does not flood.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from '@jest/globals';
import { ManualClock } from '../../core/clock';
import { InputError } from '../../core/errors';
import type { CanonicalEvent } from '../../core/event';
import { validateEvent } from '../../core/events/validate';
import { findOccasions, KNOWN_OVERLAP_MS, occasionId, pollOccasions, type OccasionEvent, type OccasionOptions } from '../../core/occasions';
import type { Store } from '../../core/store';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string) => Date.parse(iso);
const isoOf = (ms: number) => new Date(ms).toISOString();

const dir = mkdtempSync(join(tmpdir(), 'dialogue-occasions-'));
const stores: Store[] = [];
let files = 0;
function newStore(): Store {
	const store = new SqlStore(new SqliteDriver(join(dir, `occasions-${++files}.sqlite`)));
	stores.push(store);
	return store;
}
afterAll(async () => {
	await Promise.all(stores.map((s) => s.close()));
	rmSync(dir, { recursive: true, force: true });
});

function registered(id: string, when: number, extra: Partial<CanonicalEvent['customer']> = {}): CanonicalEvent {
	return {
		id: `reg:${id}`,
		type: 'customer.registered',
		occurredAt: isoOf(when),
		source: 'generic',
		customer: { id, email: `${id}@example.com`, firstName: 'Ada', ...extra },
	};
}

function order(customerId: string, orderId: string, when: number): CanonicalEvent {
	return {
		id: `order:${orderId}`,
		type: 'order.placed',
		occurredAt: isoOf(when),
		source: 'generic',
		customer: { id: customerId },
		order: { id: orderId, total: '25.00', currency: 'EUR', couponCodes: [], promotions: [], lines: [{ productId: 'p1', categories: ['Socks'], quantity: 1, price: '25.00' }] },
	};
}

function cart(customerId: string, cartId: string, when: number, quantity = 2): CanonicalEvent {
	return {
		id: `cart:${cartId}:${when}`,
		type: 'cart.updated',
		occurredAt: isoOf(when),
		source: 'generic',
		customer: { id: customerId },
		cart: {
			id: cartId,
			total: quantity ? '59.90' : '0',
			currency: 'EUR',
			recoveryUrl: `https://shop.example/cart/${cartId}`,
			lines: quantity ? [{ productId: 'sock', name: 'Wool socks', categories: ['Socks'], quantity, price: '29.95' }] : [],
		},
	};
}

/** Polls every `step` from `from` (inclusive) to `to` (exclusive); returns when each occasion id was first emitted, failing on a second emission. */
async function walk(store: Store, clock: ManualClock, to: number, step: number, options: OccasionOptions): Promise<Map<string, { at: number; event: OccasionEvent }>> {
	const seen = new Map<string, { at: number; event: OccasionEvent }>();
	for (; clock.now() < to; clock.advance(step)) {
		for (const event of await findOccasions(store, clock.now(), options)) {
			assert.ok(!seen.has(event.id), `${event.id} emitted twice (again at ${isoOf(clock.now())})`);
			seen.set(event.id, { at: clock.now(), event });
		}
	}
	return seen;
}

describe('findOccasions', () => {
	describe('birthdays', () => {
		it('walking hourly across six days: each customer is greeted once, at midnight in their own zone (DST included)', async () => {
			const store = newStore();
			const T = at('2026-01-01T00:00:00Z');
			await store.recordEvents(
				[
					registered('kiri', T, { birthday: '--03-10', timezone: 'Pacific/Kiritimati' }), // UTC+14
					registered('berlin', T, { birthday: '1990-03-10', timezone: 'Europe/Berlin' }), // UTC+1 in March
					registered('ny-dst', T, { birthday: '1985-03-08', timezone: 'America/New_York' }), // 8 March 2026: clocks go forward at 02:00
					registered('ny-after', T, { birthday: '--03-09', timezone: 'America/New_York' }), // the first midnight in EDT
					registered('pago', T, { birthday: '--03-10', timezone: 'Pacific/Pago_Pago' }), // UTC-11
					registered('nozone', T, { birthday: '--03-10' }), // the default zone: Asia/Tokyo, UTC+9
					registered('june', T, { birthday: '--06-01', timezone: 'UTC' }),
					registered('nobday', T),
				],
				T,
			);
			const clock = new ManualClock('2026-03-06T00:00:00Z');
			const seen = await walk(store, clock, at('2026-03-12T00:00:00Z'), HOUR, {
				kind: 'customer.birthday',
				consumer: 'wf1:Birthday',
				zone: 'Asia/Tokyo',
			});
			const firstAt = (id: string) => {
				const hit = seen.get(occasionId('customer.birthday', id, '2026'));
				assert.ok(hit, `no birthday for ${id}; emitted: ${[...seen.keys()].join(', ')}`);
				return isoOf(hit.at);
			};
			assert.equal(seen.size, 6);
			assert.equal(firstAt('kiri'), '2026-03-09T10:00:00.000Z');
			assert.equal(firstAt('berlin'), '2026-03-09T23:00:00.000Z');
			assert.equal(firstAt('ny-dst'), '2026-03-08T05:00:00.000Z', 'midnight of the DST day is still EST');
			assert.equal(firstAt('ny-after'), '2026-03-09T04:00:00.000Z', 'the next midnight is EDT');
			assert.equal(firstAt('pago'), '2026-03-10T11:00:00.000Z');
			assert.equal(firstAt('nozone'), '2026-03-09T15:00:00.000Z');

			const { event } = seen.get(occasionId('customer.birthday', 'berlin', '2026'))!;
			assert.equal(event.type, 'customer.birthday');
			assert.equal(event.id, 'occasion:customer.birthday:berlin:2026');
			assert.equal(event.occurredAt, '2026-03-09T23:00:00.000Z');
			assert.deepEqual(event.customer, { id: 'berlin', email: 'berlin@example.com', firstName: 'Ada', birthday: '1990-03-10', timezone: 'Europe/Berlin', registeredAt: '2026-01-01T00:00:00.000Z' });
			assert.deepEqual(event.occasion, {
				kind: 'customer.birthday',
				occurrence: '2026',
				dueAt: '2026-03-09T23:00:00.000Z',
				birthday: { date: '2026-03-10', daysBefore: 0, timezone: 'Europe/Berlin' },
			});
			const { occasion: _occasion, ...canonical } = event;
			assert.deepEqual(validateEvent(event), canonical, 'a valid canonical event, plus the occasion');
			assert.equal(seen.get(occasionId('customer.birthday', 'nozone', '2026'))!.event.occasion.birthday?.timezone, 'Asia/Tokyo');
		});

		it('N days before, across new year: once for each year, the occurrence is the birthday year', async () => {
			const store = newStore();
			const T = at('2025-01-01T00:00:00Z');
			await store.recordEvents([registered('jan3', T, { birthday: '--01-03', timezone: 'UTC' })], T);
			const options: OccasionOptions = { kind: 'customer.birthday', consumer: 'card', daysBefore: 7 };
			const clock = new ManualClock('2025-12-20T12:00:00Z');
			const first = await walk(store, clock, at('2026-01-10T00:00:00Z'), DAY, options);
			assert.deepEqual([...first.keys()], ['occasion:customer.birthday:jan3:2026:7-days-before']);
			assert.equal(isoOf(first.get('occasion:customer.birthday:jan3:2026:7-days-before')!.at), '2025-12-27T12:00:00.000Z');
			assert.equal(first.get('occasion:customer.birthday:jan3:2026:7-days-before')!.event.occasion.birthday?.date, '2026-01-03');
			// A year later the 2026 claim does not hide the 2027 birthday.
			clock.set('2026-12-20T12:00:00Z');
			const second = await walk(store, clock, at('2027-01-10T00:00:00Z'), DAY, options);
			assert.deepEqual([...second.keys()], ['occasion:customer.birthday:jan3:2027:7-days-before']);
			assert.equal(isoOf(second.get('occasion:customer.birthday:jan3:2027:7-days-before')!.at), '2026-12-27T12:00:00.000Z');
		});

		it('29 February: on 28 February in other years, on the day in leap years', async () => {
			const store = newStore();
			const T = at('2020-01-01T00:00:00Z');
			await store.recordEvents(
				[registered('leap', T, { birthday: '2000-02-29', timezone: 'UTC' }), registered('mar1', T, { birthday: '--03-01', timezone: 'UTC' })],
				T,
			);
			const options: OccasionOptions = { kind: 'customer.birthday', consumer: 'leap' };
			const clock = new ManualClock('2027-02-25T08:00:00Z');
			const plain = await walk(store, clock, at('2027-03-03T00:00:00Z'), DAY, options);
			assert.equal(isoOf(plain.get('occasion:customer.birthday:leap:2027')!.at), '2027-02-28T08:00:00.000Z');
			assert.equal(isoOf(plain.get('occasion:customer.birthday:mar1:2027')!.at), '2027-03-01T08:00:00.000Z');
			clock.set('2028-02-25T08:00:00Z');
			const leap = await walk(store, clock, at('2028-03-03T00:00:00Z'), DAY, options);
			assert.equal(isoOf(leap.get('occasion:customer.birthday:leap:2028')!.at), '2028-02-29T08:00:00.000Z');
			assert.equal(leap.get('occasion:customer.birthday:leap:2028')!.event.occasion.birthday?.date, '2028-02-29');
			assert.equal(leap.size, 2);
		});

		it('finds the due birthdays behind hundreds of candidates not due yet in their zone', async () => {
			const store = newStore();
			const T = at('2026-01-01T00:00:00Z');
			const events = Array.from({ length: 700 }, (_, i) => registered(`a-${String(i).padStart(4, '0')}`, T, { birthday: '--03-10', timezone: 'Pacific/Pago_Pago' }));
			events.push(...Array.from({ length: 5 }, (_, i) => registered(`z-${i}`, T, { birthday: '--03-10', timezone: 'Asia/Tokyo' })));
			await store.recordEvents(events, T);
			const now = at('2026-03-10T01:00:00Z'); // 10 March in Tokyo, still 9 March in Pago Pago
			const found = await findOccasions(store, now, { kind: 'customer.birthday', consumer: 'scan', limit: 5 });
			assert.deepEqual(
				found.map((e) => e.customer.id),
				['z-0', 'z-1', 'z-2', 'z-3', 'z-4'],
			);
		});
	});

	describe('abandoned carts', () => {
		it('1 day after the last cart update, across the DST change in the workflow zone; once per cart version', async () => {
			const store = newStore();
			const updated = at('2026-03-28T11:00:00Z'); // 12:00 in Berlin (CET)
			await store.recordEvents(
				[
					registered('carl', updated - 10 * DAY, { firstName: 'Carl' }),
					cart('carl', 'cart-1', updated),
					cart('olga', 'cart-ordered', updated),
					order('olga', 'o-1', updated + HOUR),
					cart('emma', 'cart-emptied', updated),
					cart('emma', 'cart-emptied', updated + 1000, 0),
				],
				updated,
			);
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'wf:Cart', after: { amount: 1, unit: 'days' }, zone: 'Europe/Berlin' };
			const clock = new ManualClock(updated);
			const seen = await walk(store, clock, at('2026-03-31T00:00:00Z'), 30 * 60_000, options);
			assert.deepEqual([...seen.keys()], ['occasion:cart.abandoned:carl:cart-1:1'], 'ordered and emptied carts are not abandoned');
			const { at: firstAt, event } = seen.get('occasion:cart.abandoned:carl:cart-1:1')!;
			assert.equal(isoOf(firstAt), '2026-03-29T10:00:00.000Z', '12:00 the next day in Berlin, now CEST: 23 hours later');
			assert.deepEqual(event.cart, {
				id: 'cart-1',
				total: '59.90',
				currency: 'EUR',
				lines: [{ productId: 'sock', name: 'Wool socks', categories: ['Socks'], quantity: 2, price: '29.95' }],
				recoveryUrl: 'https://shop.example/cart/cart-1',
			});
			assert.deepEqual(event.occasion, {
				kind: 'cart.abandoned',
				occurrence: 'cart-1:1',
				dueAt: '2026-03-29T10:00:00.000Z',
				cartUpdatedAt: '2026-03-28T11:00:00.000Z',
				after: { amount: 1, unit: 'days' },
			});
			assert.equal(event.customer.firstName, 'Carl');
			const { occasion: _occasion, ...canonical } = event;
			assert.deepEqual(validateEvent(event), canonical);

			// The customer comes back and changes the cart: a new version, a new occasion 24 hours later.
			const changed = at('2026-03-31T08:00:00Z');
			await store.recordEvents([cart('carl', 'cart-1', changed, 3)], changed);
			clock.set(changed);
			const again = await walk(store, clock, changed + 2 * DAY, HOUR, { ...options, after: { amount: 24, unit: 'hours' } });
			assert.deepEqual([...again.keys()], ['occasion:cart.abandoned:carl:cart-1:2']);
			assert.equal(isoOf(again.get('occasion:cart.abandoned:carl:cart-1:2')!.at), '2026-04-01T08:00:00.000Z');
			assert.equal(again.get('occasion:cart.abandoned:carl:cart-1:2')!.event.cart?.lines[0].quantity, 3);
		});

		it('two pollers at the same moment: each occasion once, none lost', async () => {
			const store = newStore();
			const T = at('2026-05-01T10:00:00Z');
			await store.recordEvents(
				Array.from({ length: 60 }, (_, i) => cart(`c${i}`, `k${i}`, T - 2 * HOUR - i * 1000)),
				T,
			);
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'wf:Cart', after: { amount: 1, unit: 'hours' }, limit: 100 };
			const [a, b] = await Promise.all([findOccasions(store, T, options), findOccasions(store, T, options)]);
			const ids = [...a, ...b].map((e) => e.id);
			assert.equal(ids.length, 60);
			assert.equal(new Set(ids).size, 60);
			assert.deepEqual(await findOccasions(store, T + HOUR, options), [], 'polled again: nothing');
			// Another consumer (another workflow) gets each occasion once too, with the same ids.
			const other = await findOccasions(store, T, { ...options, consumer: 'wf2:Cart' });
			assert.deepEqual(new Set(other.map((e) => e.id)), new Set(ids));
		});

		it('limit per poll: the rest comes with the next polls, oldest first', async () => {
			const store = newStore();
			const T = at('2026-05-01T10:00:00Z');
			await store.recordEvents(
				Array.from({ length: 250 }, (_, i) => cart(`c${i}`, `k${i}`, T - 3 * DAY - (250 - i) * 1000)),
				T,
			);
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'wf', after: { amount: 3, unit: 'days' }, limit: 100 };
			const batches = [];
			for (let i = 0; i < 4; i++) batches.push(await findOccasions(store, T + i * 60_000, options));
			assert.deepEqual(
				batches.map((b) => b.length),
				[100, 100, 50, 0],
			);
			assert.equal(batches[0][0].customer.id, 'c0');
			assert.equal(batches[2][49].customer.id, 'c249');
		});
	});

	describe('registered without ordering, lapsed', () => {
		it('registered 7 days ago without an order: once; customers who ordered never', async () => {
			const store = newStore();
			const T = at('2026-06-01T09:00:00Z');
			await store.recordEvents(
				[registered('new', T), registered('buyer', T), order('buyer', 'b1', T + 2 * DAY), registered('late', T + DAY)],
				T,
			);
			const options: OccasionOptions = { kind: 'customer.no_order_since_registration', consumer: 'nudge', after: { amount: 7, unit: 'days' }, zone: 'UTC' };
			const clock = new ManualClock(T);
			const seen = await walk(store, clock, T + 10 * DAY, 6 * HOUR, options);
			assert.deepEqual(
				[...seen.entries()].map(([id, hit]) => [id, isoOf(hit.at)]),
				[
					['occasion:customer.no_order_since_registration:new:once', '2026-06-08T09:00:00.000Z'],
					['occasion:customer.no_order_since_registration:late:once', '2026-06-09T09:00:00.000Z'],
				],
			);
			assert.equal(seen.get('occasion:customer.no_order_since_registration:new:once')!.event.occasion.registeredAt, '2026-06-01T09:00:00.000Z');
		});

		it('lapsed: more than 90 days after the last order, once per lapse; a new order starts a new one', async () => {
			const store = newStore();
			const first = at('2026-01-10T12:00:00Z');
			await store.recordEvents([registered('lap', first - DAY), order('lap', 'l1', first)], first);
			const options: OccasionOptions = { kind: 'customer.lapsed', consumer: 'winback', after: { amount: 90, unit: 'days' } };
			assert.deepEqual(await findOccasions(store, first + 90 * DAY, options), [], 'exactly 90 days is not more than 90');
			const lapse = await findOccasions(store, first + 90 * DAY + 1, options);
			assert.deepEqual(
				lapse.map((e) => e.id),
				[`occasion:customer.lapsed:lap:${first}`],
			);
			assert.equal(lapse[0].occasion.lastOrderAt, '2026-01-10T12:00:00.000Z');
			assert.deepEqual(await findOccasions(store, first + 120 * DAY, options), [], 'polled again: nothing');
			const back = first + 130 * DAY;
			await store.recordEvents([order('lap', 'l2', back)], back);
			assert.deepEqual(await findOccasions(store, back + 50 * DAY, options), []);
			const again = await findOccasions(store, back + 91 * DAY, options);
			assert.deepEqual(
				again.map((e) => e.id),
				[`occasion:customer.lapsed:lap:${back}`],
			);
		});
	});

	describe('month ends', () => {
		it('one month after 28 to 31 January is 28 February: emitted then, with that dueAt', async () => {
			const store = newStore();
			const jan = (day: number) => at(`2026-01-${day}T10:00:00Z`);
			await store.recordEvents(
				[
					cart('c28', 'k28', jan(28)),
					cart('c30', 'k30', jan(30)),
					cart('c31', 'k31', jan(31)),
					cart('feb1', 'kf1', at('2026-02-01T10:00:00Z')),
					registered('r31', jan(31)),
				],
				jan(31),
			);
			const carts: OccasionOptions = { kind: 'cart.abandoned', consumer: 'wf:Cart', after: { amount: 1, unit: 'months' } };
			const seen = await walk(store, new ManualClock(jan(31)), at('2026-03-03T00:00:00Z'), HOUR, carts);
			assert.deepEqual(
				[...seen.values()].map(({ at: emitted, event }) => [event.customer.id, isoOf(emitted), event.occasion.dueAt]),
				[
					['c28', '2026-02-28T10:00:00.000Z', '2026-02-28T10:00:00.000Z'],
					['c30', '2026-02-28T10:00:00.000Z', '2026-02-28T10:00:00.000Z'],
					['c31', '2026-02-28T10:00:00.000Z', '2026-02-28T10:00:00.000Z'],
					['feb1', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
				],
			);
			const nudge: OccasionOptions = { kind: 'customer.no_order_since_registration', consumer: 'nudge', after: { amount: 1, unit: 'months' } };
			assert.deepEqual(await findOccasions(store, at('2026-02-28T09:59:59.999Z'), nudge), []);
			assert.deepEqual(
				(await findOccasions(store, at('2026-02-28T10:00:00Z'), nudge)).map((e) => e.occasion.dueAt),
				['2026-02-28T10:00:00.000Z'],
			);
		});

		it('lapsed: more than one month after an order on 31 January is after 28 February 10:00', async () => {
			const store = newStore();
			await store.recordEvents([order('lap', 'l1', at('2026-01-31T10:00:00Z'))], at('2026-01-31T10:00:00Z'));
			const options: OccasionOptions = { kind: 'customer.lapsed', consumer: 'winback', after: { amount: 1, unit: 'months' } };
			assert.deepEqual(await findOccasions(store, at('2026-02-28T10:00:00Z'), options), [], 'exactly one month is not more than one');
			const lapse = await findOccasions(store, at('2026-02-28T10:00:00.001Z'), options);
			assert.deepEqual(
				lapse.map((e) => e.occasion.dueAt),
				['2026-02-28T10:00:00.000Z'],
			);
		});

		it('activated after the dueAt: the occasion was already due and is never emitted', async () => {
			const store = newStore();
			await store.recordEvents([cart('c31', 'k31', at('2026-01-31T10:00:00Z')), cart('feb1', 'kf1', at('2026-02-01T10:00:00Z'))], at('2026-02-01T10:00:00Z'));
			const activation = at('2026-02-28T12:00:00Z');
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'wf:Cart', after: { amount: 1, unit: 'months' }, since: activation };
			const seen = await walk(store, new ManualClock(activation), at('2026-03-05T00:00:00Z'), HOUR, options);
			assert.deepEqual(
				[...seen.values()].map(({ event }) => [event.customer.id, event.occasion.dueAt]),
				[['feb1', '2026-03-01T10:00:00.000Z']],
			);
		});

		it('customers already due at activation never fill a poll: the one due later behind them is emitted', async () => {
			const store = newStore();
			const early = [1, 2, 3, 4, 5].map((h) => registered(`early-${h}`, at(`2026-01-29T0${h}:00:00Z`))); // due 28 February 01:00 to 05:00
			await store.recordEvents([...early, registered('late', at('2026-01-31T08:00:00Z'))], at('2026-01-31T08:00:00Z')); // due 28 February 08:00
			const options: OccasionOptions = {
				kind: 'customer.no_order_since_registration',
				consumer: 'nudge',
				after: { amount: 1, unit: 'months' },
				since: at('2026-02-28T06:00:00Z'),
				limit: 2,
			};
			assert.deepEqual(await findOccasions(store, at('2026-02-28T07:00:00Z'), options), []);
			assert.deepEqual(
				(await findOccasions(store, at('2026-02-28T08:00:00Z'), options)).map((e) => [e.customer.id, e.occasion.dueAt]),
				[['late', '2026-02-28T08:00:00.000Z']],
			);
		});
	});

	describe('first activation', () => {
		it('with `since`, what was already due is not emitted; what becomes due later is', async () => {
			const store = newStore();
			const activation = at('2026-03-10T08:30:00Z');
			await store.recordEvents(
				[
					registered('old-bday', activation - 400 * DAY, { birthday: '--03-10', timezone: 'UTC' }),
					registered('next-bday', activation - 400 * DAY, { birthday: '--03-11', timezone: 'UTC' }),
					cart('old-cart', 'oc', activation - 10 * DAY),
					cart('fresh-cart', 'fc', activation - 2 * DAY + HOUR), // due 1 hour after activation
				],
				activation - DAY,
			);
			const cartOptions: OccasionOptions = { kind: 'cart.abandoned', consumer: 'c', after: { amount: 2, unit: 'days' }, since: activation };
			assert.deepEqual(await findOccasions(store, activation, cartOptions), []);
			assert.deepEqual(
				(await findOccasions(store, activation + 2 * HOUR, cartOptions)).map((e) => e.customer.id),
				['fresh-cart'],
			);
			assert.deepEqual(await findOccasions(store, activation + 30 * DAY, cartOptions), [], 'the cart due before activation never comes');
			// Without `since`, the old cart is emitted (the "emit occasions already due" setting).
			assert.deepEqual(
				(await findOccasions(store, activation + 30 * DAY, { ...cartOptions, since: undefined })).map((e) => e.customer.id),
				['old-cart'],
			);

			const bdayOptions: OccasionOptions = { kind: 'customer.birthday', consumer: 'b', since: activation };
			assert.deepEqual(await findOccasions(store, activation, bdayOptions), [], 'the birthday due since midnight is not new');
			assert.deepEqual(
				(await findOccasions(store, at('2026-03-11T00:00:00Z'), bdayOptions)).map((e) => e.customer.id),
				['next-bday'],
			);
			assert.deepEqual(
				(await findOccasions(store, at('2027-03-10T00:00:00Z'), bdayOptions)).map((e) => e.id),
				['occasion:customer.birthday:old-bday:2027'],
				'next year it is',
			);
		});

		it('claim: false reports what is due without claiming it', async () => {
			const store = newStore();
			const T = at('2026-05-01T10:00:00Z');
			await store.recordEvents([cart('peek', 'pk', T - 2 * DAY)], T);
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'p', after: { amount: 1, unit: 'days' } };
			const preview = await findOccasions(store, T, { ...options, claim: false });
			assert.equal(preview.length, 1);
			assert.equal((await findOccasions(store, T, { ...options, claim: false })).length, 1, 'still there');
			assert.deepEqual(
				(await findOccasions(store, T, options)).map((e) => e.id),
				preview.map((e) => e.id),
			);
			assert.deepEqual(await findOccasions(store, T, { ...options, claim: false }), [], 'claimed now');
		});
	});

	describe('known after activation', () => {
		const A = at('2026-06-10T08:00:00Z');
		const KINDS: Array<{ kind: OccasionOptions['kind']; after: OccasionOptions['after']; known: (id: string) => CanonicalEvent[]; fresh: (id: string) => CanonicalEvent[] }> = [
			{
				kind: 'cart.abandoned',
				after: { amount: 2, unit: 'days' },
				known: (id) => [cart(id, `k-${id}`, A - 10 * DAY)],
				fresh: (id) => [cart(id, `k-${id}`, A - 2 * DAY + 2 * HOUR)],
			},
			{
				kind: 'customer.no_order_since_registration',
				after: { amount: 7, unit: 'days' },
				known: (id) => [registered(id, A - 30 * DAY)],
				fresh: (id) => [registered(id, A - 7 * DAY + 2 * HOUR)],
			},
			{
				kind: 'customer.lapsed',
				after: { amount: 90, unit: 'days' },
				known: (id) => [order(id, `o-${id}`, A - 200 * DAY)],
				fresh: (id) => [order(id, `o-${id}`, A - 90 * DAY + 2 * HOUR)],
			},
		];

		for (const { kind, after, known, fresh } of KINDS) {
			it(`${kind}: recorded after activation but due before it is emitted once; due and known at activation is not`, async () => {
				const store = newStore();
				await store.recordEvents([...known('before'), ...fresh('fresh')], A - DAY);
				await store.recordEvents(known('late'), A + HOUR);
				const options: OccasionOptions = { kind, consumer: 'wf:Known', after, zone: 'UTC', since: A };
				assert.deepEqual((await findOccasions(store, A + 3 * HOUR, { ...options, claim: false })).map((e) => e.customer.id).sort(), ['fresh', 'late'], 'due now, without claiming');
				const first = await pollOccasions(store, A + 3 * HOUR, options);
				assert.deepEqual(first.occasions.map((e) => e.customer.id).sort(), ['fresh', 'late']);
				assert.equal(first.known, A + 3 * HOUR, 'everything the store learned of until now was looked at');
				const second = await pollOccasions(store, A + 4 * HOUR, { ...options, knownAfter: first.known });
				assert.deepEqual(second.occasions, [], 'polled again: nothing');
				assert.equal(second.known, A + 4 * HOUR);
				assert.deepEqual(await findOccasions(store, A + 400 * DAY, options), [], 'the one known at activation never comes');
				assert.deepEqual(
					(await findOccasions(store, A + 3 * HOUR, { ...options, since: undefined, consumer: 'wf:All' })).map((e) => e.customer.id).sort(),
					['before', 'fresh', 'late'],
					'without `since` all three are due',
				);
			});
		}

		it('the high-water mark: a poll reads only what the store learned of since the last one (less the overlap)', async () => {
			const store = newStore();
			await store.recordEvents([cart('late', 'k-late', A - 10 * DAY)], A + HOUR);
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'wf:Mark', after: { amount: 2, unit: 'days' }, since: A };
			const asked: number[] = [];
			const read = store.knownAbandonedCarts.bind(store);
			store.knownAbandonedCarts = (query) => {
				asked.push(query.knownFrom);
				return read(query);
			};
			const mark = A + HOUR + KNOWN_OVERLAP_MS + 1;
			assert.deepEqual((await pollOccasions(store, mark, { ...options, knownAfter: mark })).occasions, [], 'learned of before the mark less the overlap: not read again');
			assert.deepEqual(asked, [mark - KNOWN_OVERLAP_MS + 1]);
			const inOverlap = await pollOccasions(store, mark, { ...options, knownAfter: mark - 2 });
			assert.deepEqual(inOverlap.occasions.map((e) => e.customer.id), ['late'], 'a write stamped within the overlap before the mark is read');
			assert.equal(asked[1], A + HOUR);
			// The first poll after activation reads from the activation on, never before it.
			await pollOccasions(store, A + 2 * HOUR, options);
			assert.equal(asked[2], A + 1);
		});

		it('respects the limit across both reads; the mark stays before what was not looked at', async () => {
			const store = newStore();
			await store.recordEvents([cart('fresh', 'k-fresh', A - 2 * DAY + HOUR)], A - DAY);
			await store.recordEvents([cart('late-1', 'k-1', A - 10 * DAY), cart('late-2', 'k-2', A - 9 * DAY)], A + HOUR);
			await store.recordEvents([cart('late-3', 'k-3', A - 8 * DAY)], A + 2 * HOUR);
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'wf:Limit', after: { amount: 2, unit: 'days' }, since: A, limit: 2 };
			const first = await pollOccasions(store, A + 3 * HOUR, options);
			assert.deepEqual(first.occasions.map((e) => e.customer.id), ['fresh', 'late-1'], 'due after activation first, then by when the store learned of it');
			assert.equal(first.known, A + HOUR - 1);
			const second = await pollOccasions(store, A + 3 * HOUR, { ...options, knownAfter: first.known });
			assert.deepEqual(second.occasions.map((e) => e.customer.id), ['late-2', 'late-3']);
			assert.equal(second.known, A + 2 * HOUR - 1);
			const third = await pollOccasions(store, A + 3 * HOUR, { ...options, knownAfter: second.known });
			assert.deepEqual(third, { occasions: [], known: A + 3 * HOUR });
			// A test run claims nothing and reads the same again.
			const preview = { ...options, consumer: 'wf:Preview', claim: false, limit: 10 };
			assert.equal((await findOccasions(store, A + 3 * HOUR, preview)).length, 4);
			assert.equal((await findOccasions(store, A + 3 * HOUR, preview)).length, 4);
		});

		it('a bad high-water mark names the option', async () => {
			const store = newStore();
			const options: OccasionOptions = { kind: 'cart.abandoned', consumer: 'x', after: { amount: 1, unit: 'days' }, since: A, knownAfter: Number.NaN };
			await assert.rejects(pollOccasions(store, A, options), (error: unknown) => error instanceof InputError && error.field === 'knownAfter');
		});
	});

	describe('bad options', () => {
		const store = { dialect: 'sqlite' } as unknown as Store; // never reached
		const field = (name: string) => (error: unknown) => error instanceof InputError && error.field === name;
		it('name the option to change', async () => {
			await assert.rejects(findOccasions(store, 0, { kind: 'customer.anniversary' as never, consumer: 'x' }), field('kind'));
			await assert.rejects(findOccasions(store, 0, { kind: 'cart.abandoned', consumer: 'x' }), field('after'));
			await assert.rejects(findOccasions(store, 0, { kind: 'cart.abandoned', consumer: 'x', after: { amount: -1, unit: 'days' } }), field('after.amount'));
			await assert.rejects(findOccasions(store, 0, { kind: 'cart.abandoned', consumer: 'x', after: { amount: 1, unit: 'years' as never } }), field('after.unit'));
			await assert.rejects(findOccasions(store, 0, { kind: 'customer.birthday', consumer: 'x', zone: 'Mars/Olympus' }), field('zone'));
			await assert.rejects(findOccasions(store, 0, { kind: 'customer.birthday', consumer: '' }), field('consumer'));
			await assert.rejects(findOccasions(store, 0, { kind: 'customer.birthday', consumer: 'x', limit: 0 }), field('limit'));
			await assert.rejects(findOccasions(store, 0, { kind: 'customer.birthday', consumer: 'x', daysBefore: 1.5 }), field('daysBefore'));
		});
	});
});
