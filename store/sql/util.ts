import type { SqlValue } from '../driver';

/** $start..$(start+count-1), for IN lists built from bound values (never from the values themselves). */
export function placeholders(start: number, count: number): string {
	return Array.from({ length: count }, (_, i) => `$${start + i}`).join(', ');
}

/** A case-insensitive "contains" LIKE pattern; %, _ and backslash in the search are literal (ESCAPE backslash). */
export function likePattern(search = ''): string {
	return `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Open bounds of time windows, inside Number's exact range and any BIGINT column. */
export const MIN_TIME = -8_640_000_000_000_000;
export const MAX_TIME = 8_640_000_000_000_000;

export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const opt = (value: unknown): number | undefined =>
	value === null || value === undefined ? undefined : Number(value);
export const str = (value: unknown): string | undefined =>
	value === null || value === undefined ? undefined : String(value);
export const nil = (value: SqlValue | undefined): SqlValue => (value === undefined ? null : value);

/** Calls fn in the order of `keyOf` (consistent lock order across transactions), returns results in input order. */
export async function inKeyOrder<T, R>(items: T[], keyOf: (item: T) => string, fn: (item: T) => Promise<R>): Promise<R[]> {
	const order = items.map((item, index) => ({ item, index, key: keyOf(item) }));
	order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index));
	const results = new Array<R>(items.length);
	for (const { item, index } of order) results[index] = await fn(item);
	return results;
}

/** A unique constraint refused the statement: PostgreSQL SQLSTATE 23505, SQLite SQLITE_CONSTRAINT_UNIQUE. */
export function isUniqueViolation(error: unknown): boolean {
	const { code, errcode } = (error ?? {}) as { code?: unknown; errcode?: unknown };
	return code === '23505' || errcode === 2067;
}

/** A customer's assignment key as one string: the same key of two customers is two assignments. */
export const holderKey = (customerId: string, key: string): string => JSON.stringify([customerId, key]);

/**
 * A coupon code that may be handed out: one of this store only, or one the shop has created.
 * Codes pending creation in the shop, and codes it refused, are never handed out.
 */
export const IN_SHOP = `(shop_state IS NULL OR shop_state = 'created')`;
