/**
 * Shopify's catalog from the GraphQL Admin API: products (id, legacyResourceId, title,
 * productType, tags, updatedAt) with the titles of their collections. A query may cost at most
 * 1,000 points and a connection costs its `first` times what each node costs, so one page holds
 * 25 products with 25 collections each (about 730 points); the collections of a product in more
 * than that are read from the product itself, 250 a query. Categories: the product type, each tag,
 * each collection title.
 */
import { shopifyGraphql, sleep, type ShopHttp, type Wait } from '../shop';
import type { CatalogPage, ShopCatalog } from './index';

export const SHOPIFY_PRODUCTS_PAGE = 25;
export const SHOPIFY_COLLECTIONS_FIRST = 25;
const MORE_COLLECTIONS = 250;

interface Connection<T> {
	pageInfo: { hasNextPage: boolean; endCursor: string | null };
	nodes: T[];
}
interface ProductNode {
	id: string;
	legacyResourceId?: string;
	title?: string;
	productType?: string;
	tags?: string[];
	updatedAt?: string;
	collections?: Connection<{ title: string }>;
}

const PRODUCTS = `query Products($cursor: String) {
	products(first: ${SHOPIFY_PRODUCTS_PAGE}, after: $cursor) {
		pageInfo { hasNextPage endCursor }
		nodes {
			id legacyResourceId title productType tags updatedAt
			collections(first: ${SHOPIFY_COLLECTIONS_FIRST}) { pageInfo { hasNextPage endCursor } nodes { title } }
		}
	}
}`;
const COLLECTIONS = `query ProductCollections($id: ID!, $cursor: String) {
	product(id: $id) {
		collections(first: ${MORE_COLLECTIONS}, after: $cursor) { pageInfo { hasNextPage endCursor } nodes { title } }
	}
}`;

export function shopifyCatalog(http: ShopHttp, shopSubdomain: string, wait: Wait = sleep): ShopCatalog {
	const graphql = shopifyGraphql(http, shopSubdomain, wait);

	/** The titles of the collections after the first ones, page by page; null when the product is gone. */
	async function moreCollections(id: string, after: string | null): Promise<string[] | null> {
		const titles: string[] = [];
		for (let cursor = after; ; ) {
			const data = await graphql<{ product: { collections: Connection<{ title: string }> } | null }>(COLLECTIONS, { id, cursor });
			if (!data.product) return null;
			titles.push(...data.product.collections.nodes.map((c) => c.title));
			if (!data.product.collections.pageInfo.hasNextPage) return titles;
			cursor = data.product.collections.pageInfo.endCursor;
		}
	}

	async function* pages(): AsyncGenerator<CatalogPage> {
		for (let cursor: string | null = null; ; ) {
			const data: { products: Connection<ProductNode> } = await graphql(PRODUCTS, { cursor });
			const notes: string[] = [];
			const products: unknown[] = [];
			for (const node of data.products.nodes) {
				const first = node.collections?.nodes.map((c) => c.title) ?? [];
				const info = node.collections?.pageInfo;
				const more = info?.hasNextPage ? await moreCollections(node.id, info.endCursor) : [];
				if (more === null) notes.push(`product ${node.legacyResourceId ?? node.id} was removed while its collections were read: recorded with its first ${first.length}`);
				products.push({ ...node, collections: [...first, ...(more ?? [])] });
			}
			yield { products, notes };
			if (!data.products.pageInfo.hasNextPage) return;
			cursor = data.products.pageInfo.endCursor;
		}
	}

	return { shop: 'shopify', format: 'shopifyProducts', pages };
}
