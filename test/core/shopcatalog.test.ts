/**
 * The catalog read from the shop (core/shopcatalog): Shopify's GraphQL pages and WooCommerce's REST
 * pages through a scripted ShopHttp, each product mapped to a version with its categories, a page
 * recorded at a time, throttling waited out, and a read that fails on a later page resumed by the
 * next read.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { InputError } from '../../core/errors';
import { refusedCredential, ShopError, shopifyGraphql, type ShopHttp, type ShopRequest, type ShopResponse } from '../../core/shop';
import { readCatalog } from '../../core/shopcatalog';
import { shopifyCatalog, SHOPIFY_COLLECTIONS_FIRST, SHOPIFY_PRODUCTS_PAGE } from '../../core/shopcatalog/shopify';
import { wooCommerceCatalog } from '../../core/shopcatalog/woocommerce';
import type { ProductOutcome, ProductRecord } from '../../core/store';
import { requestedCost } from '../standins/shopify-products';

const NOW = Date.parse('2026-05-04T09:00:00Z');

/** A ShopHttp that answers from a script, one answer a request, and keeps the requests. */
function scripted(answers: Array<(request: ShopRequest) => ShopResponse>): { http: ShopHttp; requests: ShopRequest[] } {
	const requests: ShopRequest[] = [];
	const http: ShopHttp = async (request) => {
		requests.push(request);
		const next = answers.shift();
		if (!next) throw new Error(`unexpected request ${JSON.stringify(request)}`);
		return next(request);
	};
	return { http, requests };
}

/** The store's versioned write: a version older than the one held changes nothing. */
function fakeStore() {
	const held = new Map<string, ProductRecord>();
	const calls: number[] = [];
	return {
		held,
		calls,
		async recordProducts(products: ProductRecord[]): Promise<ProductOutcome[]> {
			calls.push(products.length);
			return products.map((p) => {
				const before = held.get(p.id);
				const applied = !before || before.updatedAt <= p.updatedAt;
				if (applied) held.set(p.id, p);
				return { id: p.id, applied };
			});
		},
	};
}

const ok = (data: unknown): ShopResponse => ({ status: 200, headers: {}, body: { data, extensions: { cost: { requestedQueryCost: 728, actualQueryCost: 40 } } } });
const connection = (nodes: unknown[], next: string | null) => ({ pageInfo: { hasNextPage: next !== null, endCursor: next }, nodes });
const product = (id: number, extra: Record<string, unknown> = {}) => ({
	id: `gid://shopify/Product/${id}`,
	legacyResourceId: String(id),
	title: `Product ${id}`,
	productType: '',
	tags: [],
	updatedAt: '2026-04-01T10:00:00Z',
	collections: connection([], null),
	...extra,
});
const noWait = async () => undefined;

