import type { PurchaseQuery, PurchaseRows } from '../../core/store';
import type { Querier, Row } from '../driver';
import { MAX_TIME, MIN_TIME, opt } from './util';

const WINDOW = 'customer_id = $1 AND placed_at >= $2 AND placed_at < $3';
const ROWS_IN_WINDOW = 'x.customer_id = $1 AND x.placed_at >= $2 AND x.placed_at < $3';
/** A line, category or code counts when its order does: rows of an order carry the order's customer and time. */
const OF_COUNTED = 'JOIN counted o ON o.source = x.source AND o.id = x.order_id';

/**
 * Purchase history of one customer in [from, to): ONE statement (one round trip on PostgreSQL).
 * The customer's counted orders in the window are read once (orders (customer_id, placed_at));
 * lines, categories and codes come from their own (customer_id, placed_at) indexes, joined to
 * those orders (no look-up of the order per row). Rows are tagged: totals per currency,
 * categories, product/sku pairs, coupon codes and promotions. Amounts are net of refunds.
 * An order's categories are those its lines carried, and the catalog's categories of its products
 * as the catalog holds them now (joined here, at read time): orders recorded before their products
 * count too, and a product's changed categories apply to every order of it.
 */
export const PURCHASES_SQL = `
	WITH counted AS (
		SELECT source, id, currency, total_minor - refunded_minor AS net, placed_at FROM orders WHERE ${WINDOW} AND counted = 1
	)
	SELECT 'total' AS tag, currency AS a, NULL AS b, COUNT(*) AS orders, SUM(net) AS amount, MIN(placed_at) AS first_at, MAX(placed_at) AS last_at
	FROM counted GROUP BY currency
	UNION ALL
	SELECT DISTINCT 'category', x.category, NULL, 0, 0, 0, 0 FROM order_categories x ${OF_COUNTED} WHERE ${ROWS_IN_WINDOW}
	UNION ALL
	SELECT DISTINCT 'category', c.category, NULL, 0, 0, 0, 0 FROM order_lines x ${OF_COUNTED} JOIN product_categories c ON c.product_id = x.product_id
	WHERE ${ROWS_IN_WINDOW}
	UNION ALL
	SELECT DISTINCT 'line', x.product_id, x.sku, 0, 0, 0, 0 FROM order_lines x ${OF_COUNTED} WHERE ${ROWS_IN_WINDOW}
	UNION ALL
	SELECT DISTINCT x.kind, x.code, NULL, 0, 0, 0, 0 FROM order_codes x ${OF_COUNTED} WHERE ${ROWS_IN_WINDOW}`;

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

export async function purchases(q: Querier, query: PurchaseQuery): Promise<PurchaseRows> {
	const rows = await q.all(PURCHASES_SQL, [query.customerId, query.from ?? MIN_TIME, query.to ?? MAX_TIME]);
	const tagged = (tag: string) => rows.filter((r: Row) => r.tag === tag);
	const totals = tagged('total').sort((x, y) => String(x.a).localeCompare(String(y.a)));
	const lines = tagged('line');
	const firsts = totals.map((r) => Number(r.first_at));
	const lasts = totals.map((r) => Number(r.last_at));
	return {
		customerId: query.customerId,
		totals: totals.map((r) => ({ currency: String(r.a), orders: Number(r.orders), amountMinor: BigInt(String(r.amount ?? 0)) })),
		firstOrderAt: opt(firsts.length ? Math.min(...firsts) : undefined),
		lastOrderAt: opt(lasts.length ? Math.max(...lasts) : undefined),
		categories: sorted(tagged('category').map((r) => String(r.a))),
		products: sorted(lines.map((r) => String(r.a))),
		skus: sorted(lines.filter((r) => r.b !== null && r.b !== undefined).map((r) => String(r.b))),
		couponCodes: sorted(tagged('coupon').map((r) => String(r.a))),
		promotions: sorted(tagged('promotion').map((r) => String(r.a))),
	};
}
