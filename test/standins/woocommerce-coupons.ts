/**
 * A local stand-in for WooCommerce's POST /wp-json/wc/v3/coupons/batch on 127.0.0.1, answering
 * with the published shapes: { create: [coupon | { id: 0, error: { code, message, data } }] } in
 * the order sent; a code the shop already has (case-insensitive) gets
 * woocommerce_rest_coupon_code_already_exists; more than 100 items a 413; `tooManyRequestsAt`
 * (1-based call) answers 429 with Retry-After once; `failCall` answers 500 once. With `key`, the
 * consumer key and secret must come as HTTP Basic auth or in the query, else 401
 * woocommerce_rest_authentication_error.
 */
import * as http from 'node:http';

export interface WooCouponsStandIn {
	url: string;
	/** Coupons by lower-case code. */
	coupons: Map<string, { id: number; body: Record<string, unknown> }>;
	/** Each code as it was created, in order. */
	created: string[];
	calls: number;
	close(): Promise<void>;
}

interface Options {
	taken?: string[];
	tooManyRequestsAt?: number;
	failCall?: number;
	key?: { consumerKey: string; consumerSecret: string };
}

export async function wooCouponsStandIn(options: Options = {}): Promise<WooCouponsStandIn> {
	let seq = 100;
	const state: WooCouponsStandIn = {
		url: '',
		coupons: new Map((options.taken ?? []).map((code) => [code.toLowerCase(), { id: ++seq, body: { code } }])),
		created: [],
		calls: 0,
		close: async () => undefined,
	};
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
				res.writeHead(status, { 'content-type': 'application/json', ...headers });
				res.end(JSON.stringify(body));
			};
			const url = new URL(req.url ?? '/', 'https://shop.example');
			if (options.key) {
				const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
				const [key, ...secret] = basic
					? Buffer.from(basic[1], 'base64').toString('utf8').split(':')
					: [url.searchParams.get('consumer_key') ?? '', url.searchParams.get('consumer_secret') ?? ''];
				if (key !== options.key.consumerKey || secret.join(':') !== options.key.consumerSecret) {
					return send(401, { code: 'woocommerce_rest_authentication_error', message: key ? 'Consumer key is invalid.' : 'Consumer key is missing.', data: { status: 401 } });
				}
			}
			if (req.method !== 'POST' || url.pathname !== '/wp-json/wc/v3/coupons/batch') {
				return send(404, { code: 'rest_no_route', message: 'No route was found matching the URL and request method.', data: { status: 404 } });
			}
			const call = ++state.calls;
			if (call === options.tooManyRequestsAt) return send(429, { code: 'too_many_requests', message: 'Too Many Requests' }, { 'retry-after': '1' });
			if (call === options.failCall) return send(500, { code: 'internal_server_error', message: 'There has been a critical error on this website.', data: { status: 500 } });
			const create = (JSON.parse(raw) as { create?: Array<Record<string, unknown>> }).create ?? [];
			if (create.length > 100) {
				return send(413, { code: 'rest_request_entity_too_large', message: 'Unable to accept more than 100 items for this request.', data: { status: 413 } });
			}
			const out = create.map((body) => {
				const code = String(body.code).toLowerCase();
				if (state.coupons.has(code)) {
					return { id: 0, error: { code: 'woocommerce_rest_coupon_code_already_exists', message: `The coupon code already exists`, data: { status: 400 } } };
				}
				const id = ++seq;
				state.coupons.set(code, { id, body });
				state.created.push(code);
				return { id, code, amount: body.amount, discount_type: body.discount_type, usage_limit: body.usage_limit, individual_use: body.individual_use };
			});
			send(200, { create: out });
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
			state.close = () => new Promise((done) => server.close(() => done()));
			resolve(state);
		});
	});
}
