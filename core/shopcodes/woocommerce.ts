/**
 * WooCommerce REST API: codes as coupons, created by POST /wp-json/wc/v3/coupons/batch (at most
 * 100 a call). Each coupon: the discount, usage limit 1, for one use per customer, not combined
 * with other coupons. The batch answers per coupon, in the order sent: the coupon or its error.
 * 429 is waited out (Retry-After).
 */
import { isoUtc } from '../time';
import type { CodeInput, ShopMark } from '../store';
import { ShopError, sleep, wooCommerceCall, wooCommerceError, type ShopHttp, type Wait } from '../shop';
import type { ShopCodesApi } from './index';

export const WOO_BATCH = 100;

interface BatchItem {
	id?: number;
	code?: string;
	error?: { code?: string; message?: string };
}

export function coupon(c: CodeInput): Record<string, unknown> {
	return {
		code: c.code,
		discount_type: c.discountKind === 'percent' ? 'percent' : 'fixed_cart',
		amount: c.discountValue,
		usage_limit: 1,
		usage_limit_per_user: 1,
		individual_use: true,
		...(c.minimumOrder ? { minimum_amount: c.minimumOrder } : {}),
		...(c.validUntil !== undefined ? { date_expires_gmt: isoUtc(c.validUntil).slice(0, 19) } : {}),
	};
}

export function wooCommerceCodes(http: ShopHttp, baseUrl: string, wait: Wait = sleep): ShopCodesApi {
	const url = `${baseUrl.replace(/\/+$/, '')}/wp-json/wc/v3/coupons/batch`;
	return {
		batchSize: WOO_BATCH,
		async create(codes) {
			const res = await wooCommerceCall(http, { method: 'POST', url, body: { create: codes.map(coupon) } }, wait);
			if (res.status < 200 || res.status >= 300) throw wooCommerceError(res);
			const body = res.body as { create?: BatchItem[] } | undefined;
			if (!Array.isArray(body?.create) || body.create.length !== codes.length) {
				throw new ShopError(`WooCommerce answered ${res.status} without a result for each coupon`, res.status);
			}
			const marks = codes.map((c, i): ShopMark => {
				const item = body.create![i];
				return item.error || !item.id
					? { code: c.code, state: 'refused', error: item.error?.message ?? item.error?.code ?? 'refused' }
					: { code: c.code, state: 'created', shopId: String(item.id) };
			});
			return { marks };
		},
	};
}
