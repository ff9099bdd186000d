/**
 * Stand-ins for the webhook APIs of Shopify (GraphQL Admin API: webhookSubscriptions,
 * webhookSubscriptionCreate, webhookSubscriptionDelete) and WooCommerce (REST
 * /wp-json/wc/v3/webhooks: list, create, delete), behind an HTTPS proxy, for the Storefront
 * Trigger's Register Webhooks in the Shop.
 *
 * How requests get here: n8n's request helpers send through the proxy named in HTTPS_PROXY. This
 * is that proxy, on 127.0.0.1: it answers `CONNECT <host>:443` for the shop hosts given and then
 * speaks TLS itself, with a certificate for those hosts signed by a certificate authority made at
 * start (openssl CLI). A test process trusts it with tls.setDefaultCACertificates (trustStandIn());
 * a child n8n through NODE_EXTRA_CA_CERTS (env). Other CONNECT targets are refused (403).
 *
 * Answers follow the vendors' published shapes: Shopify 401 {"errors":"[API] Invalid API key or
 * access token ..."}, userErrors on a mutation it refuses, THROTTLED (200, errors[].extensions.code
 * and extensions.cost.throttleStatus) when `throttle` asks for it; WooCommerce
 * {code, message, data: {status}} errors, X-WP-Total / X-WP-TotalPages on lists, 429 with
 * Retry-After when `throttle` asks for it.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

export const SHOPIFY_API_VERSION = '2026-07';

export interface ShopifyStandInHook {
	id: string;
	topic: string;
	uri: string;
}

export interface WooStandInHook {
	id: number;
	name: string;
	status: string;
	topic: string;
	delivery_url: string;
	secret: string;
}

export interface ShopStandIn {
	proxyUrl: string;
	caFile: string;
	/** Environment for a child n8n: HTTPS_PROXY, NODE_EXTRA_CA_CERTS, NO_PROXY for loopback. */
	env: Record<string, string>;
	shopify: {
		host: string;
		hooks: ShopifyStandInHook[];
		/** Requests answered, as operation names (webhookSubscriptions, webhookSubscriptionCreate, ...). */
		calls: string[];
		/** The next this many requests are answered THROTTLED. */
		throttle: number;
	};
	woo: {
		host: string;
		hooks: WooStandInHook[];
		/** Requests answered, as "METHOD path?query". */
		calls: string[];
		/** The next this many requests are answered 429. */
		throttle: number;
		/** A delivery of `topic` to a registered webhook, signed as WooCommerce signs it. */
		delivery(hook: WooStandInHook, body: string): Record<string, string>;
	};
	refused: string[];
	close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
	execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

