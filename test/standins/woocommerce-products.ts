/**
 * A local stand-in for WooCommerce's GET /wp-json/wc/v3/products on 127.0.0.1, answering with the
 * published shapes: a list of products (id, name, date_modified(_gmt), categories[{ id, name,
 * slug }]) of `per_page` (1-100, else 400 rest_invalid_param) from `page`, with X-WP-Total and
 * X-WP-TotalPages. The consumer key and secret must come as HTTP Basic auth or as consumer_key and
 * consumer_secret in the query, else 401 woocommerce_rest_authentication_error. `tooManyRequestsAt`
 * (1-based request) answers 429 with Retry-After once; `failAt` answers 500 once. `handle` answers a
 * request as the server does (to serve the stand-in behind ./https-proxy).
 */
import * as http from 'node:http';

export interface WooStandInProduct {
	id: number;
	name: string;
	date_modified_gmt: string;
	categories: string[];
}

export interface WooProductsStandIn {
	url: string;
	products: WooStandInProduct[];
	/** Each request as path and query, in order. */
	calls: string[];
	handle: http.RequestListener;
	close(): Promise<void>;
}

interface Options {
	products: WooStandInProduct[];
	consumerKey: string;
	consumerSecret: string;
	tooManyRequestsAt?: number;
	failAt?: number;
}

export async function wooProductsStandIn(options: Options): Promise<WooProductsStandIn> {
	const state: WooProductsStandIn = { url: '', products: options.products, calls: [], handle: () => undefined, close: async () => undefined };
	const categoryIds = new Map<string, number>();
	const categoryOf = (name: string) => {
		if (!categoryIds.has(name)) categoryIds.set(name, 15 + categoryIds.size);
		return { id: categoryIds.get(name), name, slug: name.toLowerCase().replace(/\W+/g, '-') };
	};
	state.handle = (req, res) => {
		req.resume();
		req.on('end', () => {
			const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
				res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
				res.end(JSON.stringify(body));
			};
			const error = (status: number, code: string, message: string) => send(status, { code, message, data: { status } });
			const url = new URL(req.url ?? '/', 'https://shop.example');
			state.calls.push(`${url.pathname}${url.search}`);
			const call = state.calls.length;
			if (req.method !== 'GET' || url.pathname !== '/wp-json/wc/v3/products') return error(404, 'rest_no_route', 'No route was found matching the URL and request method.');
			const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
			const [key, ...secret] = basic
				? Buffer.from(basic[1], 'base64').toString('utf8').split(':')
				: [url.searchParams.get('consumer_key') ?? '', url.searchParams.get('consumer_secret') ?? ''];
			if (key !== options.consumerKey || secret.join(':') !== options.consumerSecret) {
				return error(401, 'woocommerce_rest_authentication_error', key ? 'Consumer key is invalid.' : 'Consumer key is missing.');
			}
			if (call === options.tooManyRequestsAt) return send(429, { code: 'too_many_requests', message: 'Too Many Requests', data: { status: 429 } }, { 'retry-after': '1' });
			if (call === options.failAt) return error(500, 'internal_server_error', 'There has been a critical error on this website.');
			const perPage = Number(url.searchParams.get('per_page') ?? 10);
			const page = Number(url.searchParams.get('page') ?? 1);
			if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return error(400, 'rest_invalid_param', 'Invalid parameter(s): per_page');
			const total = state.products.length;
			const pages = Math.ceil(total / perPage);
			const list = state.products.slice((page - 1) * perPage, page * perPage).map((p) => ({
				id: p.id,
				name: p.name,
				slug: p.name.toLowerCase().replace(/\W+/g, '-'),
				type: 'simple',
				status: 'publish',
				date_modified: p.date_modified_gmt,
				date_modified_gmt: p.date_modified_gmt,
				categories: p.categories.map(categoryOf),
			}));
			send(200, list, { 'x-wp-total': String(total), 'x-wp-totalpages': String(pages) });
		});
	};
	const server = http.createServer(state.handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	state.close = () => new Promise((resolve) => server.close(() => resolve()));
	return state;
}