describe('Shopify catalog', () => {
	it('maps a product to its numeric id and categories: product type, each tag, each collection title, repeats and empty ones dropped', async () => {
		const { http, requests } = scripted([
			() =>
				ok({
					products: connection(
						[
							product(8012345678901, {
								productType: 'Shoes',
								tags: ['Sale', 'Shoes', ' '],
								collections: connection([{ title: 'Kids' }, { title: '' }, { title: 'Sale' }], null),
							}),
							product(8012345678902),
						],
						null,
					),
				}),
		]);
		const store = fakeStore();
		const result = await readCatalog(shopifyCatalog(http, 'my-shop', noWait), store, NOW);
		assert.deepEqual(result, { shop: 'shopify', pages: 1, read: 2, recorded: 2, older: 0, failed: 0, notes: [], errors: [] });
		assert.deepEqual(store.held.get('8012345678901'), { id: '8012345678901', title: 'Product 8012345678901', categories: ['Shoes', 'Sale', 'Kids'], updatedAt: Date.parse('2026-04-01T10:00:00Z') });
		assert.deepEqual(store.held.get('8012345678902')?.categories, []);
		assert.equal(requests[0].url, 'https://my-shop.myshopify.com/admin/api/2026-07/graphql.json');
		assert.deepEqual((requests[0].body as { variables: unknown }).variables, { cursor: null });
	});

	it('sends the token only to the shop the Shop Subdomain names: a full myshopify.com domain is taken, anything else refused before a request', async () => {
		const { http, requests } = scripted([() => ({ status: 200, headers: {}, body: { data: { shop: { name: 'x' } } } })]);
		await shopifyGraphql(http, 'https://My-Shop.myshopify.com/', noWait)('query { shop { name } }', {});
		assert.equal(requests[0].url, 'https://my-shop.myshopify.com/admin/api/2026-07/graphql.json');
		for (const bad of ['attacker.example/x?', 'my-shop.example.com', 'my shop', '']) {
			assert.throws(() => shopifyGraphql(http, bad, noWait), (error: unknown) => error instanceof InputError && /Shop Subdomain/.test(String(error.hint)), bad);
		}
		assert.equal(requests.length, 1);
	});

	it('asks for a page that costs at most the 1,000 points a query may cost (250 products with 250 collections each would cost 63,503)', () => {
		const { http, requests } = scripted([() => ok({ products: connection([], null) })]);
		return readCatalog(shopifyCatalog(http, 'my-shop', noWait), fakeStore(), NOW).then(() => {
			const query = (requests[0].body as { query: string }).query;
			assert.match(query, new RegExp(`products\\(first: ${SHOPIFY_PRODUCTS_PAGE}, after: \\$cursor\\)`));
			assert.match(query, new RegExp(`collections\\(first: ${SHOPIFY_COLLECTIONS_FIRST}\\)`));
			assert.ok(requestedCost(query) <= 1000, `costs ${requestedCost(query)}`);
			assert.equal(requestedCost(query.replace(/first: \d+/g, 'first: 250')), 63_503);
		});
	});

	it('pages on with each endCursor, waits out a THROTTLED answer from its throttleStatus and sends the same page again, and records each page', async () => {
		const waits: number[] = [];
		const throttled: ShopResponse = {
			status: 200,
			headers: {},
			body: {
				errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }],
				extensions: { cost: { requestedQueryCost: 728, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 128, restoreRate: 100 } } },
			},
		};
		const { http, requests } = scripted([
			() => ok({ products: connection([product(1), product(2)], 'c1') }),
			() => throttled,
			() => ok({ products: connection([product(3), product(4)], 'c2') }),
			() => ok({ products: connection([product(5)], null) }),
		]);
		const store = fakeStore();
		const progress: number[] = [];
		const result = await readCatalog(
			shopifyCatalog(http, 'my-shop', async (ms) => void waits.push(ms)),
			store,
			NOW,
			(done) => progress.push(done.read),
		);
		assert.deepEqual(
			requests.map((r) => (r.body as { variables: { cursor: unknown } }).variables.cursor),
			[null, 'c1', 'c1', 'c2'],
		);
		assert.deepEqual(waits, [6000], '600 points missing at 100 a second');
		assert.deepEqual([result.pages, result.read, result.recorded], [3, 5, 5]);
		assert.deepEqual(store.calls, [2, 2, 1], 'one store call a page');
		assert.deepEqual(progress, [2, 4, 5]);
	});

	it('reads the collections of a product in more than the first ones from the product, page by page', async () => {
		const first = Array.from({ length: SHOPIFY_COLLECTIONS_FIRST }, (_, i) => ({ title: `C${i}` }));
		const { http, requests } = scripted([
			() => ok({ products: connection([product(7, { collections: connection(first, 'k1') })], null) }),
			() => ok({ product: { collections: connection([{ title: 'More 1' }], 'k2') } }),
			() => ok({ product: { collections: connection([{ title: 'More 2' }], null) } }),
		]);
		const store = fakeStore();
		await readCatalog(shopifyCatalog(http, 'my-shop', noWait), store, NOW);
		assert.deepEqual(
			requests.slice(1).map((r) => (r.body as { variables: unknown }).variables),
			[
				{ id: 'gid://shopify/Product/7', cursor: 'k1' },
				{ id: 'gid://shopify/Product/7', cursor: 'k2' },
			],
		);
		assert.deepEqual(store.held.get('7')?.categories, [...first.map((c) => c.title), 'More 1', 'More 2']);
	});

	it('a failure on a later page keeps the pages before; the next read records everything again, older versions changing nothing', async () => {
		const pages = [
			() => ok({ products: connection([product(1), product(2)], 'c1') }),
			() => ok({ products: connection([product(3)], null) }),
		];
		const store = fakeStore();
		const failing = scripted([pages[0], () => ({ status: 502, headers: {}, body: { errors: [{ message: 'Bad Gateway' }] } })]);
		await assert.rejects(readCatalog(shopifyCatalog(failing.http, 'my-shop', noWait), store, NOW), (error: Error) => {
			assert.ok(error instanceof ShopError);
			assert.equal(error.message, 'Shopify answered 502: Bad Gateway');
			return true;
		});
		assert.deepEqual([...store.held.keys()], ['1', '2']);

		store.held.set('2', { id: '2', categories: ['Newer'], updatedAt: Date.parse('2026-04-02T00:00:00Z') });
		const again = scripted(pages);
		const result = await readCatalog(shopifyCatalog(again.http, 'my-shop', noWait), store, NOW);
		assert.deepEqual([result.read, result.recorded, result.older], [3, 2, 1]);
		assert.deepEqual(store.held.get('2')?.categories, ['Newer']);
	});

	it('a refused token is a ShopError with status 401 that says what Shopify said, before anything is recorded', async () => {
		const { http } = scripted([() => ({ status: 401, headers: {}, body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' } })]);
		const store = fakeStore();
		await assert.rejects(readCatalog(shopifyCatalog(http, 'my-shop', noWait), store, NOW), (error: unknown) => {
			assert.ok(refusedCredential(error));
			assert.match((error as Error).message, /^Shopify answered 401: \[API\] Invalid API key/);
			return true;
		});
		assert.deepEqual(store.calls, []);
	});

	it('a product it cannot read is counted and named, and the others are recorded', async () => {
		const { http } = scripted([() => ok({ products: connection([product(1), product(2, { updatedAt: 'yesterday' })], null) })]);
		const store = fakeStore();
		const result = await readCatalog(shopifyCatalog(http, 'my-shop', noWait), store, NOW);
		assert.deepEqual([result.read, result.recorded, result.failed], [2, 1, 1]);
		assert.equal(result.errors[0].productId, '2');
		assert.match(result.errors[0].error, /updated_at/);
	});
});

const wooPage = (ids: number[], totalPages?: number): ShopResponse => ({
	status: 200,
	headers: totalPages === undefined ? {} : { 'x-wp-totalpages': String(totalPages) },
	body: ids.map((id) => ({ id, name: `P${id}`, date_modified_gmt: '2026-04-01T10:00:00', categories: [{ id: 15, name: 'Boys' }, { id: 16, name: 'Boys' }] })),
});

describe('WooCommerce catalog', () => {
	it('reads 100 a page up to X-WP-TotalPages, waits out a 429 for its Retry-After, and maps categories[].name', async () => {
		const waits: number[] = [];
		const full = Array.from({ length: 100 }, (_, i) => i + 1);
		const { http, requests } = scripted([
			() => wooPage(full, 3),
			() => ({ status: 429, headers: { 'retry-after': '2' }, body: { code: 'too_many_requests', message: 'Too Many Requests' } }),
			() => wooPage(full.map((i) => i + 100), 3),
			() => wooPage([201, 202], 3),
		]);
		const store = fakeStore();
		const result = await readCatalog(wooCommerceCatalog(http, 'https://shop.example/', async (ms) => void waits.push(ms)), store, NOW);
		assert.deepEqual(
			requests.map((r) => [r.method, r.url, r.qs]),
			[
				['GET', 'https://shop.example/wp-json/wc/v3/products', { per_page: 100, page: 1 }],
				['GET', 'https://shop.example/wp-json/wc/v3/products', { per_page: 100, page: 2 }],
				['GET', 'https://shop.example/wp-json/wc/v3/products', { per_page: 100, page: 2 }],
				['GET', 'https://shop.example/wp-json/wc/v3/products', { per_page: 100, page: 3 }],
			],
		);
		assert.deepEqual(waits, [2000]);
		assert.deepEqual([result.shop, result.pages, result.read, result.recorded], ['wooCommerce', 3, 202, 202]);
		assert.deepEqual(store.held.get('202'), { id: '202', title: 'P202', categories: ['Boys'], updatedAt: Date.parse('2026-04-01T10:00:00Z') });
	});

	it('without X-WP-TotalPages, stops at the first short page', async () => {
		const { http, requests } = scripted([() => wooPage(Array.from({ length: 100 }, (_, i) => i + 1)), () => wooPage([])]);
		const result = await readCatalog(wooCommerceCatalog(http, 'https://shop.example', noWait), fakeStore(), NOW);
		assert.deepEqual([requests.length, result.pages, result.read], [2, 2, 100]);
	});

	it("a refused key is a ShopError with status 401 and WooCommerce's message", async () => {
		const { http } = scripted([() => ({ status: 401, headers: {}, body: { code: 'woocommerce_rest_authentication_error', message: 'Consumer key is invalid.', data: { status: 401 } } })]);
		await assert.rejects(readCatalog(wooCommerceCatalog(http, 'https://shop.example', noWait), fakeStore(), NOW), (error: unknown) => {
			assert.ok(refusedCredential(error));
			assert.equal((error as Error).message, 'WooCommerce answered 401: Consumer key is invalid.');
			return true;
		});
	});
});
