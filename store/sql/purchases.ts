import type { PurchaseQuery, PurchaseRows } from '../../core/store';
import type { Querier, Row } from '../driver';
import { MAX_TIME, MIN_TIME, opt } from './util';

const WINDOW = 'customer_id = $1 AND placed_at >= $2 AND placed_at < $3';
const COUNTED = 'EXISTS (SELECT 1 FROM orders o WHERE o.source = x.source AND o.id = x.order_id AND o.counted = 1)';

/**
 * Purchase history of one customer in [from, to): ONE statement (one round trip on PostgreSQL),
 * answered from the (customer_id, placed_at) indexes. Rows are tagged: totals per currency,
 * categories, product/sku pairs, coupon codes and promotions. Amounts are net of refunds.
 * An order's categories are those its lines carried, and the catalog's categories of its products
 * as the catalog holds them now (joined here, at read time): orders recorded before their products
 * count too, and a product's changed categories apply to every order of it.
 */
const PURCHASES_SQL = `
	SELECT 'total' AS tag, currency AS a, NULL AS b, COUNT(*) AS orders, SUM(total_minor - refunded_minor) AS amount,
		MIN(placed_at) AS first_at, MAX(placed_at) AS last_at
	FROM orders WHERE ${WINDOW} AND counted = 1 GROUP BY currency
	UNION ALL
	SELECT DISTINCT 'category', category, NULL, 0, 0, 0, 0 FROM order_categories x WHERE ${WINDOW} AND ${COUNTED}
	UNION ALL
	SELECT DISTINCT 'category', c.category, NULL, 0, 0, 0, 0 FROM order_lines x JOIN product_categories c ON c.product_id = x.product_id
	WHERE x.customer_id = $1 AND x.placed_at >= $2 AND x.placed_at < $3 AND ${COUNTED}
	UNION ALL
	SELECT DISTINCT 'line', product_id, sku, 0, 0, 0, 0 FROM order_lines x WHERE ${WINDOW} AND ${COUNTED}
	UNION ALL
	SELECT DISTINCT kind, code, NULL, 0, 0, 0, 0 FROM order_codes x WHERE ${WINDOW} AND ${COUNTED}`;

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
