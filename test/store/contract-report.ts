/**
 * Store contract for the Repeatability Guard's control group (held-out entries) and the Activity
 * Report, run against every dialect (sqlite.test.ts, postgres.test.ts).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { CanonicalEvent } from '../../core/event';
import { NotFoundError } from '../../core/errors';
import type { ActivityGroupRow, ActivityReportRow, GuardPolicy, GuardRequest, Store } from '../../core/store';
import { SCHEMA_VERSION } from '../../store/schema';
import { orderEvent, type StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A small deterministic PRNG (mulberry32), so the seeded ledger is the same in every run. */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface SeedAttempt {
	at: number;
	holdOut: boolean;
}
interface SeedOrder {
	id: string;
	at: number;
	currency: string;
	totalMinor: number;
	refundedMinor: number;
	cancelled: boolean;
}
interface SeedCode {
	pool: string;
	assignedAt: number;
	redeemedAt?: number;
}
interface SeedCustomer {
	id: string;
	/** At most this many entries (policy atMost): later attempts are skipped. */
	times: number;
	attempts: SeedAttempt[];
	orders: SeedOrder[];
	codes: SeedCode[];
}

const EXPONENT: Record<string, number> = { EUR: 2, USD: 2, JPY: 0 };
const decimal = (minor: number, currency: string) => (EXPONENT[currency] ? (minor / 10 ** EXPONENT[currency]).toFixed(EXPONENT[currency]) : String(minor));

/**
 * The ledger of one activity: customers with entries before, in and after the range, held out
 * or not (a few change group between attempts), skipped attempts beyond their limit, orders
 * around their entries in three currencies (some cancelled, some partly or fully refunded, some
 * exactly at the window's ends), and coupon codes from two pools, some redeemed.
 */
function seedLedger(prefix: string, range: { from: number; to: number }, windowMs: number, seed: number): SeedCustomer[] {
	const rnd = random(seed);
	const pick = <T>(list: T[]) => list[Math.floor(rnd() * list.length)];
	const span = range.to - range.from;
	const customers: SeedCustomer[] = [];
	for (let i = 0; i < 60; i++) {
		const base = i % 4 === 0;
		const attempts: SeedAttempt[] = [];
		const n = 1 + Math.floor(rnd() * 4);
		for (let j = 0; j < n; j++) {
			// Mostly in the range, some a few days before or after it.
			const at = Math.floor(range.from - 3 * DAY + rnd() * (span + 6 * DAY));
			attempts.push({ at, holdOut: i % 13 === 5 ? rnd() < 0.5 : base });
		}
		attempts.sort((a, b) => a.at - b.at);
		const orders: SeedOrder[] = [];
		const nOrders = Math.floor(rnd() * 4);
		for (let k = 0; k < nOrders; k++) {
			const currency = pick(['EUR', 'EUR', 'EUR', 'USD', 'JPY']);
			const totalMinor = 100 + Math.floor(rnd() * 20_000);
			const refund = rnd();
			orders.push({
				id: `${prefix}-o${i}-${k}`,
				at: Math.floor(attempts[0].at - 2 * DAY + rnd() * (windowMs + 6 * DAY)),
				currency,
				totalMinor,
				refundedMinor: refund < 0.15 ? Math.floor(totalMinor / 3) : refund < 0.2 ? totalMinor : 0,
				cancelled: rnd() < 0.1,
			});
		}
		const codes: SeedCode[] = [];
		if (rnd() < 0.6) {
			const assignedAt = Math.floor(attempts[0].at + rnd() * (windowMs + 2 * DAY) - DAY);
			codes.push({ pool: pick([`${prefix}-pool`, `${prefix}-pool`, `${prefix}-other`]), assignedAt, ...(rnd() < 0.5 && { redeemedAt: assignedAt + Math.floor(rnd() * windowMs) }) });
		}
		customers.push({ id: `${prefix}-c${i}`, times: 1 + Math.floor(rnd() * 3), attempts, orders, codes });
	}
	return customers;
}

