/**
 * Stand-ins for the webhook APIs of Shopify (GraphQL Admin API: webhookSubscriptions,
 * webhookSubscriptionCreate, webhookSubscriptionDelete) and WooCommerce (REST
 * /wp-json/wc/v3/webhooks: list, create, delete), behind an HTTPS proxy, for the Storefront
 * Trigger's Register Webhooks in the Shop.
 *
 * How requests get here: through the HTTPS proxy of ./https-proxy (HTTPS_PROXY and a test
 * certificate authority), for the Shopify and WooCommerce hosts given.
 *
 * Answers follow the vendors' published shapes: Shopify 401 {"errors":"[API] Invalid API key or
 * access token ..."}, userErrors on a mutation it refuses, THROTTLED (200, errors[].extensions.code
 * and extensions.cost.throttleStatus) when `throttle` asks for it; WooCommerce
 * {code, message, data: {status}} errors, X-WP-Total / X-WP-TotalPages on lists, 429 with
 * Retry-After when `throttle` asks for it.
 */
import { createHmac } from 'node:crypto';
import type * as http from 'node:http';
import { SHOPIFY_API_VERSION } from '../../core/shop';
import { startStandInProxy, type StandInProxy } from './https-proxy';

export { trustStandIn } from './https-proxy';

export { SHOPIFY_API_VERSION } from '../../core/shop';

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

export interface ShopStandIn extends StandInProxy {
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
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
}

/** Reads the request's body, then answers. */
function answer(req: http.IncomingMessage, res: http.ServerResponse, respond: (req: http.IncomingMessage, res: http.ServerResponse, raw: string) => void): void {
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
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

	const proxy = await startStandInProxy({
		[shopifyHost]: (req, res) => answer(req, res, shopifyAnswer),
		[wooHost]: (req, res) => answer(req, res, wooAnswer),
	});
	return { ...proxy, shopify, woo };
}
