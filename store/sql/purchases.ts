import type { PurchaseQuery, PurchaseRows } from '../../core/store';
import type { Querier } from '../driver';
import { MAX_TIME, MIN_TIME, opt } from './util';

/** Purchase history of one customer in [from, to), answered from the (customer_id, placed_at) indexes. */
export async function purchases(q: Querier, query: PurchaseQuery): Promise<PurchaseRows> {
	const params = [query.customerId, query.from ?? MIN_TIME, query.to ?? MAX_TIME];
	const window = 'customer_id = $1 AND placed_at >= $2 AND placed_at < $3';
	const totals = await q.all(
		`SELECT currency, COUNT(*) AS orders, SUM(total_minor) AS amount, MIN(placed_at) AS first_at, MAX(placed_at) AS last_at
		FROM orders WHERE ${window} AND counted = 1 GROUP BY currency ORDER BY currency`,
		params,
	);
	const counted = `EXISTS (SELECT 1 FROM orders o WHERE o.id = x.order_id AND o.counted = 1)`;
	const categories = await q.all(
		`SELECT DISTINCT category FROM order_categories x WHERE ${window} AND ${counted} ORDER BY category`,
		params,
	);
	const lines = await q.all(
		`SELECT DISTINCT product_id, sku FROM order_lines x WHERE ${window} AND ${counted}`,
		params,
	);
	const codes = await q.all(
		`SELECT DISTINCT kind, code FROM order_codes x WHERE ${window} AND ${counted} ORDER BY code`,
		params,
	);
	const firsts = totals.map((r) => Number(r.first_at));
	const lasts = totals.map((r) => Number(r.last_at));
	return {
		customerId: query.customerId,
		totals: totals.map((r) => ({
			currency: String(r.currency),
			orders: Number(r.orders),
			amountMinor: BigInt(String(r.amount ?? 0)),
		})),
		firstOrderAt: opt(firsts.length ? Math.min(...firsts) : undefined),
		lastOrderAt: opt(lasts.length ? Math.max(...lasts) : undefined),
		categories: categories.map((r) => String(r.category)),
		products: [...new Set(lines.map((r) => String(r.product_id)))].sort(),
		skus: [...new Set(lines.filter((r) => r.sku !== null && r.sku !== undefined).map((r) => String(r.sku)))].sort(),
		couponCodes: codes.filter((r) => r.kind === 'coupon').map((r) => String(r.code)),
		promotions: codes.filter((r) => r.kind === 'promotion').map((r) => String(r.code)),
	};
}
