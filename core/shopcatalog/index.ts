/**
 * The product catalog read from the shop itself: every page of its products, each recorded as a
 * product version with its categories (store.recordProducts, one call a page). A version older than
 * the one stored changes nothing, so reading the catalog again is safe; a read that fails on a
 * later page keeps the pages recorded before it.
 */
import { productOf, type ProductFormat } from '../ledger';
import type { Millis, ProductRecord, Store } from '../store';

export { ShopError } from '../shop';

export type CatalogShop = 'shopify' | 'wooCommerce';

/** One page of the shop's products, as the shop describes them. */
export interface CatalogPage {
	products: unknown[];
	/** What the page could not give in full (e.g. a product in more collections than read). */
	notes?: string[];
}

export interface ShopCatalog {
	readonly shop: CatalogShop;
	/** How productOf reads one product of a page. */
	readonly format: ProductFormat;
	/** The catalog, a page at a time, in the shop's order. */
	pages(): AsyncIterable<CatalogPage>;
}

export interface CatalogResult {
	shop: CatalogShop;
	pages: number;
	/** Products the shop listed. */
	read: number;
	/** Versions the store took (the one it holds, when no older). */
	recorded: number;
	/** Versions older than the one stored: nothing changed. */
	older: number;
	/** Products that could not be read into a version (named in errors). */
	failed: number;
	notes: string[];
	errors: Array<{ productId?: string; error: string }>;
}

const MAX_LISTED = 100;

const idOf = (product: unknown): string | undefined => {
	if (typeof product !== 'object' || product === null) return undefined;
	const { legacyResourceId, id } = product as { legacyResourceId?: unknown; id?: unknown };
	const value = legacyResourceId ?? id;
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

/** Reads every page of the catalog and records it; `progress` after each page. */
export async function readCatalog(
	catalog: ShopCatalog,
	store: Pick<Store, 'recordProducts'>,
	now: Millis,
	progress: (done: CatalogResult) => void = () => undefined,
): Promise<CatalogResult> {
	const result: CatalogResult = { shop: catalog.shop, pages: 0, read: 0, recorded: 0, older: 0, failed: 0, notes: [], errors: [] };
	for await (const page of catalog.pages()) {
		const versions: ProductRecord[] = [];
		for (const product of page.products) {
			try {
				versions.push(productOf(catalog.format, product, now));
			} catch (error) {
				result.failed++;
				if (result.errors.length < MAX_LISTED) result.errors.push({ productId: idOf(product), error: error instanceof Error ? error.message : String(error) });
			}
		}
		const outcomes = versions.length > 0 ? await store.recordProducts(versions, now) : [];
		const applied = outcomes.filter((o) => o.applied).length;
		result.pages++;
		result.read += page.products.length;
		result.recorded += applied;
		result.older += outcomes.length - applied;
		for (const note of page.notes ?? []) if (result.notes.length < MAX_LISTED) result.notes.push(note);
		progress(result);
	}
	return result;
}
