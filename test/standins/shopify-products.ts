/**
 * A local stand-in for the parts of Shopify's GraphQL Admin API that list the catalog, on
 * 127.0.0.1, answering with the published shapes:
 * - products(first, after): pageInfo { hasNextPage endCursor } and nodes (id as a gid,
 *   legacyResourceId, title, productType, tags, updatedAt, collections(first) with its pageInfo);
 * - product(id).collections(first, after): the rest of a product's collections, or product null.
 * The request must carry X-Shopify-Access-Token with the token, else 401 with the string error
 * Shopify gives. A query's requested cost is 2 per connection plus `first` times each node's cost
 * (an object 1, a scalar 0); one over 1,000 is refused with MAX_COST_EXCEEDED, as Shopify does.
 * Cost: a leaky bucket of `bucket` points restored at `restoreRate` a second; a query needs its
 * requested cost in the bucket and is charged its actual cost (the nodes it returned); one the bucket
 * cannot pay is answered 200 with errors[0].extensions.code THROTTLED and extensions.cost
 * .throttleStatus. `throttleAt`: those requests (1-based) find the bucket empty. `failAt`: that
 * request is answered 500. `handle` answers a request as the server does (to serve the stand-in
 * behind ./https-proxy).
 */
import * as http from 'node:http';
import { SHOPIFY_API_VERSION } from '../../core/shop';

export interface StandInProduct {
	id: number;
	title: string;
	productType: string;
	tags: string[];
	updatedAt: string;
	collections: string[];
}

export interface ShopifyProductsStandIn {
	url: string;
	products: StandInProduct[];
	throttled: number;
	/** Operations answered with data, in order: products, product. */
	calls: string[];
	/** Every request, answered or not. */
	requests: number;
	handle: http.RequestListener;
	close(): Promise<void>;
}

interface Options {
	products: StandInProduct[];
	accessToken: string;
	bucket?: number;
	restoreRate?: number;
	throttleAt?: number[];
	failAt?: number;
}

const GID = 'gid://shopify/Product/';
const cursorOf = (index: number) => Buffer.from(`{"last_id":${index}}`).toString('base64');
const indexOf = (cursor: unknown) => (typeof cursor === 'string' ? (JSON.parse(Buffer.from(cursor, 'base64').toString()) as { last_id: number }).last_id : -1);

/** The requested cost of the two queries this stand-in answers. */
export function requestedCost(query: string): number {
	const products = /products\(first:\s*(\d+)/.exec(query);
	const collections = Number(/collections\(first:\s*(\d+)/.exec(query)?.[1] ?? 0);
	// A collections connection: 2, its pageInfo 1, `first` nodes of 1.
	const collectionsCost = collections > 0 ? 2 + 1 + collections : 0;
	if (products) return 2 + 1 + Number(products[1]) * (1 + collectionsCost);
	return 1 + collectionsCost;
}

function page<T>(list: T[], first: number, after: unknown): { pageInfo: { hasNextPage: boolean; endCursor: string | null }; slice: T[]; start: number } {
	const start = indexOf(after) + 1;
	const slice = list.slice(start, start + first);
	return { pageInfo: { hasNextPage: start + first < list.length, endCursor: slice.length ? cursorOf(start + slice.length - 1) : null }, slice, start };
}

export async function shopifyProductsStandIn(options: Options): Promise<ShopifyProductsStandIn> {
	const bucket = options.bucket ?? 1000;
	const restoreRate = options.restoreRate ?? 1000;
	let available = bucket;
	let lastAt = Date.now();
	const state: ShopifyProductsStandIn = { url: '', products: options.products, throttled: 0, calls: [], requests: 0, handle: () => undefined, close: async () => undefined };

	function collectionsOf(product: StandInProduct, first: number, after: unknown) {
		const { pageInfo, slice } = page(product.collections, first, after);
		return { pageInfo, nodes: slice.map((title) => ({ title })) };
	}

	/** What the answer cost: each connection 2, its pageInfo 1, each node returned 1, nested ones too. */
	function actualCost(data: unknown): number {
		if (Array.isArray(data)) return data.reduce((sum: number, node) => sum + 1 + actualCost(node), 0);
		if (typeof data !== 'object' || data === null) return 0;
		const object = data as Record<string, unknown>;
		const own = 'nodes' in object ? 3 : 0;
		return own + Object.entries(object).reduce((sum, [key, value]) => sum + (key === 'pageInfo' ? 0 : actualCost(value)), 0);
	}

	function answer(query: string, variables: Record<string, unknown>): unknown {
		const firstCollections = Number(/collections\(first:\s*(\d+)/.exec(query)?.[1] ?? 0);
		const products = /products\(first:\s*(\d+)/.exec(query);
		if (products) {
			state.calls.push('products');
			const { pageInfo, slice } = page(state.products, Number(products[1]), variables.cursor);
			return {
				products: {
					pageInfo,
					nodes: slice.map((p) => ({
						id: `${GID}${p.id}`,
						legacyResourceId: String(p.id),
						title: p.title,
						productType: p.productType,
						tags: p.tags,
						updatedAt: p.updatedAt,
						collections: collectionsOf(p, firstCollections, null),
					})),
				},
			};
		}
		if (/product\(id:/.test(query)) {
			state.calls.push('product');
			const product = state.products.find((p) => `${GID}${p.id}` === variables.id);
			return { product: product ? { collections: collectionsOf(product, firstCollections, variables.cursor) } : null };
		}
		throw new Error(`stand-in: unknown operation ${query.slice(0, 80)}`);
	}

	state.handle = (req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			const request = ++state.requests;
			if (req.method !== 'POST' || req.url !== `/admin/api/${SHOPIFY_API_VERSION}/graphql.json`) return send(404, { errors: 'Not Found' });
			if (req.headers['x-shopify-access-token'] !== options.accessToken) {
				return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
			}
			if (request === options.failAt) return send(500, { errors: [{ message: 'Internal error. Looks like something went wrong on our end.' }] });
			const { query, variables } = JSON.parse(raw) as { query: string; variables: Record<string, unknown> };
			const cost = requestedCost(query);
			if (cost > 1000) {
				return send(200, {
					errors: [{ message: `Query cost is ${cost}, which exceeds the single query max cost limit (1000).`, extensions: { code: 'MAX_COST_EXCEEDED', cost, maxCost: 1000 } }],
				});
			}
			const now = Date.now();
			available = Math.min(bucket, available + ((now - lastAt) / 1000) * restoreRate);
			lastAt = now;
			const throttleStatus = () => ({ maximumAvailable: bucket, currentlyAvailable: Math.floor(available), restoreRate });
			if (options.throttleAt?.includes(request)) available = 0;
			if (available < cost) {
				state.throttled++;
				return send(200, {
					errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
					extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus() } },
				});
			}
			try {
				const data = answer(query, variables);
				const actual = actualCost(data);
				available -= actual;
				send(200, { data, extensions: { cost: { requestedQueryCost: cost, actualQueryCost: actual, throttleStatus: throttleStatus() } } });
			} catch (error) {
				send(200, { errors: [{ message: (error as Error).message }] });
			}
		});
	};
	const server = http.createServer(state.handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	state.close = () => new Promise((resolve) => server.close(() => resolve()));
	return state;
}
