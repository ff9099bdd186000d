/**
 * Store contract for segments and the repeatability guard under concurrency and retries, run
 * against every dialect (sqlite.test.ts, postgres.test.ts). On PostgreSQL, parallel calls on one
 * store run in parallel transactions (a pool of 20); on SQLite they queue up.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { InputError, NotFoundError } from '../../core/errors';
import type { GuardPolicy, Store } from '../../core/store';
import { SCHEMA_VERSION } from '../../store/schema';
import type { StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const DAY = 86_400_000;
const ROUNDS = 60;

/** The outcomes of calls started together; a rejection is kept, not thrown. */
const together = <T>(calls: Array<() => Promise<T>>) => Promise.allSettled(calls.map((call) => call()));

function fulfilled<T>(results: Array<PromiseSettledResult<T>>): T[] {
	return results.filter((r): r is PromiseFulfilledResult<T> => r.status === 'fulfilled').map((r) => r.value);
}

/** Asserts that every rejection is an expected error (anything else, e.g. a TypeError or a raw database error, fails). */
function onlyRejectedWith<T>(results: Array<PromiseSettledResult<T>>, expected: (error: unknown) => boolean): void {
	for (const r of results) if (r.status === 'rejected' && !expected(r.reason)) throw r.reason;
}

export function segGuardContract(factory: StoreFactory): void {
	describe(`store contract, segments and guard: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		describe('segments decide in the database', () => {
			it('Adds and Removes of one member racing: every call answers, and the answers add up', async () => {
				await store.ensureSegments(['race-add'], T0);
				for (let round = 0; round < ROUNDS; round++) {
					await store.segmentAdd('race-add', [{ customerId: 'm' }], T0);
					const results = await together<Array<{ added: boolean }> | boolean[]>(
						Array.from({ length: 10 }, (_, i) =>
							i % 2 ? () => store.segmentRemove('race-add', ['m']) : () => store.segmentAdd('race-add', [{ customerId: 'm' }], T0),
						),
					);
					onlyRejectedWith(results, () => false);
					const answers = fulfilled(results).map(([answer]) => answer);
					const added = answers.filter((a) => typeof a === 'object' && a.added).length;
					const removed = answers.filter((a) => a === true).length;
					const inAtEnd = (await store.segmentCheck('race-add', ['m'], T0))[0] !== undefined;
					// The member was in before the round: each removal took it out, each "added" put it back.
					assert.equal(removed - added, inAtEnd ? 0 : 1, `round ${round}`);
				}
			});

			it('many Adds of one new member at one instant: exactly one says it added', async () => {
				await store.ensureSegments(['race-new'], T0);
				for (let round = 0; round < ROUNDS; round++) {
					const customerId = `new-${round}`;
					const results = await Promise.all(Array.from({ length: 8 }, () => store.segmentAdd('race-new', [{ customerId }], T0)));
					assert.equal(results.filter(([m]) => m.added).length, 1, `round ${round}`);
					assert.ok(results.every(([m]) => m.customerId === customerId && m.addedAt === T0));
				}
			});

			it('many Creates of one new segment at one instant: exactly one says it created', async () => {
				for (let round = 0; round < ROUNDS; round++) {
					const name = `race-create-${round}`;
					const results = await Promise.all(Array.from({ length: 8 }, () => store.ensureSegments([name], T0)));
					assert.equal(results.filter(([s]) => s.created).length, 1, `round ${round}`);
					assert.ok(results.every(([s]) => s.name === name && s.createdAt === T0));
				}
			});

			it('Create racing Delete: Create always returns the segment, each Delete deletes one that existed', async () => {
				const name = 'race-ensure';
				for (let round = 0; round < ROUNDS; round++) {
					await store.ensureSegments([name], T0);
					const creates = Array.from({ length: 4 }, () => () => store.ensureSegments([name], T0 + 1 + round));
					const deletes = Array.from({ length: 4 }, () => () => store.deleteSegment(name));
					const results = await together<unknown>([...creates, ...deletes].sort(() => 0.5 - Math.random()));
					onlyRejectedWith(results, (e) => e instanceof NotFoundError);
					const created = fulfilled(results).filter((r) => Array.isArray(r) && r[0].name === name && r[0].created).length;
					assert.equal(fulfilled(results).filter((r) => Array.isArray(r)).length, creates.length, 'every Create returned the segment');
					const deleted = fulfilled(results).filter((r) => !Array.isArray(r)).length;
					const existsAtEnd = (await store.listSegments(name)).some((s) => s.name === name);
					// It existed before the round: each Delete ended one life of it, each "created" began one.
					assert.equal(deleted, 1 + created - (existsAtEnd ? 1 : 0), `round ${round}`);
				}
			});

			it('two Deletes of one segment racing: one deletes it, the other says it does not exist', async () => {
				for (let round = 0; round < ROUNDS; round++) {
					const name = `race-delete-${round}`;
					await store.ensureSegments([name], T0);
					await store.segmentAdd(name, [{ customerId: 'a' }, { customerId: 'b' }], T0);
					const results = await together([() => store.deleteSegment(name), () => store.deleteSegment(name)]);
					onlyRejectedWith(results, (e) => e instanceof NotFoundError && e.field === 'segment');
					assert.deepEqual(fulfilled(results), [{ removedMembers: 2 }], `round ${round}`);
				}
			});

			it('Adds racing a Delete of the segment: each Add lands in the segment or says it does not exist; no member outlives it', async () => {
				for (let round = 0; round < ROUNDS; round++) {
					const name = `race-orphan-${round}`;
					await store.ensureSegments([name], T0);
					const adds = Array.from({ length: 6 }, (_, i) => () => store.segmentAdd(name, [{ customerId: `o-${i}` }], T0));
					const results = await together<unknown>([...adds.slice(0, 3), () => store.deleteSegment(name), ...adds.slice(3)]);
					onlyRejectedWith(results, (e) => e instanceof NotFoundError && e.field === 'segment');
				}
				const { segments, segment_members: members } = await factory.dump(store);
				const ids = new Set(segments.map((s) => Number((s as { id: unknown }).id)));
				const orphans = members.filter((m) => !ids.has(Number((m as { segment_id: unknown }).segment_id)));
				assert.deepEqual(orphans, []);
			});

			it('two Renames onto one name racing: one renames, the other is told to choose another name', async () => {
				for (let round = 0; round < ROUNDS; round++) {
					const [a, b, to] = [`ren-a-${round}`, `ren-b-${round}`, `ren-to-${round}`];
					await store.ensureSegments([a, b], T0);
					const results = await together([() => store.renameSegment(a, to), () => store.renameSegment(b, to)]);
					onlyRejectedWith(results, (e) => e instanceof InputError && e.field === 'newName' && /already exists/.test(e.message));
					assert.deepEqual(
						fulfilled(results).map((s) => s.name),
						[to],
						`round ${round}`,
					);
				}
			});

			it('rename: an unknown segment is a NotFoundError, an existing name an InputError; a segment keeps its name', async () => {
				await store.ensureSegments(['keep-1', 'keep-2'], T0);
				await assert.rejects(store.renameSegment('no-such', 'x'), (e: unknown) => e instanceof NotFoundError && e.field === 'segment');
				await assert.rejects(store.renameSegment('keep-1', 'keep-2'), (e: unknown) => e instanceof InputError && e.field === 'newName');
				assert.equal((await store.renameSegment('keep-1', 'keep-1')).name, 'keep-1');
				assert.deepEqual(
					(await store.listSegments('keep-')).map((s) => s.name),
					['keep-1', 'keep-2'],
				);
			});
		});

		describe('the guard keeps both answers', () => {
			const once: GuardPolicy = { kind: 'once' };
			const enter = (customerId: string, key: string, policy: GuardPolicy, now = T0) =>
				store.guardEnter([{ activity: 'sg', customerId, key, policy }], now).then(([o]) => o);

			it('a retried skip gets Skip back, also after a Reset; counters count entries only', async () => {
				assert.equal((await enter('s1', 'e1', once)).entered, true);
				const skipped = await enter('s1', 'e2', once, T0 + 1);
				assert.deepEqual([skipped.entered, skipped.replay, skipped.entries], [false, false, 1]);
				const retry = await enter('s1', 'e2', once, T0 + 2);
				assert.deepEqual([retry.entered, retry.replay, retry.entries, retry.lastAt], [false, true, 1, T0]);

				await store.guardReset('sg', 's1');
				const afterReset = await enter('s1', 'e2', once, T0 + 3);
				assert.deepEqual([afterReset.entered, afterReset.replay, afterReset.entries], [false, true, 0]);
				const fresh = await enter('s1', 'e3', once, T0 + 4);
				assert.deepEqual([fresh.entered, fresh.replay, fresh.entries, fresh.firstAt], [true, false, 1, T0 + 4]);
				assert.deepEqual([(await enter('s1', 'e1', once, T0 + 5)).entered, (await enter('s1', 'e1', once, T0 + 5)).replay], [true, true]);

				const history = await store.guardHistory({ activity: 'sg', customerId: 's1', limit: 10 });
				assert.deepEqual(
					history.map((h) => [h.key, h.enteredAt]),
					[
						['e3', T0 + 4],
						['e1', T0],
					],
					'history lists entries, not skips',
				);
			});

			it('a retried "too soon" stays a Skip after the period has passed, and a retried limit stays a Skip', async () => {
				const period: GuardPolicy = { kind: 'perPeriod', periodMs: DAY };
				assert.equal((await enter('s2', 'p1', period)).entered, true);
				assert.equal((await enter('s2', 'p2', period, T0 + 1)).entered, false);
				const retry = await enter('s2', 'p2', period, T0 + 2 * DAY);
				assert.deepEqual([retry.entered, retry.replay, retry.entries], [false, true, 1]);
				assert.equal((await enter('s2', 'p3', period, T0 + 2 * DAY)).entered, true);

				const atMost: GuardPolicy = { kind: 'atMost', times: 1 };
				await enter('s3', 'm1', atMost);
				await enter('s3', 'm2', atMost);
				const retried = await enter('s3', 'm2', { kind: 'atMost', times: 5 });
				assert.deepEqual([retried.entered, retried.replay, retried.entries], [false, true, 1]);
			});

			it('100 parallel attempts of one skipped key: one decision, every attempt told Skip', async () => {
				await enter('s4', 'first', once);
				const results = await Promise.all(Array.from({ length: 100 }, () => enter('s4', 'late', once)));
				assert.ok(results.every((r) => !r.entered && r.entries === 1));
				assert.equal(results.filter((r) => !r.replay).length, 1);
			});

			it('forgetting a customer removes their skips too', async () => {
				await enter('forget-skip', 'f1', once);
				await enter('forget-skip', 'f2', once);
				await store.forgetCustomer('forget-skip');
				assert.ok(!JSON.stringify(await factory.dump(store)).includes('forget-skip'));
				assert.equal((await enter('forget-skip', 'f2', once)).entered, true, 'a forgotten customer starts over');
			});
		});

		describe('upgrade from schema version 1', () => {
			it('keeps guard entries and counters: old entries replay as Enter and still count', async () => {
				const old = await factory.createAt(1, [
					`INSERT INTO guard_counters (activity, customer_id, entries, first_at, last_at) VALUES ('up', 'u1', 2, ${T0}, ${T0 + 10})`,
					`INSERT INTO guard_entries (activity, customer_id, entry_key, entered_at) VALUES ('up', 'u1', 'k1', ${T0}), ('up', 'u1', 'k2', ${T0 + 10})`,
					`INSERT INTO segments (name, created_at) VALUES ('kept', ${T0})`,
				]);
				try {
					assert.equal(await old.schemaVersion(), SCHEMA_VERSION);
					assert.deepEqual(
						(await old.guardHistory({ activity: 'up', limit: 10 })).map((h) => [h.key, h.enteredAt]),
						[
							['k2', T0 + 10],
							['k1', T0],
						],
					);
					const retry = await old.guardEnter([{ activity: 'up', customerId: 'u1', key: 'k1', policy: { kind: 'atMost', times: 2 } }], T0 + 20);
					assert.deepEqual(
						retry.map((o) => [o.entered, o.replay, o.entries, o.firstAt, o.lastAt]),
						[[true, true, 2, T0, T0 + 10]],
					);
					const next = await old.guardEnter([{ activity: 'up', customerId: 'u1', key: 'k3', policy: { kind: 'atMost', times: 2 } }], T0 + 30);
					assert.deepEqual(
						next.map((o) => [o.entered, o.replay, o.entries]),
						[[false, false, 2]],
					);
					assert.deepEqual(
						(await old.listSegments('kept')).map((s) => [s.name, s.createdAt]),
						[['kept', T0]],
					);
				} finally {
					await old.close();
				}
			});
		});
	});
}
