/**
 * Items to versions of catalog products (store.recordProducts): a Shopify product as n8n's
 * Shopify node returns it (product_type and tags; collections when the item carries them, as the
 * GraphQL Admin API does), a WooCommerce product as n8n's WooCommerce node returns it
 * (categories[].name), or a mapped row. Ids are those order lines carry: the numeric product id.
 */
import { textList } from '../check';
import { InputError } from '../errors';
import { idOf, isAbsent, isRecord, labelList, optText, own, requireRecord, utcInstant, type JsonObject } from '../events/fields';
import type { ProductRecord } from '../store';
import { mappedInstant } from './mapped';

export const PRODUCT_FORMATS = ['shopifyProducts', 'woocommerceProducts', 'mapped'] as const;
export type ProductFormat = (typeof PRODUCT_FORMATS)[number];

/** A mapped row: the values of the mapped fields, as given. */
export interface ProductRow {
	productId?: unknown;
	title?: unknown;
	categories?: unknown;
	updatedAt?: unknown;
}

const HINTS: Record<ProductFormat, string> = {
	shopifyProducts: "Each input item must be one Shopify product, as n8n's Shopify node returns it (Product > Get Many).",
	woocommerceProducts: "Each input item must be one WooCommerce product, as n8n's WooCommerce node returns it (Product > Get Many).",
	mapped: 'Map Product ID and Categories (comma-separated, e.g. Boys, Shoes).',
};

/** Category names within the bounds of labels (core/limits), repeats dropped. */
const categoriesOf = (names: unknown[], field: string): string[] => labelList(names, field);

/** A Shopify product id: a number, digits, or a GraphQL id (gid://shopify/Product/123). */
function shopifyProductId(obj: JsonObject): string {
	const value = own(obj, 'id');
	if (isAbsent(value)) throw new InputError('id', 'is required', HINTS.shopifyProducts);
	const gid = typeof value === 'string' ? /^gid:\/\/shopify\/Product\/(\d+)$/.exec(value.trim()) : null;
	return gid ? gid[1] : idOf(value, 'id');
}

/** Titles of the collections an item lists: a list, or a GraphQL connection ({ nodes } or { edges[].node }). */
function collectionTitles(value: unknown): unknown[] {
	const list = Array.isArray(value)
		? value
		: isRecord(value) && Array.isArray(own(value, 'nodes'))
			? (own(value, 'nodes') as unknown[])
			: isRecord(value) && Array.isArray(own(value, 'edges'))
				? (own(value, 'edges') as unknown[]).map((edge) => (isRecord(edge) ? own(edge, 'node') : undefined))
				: [];
	return list.map((entry) => (isRecord(entry) ? own(entry, 'title') : entry));
}

function shopifyProduct(obj: JsonObject, now: number): ProductRecord {
	const tags = own(obj, 'tags');
	const names = [
		own(obj, 'product_type') ?? own(obj, 'productType'),
		...(typeof tags === 'string' ? tags.split(',') : Array.isArray(tags) ? tags : []),
		...collectionTitles(own(obj, 'collections')),
	].filter((name) => typeof name === 'string' && name.trim() !== '');
	const updated = own(obj, 'updated_at') ?? own(obj, 'updatedAt');
	const title = optText(own(obj, 'title'), 'title');
	return {
		id: shopifyProductId(obj),
		...(title !== undefined && { title }),
		categories: categoriesOf(names, 'categories'),
		updatedAt: isAbsent(updated) ? now : Date.parse(utcInstant(updated, 'updated_at')),
	};
}

function wooProduct(obj: JsonObject, now: number): ProductRecord {
	const id = own(obj, 'id');
	if (isAbsent(id)) throw new InputError('id', 'is required', HINTS.woocommerceProducts);
	const list = own(obj, 'categories');
	if (!isAbsent(list) && !Array.isArray(list)) throw new InputError('categories', 'expected a list of { id, name }', HINTS.woocommerceProducts);
	const names = ((list ?? []) as unknown[]).map((entry) => (isRecord(entry) ? own(entry, 'name') : entry));
	const updated = own(obj, 'date_modified_gmt');
	const title = optText(own(obj, 'name'), 'name');
	return {
		id: idOf(id, 'id'),
		...(title !== undefined && { title }),
		categories: categoriesOf(names.filter((name) => !isAbsent(name)), 'categories'),
		// The REST resource writes *_gmt times in UTC without an offset.
		updatedAt: isAbsent(updated) ? now : Date.parse(utcInstant(updated, 'date_modified_gmt', { assumeUtc: true })),
	};
}

function mappedProduct(row: ProductRow, now: number, zone: string): ProductRecord {
	if (isAbsent(row.productId) || (typeof row.productId === 'string' && row.productId.trim() === '')) {
		throw new InputError('productId', 'is required', HINTS.mapped);
	}
	const title = optText(row.title, 'title');
	const updated = row.updatedAt;
	return {
		id: idOf(row.productId, 'productId'),
		...(title !== undefined && { title }),
		categories: categoriesOf(textList(row.categories), 'categories'),
		updatedAt: isAbsent(updated) || updated === '' ? now : mappedInstant(updated, 'updatedAt', zone),
	};
}

/**
 * The product version one item describes; `now` stands in for a missing update time (a later
 * recording then replaces it). Errors are InputErrors naming the field, with what the item should be.
 */
export function productOf(format: ProductFormat, input: unknown, now: number, zone = 'UTC'): ProductRecord {
	if (format === 'mapped') return mappedProduct(input as ProductRow, now, zone);
	const obj = requireRecord(input, 'item', HINTS[format]);
	if (format === 'shopifyProducts') return shopifyProduct(obj, now);
	if (format === 'woocommerceProducts') return wooProduct(obj, now);
	throw new InputError('format', `"${String(format)}" is not a product format`, `Use one of: ${PRODUCT_FORMATS.join(', ')}.`);
}
