import type { ActivityGroupRow, ActivityReportQuery, ActivityReportRow } from '../../core/store';
import type { Querier, Row, SqlValue } from '../driver';
import { poolId } from './coupons';
import { num, placeholders } from './util';

/**
 * The activity's customers ($1) with a counted entry in [$2, $3): the instant of their first one,
 * and whether it was held out (two first entries at one instant: held out if either was).
 */
const COHORT = `WITH firsts AS (
		SELECT customer_id, MIN(entered_at) AS at FROM guard_entries
		WHERE activity = $1 AND entered = 1 AND entered_at >= $2 AND entered_at < $3
		GROUP BY customer_id
	), cohort AS (
		SELECT f.customer_id, f.at, MAX(g.held_out) AS held_out FROM firsts f
		JOIN guard_entries g ON g.activity = $1 AND g.customer_id = f.customer_id AND g.entered_at = f.at AND g.entered = 1
		GROUP BY f.customer_id, f.at
	)`;

/** A counted order of the cohort customer `c` in their window [first entry, first entry + $4). */
const IN_WINDOW = 'o.customer_id = c.customer_id AND o.counted = 1 AND o.placed_at >= c.at AND o.placed_at < c.at + $4';

const group = (): ActivityGroupRow => ({ customers: 0, entries: 0, converted: 0, orders: [], codesAssigned: 0, codesRedeemed: 0 });

/**
 * An activity's report in four statements over the (activity, entered_at), (customer_id,
 * placed_at) and (assigned_to) indexes: entries and skips in the range; customers and converted
 * customers per group; orders and net revenue per group and currency; coupon codes per group.
 */
export async function activityReport(q: Querier, query: ActivityReportQuery): Promise<ActivityReportRow> {
	const range: SqlValue[] = [query.activity, query.from, query.to];
	const windowed: SqlValue[] = [...range, query.windowMs];
	const report: ActivityReportRow = { activity: query.activity, skipped: 0, entered: group(), control: group() };
	const groupOf = (row: Row) => (num(row.held_out) === 1 ? report.control : report.entered);

	const entries = await q.all(
		`SELECT entered, held_out, COUNT(*) AS n FROM guard_entries
		WHERE activity = $1 AND entered_at >= $2 AND entered_at < $3 GROUP BY entered, held_out`,
		range,
	);
	for (const row of entries) {
		if (num(row.entered) === 1) groupOf(row).entries += num(row.n);
		else report.skipped += num(row.n);
	}

	const customers = await q.all(
		`${COHORT}
		SELECT held_out, COUNT(*) AS customers,
			SUM(CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE ${IN_WINDOW}) THEN 1 ELSE 0 END) AS converted
		FROM cohort c GROUP BY held_out`,
		windowed,
	);
	for (const row of customers) Object.assign(groupOf(row), { customers: num(row.customers), converted: num(row.converted) });

	const orders = await q.all(
		`${COHORT}
		SELECT c.held_out, o.currency, COUNT(*) AS orders, SUM(o.total_minor - o.refunded_minor) AS amount
		FROM cohort c JOIN orders o ON ${IN_WINDOW}
		GROUP BY c.held_out, o.currency ORDER BY o.currency`,
		windowed,
	);
	for (const row of orders) groupOf(row).orders.push({ currency: String(row.currency), orders: num(row.orders), amountMinor: BigInt(String(row.amount ?? 0)) });

	const pools: number[] = [];
	for (const name of query.pools ?? []) pools.push(await poolId(q, name));
	if (query.pools === undefined || pools.length > 0) {
		const codes = await q.all(
			`${COHORT}
			SELECT c.held_out, COUNT(*) AS assigned,
				SUM(CASE WHEN k.redeemed_at IS NOT NULL AND k.redeemed_at < c.at + $4 THEN 1 ELSE 0 END) AS redeemed
			FROM cohort c JOIN coupon_codes k ON k.assigned_to = c.customer_id AND k.assigned_at >= c.at AND k.assigned_at < c.at + $4
			${pools.length ? `AND k.pool_id IN (${placeholders(5, pools.length)})` : ''}
			GROUP BY c.held_out`,
			[...windowed, ...pools],
		);
		for (const row of codes) Object.assign(groupOf(row), { codesAssigned: num(row.assigned), codesRedeemed: num(row.redeemed) });
	}
	return report;
}
