/**
 * The webhooks of a shop, as the Storefront Trigger registers them: list, create, remove. One
 * module per shop (shopify.ts, woocommerce.ts) speaks its Admin API through `ShopRequest`, which is
 * n8n's httpRequestWithAuthentication with the node's shop credential.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

export interface ShopWebhook {
	id: string;
	/** The shop's own topic name: orders/create, order.created. */
	topic: string;
	/** Where the shop delivers. */
	address: string;
	/** The shop delivers to it (WooCommerce pauses or disables a webhook that keeps failing). */
	active: boolean;
}

export interface ShopWebhooks {
	list(): Promise<ShopWebhook[]>;
	/** Creates a webhook for `topic` delivering to `address` (WooCommerce signs with `secret`); its id. */
	create(topic: string, address: string, secret: string): Promise<string>;
	remove(id: string): Promise<void>;
}

export interface ShopResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** One request with the shop credential; every status is returned, none thrown. */
export type ShopRequest = (options: IHttpRequestOptions) => Promise<ShopResponse>;

/** The shop refused or failed a request: its status and what it said. */
export class ShopError extends Error {
	constructor(
		readonly status: number,
		readonly detail: string,
	) {
		super(`${status}${detail ? ` ${detail}` : ''}`);
		this.name = 'ShopError';
	}
}

/** Waits this long at most for a shop that asks to slow down, and tries this often. */
export const MAX_WAIT_MS = 10_000;
export const ATTEMPTS = 4;
