/**
 * Store contract, occasions known after activation: the store keeps when it learned of each cart
 * version, registration and last order (its own clock at the write), and reads the candidates
 * already due at an instant that it learned of after another, in that order. Run on every dialect.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { CanonicalEvent } from '../../core/event';
import { findOccasions, pollOccasions, type OccasionOptions } from '../../core/occasions';
import type { KnownQuery, OccasionCandidate, Store } from '../../core/store';
import { cartEvent, createAtVersion, orderEvent, registerEvent, type StoreFactory } from './contract';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The activation of the trigger in these tests. */
const A = Date.parse('2026-06-10T08:00:00Z');

type Read = (query: KnownQuery) => Promise<OccasionCandidate[]>;

function cancelled(customerId: string, orderId: string, at: number): CanonicalEvent {
	return { ...orderEvent(customerId, at, '10.00', { orderId, status: 'cancelled' }), id: `test:order:${orderId}:cancelled`, type: 'order.updated' };
}

export function knownContract(factory: StoreFactory): void {
	describe(`store contract, occasions known after activation: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		it('reads the candidates due before an instant that the store learned of from another on, by (known, id), unclaimed', async () => {
			// Customers kn-x have a cart and a registration, kn-x-buyer an order: each due at A.
			const due = (id: string) => [cartEvent(id, `kn-cart-${id}`, A - 10 * DAY, 1), registerEvent(id, A - 30 * DAY), orderEvent(`${id}-buyer`, A - 200 * DAY, '5.00')];
			await store.recordEvents(due('kn-before'), A - DAY);
			await store.recordEvents([...due('kn-b'), ...due('kn-a')], A + HOUR);
			await store.recordEvents([...due('kn-c'), cartEvent('kn-new', 'kn-cart-new', A, 1)], A + 2 * HOUR);
			const reads: Array<[string, Read, number, string]> = [
				['cart.abandoned', (query) => store.knownAbandonedCarts(query), A - 2 * DAY, ''],
				['customer.no_order_since_registration', (query) => store.knownRegisteredWithoutOrder(query), A - 7 * DAY, ''],
				['customer.lapsed', (query) => store.knownLapsed(query), A - 90 * DAY, '-buyer'],
			];
			for (const [kind, read, before, suffix] of reads) {
				const q = { consumer: 'kn', kind, knownFrom: A + 1, before, limit: 2 };
				const ids = (candidates: OccasionCandidate[]) => candidates.map((c) => c.customer.id);
				const first = await read(q);
				assert.deepEqual(ids(first), [`kn-a${suffix}`, `kn-b${suffix}`], `${kind}: learned of after A and due before it, by (known, id); not learned of before, not due later`);
				assert.deepEqual(
					first.map((c) => c.known),
					[A + HOUR, A + HOUR],
				);
				assert.equal(first[0].at, kind === 'cart.abandoned' ? A - 10 * DAY : kind === 'customer.lapsed' ? A - 200 * DAY : A - 30 * DAY);
				if (kind === 'cart.abandoned') assert.deepEqual([first[0].cart?.id, first[0].cart?.version], ['kn-cart-kn-a', 1]);
				const last = first[first.length - 1];
				const cursor = { known: last.known!, id: last.cart?.id ?? last.customer.id };
				assert.deepEqual(ids(await read({ ...q, cursor })), [`kn-c${suffix}`], 'the next page');
				assert.deepEqual(ids(await read({ ...q, knownFrom: A + 2 * HOUR })), [`kn-c${suffix}`], 'from a later instant on');
				const [a] = first;
				const occurrence = kind === 'cart.abandoned' ? `${a.cart!.id}:${a.cart!.version}` : kind === 'customer.lapsed' ? String(a.at) : 'once';
				assert.deepEqual(await store.claimOccasions([{ consumer: 'kn', kind, customerId: a.customer.id, occurrence }], A), [true]);
				assert.deepEqual(ids(await read(q)), [`kn-b${suffix}`, `kn-c${suffix}`], 'claimed: left out');
			}
		});

		for (const { kind, after, known, fresh } of [
			{
				kind: 'cart.abandoned' as const,
				after: { amount: 2, unit: 'days' as const },
				known: (id: string) => [cartEvent(id, `k-${id}`, A - 10 * DAY, 1)],
				fresh: (id: string) => [cartEvent(id, `k-${id}`, A - 2 * DAY + 2 * HOUR, 1)],
			},
			{
				kind: 'customer.no_order_since_registration' as const,
				after: { amount: 7, unit: 'days' as const },
				known: (id: string) => [registerEvent(id, A - 30 * DAY)],
				fresh: (id: string) => [registerEvent(id, A - 7 * DAY + 2 * HOUR)],
			},
			{
				kind: 'customer.lapsed' as const,
				after: { amount: 90, unit: 'days' as const },
				known: (id: string) => [orderEvent(id, A - 200 * DAY, '10.00')],
				fresh: (id: string) => [orderEvent(id, A - 90 * DAY + 2 * HOUR, '10.00')],
			},
		]) {
			it(`${kind} polled: recorded after activation but already due, once; known and due at activation, never; due after it, once; the mark advances`, async () => {
				const prefix = `poll-${kind}`;
				await store.recordEvents([...known(`${prefix}-before`), ...fresh(`${prefix}-fresh`)], A - DAY);
				await store.recordEvents(known(`${prefix}-late`), A + HOUR);
				const options: OccasionOptions = { kind, consumer: `wf:${kind}`, after, zone: 'UTC', since: A };
				const ours = (events: Array<{ customer: { id: string } }>) => events.map((e) => e.customer.id).filter((id) => id.startsWith(prefix)).sort();
				assert.deepEqual(ours(await findOccasions(store, A + 3 * HOUR, { ...options, claim: false })), [`${prefix}-fresh`, `${prefix}-late`], 'due now, without claiming');
				const first = await pollOccasions(store, A + 3 * HOUR, options);
				assert.deepEqual(ours(first.occasions), [`${prefix}-fresh`, `${prefix}-late`]);
				assert.equal(first.known, A + 3 * HOUR);
				const second = await pollOccasions(store, A + 4 * HOUR, { ...options, knownAfter: first.known });
				assert.deepEqual(ours(second.occasions), [], 'polled again: nothing');
				assert.equal(second.known, A + 4 * HOUR, 'the mark advances');
				// Learned of later still: the next poll from the mark finds it.
				await store.recordEvents(known(`${prefix}-later`), A + 5 * HOUR);
				const third = await pollOccasions(store, A + 6 * HOUR, { ...options, knownAfter: second.known });
				assert.deepEqual(ours(third.occasions), [`${prefix}-later`]);
				assert.equal(third.known, A + 6 * HOUR);
				assert.deepEqual(ours(await findOccasions(store, A + 400 * DAY, options)), [], 'the one known at activation never comes');
			});
		}

		it('a registration recorded later for a customer known before, and a last order changed by a cancellation, are learned of then', async () => {
			await store.recordEvents(
				[
					cartEvent('kn-guest', 'kn-guest-cart', A - 40 * DAY, 0),
					orderEvent('kn-winback', A - 200 * DAY, '10.00', { orderId: 'kn-w-1' }),
					orderEvent('kn-winback', A - 20 * DAY, '10.00', { orderId: 'kn-w-2' }),
				],
				A - DAY,
			);
			const nudge: OccasionOptions = { kind: 'customer.no_order_since_registration', consumer: 'kn-nudge', after: { amount: 7, unit: 'days' }, since: A };
			const winback: OccasionOptions = { kind: 'customer.lapsed', consumer: 'kn-winback', after: { amount: 90, unit: 'days' }, since: A };
			const mine = (events: Array<{ customer: { id: string } }>) => events.map((e) => e.customer.id).filter((id) => id === 'kn-guest' || id === 'kn-winback');
			assert.deepEqual(mine(await findOccasions(store, A + HOUR, nudge)), []);
			assert.deepEqual(mine(await findOccasions(store, A + HOUR, winback)), [], 'ordered 20 days ago: not lapsed');
			// After activation: the guest's registration 30 days ago arrives; the recent order is cancelled.
			await store.recordEvents([registerEvent('kn-guest', A - 30 * DAY), cancelled('kn-winback', 'kn-w-2', A + HOUR)], A + 2 * HOUR);
			assert.deepEqual(mine(await findOccasions(store, A + 3 * HOUR, nudge)), ['kn-guest']);
			const lapse = await findOccasions(store, A + 3 * HOUR, winback);
			assert.deepEqual(
				lapse.filter((e) => e.customer.id === 'kn-winback').map((e) => e.occasion.lastOrderAt),
				[new Date(A - 200 * DAY).toISOString()],
				'the last order is now the one 200 days ago, and the store learned that after activation',
			);
		});

		it('a version-1 store upgrades keeping its customers and carts; what it knew is not new after the upgrade', async () => {
			const old = await createAtVersion(factory, 1, {
				customers: [
					{ id: 'v1-reg', email: 'reg@example.com', first_seen_at: A - 5 * DAY, updated_at: A + 2 * HOUR, registered_at: A - 30 * DAY },
					{ id: 'v1-lapsed', email: 'lapsed@example.com', first_seen_at: A - 5 * DAY, updated_at: A + 2 * HOUR, last_order_at: A - 200 * DAY },
					{ id: 'v1-cart', first_seen_at: A - 5 * DAY, updated_at: A + 2 * HOUR },
					{ id: 'v1-late', email: 'late@example.com', first_seen_at: A + HOUR, updated_at: A + HOUR, registered_at: A - 30 * DAY, last_order_at: A - 200 * DAY },
				],
				orders: [
					{ id: 'v1-o1', customer_id: 'v1-lapsed', placed_at: A - 200 * DAY, currency: 'EUR', total_minor: 1000, status: 'processing', counted: 1 },
					{ id: 'v1-o2', customer_id: 'v1-late', placed_at: A - 200 * DAY, currency: 'EUR', total_minor: 1000, status: 'processing', counted: 1 },
				],
				carts: [
					{ id: 'v1-k', customer_id: 'v1-cart', currency: 'EUR', total_minor: 2500, item_count: 1, lines: '[]', updated_at: A - 10 * DAY, version: 3, closed_at: null },
				],
			});
			try {
				assert.ok((await old.schemaVersion()) >= 6);
				assert.equal((await old.getCustomer('v1-reg'))?.registeredAt, A - 30 * DAY);
				assert.equal((await old.getCustomer('v1-reg'))?.email, 'reg@example.com');
				assert.equal((await old.getCustomer('v1-lapsed'))?.lastOrderAt, A - 200 * DAY);
				const carts = await old.dueAbandonedCarts({ consumer: 'up', kind: 'cart.abandoned', limit: 10, before: A });
				assert.deepEqual(
					carts.map((c) => [c.cart?.id, c.cart?.version, c.cart?.totalMinor]),
					[['v1-k', 3, 2500n]],
				);
				// A trigger activated before the upgrade: what the store knew then stays held back,
				// a customer it first saw after the activation is new.
				const ids = async (options: Omit<OccasionOptions, 'consumer' | 'since'>) =>
					(await findOccasions(old, A + 3 * HOUR, { ...options, consumer: 'up', since: A })).map((e) => e.customer.id);
				assert.deepEqual(await ids({ kind: 'cart.abandoned', after: { amount: 2, unit: 'days' } }), []);
				assert.deepEqual(await ids({ kind: 'customer.no_order_since_registration', after: { amount: 7, unit: 'days' } }), []);
				assert.deepEqual(await ids({ kind: 'customer.lapsed', after: { amount: 90, unit: 'days' } }), ['v1-late']);
				// New writes after the upgrade record when the store learned of them.
				await old.recordEvents([cartEvent('v1-cart', 'v1-k', A - 9 * DAY, 2)], A + 4 * HOUR);
				assert.deepEqual(
					(await findOccasions(old, A + 5 * HOUR, { kind: 'cart.abandoned', after: { amount: 2, unit: 'days' }, consumer: 'up', since: A })).map((e) => e.occasion.occurrence),
					['v1-k:4'],
				);
			} finally {
				await old.close();
			}
		});
	});
}
