/**
 * The product catalog: order lines carry product ids only (as Shopify's and WooCommerce's
 * payloads do), the catalog gives the categories, read at read time. Run against every dialect.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { CanonicalEvent } from '../../core/event';
import type { ProductRecord, Store } from '../../core/store';
import { SCHEMA_VERSION } from '../../store/schema';
import { createAtVersion, type StoreFactory } from './contract';

const T0 = Date.parse('2026-04-01T10:00:00Z');
const DAY = 86_400_000;

/** A Shopify-like order: its lines name products by id and carry no categories. */
function order(customerId: string, orderId: string, productIds: string[], at: number, status?: string): CanonicalEvent {
	return {
		id: `shopify:order.placed:${orderId}`,
		type: 'order.placed',
		occurredAt: new Date(at).toISOString(),
		source: 'shopify',
		customer: { id: customerId },
		order: {
			id: orderId,
			total: `${productIds.length * 10}.00`,
			currency: 'EUR',
			couponCodes: [],
			promotions: [],
			...(status !== undefined && { status }),
			lines: productIds.map((productId) => ({ productId, categories: [], quantity: 1, price: '10.00' })),
		},
	};
}

const product = (id: string, categories: string[], updatedAt: number, title?: string): ProductRecord => ({
	id,
	categories,
	updatedAt,
	...(title !== undefined && { title }),
});