function makeCertificates(dir: string, hosts: string[]): { caFile: string; key: Buffer; cert: Buffer } {
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(
		[
			'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Dialogue shop stand-in CA',
			'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
		],
		dir,
	);
	openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hosts[0]}`], dir);
	fs.writeFileSync(
		path.join(dir, 'server.ext'),
		`basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\n`,
	);
	openssl(
		['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'],
		dir,
	);
	return { caFile: path.join(dir, 'ca.pem'), key: fs.readFileSync(path.join(dir, 'server.key')), cert: fs.readFileSync(path.join(dir, 'server.pem')) };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
}

const SHOPIFY_TOPICS = new Set(['CUSTOMERS_CREATE', 'CUSTOMERS_UPDATE', 'ORDERS_CREATE', 'ORDERS_PAID', 'ORDERS_UPDATED', 'ORDERS_CANCELLED', 'CHECKOUTS_CREATE', 'CHECKOUTS_UPDATE', 'PRODUCTS_CREATE']);
const WOO_TOPICS = new Set(['order.created', 'order.updated', 'order.deleted', 'customer.created', 'customer.updated', 'product.created', 'coupon.created']);

export interface ShopStandInOptions {
	shopify: { shop: string; accessToken: string };
	woo: { host: string; consumerKey: string; consumerSecret: string };
}

export async function startShopStandIn(options: ShopStandInOptions): Promise<ShopStandIn> {
	const shopifyHost = `${options.shopify.shop}.myshopify.com`;
	const wooHost = options.woo.host;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-shops-'));
	const { caFile, key, cert } = makeCertificates(dir, [shopifyHost, wooHost]);
	const refused: string[] = [];
	let nextId = 1000;

	const shopify: ShopStandIn['shopify'] = { host: shopifyHost, hooks: [], calls: [], throttle: 0 };
	const woo: ShopStandIn['woo'] = {
		host: wooHost,
		hooks: [],
		calls: [],
		throttle: 0,
		delivery(hook, body) {
			const [resource, event] = hook.topic.split('.');
			return {
				'content-type': 'application/json',
				'user-agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)',
				'x-wc-webhook-source': `https://${wooHost}/`,
				'x-wc-webhook-topic': hook.topic,
				'x-wc-webhook-resource': resource,
				'x-wc-webhook-event': event,
				'x-wc-webhook-id': String(hook.id),
				'x-wc-webhook-delivery-id': String(nextId++),
				'x-wc-webhook-signature': createHmac('sha256', hook.secret).update(body).digest('base64'),
			};
		},
	};

	function shopifyAnswer(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
		if (req.method !== 'POST' || req.url !== `/admin/api/${SHOPIFY_API_VERSION}/graphql.json`) return sendJson(res, 404, { errors: 'Not Found' });
		if (req.headers['x-shopify-access-token'] !== options.shopify.accessToken) {
			shopify.calls.push('401');
			return sendJson(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
		}
		const { query, variables = {} } = JSON.parse(raw) as { query: string; variables?: Record<string, unknown> };
		const operation = /webhookSubscriptionCreate\(/.test(query)
			? 'webhookSubscriptionCreate'
			: /webhookSubscriptionDelete\(/.test(query)
				? 'webhookSubscriptionDelete'
				: /webhookSubscriptions\(/.test(query)
					? 'webhookSubscriptions'
					: 'unknown';
		if (shopify.throttle > 0) {
			shopify.throttle--;
			shopify.calls.push(`THROTTLED ${operation}`);
			return sendJson(res, 200, {
				errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
				extensions: { cost: { requestedQueryCost: 12, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2, restoreRate: 100 } } },
			});
		}
		shopify.calls.push(operation);
		const cost = { extensions: { cost: { requestedQueryCost: 10, actualQueryCost: 10, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100 } } } };
		if (operation === 'webhookSubscriptions') {
			const first = Number(variables.first ?? 50);
			const start = typeof variables.after === 'string' ? Number(Buffer.from(variables.after, 'base64').toString('utf8')) : 0;
			const page = shopify.hooks.slice(start, start + first);
			const end = start + page.length;
			return sendJson(res, 200, {
				data: {
					webhookSubscriptions: {
						nodes: page.map((h) => ({ id: h.id, topic: h.topic, uri: h.uri })),
						pageInfo: { hasNextPage: end < shopify.hooks.length, endCursor: page.length ? Buffer.from(String(end)).toString('base64') : null },
					},
				},
				...cost,
			});
		}
		if (operation === 'webhookSubscriptionCreate') {
			const topic = String(variables.topic);
			const input = (variables.webhookSubscription ?? {}) as { uri?: string };
			if (!SHOPIFY_TOPICS.has(topic)) {
				return sendJson(res, 200, { errors: [{ message: `Variable $topic of type WebhookSubscriptionTopic! was provided invalid value`, extensions: { code: 'INVALID_VARIABLE' } }] });
			}
			const userErrors: Array<{ field: string[]; message: string }> = [];
			if (!/^https:\/\//.test(input.uri ?? '')) userErrors.push({ field: ['webhookSubscription', 'uri'], message: 'Address protocol http:// is not supported' });
			else if (shopify.hooks.some((h) => h.topic === topic && h.uri === input.uri)) {
				userErrors.push({ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' });
			}
			if (userErrors.length) return sendJson(res, 200, { data: { webhookSubscriptionCreate: { webhookSubscription: null, userErrors } }, ...cost });
			const hook = { id: `gid://shopify/WebhookSubscription/${nextId++}`, topic, uri: input.uri as string };
			shopify.hooks.push(hook);
			return sendJson(res, 200, { data: { webhookSubscriptionCreate: { webhookSubscription: hook, userErrors: [] } }, ...cost });
		}
		if (operation === 'webhookSubscriptionDelete') {
			const index = shopify.hooks.findIndex((h) => h.id === variables.id);
			if (index < 0) {
				return sendJson(res, 200, { data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: null, userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }] } }, ...cost });
			}
			shopify.hooks.splice(index, 1);
			return sendJson(res, 200, { data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: variables.id, userErrors: [] } }, ...cost });
		}
		return sendJson(res, 200, { errors: [{ message: 'The stand-in answers webhook subscription queries only' }] });
	}

	function wooError(res: http.ServerResponse, status: number, code: string, message: string): void {
		sendJson(res, status, { code, message, data: { status } });
	}

	function wooAnswer(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
		const url = new URL(req.url ?? '/', `https://${wooHost}`);
		woo.calls.push(`${req.method} ${url.pathname}${url.search}`);
		// HTTP Basic auth, or (over HTTPS) consumer_key and consumer_secret in the query.
		const auth = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
		const [user, ...rest] = auth
			? Buffer.from(auth[1], 'base64').toString('utf8').split(':')
			: [url.searchParams.get('consumer_key') ?? '', url.searchParams.get('consumer_secret') ?? ''];
		if (user !== options.woo.consumerKey || rest.join(':') !== options.woo.consumerSecret) {
			return wooError(res, 401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.');
		}
		if (woo.throttle > 0) {
			woo.throttle--;
			return sendJson(res, 429, { code: 'too_many_requests', message: 'Too many requests.', data: { status: 429 } }, { 'retry-after': '0' });
		}
		const match = /^\/wp-json\/wc\/v3\/webhooks(?:\/(\d+))?$/.exec(url.pathname);
		if (!match) return wooError(res, 404, 'rest_no_route', 'No route was found matching the URL and request method.');
		if (!match[1] && req.method === 'GET') {
			const perPage = Number(url.searchParams.get('per_page') ?? 10);
			const page = Number(url.searchParams.get('page') ?? 1);
			const total = woo.hooks.length;
			const pages = Math.max(1, Math.ceil(total / perPage));
			const list = woo.hooks.slice((page - 1) * perPage, page * perPage).map(({ secret: _secret, ...hook }) => hook);
			return sendJson(res, 200, list, { 'x-wp-total': String(total), 'x-wp-totalpages': String(pages) });
		}
		if (!match[1] && req.method === 'POST') {
			const body = JSON.parse(raw || '{}') as Partial<WooStandInHook>;
			if (!WOO_TOPICS.has(body.topic ?? '')) return wooError(res, 400, 'rest_invalid_param', 'Invalid parameter(s): topic');
			if (!body.delivery_url) return wooError(res, 400, 'rest_missing_callback_param', 'Missing parameter(s): delivery_url');
			const hook: WooStandInHook = {
				id: nextId++,
				name: body.name ?? '',
				status: body.status ?? 'active',
				topic: body.topic as string,
				delivery_url: body.delivery_url,
				secret: body.secret ?? 'generated-by-woocommerce',
			};
			woo.hooks.push(hook);
			const { secret: _secret, ...shown } = hook;
			return sendJson(res, 201, shown);
		}
		if (match[1] && req.method === 'DELETE') {
			if (url.searchParams.get('force') !== 'true') return wooError(res, 501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.');
			const index = woo.hooks.findIndex((h) => h.id === Number(match[1]));
			if (index < 0) return wooError(res, 404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.');
			const [hook] = woo.hooks.splice(index, 1);
			const { secret: _secret, ...shown } = hook;
			return sendJson(res, 200, shown);
		}
		return wooError(res, 404, 'rest_no_route', 'No route was found matching the URL and request method.');
	}

	const api = https.createServer({ key, cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const host = (req.headers.host ?? '').replace(/:443$/, '');
			if (host === shopifyHost) shopifyAnswer(req, res, raw);
			else if (host === wooHost) wooAnswer(req, res, raw);
			else sendJson(res, 421, { error: `no stand-in for ${host}` });
		});
	});

	const sockets = new Set<net.Socket>();
	const proxy = http.createServer((req, res) => {
		refused.push(`${req.method} ${req.url}`);
		res.writeHead(403);
		res.end();
	});
	proxy.on('connection', (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
		const target = (req.url ?? '').toLowerCase();
		if (target !== `${shopifyHost}:443` && target !== `${wooHost}:443`) {
			refused.push(`CONNECT ${req.url}`);
			socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		api.emit('connection', socket);
	});
	await new Promise<void>((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(0, '127.0.0.1', () => resolve());
	});
	const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
	return {
		proxyUrl,
		caFile,
		env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NODE_EXTRA_CA_CERTS: caFile, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
		shopify,
		woo,
		refused,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			api.close();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Makes this process send HTTPS through the stand-in and trust its authority (as NODE_EXTRA_CA_CERTS
 * does for a child process); the returned function undoes both.
 */
export function trustStandIn(standIn: ShopStandIn): () => void {
	const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
	const defaults = tls.getCACertificates('default');
	tls.setDefaultCACertificates([...defaults, fs.readFileSync(standIn.caFile, 'utf8')]);
	Object.assign(process.env, { HTTPS_PROXY: standIn.proxyUrl, https_proxy: standIn.proxyUrl, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' });
	return () => {
		tls.setDefaultCACertificates(defaults);
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	};
}