/** What the report must say, computed from the seed by plain loops (not by the code under test). */
function expectedReport(activity: string, customers: SeedCustomer[], range: { from: number; to: number }, windowMs: number, pools?: string[]): ActivityReportRow {
	const group = (): ActivityGroupRow => ({ customers: 0, entries: 0, converted: 0, orders: [], codesAssigned: 0, codesRedeemed: 0 });
	const report: ActivityReportRow = { activity, skipped: 0, entered: group(), control: group() };
	for (const c of customers) {
		let anchor: SeedAttempt | undefined;
		c.attempts.forEach((a, j) => {
			if (a.at < range.from || a.at >= range.to) return;
			if (j >= c.times) {
				report.skipped++;
				return;
			}
			(a.holdOut ? report.control : report.entered).entries++;
			if (!anchor) anchor = a;
		});
		if (!anchor) continue;
		const g = anchor.holdOut ? report.control : report.entered;
		const start = anchor.at;
		const end = anchor.at + windowMs;
		g.customers++;
		let bought = false;
		for (const o of c.orders) {
			const counted = !o.cancelled && o.refundedMinor < o.totalMinor;
			if (!counted || o.at < start || o.at >= end) continue;
			bought = true;
			let row = g.orders.find((r) => r.currency === o.currency);
			if (!row) g.orders.push((row = { currency: o.currency, orders: 0, amountMinor: 0n }));
			row.orders++;
			row.amountMinor += BigInt(o.totalMinor - o.refundedMinor);
		}
		if (bought) g.converted++;
		for (const code of c.codes) {
			if (pools && !pools.includes(code.pool)) continue;
			if (code.assignedAt < start || code.assignedAt >= end) continue;
			g.codesAssigned++;
			if (code.redeemedAt !== undefined && code.redeemedAt < end) g.codesRedeemed++;
		}
	}
	for (const g of [report.entered, report.control]) g.orders.sort((a, b) => a.currency.localeCompare(b.currency));
	return report;
}

/** Writes the seed through the store's own operations, each at its instant. */
async function writeLedger(store: Store, activity: string, customers: SeedCustomer[]): Promise<void> {
	const pools = [...new Set(customers.flatMap((c) => c.codes.map((code) => code.pool)))];
	await store.ensurePools(pools, T0 - 30 * DAY);
	for (const pool of pools) {
		const n = customers.reduce((sum, c) => sum + c.codes.filter((code) => code.pool === pool).length, 0);
		await store.addCodes(pool, Array.from({ length: n }, (_, i) => ({ code: `${pool}-${i}` })), T0 - 30 * DAY);
	}
	for (const c of customers) {
		for (const [j, a] of c.attempts.entries()) {
			await store.guardEnter([{ activity, customerId: c.id, key: `${c.id}-a${j}`, policy: { kind: 'atMost', times: c.times }, ...(a.holdOut && { holdOut: true }) }], a.at);
		}
		const events: CanonicalEvent[] = c.orders.map((o) => {
			const event = orderEvent(c.id, o.at, decimal(o.totalMinor, o.currency), { currency: o.currency, orderId: o.id, ...(o.cancelled && { status: 'cancelled' }) });
			return o.refundedMinor ? { ...event, order: { ...event.order!, refunded: decimal(o.refundedMinor, o.currency) } } : event;
		});
		if (events.length) await store.recordEvents(events, T0);
		for (const [k, code] of c.codes.entries()) {
			const [claimed] = await store.claimCodes(code.pool, [{ customerId: c.id, key: `${c.id}-k${k}` }], code.assignedAt);
			assert.ok(claimed.assigned);
			if (code.redeemedAt !== undefined) await store.redeemCodes([{ code: claimed.code, pool: code.pool }], code.redeemedAt);
		}
	}
}

