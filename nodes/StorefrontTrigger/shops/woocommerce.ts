/**
 * WooCommerce webhooks through the REST API (/wp-json/wc/v3/webhooks): listed page by page (100 a
 * page, up to X-WP-TotalPages), created active with the trigger's own secret, deleted for good
 * (force=true). A 429 is retried after its Retry-After.
 */
import { sleep, type IHttpRequestOptions } from 'n8n-workflow';
import { InputError } from '../../../core/errors';
import { ATTEMPTS, MAX_WAIT_MS, ShopError, type ShopRequest, type ShopResponse, type ShopWebhook, type ShopWebhooks } from './types';

const PAGE = 100;

/** The webhooks endpoint under the credential's WooCommerce URL. */
export function wooCommerceWebhooksUrl(url: unknown): string {
	const text = typeof url === 'string' ? url.trim().replace(/\/+$/, '') : '';
	if (!/^https?:\/\/[^/\s]+/i.test(text)) {
		throw new InputError(
			'credential.url',
			`${JSON.stringify(url ?? '')} is not the address of a WooCommerce shop`,
			'Edit the WooCommerce credential: WooCommerce URL is the address of the shop, e.g. https://shop.example.',
		);
	}
	return `${text}/wp-json/wc/v3/webhooks`;
}

function detailOf(body: unknown): string {
	const answer = body as { code?: unknown; message?: unknown } | undefined;
	if (typeof answer?.message === 'string') return typeof answer.code === 'string' ? `${answer.code}: ${answer.message}` : answer.message;
	return typeof body === 'string' ? body.slice(0, 200) : '';
}

function retryAfterMs(headers: Record<string, unknown>): number {
	const seconds = Number(headers['retry-after']);
	return Number.isFinite(seconds) && seconds >= 0 ? Math.min(MAX_WAIT_MS, seconds * 1000) : 1000;
}

interface WooWebhook {
	id: number | string;
	topic: string;
	delivery_url: string;
	status: string;
}

export function wooCommerceWebhooks(request: ShopRequest, credential: { url?: unknown }): ShopWebhooks {
	const base = wooCommerceWebhooksUrl(credential.url);

	async function send(options: IHttpRequestOptions, missingIsFine = false): Promise<ShopResponse> {
		for (let attempt = 1; ; attempt++) {
			const response = await request({ ...options, json: true });
			if (response.statusCode === 429 && attempt < ATTEMPTS) {
				await sleep(retryAfterMs(response.headers));
				continue;
			}
			if (response.statusCode === 404 && missingIsFine) return response;
			if (response.statusCode >= 400) throw new ShopError(response.statusCode, detailOf(response.body));
			return response;
		}
	}

	return {
		async list() {
			const found: ShopWebhook[] = [];
			for (let page = 1; ; page++) {
				const { body, headers } = await send({ method: 'GET', url: base, qs: { per_page: PAGE, page } });
				const hooks = Array.isArray(body) ? (body as WooWebhook[]) : [];
				for (const hook of hooks) {
					found.push({ id: String(hook.id), topic: hook.topic, address: hook.delivery_url, active: hook.status === 'active' });
				}
				const pages = Number(headers['x-wp-totalpages']);
				if (hooks.length < PAGE || (Number.isFinite(pages) && page >= pages)) return found;
			}
		},
		async create(topic, address, secret) {
			const { body } = await send({
				method: 'POST',
				url: base,
				body: { name: `n8n Storefront Trigger: ${topic}`, topic, delivery_url: address, secret, status: 'active' },
			});
			return String((body as { id?: unknown } | undefined)?.id ?? '');
		},
		async remove(id) {
			await send({ method: 'DELETE', url: `${base}/${encodeURIComponent(id)}`, qs: { force: true } }, true);
		},
	};
}
