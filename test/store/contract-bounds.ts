/**
 * Input the store cannot hold, run against every dialect (sqlite.test.ts, postgres.test.ts): the
 * store is driven through the core entry points, as the nodes drive it. A NUL character, an
 * unpaired surrogate or an oversized value is refused before the store with the same InputError
 * on every dialect, and nothing is written; values at the bounds (core/limits.ts) are stored and
 * read back whole on every dialect, PostgreSQL's index row limit included.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { customerIdOf } from '../../core/check';
import { importCodes, normalizeCode, poolName, prepareAssign } from '../../core/coupons';
import { InputError } from '../../core/errors';
import { prepareGuard, runGuard } from '../../core/guard';
import { eventsFromItems } from '../../core/ledger';
import { MAX_CODE_LENGTH, MAX_ID_LENGTH, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from '../../core/limits';
import { checkPurchases } from '../../core/purchases';
import { prepareAdd, segmentName } from '../../core/segments';
import type { Store } from '../../core/store';
import { receiveDelivery, triggerSettings, type TriggerOutcome } from '../../core/trigger';
import { ManualClock } from '../../core/clock';
import type { StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const MEGABYTE = 'x'.repeat(1_000_000);

/**
 * `length` CJK ideographs and Hangul syllables (3 bytes of UTF-8 each, no case, no spaces) in no
 * pattern PostgreSQL can compress: the widest key a bound allows.
 */
function wide(length: number, seed: number): string {
	let state = seed;
	let out = '';
	for (let i = 0; i < length; i++) {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		const pick = (state >>> 8) % 32164;
		out += String.fromCharCode(pick < 20992 ? 0x4e00 + pick : 0xac00 + pick - 20992);
	}
	return out;
}

function refusal(field: string, pattern: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
		assert.equal(error.field, field);
		assert.match(error.message, pattern);
		assert.ok(error.message.length < 200, `a short message, not ${error.message.length} characters`);
		assert.ok((error.hint ?? '').length > 0, 'says what to send instead');
		return true;
	};
}

const NUL = /contains a NUL character/;
const SURROGATE = /unpaired UTF-16 surrogate/;
const tooLong = (max: number) => new RegExp(`is \\d+ characters long; at most ${max} are allowed`);

