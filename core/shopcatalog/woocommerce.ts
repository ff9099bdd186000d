/**
 * WooCommerce's catalog from the REST API: GET /wp-json/wc/v3/products, 100 a page, pages up to
 * X-WP-TotalPages (without that header, until a page comes back short). Categories: each
 * categories[].name.
 */
import { ShopError, sleep, wooCommerceCall, wooCommerceError, type ShopHttp, type Wait } from '../shop';
import type { CatalogPage, ShopCatalog } from './index';

export const WOO_PRODUCTS_PAGE = 100;

export function wooCommerceCatalog(http: ShopHttp, baseUrl: string, wait: Wait = sleep): ShopCatalog {
	const url = `${baseUrl.replace(/\/+$/, '')}/wp-json/wc/v3/products`;

	async function* pages(): AsyncGenerator<CatalogPage> {
		for (let page = 1; ; page++) {
			const res = await wooCommerceCall(http, { method: 'GET', url, qs: { per_page: WOO_PRODUCTS_PAGE, page } }, wait);
			if (res.status < 200 || res.status >= 300) throw wooCommerceError(res);
			if (!Array.isArray(res.body)) throw new ShopError(`WooCommerce answered ${res.status} without a list of products`, res.status);
			yield { products: res.body };
			const total = Number(res.headers['x-wp-totalpages']);
			if (Number.isInteger(total) && total > 0 ? page >= total : res.body.length < WOO_PRODUCTS_PAGE) return;
		}
	}

	return { shop: 'wooCommerce', format: 'woocommerceProducts', pages };
}
