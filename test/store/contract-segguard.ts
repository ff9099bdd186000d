/**
 * Store contract for segments and the repeatability guard under concurrency and retries, run
 * against every dialect (sqlite.test.ts, postgres.test.ts). On PostgreSQL, parallel calls on one
 * store run in parallel transactions (a pool of 20); on SQLite they queue up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InputError, NotFoundError } from '../../core/errors';
import type { Store } from '../../core/store';
import type { StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');
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
		before(async () => {
			store = await factory.create();
		});
		after(async () => {
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
	});
}