export function boundsContract(factory: StoreFactory): void {
	describe(`input bounds: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		const deliver = async (body: Record<string, unknown>): Promise<TriggerOutcome> =>
			await receiveDelivery(
				{ headers: {}, rawBody: JSON.stringify(body), now: T0 },
				triggerSettings({ events: ['order.placed'], acceptUnsigned: true }),
				async (event) => (await store.recordEvents([event], T0))[0],
			);
		const order = (customer: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
			id: 'evt-1',
			type: 'order.placed',
			occurredAt: '2026-03-01T09:00:00Z',
			customer: { id: 'c-1', ...customer },
			order: { id: 'o-1', total: '10.00', currency: 'EUR', lines: [{ productId: 'p-1', quantity: 1, price: '10.00' }], ...extra },
		});

		it('refuses NUL, unpaired surrogates and oversized values before the store, the same on every dialect, writing nothing', async () => {
			await store.knownCustomers(['nobody']); // opens and migrates the store
			const empty = await factory.dump(store);
			const invalid = async (body: Record<string, unknown>, field: string, pattern: RegExp) => {
				const outcome = await deliver(body);
				assert.equal(outcome.kind, 'respond');
				assert.equal(outcome.body.status, 'invalid', field);
				assert.equal(outcome.body.field, field);
				assert.match(outcome.body.message ?? '', pattern);
				assert.ok((outcome.body.message ?? '').length < 200, 'a short message');
			};
			await invalid(order({ id: 'c\u00001' }), 'customer.id', NUL);
			await invalid(order({ id: 'c\uD800' }), 'customer.id', SURROGATE);
			await invalid(order({ id: MEGABYTE }), 'customer.id', tooLong(MAX_ID_LENGTH));
			await invalid(order({ email: 'a\u0000@example.com' }), 'customer.email', NUL);
			await invalid(order({ firstName: MEGABYTE }), 'customer.firstName', tooLong(1024));
			await invalid(order({}, { id: 'o\u0000' }), 'order.id', NUL);
			await invalid(order({}, { couponCodes: ['TEN\u0000'] }), 'order.couponCodes[0]', NUL);
			await invalid(order({}, { lines: [{ productId: 'p', categories: [MEGABYTE], quantity: 1, price: '1' }] }), 'order.lines[0].categories[0]', tooLong(MAX_LABEL_LENGTH));

			const ledger = eventsFromItems('canonical', [{ itemIndex: 0, json: order({ id: 'c\u0000' }) }], T0);
			assert.equal(ledger.entries.length, 0);
			refusal('customer.id', NUL)(ledger.failures[0].error);

			assert.throws(() => segmentName('VIP\u0000'), refusal('segment', NUL));
			assert.throws(() => segmentName(MEGABYTE), refusal('segment', tooLong(MAX_NAME_LENGTH)));
			assert.throws(() => prepareAdd('c\u0000', { kind: 'forever' }, T0), refusal('customerId', NUL));
			assert.throws(() => prepareAdd(MEGABYTE, { kind: 'forever' }, T0), refusal('customerId', tooLong(MAX_ID_LENGTH)));
			assert.throws(() => customerIdOf('c\uDC00'), refusal('customerId', SURROGATE));

			assert.throws(() => poolName('pool\u0000'), refusal('pool', NUL));
			assert.throws(() => poolName(MEGABYTE), refusal('pool', tooLong(MAX_NAME_LENGTH)));
			assert.throws(() => normalizeCode(MEGABYTE), refusal('code', tooLong(MAX_CODE_LENGTH)));
			await assert.rejects(importCodes(store, T0, { pool: 'p', codes: ['GOOD1', 'BAD\u00002'], createPool: true }), refusal('codes[1]', NUL));
			await assert.rejects(importCodes(store, T0, { pool: 'p', codes: [MEGABYTE], createPool: true }), refusal('codes[0]', tooLong(MAX_CODE_LENGTH)));
			await assert.rejects(importCodes(store, T0, { pool: MEGABYTE, codes: ['GOOD1'], createPool: true }), refusal('pool', tooLong(MAX_NAME_LENGTH)));
			assert.throws(() => prepareAssign({ customerId: 'c', key: 'k\u0000', mode: 'each', expiry: { kind: 'never' } }, T0), refusal('assignmentKey', NUL));

			const guard = { activity: 'welcome', customerId: 'c', key: 'k', policy: 'once' };
			assert.throws(() => prepareGuard({ ...guard, activity: 'w\u0000' }), refusal('activity', NUL));
			assert.throws(() => prepareGuard({ ...guard, activity: MEGABYTE }), refusal('activity', tooLong(MAX_NAME_LENGTH)));
			assert.throws(() => prepareGuard({ ...guard, key: MEGABYTE }), refusal('entryKey', tooLong(MAX_ID_LENGTH)));

			const check = { customerId: 'c', window: { kind: 'all' as const }, combine: 'all' as const };
			await assert.rejects(
				checkPurchases(store, new ManualClock(T0), [{ ...check, conditions: [{ kind: 'boughtCategories', values: 'Boys, Sh\u0000oes' }] }]),
				refusal('conditions[0].values[1]', NUL),
			);
			await assert.rejects(
				checkPurchases(store, new ManualClock(T0), [{ ...check, customerId: 'c\u0000', conditions: [{ kind: 'orderCount', value: 1 }] }]),
				refusal('customerId', NUL),
			);

			assert.deepEqual(await factory.dump(store), empty, 'nothing was written');
		});

		it('free text loses its NUL characters and keeps the rest, the same on every dialect', async () => {
			const outcome = await deliver({ ...order({ id: 'c-text', firstName: 'Ja\u0000ne', lastName: 'D\uD800oe' }), id: 'evt-text' });
			assert.equal(outcome.kind, 'start');
			const customer = await store.getCustomer('c-text');
			assert.equal(customer?.firstName, 'Jane');
			assert.equal(customer?.lastName, 'D\uFFFDoe');
		});

		it('values at the bounds are stored and read back whole', async () => {
			const customerId = wide(MAX_ID_LENGTH, 1);
			const eventId = wide(MAX_ID_LENGTH, 2);
			const orderId = wide(MAX_ID_LENGTH, 3);
			const category = wide(MAX_LABEL_LENGTH, 4);
			const code = wide(MAX_LABEL_LENGTH, 5);
			const outcome = await deliver({ ...order({ id: customerId }, { id: orderId, couponCodes: [code], lines: [{ productId: wide(MAX_ID_LENGTH, 6), categories: [category], quantity: 1, price: '10.00' }] }), id: eventId });
			assert.equal(outcome.kind, 'start');
			assert.deepEqual(await store.claimOccasions([{ consumer: `trigger:${wide(40, 7)}`, kind: 'trigger.start', customerId, occurrence: eventId }], T0), [true]);
			const [purchases] = await checkPurchases(store, new ManualClock(T0), [
				{ customerId, window: { kind: 'all' as const }, combine: 'all' as const, conditions: [{ kind: 'boughtCategories', values: [category] }, { kind: 'usedCoupons', values: [code] }] },
			]);
			assert.equal(purchases.pass, true);

			const segment = segmentName(wide(MAX_NAME_LENGTH, 8));
			await store.ensureSegments([segment], T0);
			await store.segmentAdd(segment, [prepareAdd(customerId, { kind: 'forever' }, T0)], T0);
			assert.deepEqual((await store.segmentMembers(segment, T0, 10, 0)).map((m) => m.customerId), [customerId]);

			const pool = wide(MAX_NAME_LENGTH, 9);
			const couponCode = wide(MAX_CODE_LENGTH, 10);
			assert.equal((await importCodes(store, T0, { pool, codes: [couponCode], createPool: true })).added, 1);
			const [claim] = await store.claimCodes(pool, [prepareAssign({ customerId, key: wide(MAX_ID_LENGTH, 11), mode: 'each', expiry: { kind: 'never' } }, T0)], T0);
			assert.equal(claim.assigned && claim.code, couponCode);

			const entry = prepareGuard({ activity: wide(MAX_NAME_LENGTH, 12), customerId, key: wide(MAX_ID_LENGTH, 13), policy: 'once' });
			const [guard] = await runGuard(store, [entry], T0);
			assert.equal(guard.entered, true);
			assert.equal(guard.activity, entry.activity);
		});
	});
}
