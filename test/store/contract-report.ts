/**
 * Store contract for the Repeatability Guard's control group (held-out entries) and the Activity
 * Report, run against every dialect (sqlite.test.ts, postgres.test.ts).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { GuardPolicy, GuardRequest, Store } from '../../core/store';
import { SCHEMA_VERSION } from '../../store/schema';
import type { StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');

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
