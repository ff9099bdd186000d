import { InputError } from './errors';

/**
 * Calls to a shop's Admin API through a port the node fills with n8n's authenticated request:
 * Shopify's GraphQL Admin API (a THROTTLED answer is waited out from its throttleStatus) and
 * WooCommerce's REST API (a 429 is waited out from its Retry-After).
 */

export interface ShopResponse {
	status: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export interface ShopRequest {
	method: 'GET' | 'POST';
	url: string;
	/** Query parameters, apart from the URL so that a credential may add its own. */
	qs?: Record<string, string | number>;
	body?: unknown;
}

/** One HTTP call to the shop, authenticated by the caller; answers with any status. */
export type ShopHttp = (request: ShopRequest) => Promise<ShopResponse>;

export type Wait = (ms: number) => Promise<void>;
export const sleep: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shop did not answer as expected; `status` is the HTTP status when the shop answered one. */
export class ShopError extends Error {
	constructor(
		message: string,
		readonly status?: number,
	) {
		super(message);
		this.name = 'ShopError';
	}
}

/** The shop refused the credential: another key or token, or more rights, is what helps. */
export const refusedCredential = (error: unknown): boolean =>
	error instanceof ShopError && (error.status === 401 || error.status === 403);

/**
 * The Shopify Admin API version of every call the package makes. Shopify supports a stable
 * version for at least 12 months and answers a retired one with the oldest version it supports.
 */
export const SHOPIFY_API_VERSION = '2026-07';
/**
 * The GraphQL Admin API address of the shop the credential's Shop Subdomain names (a full
 * myshopify.com domain is accepted too); anything else is refused, so the credential's token goes
 * to that shop only.
 */
export function shopifyAdminUrl(shopSubdomain: unknown): string {
	const text = typeof shopSubdomain === 'string' ? shopSubdomain.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/+$/, '') : '';
	const match = /^([a-z0-9][a-z0-9-]*)(\.myshopify\.com)?$/.exec(text);
	if (!match) {
		throw new InputError(
			'credential.shopSubdomain',
			`${JSON.stringify(shopSubdomain ?? '')} is not a shop subdomain`,
			'Edit the Shopify credential: Shop Subdomain is the part before .myshopify.com, e.g. "my-shop".',
		);
	}
	return `https://${match[1]}.myshopify.com/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
}

const SHOPIFY_MAX_WAITS = 30;
const WOO_MAX_WAITS = 20;

interface GraphQlBody {
	data?: Record<string, unknown>;
	/** A list; a string when Shopify refuses the request as a whole (a 401). */
	errors?: Array<{ message?: string; extensions?: { code?: string } }> | string;
	extensions?: { cost?: { requestedQueryCost?: number; throttleStatus?: { currentlyAvailable?: number; restoreRate?: number } } };
}

export type GraphQl = <T>(query: string, variables: Record<string, unknown>) => Promise<T>;

/** Queries the shop's GraphQL Admin API; its data, or a ShopError with the shop's errors. */
export function shopifyGraphql(http: ShopHttp, shopSubdomain: string, wait: Wait = sleep): GraphQl {
	const url = shopifyAdminUrl(shopSubdomain);
	return async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
		for (let attempt = 0; ; attempt++) {
			const res = await http({ method: 'POST', url, body: { query, variables } });
			const body = (res.body ?? {}) as GraphQlBody;
			const errors = Array.isArray(body.errors) ? body.errors : [];
			const throttled = res.status === 429 || errors.some((e) => e.extensions?.code === 'THROTTLED');
			if (throttled && attempt < SHOPIFY_MAX_WAITS) {
				const cost = body.extensions?.cost;
				const status = cost?.throttleStatus;
				const missing = (cost?.requestedQueryCost ?? 0) - (status?.currentlyAvailable ?? 0);
				const seconds = status?.restoreRate ? Math.max(missing, 1) / status.restoreRate : Number(res.headers['retry-after']) || 1;
				await wait(Math.ceil(seconds * 1000));
				continue;
			}
			if (res.status < 200 || res.status >= 300 || body.errors?.length || !body.data) {
				const said = typeof body.errors === 'string' ? body.errors : errors.map((e) => e.message).join('; ');
				const detail = said || JSON.stringify(res.body ?? '').slice(0, 200);
				throw new ShopError(`Shopify answered ${res.status}: ${detail}`, res.status);
			}
			return body.data as T;
		}
	};
}

/** One WooCommerce REST call, a 429 waited out; any other answer is returned as it is. */
export async function wooCommerceCall(http: ShopHttp, request: ShopRequest, wait: Wait = sleep): Promise<ShopResponse> {
	for (let attempt = 0; ; attempt++) {
		const res = await http(request);
		if (res.status !== 429 || attempt >= WOO_MAX_WAITS) return res;
		await wait(Math.max(1, Number(res.headers['retry-after']) || 1) * 1000);
	}
}

/** A WooCommerce answer that is not a success, as a ShopError with the shop's own message. */
export function wooCommerceError(res: ShopResponse): ShopError {
	const body = res.body as { message?: string; code?: string } | undefined;
	const detail = body?.message ?? body?.code;
	return new ShopError(`WooCommerce answered ${res.status}${detail ? `: ${detail}` : ''}`, res.status);
}
