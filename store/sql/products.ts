import type { CanonicalEvent } from '../../core/event';
import type { Millis, ProductOutcome, ProductRecord } from '../../core/store';
import type { Querier } from '../driver';
import { inKeyOrder, nil, placeholders } from './util';

/**
 * One version of a product: its row is written only when no newer version is stored (a version
 * recorded late changes nothing), and then its categories become exactly those given. The row's
 * lock (ON CONFLICT DO UPDATE locks it even when WHERE refuses) keeps writers of one product in turn.
 */
async function upsertProduct(q: Querier, product: ProductRecord, now: Millis): Promise<boolean> {
	const written = await q.get(
		`INSERT INTO products (id, title, updated_at, recorded_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET title = excluded.title, updated_at = excluded.updated_at, recorded_at = excluded.recorded_at
		WHERE products.updated_at <= excluded.updated_at RETURNING id`,
		[product.id, nil(product.title), product.updatedAt, now],
	);
	if (!written) return false;
	const categories = [...new Set(product.categories)];
	await q.run(
		categories.length === 0
			? 'DELETE FROM product_categories WHERE product_id = $1'
			: `DELETE FROM product_categories WHERE product_id = $1 AND category NOT IN (${placeholders(2, categories.length)})`,
		[product.id, ...categories],
	);
	for (const category of categories) {
		await q.run('INSERT INTO product_categories (product_id, category) VALUES ($1, $2) ON CONFLICT DO NOTHING', [product.id, category]);
	}
	return true;
}

/** The catalog version a product.updated event records (none for any other event). */
export function productOf(event: CanonicalEvent, occurredAt: Millis): ProductRecord | undefined {
	if (event.type !== 'product.updated' || !event.product) return undefined;
	const { id, name, categories = [] } = event.product;
	return { id, ...(name !== undefined && { title: name }), categories, updatedAt: occurredAt };
}

export async function recordProducts(q: Querier, products: ProductRecord[], now: Millis): Promise<ProductOutcome[]> {
	return await inKeyOrder(products, (p) => p.id, async (product) => ({ id: product.id, applied: await upsertProduct(q, product, now) }));
}

/** The catalog's categories of these products, by product id; a product the catalog lacks or holds without categories is left out. */
export async function productCategories(q: Querier, productIds: string[]): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	const unique = [...new Set(productIds)];
	for (let i = 0; i < unique.length; i += 500) {
		const chunk = unique.slice(i, i + 500);
		const rows = await q.all(
			`SELECT product_id, category FROM product_categories WHERE product_id IN (${placeholders(1, chunk.length)})`,
			chunk,
		);
		for (const row of rows) (out[String(row.product_id)] ??= []).push(String(row.category));
	}
	for (const categories of Object.values(out)) categories.sort();
	return out;
}
