/**
 * Erasure contract, run on every dialect: a forget keeps a suppression record that names nobody,
 * events about the forgotten person that occurred before it are not recorded again, and a forget by
 * email erases every id with that address.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { InputError } from '../../core/errors';
import type { CanonicalEvent } from '../../core/event';
import type { Store } from '../../core/store';
import { createAtVersion, orderEvent, registerEvent, type StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const HOUR = 3_600_000;

function guestOrder(email: string, at: number, orderId: string): CanonicalEvent {
	return { ...orderEvent(`email:${email}`, at, '9.00', { orderId }), customer: { id: `email:${email}`, email } };
}

export function erasureContract(factory: StoreFactory): void {
	describe(`erasure contract: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		it('a redelivery of an event older than the forget is suppressed, and writes nothing', async () => {
			const id = 'sup-anna';
			const register = registerEvent(id, T0, { email: 'Anna.Sup@Example.com' });
			const order = orderEvent(id, T0 + HOUR, '20.00', { orderId: 'sup-o1' });
			await store.recordEvents([register, order], T0 + HOUR);
			await store.forgetCustomer(id, T0 + 2 * HOUR);
			const outcomes = await store.recordEvents([register, order], T0 + 3 * HOUR);
			assert.deepEqual(
				outcomes.map((o) => [o.recorded, o.suppressed]),
				[
					[false, true],
					[false, true],
				],
			);
			assert.equal(await store.getCustomer(id), undefined);
			const dump = JSON.stringify(await factory.dump(store));
			assert.ok(!dump.includes(id) && !dump.toLowerCase().includes('anna.sup@example.com'), 'no row names the customer, the suppression neither');
		});

		it('the forgotten email is suppressed under any case and as a guest id; events after the forget start fresh', async () => {
			const id = 'sup-bert';
			await store.recordEvents([registerEvent(id, T0, { email: 'bert.sup@example.com' })], T0);
			await store.forgetCustomer(id, T0 + 2 * HOUR);
			const [guest, otherId, later] = await store.recordEvents(
				[
					guestOrder('Bert.Sup@Example.COM', T0 + HOUR, 'sup-g1'),
					registerEvent('sup-bert-shop2', T0 + HOUR, { email: 'BERT.SUP@example.com' }),
					{ ...registerEvent(id, T0 + 3 * HOUR, { email: 'bert.sup@example.com' }), id: 'test:register:sup-bert:again' },
				],
				T0 + 4 * HOUR,
			);
			assert.equal(guest.suppressed, true, 'a guest order under the email');
			assert.equal(otherId.suppressed, true, 'another id with the email, older than the forget');
			assert.equal(later.recorded, true, 'a registration after the forget is recorded');
			assert.equal(later.suppressed, undefined);
			assert.equal(later.newCustomer, true, 'as a new customer');
			assert.equal((await store.getCustomer(id))?.email, 'bert.sup@example.com');
		});

		it('events about other customers are recorded as before, and a duplicate stays a duplicate', async () => {
			await store.forgetCustomer('sup-carl', T0 + 2 * HOUR);
			const event = registerEvent('sup-dora', T0);
			assert.equal((await store.recordEvents([event], T0))[0].recorded, true);
			const [again] = await store.recordEvents([event], T0);
			assert.equal(again.recorded, false);
			assert.equal(again.suppressed, undefined);
		});

		it('forgetting by email erases every id with that address in one call and reports them', async () => {
			await store.recordEvents(
				[
					registerEvent('shop1:eve', T0, { email: 'eve.sup@example.com' }),
					registerEvent('shop2:eve', T0, { email: 'Eve.Sup@Example.com' }),
					guestOrder('eve.sup@example.com', T0, 'sup-g2'),
					registerEvent('shop1:keep', T0, { email: 'keep.sup@example.com' }),
				],
				T0,
			);
			const report = await store.forgetCustomer({ email: 'EVE.SUP@example.com' }, T0 + HOUR);
			assert.deepEqual([...report.customerIds].sort(), ['email:eve.sup@example.com', 'shop1:eve', 'shop2:eve']);
			assert.equal(report.removed.customers, 3);
			const dump = JSON.stringify(await factory.dump(store)).toLowerCase();
			assert.ok(!dump.includes('eve.sup@example.com') && !dump.includes(':eve'));
			assert.ok((await store.getCustomer('shop1:keep')) !== undefined, 'other customers stay');
		});

		it('forgetting an id with sameEmail erases the other ids with its email too', async () => {
			await store.recordEvents(
				[registerEvent('shop1:fay', T0, { email: 'fay.sup@example.com' }), registerEvent('shop2:fay', T0, { email: 'fay.sup@example.com' })],
				T0,
			);
			const only = await store.forgetCustomer({ customerId: 'shop1:fay' }, T0 + HOUR);
			assert.deepEqual(only.customerIds, ['shop1:fay']);
			assert.ok((await store.getCustomer('shop2:fay')) !== undefined, 'without sameEmail the other id stays');
			await store.recordEvents([registerEvent('shop1:fay2', T0 + 2 * HOUR, { email: 'fay.sup@example.com' })], T0 + 2 * HOUR);
			const all = await store.forgetCustomer({ customerId: 'shop1:fay2', sameEmail: true }, T0 + 3 * HOUR);
			assert.deepEqual([...all.customerIds].sort(), ['shop1:fay2', 'shop2:fay']);
		});

		it('forgetting several customers in one call: one report each, in order, every one suppressed', async () => {
			await store.recordEvents(
				[registerEvent('batch:gil', T0, { email: 'gil.sup@example.com' }), guestOrder('gil.sup@example.com', T0, 'sup-g3'), registerEvent('batch:hal', T0)],
				T0,
			);
			const reports = await store.forgetCustomers([{ customerId: 'batch:gil', guests: true }, { customerId: 'batch:hal' }, { customerId: 'batch:nobody' }], T0 + HOUR);
			assert.deepEqual(
				reports.map((r) => [r.customerId, [...r.customerIds].sort(), r.removed.customers]),
				[
					['batch:gil', ['batch:gil', 'email:gil.sup@example.com'], 2],
					['batch:hal', ['batch:hal'], 1],
					['batch:nobody', [], 0],
				],
			);
			const again = await store.recordEvents([registerEvent('batch:gil', T0), registerEvent('batch:hal', T0)], T0 + 2 * HOUR);
			assert.deepEqual(again.map((o) => o.suppressed), [true, true]);
			assert.deepEqual(await store.forgetCustomers([], T0), []);
		});

		it('a batch with a request that names nobody erases nothing, not even the valid requests', async () => {
			await store.recordEvents([registerEvent('batch:ida', T0)], T0);
			await assert.rejects(store.forgetCustomers([{ customerId: 'batch:ida' }, { customerId: ' ' }], T0 + HOUR), (e: unknown) => e instanceof InputError && e.field === 'customerId');
			assert.equal((await store.getCustomer('batch:ida'))?.id, 'batch:ida');
			assert.equal((await store.recordEvents([registerEvent('batch:ida', T0)], T0 + 2 * HOUR))[0].suppressed, undefined, 'no suppression was kept');
		});

		it('a forget racing recordings of older events leaves no row that names the customer', async () => {
			const ids = Array.from({ length: 8 }, (_, i) => `sup-race-${i}`);
			await Promise.all(
				ids.map(async (id) => {
					const events = Array.from({ length: 4 }, (_, n) => ({ ...registerEvent(id, T0), id: `race:${id}:${n}` }));
					await Promise.all([
						...events.map((event) => store.recordEvents([event], T0)),
						store.forgetCustomer(id, T0 + HOUR),
						...events.map((event) => store.recordEvents([{ ...event, id: `${event.id}:late` }], T0)),
					]);
				}),
			);
			const dump = JSON.stringify(await factory.dump(store));
			for (const id of ids) assert.ok(!dump.includes(id), `${id} was recorded after its forget`);
		});

		it('a store at schema version 1 is upgraded with its data kept, and then suppresses', async () => {
			const old = await createAtVersion(factory, 1, {
				customers: [{ id: 'v1-gus', email: 'gus@example.com', first_name: 'Gus', first_seen_at: T0, updated_at: T0 }],
				events: [{ id: 'v1-e1', type: 'customer.registered', source: 'generic', customer_id: 'v1-gus', occurred_at: T0, recorded_at: T0, payload: '{}' }],
			});
			try {
				assert.equal((await old.getCustomer('v1-gus'))?.firstName, 'Gus');
				assert.equal((await old.recordEvents([{ ...registerEvent('v1-gus', T0), id: 'v1-e1' }], T0))[0].recorded, false, 'the old event is kept');
				const report = await old.forgetCustomer('v1-gus', T0 + HOUR);
				assert.deepEqual(report.customerIds, ['v1-gus']);
				assert.equal((await old.recordEvents([{ ...registerEvent('v1-gus', T0), id: 'v1-e1' }], T0 + 2 * HOUR))[0].suppressed, true);
			} finally {
				await old.close();
			}
		});
	});
}
