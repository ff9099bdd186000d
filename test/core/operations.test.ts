/**
 * The domain operations over a real (SQLite) store: decisions, explanations, and that bad input is
 * a typed error naming the field with nothing written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ManualClock } from '../../core/clock';
import { describeClaim, generateCodes, importCodes, parseDiscount, prepareAssign, UNAMBIGUOUS_ALPHABET } from '../../core/coupons';
import { InputError, NotFoundError } from '../../core/errors';
import { parsePolicy, prepareGuard, runGuard } from '../../core/guard';
import { checkPurchases, preparePurchaseCheck } from '../../core/purchases';
import { prepareAdd } from '../../core/segments';
import type { Store } from '../../core/store';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
import { orderEvent } from '../store/contract';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const isInputError = (field: string) => (e: unknown) => e instanceof InputError && e.field === field;

describe('domain operations', () => {
	const dir = mkdtempSync(join(tmpdir(), 'dialogue-ops-'));
	let store: Store;
	const clock = new ManualClock(T0);
	beforeAll(() => {
		store = new SqlStore(new SqliteDriver(join(dir, 'ops.sqlite')));
	});
	afterAll(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	describe('purchase check', () => {
		beforeAll(async () => {
			await store.recordEvents(
				[
					orderEvent('pc-1', T0 - 40 * DAY, '600.00', { categories: ['Boys'], coupons: ['WELCOME10'] }),
					orderEvent('pc-1', T0 - 2 * DAY, '400.01', { categories: ['Shoes'], promotions: ['Online furniture clearance'] }),
				],
				T0,
			);
		});

		const check = (conditions: unknown[], window: Parameters<typeof preparePurchaseCheck>[0]['window'] = { kind: 'all' }, combine: 'all' | 'any' = 'all') =>
			checkPurchases(store, clock, [{ customerId: 'pc-1', window, conditions, combine }]).then(([v]) => v);

		it('amount spent is compared exactly: more than 1000 passes at 1000.01', async () => {
			const verdict = await check([{ kind: 'amountSpent', compare: 'gt', amount: '1000', currency: 'EUR' }]);
			assert.equal(verdict.pass, true);
			assert.deepEqual(verdict.purchases.amounts, { EUR: '1000.01' });
			assert.equal(verdict.purchases.count, 2);
			assert.equal(verdict.purchases.averages.EUR, '500.00');
			const strict = await check([{ kind: 'amountSpent', compare: 'gt', amount: '1000.01', currency: 'EUR' }]);
			assert.equal(strict.pass, false);
		});

		it('windows limit what counts', async () => {
			const recent = await check([{ kind: 'orderCount', compare: 'eq', value: 1 }], { kind: 'last', amount: 30, unit: 'days' });
			assert.equal(recent.pass, true);
			assert.deepEqual(recent.purchases.categories, ['Shoes']);
			const since = await check([{ kind: 'orderCount', compare: 'gte', value: 1 }], { kind: 'since', from: new Date(T0 - DAY).toISOString() });
			assert.equal(since.pass, false, 'nothing ordered since yesterday');
		});

		it('categories, coupons and promotions match case-insensitively; all vs any', async () => {
			const v = await check([{ kind: 'boughtCategories', values: 'boys, Girls' }]);
			assert.equal(v.pass, true);
			assert.deepEqual(v.purchases.conditions[0].matched, ['Boys']);
			assert.equal((await check([{ kind: 'usedCoupons', values: ['welcome10'] }])).pass, true);
			const twins = await check([{ kind: 'usedCoupons', values: ['ＷＥＬＣＯＭＥ10', 'welcome\u200b10'] }]);
			assert.deepEqual([twins.pass, twins.purchases.conditions[0].matched], [true, ['WELCOME10']], 'full-width and zero-width twins are the same code');
			assert.equal((await check([{ kind: 'usedPromotions', values: ['online furniture clearance'] }])).pass, true);
			const mixed = [
				{ kind: 'boughtCategories', values: ['Girls'] },
				{ kind: 'orderCount', compare: 'gte', value: 2 },
			];
			assert.equal((await check(mixed, { kind: 'all' }, 'all')).pass, false);
			assert.equal((await check(mixed, { kind: 'all' }, 'any')).pass, true);
		});

		it('bad input names the field', () => {
			const base = { customerId: 'x', window: { kind: 'all' } as const, combine: 'all' as const };
			assert.throws(() => preparePurchaseCheck({ ...base, customerId: '', conditions: [{ kind: 'orderCount', value: 1 }] }, T0), isInputError('customerId'));
			assert.throws(() => preparePurchaseCheck({ ...base, conditions: [] }, T0), isInputError('conditions'));
			assert.throws(() => preparePurchaseCheck({ ...base, conditions: [{ kind: 'orderCount', value: -1 }] }, T0), isInputError('conditions[0].value'));
			assert.throws(
				() => preparePurchaseCheck({ ...base, conditions: [{ kind: 'amountSpent', amount: '10', currency: 'euros' }] }, T0),
				isInputError('conditions[0].currency'),
			);
			assert.throws(() => preparePurchaseCheck({ ...base, conditions: [{ kind: 'boughtSkus', values: '' }] }, T0), isInputError('conditions[0].values'));
			assert.throws(
				() => preparePurchaseCheck({ ...base, window: { kind: 'since', from: 'yesterday-ish' }, conditions: [{ kind: 'orderCount', value: 1 }] }, T0),
				isInputError('window.from'),
			);
			assert.throws(
				() => preparePurchaseCheck({ ...base, window: { kind: 'last', amount: -3, unit: 'days' }, conditions: [{ kind: 'orderCount', value: 1 }] }, T0),
				isInputError('window.amount'),
			);
		});
	});

	describe('guard', () => {
		it('explains each decision', async () => {
			const request = (key: string) => prepareGuard({ activity: 'welcome', customerId: 'g-1', key, policy: 'atMost', times: 2 });
			const results = await runGuard(store, [request('a'), request('b'), request('c'), request('a')], T0);
			assert.deepEqual(
				results.map((r) => [r.entered, r.reason, r.entries]),
				[
					[true, 'first entry', 1],
					[true, 'within limit', 2],
					[false, 'limit reached', 2],
					[true, 'retry of an earlier entry', 2],
				],
			);
			assert.equal(results[2].firstEntryAt, new Date(T0).toISOString());
		});

		it('validates policies', () => {
			assert.deepEqual(parsePolicy({ policy: 'perPeriod', periodAmount: 2, periodUnit: 'hours' }), { kind: 'perPeriod', periodMs: 7_200_000 });
			assert.throws(() => parsePolicy({ policy: 'atMost', times: 0 }), isInputError('times'));
			assert.throws(() => parsePolicy({ policy: 'atMost', times: -3 }), isInputError('times'));
			assert.throws(() => parsePolicy({ policy: 'perPeriod', periodAmount: 1, periodUnit: 'fortnights' }), isInputError('periodUnit'));
			assert.throws(() => parsePolicy({ policy: 'sometimes' }), isInputError('policy'));
			assert.throws(() => prepareGuard({ activity: 'a', customerId: ' ', key: 'k', policy: 'once' }), isInputError('customerId'));
			assert.throws(() => prepareGuard({ activity: '', customerId: 'c', key: 'k', policy: 'once' }), isInputError('activity'));
			assert.throws(() => prepareGuard({ activity: 'a', customerId: 'c', key: undefined, policy: 'once' }), isInputError('entryKey'));
		});
	});

	describe('coupons', () => {
		it('generates unique codes from the unambiguous alphabet', async () => {
			const result = await generateCodes(store, T0, { pool: 'gen', count: 500, prefix: 'bday-', length: 6, discount: parseDiscount({ kind: 'percent', value: 10 }) });
			assert.equal(result.added, 500);
			assert.equal(new Set(result.codes).size, 500);
			const pattern = new RegExp(`^bday-[${UNAMBIGUOUS_ALPHABET}]{6}$`);
			assert.ok(result.codes.every((c) => pattern.test(c)));
			assert.equal((await store.poolStatus('gen', T0)).free, 500);
			const [claim] = await store.claimCodes('gen', [prepareAssign({ customerId: 'c', key: 'e', mode: 'perCustomer', expiry: { kind: 'never' } }, T0)], T0);
			assert.deepEqual(describeClaim(claim).discount, { discountKind: 'percent', discountValue: '10', currency: undefined, minimumOrder: undefined });
		});

		it('imports codes as given, counting duplicates by their key', async () => {
			const result = await importCodes(store, T0, { pool: 'imp', codes: 'abc1\nABC1, abc2\n\nabc3', createPool: true });
			assert.deepEqual([result.added, result.skipped], [3, 1]);
			const again = await importCodes(store, T0, { pool: 'imp', codes: ['ABC3', 'abc4', 'Straße1'], createPool: false });
			assert.deepEqual([again.added, again.skipped, again.skippedCodes], [2, 1, ['ABC3']]);
			const [claim] = await store.claimCodes('imp', [{ customerId: 'i', key: 'i' }], T0);
			assert.ok(claim.assigned && claim.code === 'abc1', 'the first spelling is kept');
			assert.deepEqual((await store.redeemCodes([{ code: 'STRAẞE1', pool: 'imp' }], T0)).map((r) => [r.code, r.found]), [['Straße1', true]]);
		});

		it('one code per customer, or a new code per key; expiry after assignment', async () => {
			await importCodes(store, T0, { pool: 'assign', codes: ['A1', 'A2', 'A3'], createPool: true });
			const per = (key: string) => prepareAssign({ customerId: 'same', key, mode: 'perCustomer', expiry: { kind: 'after', amount: 14, unit: 'days' } }, T0);
			const each = (key: string) => prepareAssign({ customerId: 'same', key, mode: 'each', expiry: { kind: 'never' } }, T0);
			const [a, b] = await store.claimCodes('assign', [per('e1'), per('e2')], T0);
			assert.ok(a.assigned && b.assigned && a.code === b.code, 'the customer is the key');
			assert.equal(describeClaim(a).expiresAt, new Date(T0 + 14 * DAY).toISOString());
			const [c, d] = await store.claimCodes('assign', [each('e1'), each('e2')], T0);
			assert.ok(c.assigned && d.assigned && c.code !== d.code && c.code !== a.code);
			assert.equal(describeClaim(a, T0 + 13 * DAY).expired, false);
			const [later] = await store.claimCodes('assign', [per('e9')], T0 + 15 * DAY);
			assert.equal(describeClaim(later, T0 + 15 * DAY).expired, true, 'one code per customer: the old code comes back, flagged expired');
		});

		it('never hands out a code that was already redeemed, and searches names literally', async () => {
			await importCodes(store, T0, { pool: 'used_up', codes: ['U1', 'U2'], createPool: true });
			await store.redeemCodes([{ code: 'U1' }], T0);
			const [claim] = await store.claimCodes('used_up', [{ customerId: 'u', key: 'u' }], T0);
			assert.ok(claim.assigned && claim.code === 'U2');
			assert.deepEqual((await store.listPools('used_')).map((p) => p.name), ['used_up']);
			assert.deepEqual((await store.listPools('used%')).map((p) => p.name), []);
		});

		it('bad input: typed errors naming the field, nothing written', async () => {
			await assert.rejects(generateCodes(store, T0, { pool: 'bad', count: -1 }), isInputError('count'));
			await assert.rejects(generateCodes(store, T0, { pool: 'bad', count: 10, length: 2 }), isInputError('length'));
			await assert.rejects(generateCodes(store, T0, { pool: 'bad', count: 10, validUntil: '31/12/2026' }), isInputError('validUntil'));
			await assert.rejects(importCodes(store, T0, { pool: 'bad', codes: 'has space', createPool: true }), isInputError('codes[0]'));
			await assert.rejects(importCodes(store, T0, { pool: 'bad', codes: '', createPool: true }), isInputError('codes'));
			await assert.rejects(importCodes(store, T0, { pool: 'never-made', codes: 'X1', createPool: false }), NotFoundError);
			assert.equal((await store.listPools('bad')).length, 0, 'no pool was created by failed calls');
			assert.equal((await store.listPools('never-made')).length, 0);
			assert.throws(() => parseDiscount({ kind: 'percent', value: 150 }), isInputError('discountValue'));
			assert.throws(() => parseDiscount({ kind: 'fixed', value: 5 }), isInputError('currency'));
			assert.throws(() => parseDiscount({ kind: 'fixed', value: -5, currency: 'EUR' }), isInputError('discountValue'));
			assert.throws(() => parseDiscount({ kind: 'percent', value: 10, minimumOrder: '-1' }), isInputError('minimumOrder'));
			assert.throws(() => prepareAssign({ customerId: 'c', key: 'k', mode: 'each', expiry: { kind: 'at', at: new Date(T0 - 1).toISOString() } }, T0), isInputError('expiresAt'));
			assert.throws(() => prepareAssign({ customerId: 'c', key: '', mode: 'each', expiry: { kind: 'never' } }, T0), isInputError('assignmentKey'));
			assert.throws(() => prepareAssign({ customerId: 'c', key: 'k', mode: 'each', expiry: { kind: 'at', at: 'soon' } }, T0), isInputError('expiresAt'));
			assert.throws(
				() => prepareAssign({ customerId: 'c', key: 'k', mode: 'each', expiry: { kind: 'after', amount: -1, unit: 'days' } }, T0),
				isInputError('expiresAfter'),
			);
		});
	});

	describe('segments', () => {
		it('prepares memberships: forever, until an instant, for a calendar duration', () => {
			assert.deepEqual(prepareAdd('c', { kind: 'forever' }, T0), { customerId: 'c' });
			assert.deepEqual(prepareAdd('c', { kind: 'until', until: '2026-07-01T00:00:00Z' }, T0), { customerId: 'c', until: Date.parse('2026-07-01T00:00:00Z') });
			assert.deepEqual(prepareAdd('c', { kind: 'for', amount: 1, unit: 'months' }, T0), { customerId: 'c', until: Date.parse('2026-07-01T12:00:00Z') });
			assert.throws(() => prepareAdd('', { kind: 'forever' }, T0), isInputError('customerId'));
			assert.throws(() => prepareAdd('c', { kind: 'until', until: 'next week' }, T0), isInputError('until'));
			assert.throws(() => prepareAdd('c', { kind: 'for', amount: -2, unit: 'days' }, T0), isInputError('duration'));
			assert.throws(() => prepareAdd('c', { kind: 'for', amount: 2, unit: 'aeons' }, T0), isInputError('durationUnit'));
		});
	});
});