export function catalogContract(factory: StoreFactory): void {
	describe(`product catalog [${factory.dialect}]`, () => {
		let store: Store;
		beforeAll(async () => {
			store = await factory.create();
		});
		afterAll(async () => {
			await store.close();
		});

		const categoriesOf = async (customerId: string) => (await store.purchases([{ customerId }]))[0].categories;

		it('an order recorded before its products has their categories once the products are recorded', async () => {
			await store.recordEvents([order('cat-a', 'a-1', ['111', '222'], T0)], T0);
			assert.deepEqual(await categoriesOf('cat-a'), []);
			const outcomes = await store.recordProducts([product('111', ['Boys', 'Shirts'], T0, 'Boys shirt'), product('222', ['Toys'], T0)], T0 + 1);
			assert.deepEqual(outcomes, [
				{ id: '111', applied: true },
				{ id: '222', applied: true },
			]);
			assert.deepEqual(await categoriesOf('cat-a'), ['Boys', 'Shirts', 'Toys']);
		});

		it('an order recorded after its products has their categories, with those its lines carried', async () => {
			await store.recordProducts([product('333', ['Girls'], T0)], T0);
			const withOwn = order('cat-b', 'b-1', ['333'], T0 + 1);
			withOwn.order!.lines[0].categories = ['Dresses'];
			await store.recordEvents([withOwn], T0 + 1);
			assert.deepEqual(await categoriesOf('cat-b'), ['Dresses', 'Girls']);
		});

		it('a product whose categories change shows the new ones on every order of it; an older version recorded late changes nothing', async () => {
			await store.recordProducts([product('444', ['Boys', 'Sale'], T0)], T0);
			await store.recordEvents([order('cat-c', 'c-1', ['444'], T0 + 1)], T0 + 1);
			assert.deepEqual(await categoriesOf('cat-c'), ['Boys', 'Sale']);

			assert.deepEqual(await store.recordProducts([product('444', ['Girls', 'Sale'], T0 + DAY)], T0 + DAY), [{ id: '444', applied: true }]);
			assert.deepEqual(await categoriesOf('cat-c'), ['Girls', 'Sale']);

			assert.deepEqual(await store.recordProducts([product('444', ['Boys'], T0 + 1)], T0 + 2 * DAY), [{ id: '444', applied: false }]);
			assert.deepEqual(await categoriesOf('cat-c'), ['Girls', 'Sale']);

			// The same version again is the same state.
			assert.deepEqual(await store.recordProducts([product('444', ['Girls', 'Sale'], T0 + DAY)], T0 + 2 * DAY), [{ id: '444', applied: true }]);
			assert.deepEqual(await store.productCategories(['444', 'unknown']), { '444': ['Girls', 'Sale'] });

			assert.deepEqual(await store.recordProducts([product('444', [], T0 + 2 * DAY)], T0 + 2 * DAY), [{ id: '444', applied: true }]);
			assert.deepEqual(await categoriesOf('cat-c'), []);
		});

		it('the catalog gives categories to counted orders in the window only', async () => {
			await store.recordProducts([product('555', ['Boys'], T0), product('556', ['Baby'], T0)], T0);
			await store.recordEvents([order('cat-d', 'd-1', ['555'], T0, 'cancelled'), order('cat-d', 'd-2', ['556'], T0 + DAY)], T0 + DAY);
			assert.deepEqual(await categoriesOf('cat-d'), ['Baby']);
			const [before] = await store.purchases([{ customerId: 'cat-d', to: T0 + DAY }]);
			assert.deepEqual(before.categories, []);
		});

		it('a product.updated event records the product once; its redelivery changes nothing', async () => {
			const updated = (id: string, categories: string[], at: number): CanonicalEvent => ({
				id,
				type: 'product.updated',
				occurredAt: new Date(at).toISOString(),
				source: 'generic',
				product: { id: '666', name: 'Jacket', categories },
			});
			await store.recordEvents([order('cat-e', 'e-1', ['666'], T0)], T0);
			const [first] = await store.recordEvents([updated('pu-1', ['Boys', 'Jackets'], T0 + 1)], T0 + 1);
			assert.deepEqual([first.recorded, first.newCustomer], [true, false]);
			assert.deepEqual(await categoriesOf('cat-e'), ['Boys', 'Jackets']);
			await store.recordEvents([updated('pu-2', ['Jackets'], T0 + 2)], T0 + 2);
			const [again] = await store.recordEvents([updated('pu-1', ['Boys', 'Jackets'], T0 + 1)], T0 + 3);
			assert.equal(again.recorded, false);
			assert.deepEqual(await categoriesOf('cat-e'), ['Jackets']);
		});

		it('versions of one product recorded at the same time leave the newest', async () => {
			const versions = Array.from({ length: 8 }, (_, i) => product('777', [`Cat ${i}`, 'Kids'], T0 + i * 1000));
			const outcomes = await Promise.all([...versions].reverse().map((version) => store.recordProducts([version], T0 + DAY)));
			assert.ok(outcomes.some(([outcome]) => outcome.applied));
			assert.deepEqual(await store.productCategories(['777']), { '777': ['Cat 7', 'Kids'] });
		});

		it(`a version-1 store upgrades to ${SCHEMA_VERSION} keeping its orders and categories, and its orders take catalog categories`, async () => {
			const old = await createAtVersion(factory, 1, {
				customers: [{ id: 'v1-kid', email: 'kid@example.com', first_seen_at: T0, updated_at: T0, last_order_at: T0 }],
				orders: [{ id: '901', customer_id: 'v1-kid', placed_at: T0, currency: 'EUR', total_minor: 2000, status: 'paid', counted: 1 }],
				order_lines: [
					{ order_id: '901', line_no: 0, customer_id: 'v1-kid', placed_at: T0, product_id: '9001', sku: null, name: 'Cap', quantity: 1, price_minor: 1000 },
					{ order_id: '901', line_no: 1, customer_id: 'v1-kid', placed_at: T0, product_id: '9002', sku: null, name: 'Sock', quantity: 1, price_minor: 1000 },
				],
				order_categories: [{ order_id: '901', category: 'Hats', customer_id: 'v1-kid', placed_at: T0 }],
			});
			try {
				assert.equal(await old.schemaVersion(), SCHEMA_VERSION);
				const [kid] = await old.purchases([{ customerId: 'v1-kid' }]);
				assert.deepEqual([kid.categories, kid.products, kid.totals.map((t) => t.amountMinor)], [['Hats'], ['9001', '9002'], [2000n]]);
				await old.recordProducts([product('9002', ['Boys'], T0)], T0 + 1);
				assert.deepEqual((await old.purchases([{ customerId: 'v1-kid' }]))[0].categories, ['Boys', 'Hats']);
			} finally {
				await old.close();
			}
		});
	});
}
