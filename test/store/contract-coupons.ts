/**
 * Coupon contract, run on every dialect next to the store contract: assignment keys belong to a
 * customer, Pool Empty means no free code exists, codes are kept as given and compared by key,
 * and a store at schema 1 keeps its coupons when it is upgraded.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { CanonicalEvent } from '../../core/event';
import type { ClaimOutcome, Store } from '../../core/store';
import { SCHEMA_VERSION } from '../../store/schema';
import type { StoreFactory } from './contract';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const DAY = 86_400_000;

const codes = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ code: `${prefix}${String(i).padStart(3, '0')}` }));
const codeOf = (outcome: ClaimOutcome) => (outcome.assigned ? outcome.code : 'POOL EMPTY');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function couponsContract(factory: StoreFactory): void {
	describe(`coupons contract: ${factory.dialect}`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		describe('an assignment key belongs to one customer', () => {
			it('the same key for another customer gives that customer a code of their own', async () => {
				await store.ensurePools(['shared-key'], T0);
				await store.addCodes('shared-key', codes(3, 'SK'), T0);
				const [alice] = await store.claimCodes('shared-key', [{ customerId: 'alice', key: 'key:spring' }], T0);
				const [bob] = await store.claimCodes('shared-key', [{ customerId: 'bob', key: 'key:spring' }], T0 + 1);
				assert.ok(alice.assigned && bob.assigned);
				assert.notEqual(bob.code, alice.code, "Bob never gets Alice's code");
				assert.deepEqual([bob.customerId, bob.reused, bob.assignedAt], ['bob', false, T0 + 1]);

				const again = await store.claimCodes(
					'shared-key',
					[
						{ customerId: 'bob', key: 'key:spring' },
						{ customerId: 'alice', key: 'key:spring' },
					],
					T0 + 2,
				);
				assert.deepEqual(
					again.map((o) => (o.assigned ? [o.customerId, o.code, o.reused] : [])),
					[
						['bob', bob.code, true],
						['alice', alice.code, true],
					],
				);
				assert.deepEqual((await store.codesOf('bob')).map((h) => h.code), [bob.code]);
				assert.deepEqual((await store.codesOf('alice')).map((h) => h.code), [alice.code]);
				assert.equal((await store.poolStatus('shared-key', T0)).assigned, 2);
			});

			it('customers sharing one key, in one batch and in parallel calls: one distinct code each', async () => {
				await store.ensurePools(['one-key'], T0);
				await store.addCodes('one-key', codes(40, 'OK'), T0);
				const batch = Array.from({ length: 10 }, (_, i) => ({ customerId: `batch-${i}`, key: 'key:same' }));
				const results = await Promise.all([
					store.claimCodes('one-key', [...batch, ...batch], T0),
					...Array.from({ length: 30 }, (_, i) => store.claimCodes('one-key', [{ customerId: `par-${i}`, key: 'key:same' }], T0)),
				]);
				const outcomes = results.flat();
				assert.ok(outcomes.every((o) => o.assigned));
				const holder = new Map<string, string>();
				for (const o of outcomes) {
					if (!o.assigned) continue;
					assert.equal(holder.get(o.code) ?? o.customerId, o.customerId, `${o.code} went to two customers`);
					holder.set(o.code, o.customerId);
				}
				assert.equal(holder.size, 40);
				assert.deepEqual(
					results[0].map((o) => (o.assigned ? o.customerId : '')),
					[...batch, ...batch].map((r) => r.customerId),
					'each outcome names the customer it was claimed for',
				);
				assert.equal((await store.poolStatus('one-key', T0)).free, 0);
			});
		});

		describe('Pool Empty means no free code exists', () => {
			if (!factory.connect) return;
			const connect = factory.connect;
			const lockPool = `SELECT c.id FROM coupon_codes c JOIN coupon_pools p ON p.id = c.pool_id WHERE p.name = $1 FOR UPDATE OF c`;

			it('codes another transaction holds and then releases (rollback) are handed out, not Pool Empty', async () => {
				await store.ensurePools(['held'], T0);
				await store.addCodes('held', codes(2, 'HELD'), T0);
				const other = await connect(store);
				try {
					await other.query('BEGIN');
					assert.equal((await other.query(lockPool, ['held'])).length, 2);
					const single = store.claimCodes('held', [{ customerId: 'h1', key: 'h1' }], T0);
					const batch = store.claimCodes('held', [{ customerId: 'h2', key: 'h2' }, { customerId: 'h3', key: 'h3' }], T0);
					await sleep(300);
					await other.query('ROLLBACK');
					const outcomes = [...(await single), ...(await batch)];
					assert.deepEqual(outcomes.filter((o) => o.assigned).length, 2, 'both codes handed out');
					assert.deepEqual(new Set(outcomes.map(codeOf)).size, 3, 'two codes and one Pool Empty');
				} finally {
					await other.close();
				}
				assert.equal((await store.poolStatus('held', T0)).free, 0);
			});

			it('a code another transaction holds and then takes (commit) is not handed out twice', async () => {
				await store.ensurePools(['taken'], T0);
				await store.addCodes('taken', codes(1, 'TAKEN'), T0);
				const other = await connect(store);
				try {
					await other.query('BEGIN');
					await other.query(lockPool, ['taken']);
					const claim = store.claimCodes('taken', [{ customerId: 't1', key: 't1' }], T0);
					await sleep(300);
					await other.query(`UPDATE coupon_codes SET assigned_to = 'other', assigned_at = $1 WHERE code = 'TAKEN000'`, [T0]);
					await other.query('COMMIT');
					assert.deepEqual(await claim, [{ assigned: false, pool: 'taken' }]);
				} finally {
					await other.close();
				}
			});
		});

		describe('codes are kept as given and compared by their key', () => {
			it('stores the code as given; claim, redeem and codesOf find it by key', async () => {
				await store.ensurePools(['strasse'], T0);
				assert.deepEqual(await store.addCodes('strasse', [{ code: 'Straße10' }, { code: 'STRASSE10' }], T0), { added: 2, skipped: [] });
				const [claim] = await store.claimCodes('strasse', [{ customerId: 's1', key: 's1' }], T0);
				assert.equal(codeOf(claim), 'Straße10');
				assert.deepEqual((await store.codesOf('s1')).map((h) => h.code), ['Straße10']);
				const [capital, folded, other, missing] = await store.redeemCodes(
					[{ code: 'STRAẞE10', orderId: 'o-1' }, { code: 'straße10' }, { code: 'strasse10', pool: 'strasse' }, { code: 'STRASE10' }],
					T0 + 1,
				);
				assert.deepEqual(capital, { code: 'Straße10', found: true, redeemed: true, redeemedAt: T0 + 1 });
				assert.deepEqual(folded, { code: 'Straße10', found: true, redeemed: false, redeemedAt: T0 + 1 });
				assert.deepEqual(other, { code: 'STRASSE10', found: true, redeemed: true, redeemedAt: T0 + 1 });
				assert.equal(missing.found, false);
				assert.equal((await store.codesOf('s1'))[0].redeemedAt, T0 + 1);
			});

			it('a twin that differs by case, width or invisible characters is the same code', async () => {
				await store.ensurePools(['twins'], T0);
				const twins = ['summer10', 'SUMMER10\u200b', '\u2060Summer10', 'ＳＵＭＭＥＲ10', 'SUM\u00adMER10', 'SUMMER10\ufeff'];
				assert.deepEqual(await store.addCodes('twins', [{ code: 'SUMMER10' }, ...twins.map((code) => ({ code }))], T0), {
					added: 1,
					skipped: twins,
				});
				assert.equal((await store.poolStatus('twins', T0)).total, 1);
				const [redeemed] = await store.redeemCodes([{ code: 'summer\u200c10', pool: 'twins' }], T0);
				assert.deepEqual(redeemed, { code: 'SUMMER10', found: true, redeemed: true, redeemedAt: T0 });
			});

			it('an order with the code in another case redeems the pool code, and the purchases keep the code as the order gave it', async () => {
				await store.ensurePools(['order-key'], T0);
				await store.addCodes('order-key', [{ code: 'STRA\u1e9eE10' }, { code: 'Welcome5' }], T0);
				const order = (id: string, customerId: string, couponCodes: string[]): CanonicalEvent => ({
					id: `test:order-key:${id}`,
					type: 'order.placed',
					occurredAt: new Date(T0 + DAY).toISOString(),
					source: 'generic',
					customer: { id: customerId },
					order: { id, total: '10.00', currency: 'EUR', couponCodes, promotions: [], lines: [] },
				});
				await store.recordEvents([order('ok-1', 'okc', ['Straße10']), order('ok-2', 'okd', ['WELCOME5'])], T0 + DAY);
				const [strasse, welcome] = await store.redeemCodes([{ code: 'straße10', pool: 'order-key' }, { code: 'welcome5', pool: 'order-key' }], T0 + 2 * DAY);
				assert.deepEqual([strasse.found, strasse.redeemed, strasse.redeemedAt], [true, false, T0 + DAY], 'marked by the order');
				assert.deepEqual([welcome.found, welcome.redeemed, welcome.redeemedAt], [true, false, T0 + DAY]);
				const [okc] = await store.purchases([{ customerId: 'okc' }]);
				assert.deepEqual(okc.couponCodes, ['Straße10']);
			});
		});

		describe('codes created in the shop', () => {
			it('hands out only codes the shop created: pending and refused codes never go to a customer', async () => {
				await store.ensurePools(['shop-made'], T0);
				assert.deepEqual(await store.addCodes('shop-made', codes(3, 'SM'), T0, true), { added: 3, skipped: [] });
				assert.deepEqual(await store.addCodes('shop-made', [{ code: 'LOCAL1' }], T0), { added: 1, skipped: [] });
				const [local, none] = await store.claimCodes('shop-made', [{ customerId: 'c1', key: 'k' }, { customerId: 'c2', key: 'k' }], T0);
				assert.equal(codeOf(local), 'LOCAL1', 'a code of this store only is handed out as before');
				assert.equal(codeOf(none), 'POOL EMPTY', 'no code the shop has not created yet');
				assert.deepEqual(
					(await store.pendingShopCodes('shop-made', 10)).map((c) => c.code),
					['SM000', 'SM001', 'SM002'],
				);

				const marked = await store.markShopCodes('shop-made', [
					{ code: 'SM000', state: 'refused', error: 'Code must be unique' },
					{ code: 'sm001', state: 'created', shopId: 'gid://shopify/DiscountRedeemCode/1', shopDiscount: 'gid://shopify/DiscountCodeNode/7' },
				]);
				assert.equal(marked, 2);
				assert.equal(await store.markShopCodes('shop-made', [{ code: 'SM000', state: 'created', shopId: 'late' }]), 0, 'a refused code stays refused');
				assert.deepEqual(
					(await store.pendingShopCodes('shop-made', 10)).map((c) => c.code),
					['SM002'],
				);
				assert.deepEqual((await store.shopDiscounts('shop-made')).map((d) => d.shopDiscount), ['gid://shopify/DiscountCodeNode/7']);
				const status = await store.poolStatus('shop-made', T0);
				assert.deepEqual([status.total, status.free, status.assigned, status.notInShop, status.refusedByShop], [4, 1, 1, 1, 1]);

				const claims = await store.claimCodes('shop-made', [{ customerId: 'c3', key: 'k' }, { customerId: 'c4', key: 'k' }, { customerId: 'c5', key: 'k' }], T0);
				assert.deepEqual(claims.map(codeOf), ['SM001', 'POOL EMPTY', 'POOL EMPTY'], 'only the code the shop created');
			});

			it('concurrent claims on a pool half created in the shop take only created codes, each once', async () => {
				await store.ensurePools(['shop-race'], T0);
				await store.addCodes('shop-race', codes(40, 'SR'), T0, true);
				await store.markShopCodes(
					'shop-race',
					codes(40, 'SR').filter((_, i) => i % 2 === 0).map((c) => ({ code: c.code, state: 'created' as const, shopId: c.code })),
				);
				const batches = await Promise.all(
					Array.from({ length: 8 }, (_, b) =>
						store.claimCodes('shop-race', Array.from({ length: 5 }, (_, i) => ({ customerId: `r${b}-${i}`, key: 'k' })), T0),
					),
				);
				const got = batches.flat().filter((o) => o.assigned).map(codeOf);
				assert.equal(got.length, 20);
				assert.equal(new Set(got).size, 20, 'no code twice');
				assert.ok(got.every((code) => Number(code.slice(2)) % 2 === 0), 'only created codes');
			});
		});

		describe('upgrade from schema 1', () => {
			it('keeps pools, codes, assignments and redemptions, keys the codes and scopes keys to customers', async () => {
				const pool = `(SELECT id FROM coupon_pools WHERE name = 'legacy')`;
				const code = (values: string) =>
					`INSERT INTO coupon_codes (pool_id, code, added_at, assigned_to, assignment_key, assigned_at, expires_at, redeemed_at, redeemed_order, discount_kind, discount_value)
					VALUES (${pool}, ${values})`;
				const old = await factory.createAt(1, [
					`INSERT INTO coupon_pools (name, created_at) VALUES ('legacy', ${T0})`,
					code(`'LEG-1', ${T0}, 'alice', 'key:spring', ${T0}, ${T0 + DAY}, NULL, NULL, 'percent', '10'`),
					code(`'LEG-2', ${T0}, NULL, NULL, NULL, NULL, ${T0}, 'o-1', NULL, NULL`),
					code(`'STRASSE10', ${T0}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`),
					code(`'ÄPFEL', ${T0}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`),
					code(`'SUMMER10', ${T0}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`),
					code(`'SUMMER10\u200b', ${T0}, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`),
				]);
				try {
					assert.equal(await old.schemaVersion(), SCHEMA_VERSION);
					assert.deepEqual(await old.poolStatus('legacy', T0 + 1), { pool: 'legacy', total: 6, free: 4, assigned: 1, redeemed: 1, expired: 0, notInShop: 0, refusedByShop: 0 });

					const [alice] = await old.claimCodes('legacy', [{ customerId: 'alice', key: 'key:spring' }], T0 + 1);
					assert.ok(alice.assigned);
					assert.deepEqual(
						[alice.code, alice.reused, alice.assignedAt, alice.expiresAt, alice.discountValue],
						['LEG-1', true, T0, T0 + DAY, '10'],
					);
					const [bob] = await old.claimCodes('legacy', [{ customerId: 'bob', key: 'key:spring' }], T0 + 1);
					assert.equal(codeOf(bob), 'STRASSE10', 'Bob gets the first free code, in the order the codes were added');

					const [used, apple, summer] = await old.redeemCodes([{ code: 'leg-2' }, { code: 'äpfel' }, { code: 'summer10', pool: 'legacy' }], T0 + 2);
					assert.deepEqual(used, { code: 'LEG-2', found: true, redeemed: false, redeemedAt: T0 });
					assert.deepEqual(apple, { code: 'ÄPFEL', found: true, redeemed: true, redeemedAt: T0 + 2 });
					assert.deepEqual(summer, { code: 'SUMMER10', found: true, redeemed: true, redeemedAt: T0 + 2 });
					assert.deepEqual(await old.addCodes('legacy', [{ code: 'strasse10' }, { code: 'Äpfel' }, { code: 'NEW-1' }], T0 + 3), {
						added: 1,
						skipped: ['strasse10', 'Äpfel'],
					});
					assert.equal((await old.poolStatus('legacy', T0 + 3)).total, 7, 'the invisible twin is kept as it was');
				} finally {
					await old.close();
				}
			});
		});

		describe('upgrade to coupon codes created in the shop', () => {
			it('keeps every code of a store at schema 1 as a code of this store only, handed out as before', async () => {
				const pool = `(SELECT id FROM coupon_pools WHERE name = 'before-shop')`;
				const old = await factory.createAt(1, [
					`INSERT INTO coupon_pools (name, created_at) VALUES ('before-shop', ${T0})`,
					`INSERT INTO coupon_codes (pool_id, code, added_at, assigned_to, assignment_key, assigned_at, discount_kind, discount_value)
					VALUES (${pool}, 'OLD-1', ${T0}, 'alice', 'customer:alice', ${T0}, 'percent', '15'), (${pool}, 'OLD-2', ${T0}, NULL, NULL, NULL, 'percent', '15')`,
				]);
				try {
					assert.equal(await old.schemaVersion(), SCHEMA_VERSION);
					assert.deepEqual(await old.poolStatus('before-shop', T0), {
						pool: 'before-shop', total: 2, free: 1, assigned: 1, redeemed: 0, expired: 0, notInShop: 0, refusedByShop: 0,
					});
					assert.deepEqual(await old.pendingShopCodes('before-shop', 10), [], 'nothing to create in a shop');
					const [alice, bob] = await old.claimCodes('before-shop', [{ customerId: 'alice', key: 'customer:alice' }, { customerId: 'bob', key: 'customer:bob' }], T0 + 1);
					assert.ok(alice.assigned && bob.assigned);
					assert.deepEqual([alice.code, alice.reused, alice.discountValue], ['OLD-1', true, '15']);
					assert.deepEqual([bob.code, bob.reused], ['OLD-2', false]);
				} finally {
					await old.close();
				}
			});
		});
	});
}