export function reportContract(factory: StoreFactory): void {
	describe(`store contract, control group and activity report: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		const once: GuardPolicy = { kind: 'once' };
		const attempt = (customerId: string, key: string, holdOut: boolean, policy: GuardPolicy = once, activity = 'ctl'): GuardRequest => ({
			activity,
			customerId,
			key,
			policy,
			...(holdOut && { holdOut }),
		});
		const enter = (request: GuardRequest, now = T0) => store.guardEnter([request], now).then(([o]) => o);
		const entryRow = async (activity: string, customerId: string, key: string) =>
			((await factory.dump(store)).guard_entries as Array<Record<string, unknown>>)
				.filter((r) => r.activity === activity && r.customer_id === customerId && r.entry_key === key)
				.map((r) => [Number(r.entered), Number(r.held_out)]);

		describe('held-out entries', () => {
			it('records a held-out entry that counts for the policy, and replays it as held out', async () => {
				const first = await enter(attempt('h1', 'e1', true));
				assert.deepEqual([first.entered, first.heldOut, first.replay, first.entries, first.firstAt], [true, true, false, 1, T0]);
				assert.deepEqual(await entryRow('ctl', 'h1', 'e1'), [[1, 1]]);
				// A retry gets the first answer back, whatever it asks now, and counts nothing.
				for (const holdOut of [true, false]) {
					const retry = await enter(attempt('h1', 'e1', holdOut), T0 + 5);
					assert.deepEqual([retry.entered, retry.heldOut, retry.replay, retry.entries], [true, true, true, 1]);
				}
				// Held out counts as entered: a once-only activity skips the customer's next attempt.
				const next = await enter(attempt('h1', 'e2', true), T0 + 10);
				assert.deepEqual([next.entered, next.heldOut, next.replay, next.entries], [false, false, false, 1]);
				assert.deepEqual(await entryRow('ctl', 'h1', 'e2'), [[0, 0]], 'a skip is not held out');
				assert.deepEqual(
					(await store.guardHistory({ activity: 'ctl', customerId: 'h1', limit: 10 })).map((h) => [h.key, h.heldOut]),
					[['e1', true]],
				);
			});

			it('an attempt the policy refuses is a skip, not a hold-out; a repeatable activity holds out every time', async () => {
				assert.equal((await enter(attempt('h2', 'e1', false))).heldOut, false);
				const refused = await enter(attempt('h2', 'e2', true), T0 + 1);
				assert.deepEqual([refused.entered, refused.heldOut, refused.entries], [false, false, 1]);
				const always: GuardPolicy = { kind: 'always' };
				const held = [];
				for (let i = 0; i < 3; i++) held.push(await enter(attempt('h3', `a${i}`, true, always), T0 + i));
				assert.deepEqual(
					held.map((o) => [o.entered, o.heldOut, o.entries]),
					[
						[true, true, 1],
						[true, true, 2],
						[true, true, 3],
					],
				);
			});

			it('100 parallel attempts of one held-out key: one decision, every attempt told held out', async () => {
				const results = await Promise.all(Array.from({ length: 100 }, () => enter(attempt('h4', 'same', true, { kind: 'always' }))));
				assert.ok(results.every((r) => r.entered && r.heldOut && r.entries === 1));
				assert.equal(results.filter((r) => !r.replay).length, 1);
				assert.deepEqual(await entryRow('ctl', 'h4', 'same'), [[1, 1]]);
			});
		});

		describe('activity report', () => {
			const range = { from: T0, to: T0 + 10 * DAY };
			const windowMs = 7 * DAY;
			let customers: SeedCustomer[];
			beforeAll(async () => {
				customers = seedLedger('rep', range, windowMs, 20260301);
				// Orders exactly at the ends of some windows: at the first entry counts, at its end does not.
				for (const c of customers.slice(0, 12)) {
					const first = c.attempts.find((a, j) => j < c.times && a.at >= range.from && a.at < range.to);
					if (!first) continue;
					c.orders.push({ id: `${c.id}-start`, at: first.at, currency: 'EUR', totalMinor: 1000, refundedMinor: 0, cancelled: false });
					c.orders.push({ id: `${c.id}-end`, at: first.at + windowMs, currency: 'EUR', totalMinor: 3000, refundedMinor: 0, cancelled: false });
				}
				await writeLedger(store, 'rep', customers);
				// Another activity of the same customers, and orders of a customer who never entered.
				await store.guardEnter(customers.slice(0, 20).map((c) => ({ activity: 'rep-other', customerId: c.id, key: `${c.id}-x`, policy: { kind: 'always' as const } })), T0 + DAY);
				await store.recordEvents([orderEvent('rep-nobody', T0 + DAY, '50.00')], T0);
			});

			it('the seeded ledger has what the report must tell apart', () => {
				const expected = expectedReport('rep', customers, range, windowMs);
				assert.ok(expected.entered.customers > 20 && expected.control.customers > 5, JSON.stringify([expected.entered.customers, expected.control.customers]));
				assert.ok(expected.skipped > 5 && expected.entered.converted > 5 && expected.control.converted > 1);
				assert.ok(expected.entered.orders.length === 3 && expected.entered.codesRedeemed > 2);
			});

			it('counts entries, hold-outs, skips, conversions, orders, net revenue and codes as the ledger says', async () => {
				const [report] = await store.activityReport([{ activity: 'rep', ...range, windowMs }]);
				assert.deepEqual(report, expectedReport('rep', customers, range, windowMs));
			});

			it('counts only the codes of the pools asked for; several activities in one call', async () => {
				const [withPool, other] = await store.activityReport([
					{ activity: 'rep', ...range, windowMs, pools: ['rep-pool'] },
					{ activity: 'rep-other', ...range, windowMs },
				]);
				assert.deepEqual(withPool, expectedReport('rep', customers, range, windowMs, ['rep-pool']));
				const expectedOther = expectedReport(
					'rep-other',
					customers.slice(0, 20).map((c) => ({ ...c, times: 1, attempts: [{ at: T0 + DAY, holdOut: false }] })),
					range,
					windowMs,
				);
				assert.deepEqual(other, expectedOther);
				assert.equal(other.control.customers, 0);
			});

			it('a narrower range and a shorter window move the first entries and the windows', async () => {
				const narrow = { from: T0 + 2 * DAY, to: T0 + 5 * DAY };
				const [report] = await store.activityReport([{ activity: 'rep', ...narrow, windowMs: 2 * DAY }]);
				assert.deepEqual(report, expectedReport('rep', customers, narrow, 2 * DAY));
			});

			it('an activity nobody entered reports zeros; an unknown pool is a NotFoundError, naming the field', async () => {
				const [none] = await store.activityReport([{ activity: 'rep-none', ...range, windowMs }]);
				assert.deepEqual(none, expectedReport('rep-none', [], range, windowMs));
				await assert.rejects(
					store.activityReport([{ activity: 'rep', ...range, windowMs, pools: ['no-such-pool'] }]),
					(e: unknown) => e instanceof NotFoundError && e.field === 'pool',
				);
			});
		});

		describe('upgrade from schema version 1', () => {
			it('keeps guard entries, none of them held out, and records held-out entries after it', async () => {
				const old = await factory.createAt(1, [
					`INSERT INTO guard_counters (activity, customer_id, entries, first_at, last_at) VALUES ('up8', 'u1', 1, ${T0}, ${T0})`,
					`INSERT INTO guard_entries (activity, customer_id, entry_key, entered_at) VALUES ('up8', 'u1', 'k1', ${T0})`,
				]);
				try {
					assert.equal(await old.schemaVersion(), SCHEMA_VERSION);
					assert.deepEqual(
						(await old.guardHistory({ activity: 'up8', limit: 10 })).map((h) => [h.customerId, h.key, h.enteredAt, h.heldOut]),
						[['u1', 'k1', T0, false]],
					);
					const [retry] = await old.guardEnter([attempt('u1', 'k1', true, once, 'up8')], T0 + 1);
					assert.deepEqual([retry.entered, retry.heldOut, retry.replay, retry.entries], [true, false, true, 1]);
					const [held] = await old.guardEnter([attempt('u2', 'k2', true, once, 'up8')], T0 + 2);
					assert.deepEqual([held.entered, held.heldOut, held.replay], [true, true, false]);
				} finally {
					await old.close();
				}
			});
		});
	});
}
