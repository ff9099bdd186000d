import type { ActivityGroupRow, ActivityReportQuery, ActivityReportRow } from '../../core/store';
import type { Querier, Row, SqlValue } from '../driver';
import { poolId } from './coupons';
import { num, placeholders } from './util';

/**
 * The activity's customers ($1) with a counted entry in [$2, $3): the instant of their first one,
 * and whether it was held out (two first entries at one instant: held out if either was). One
 * aggregation: the smallest of entered_at * 2 + (1 - held_out) is the first instant, a held-out
 * entry first among entries at that instant.
 */
const COHORT = `WITH firsts AS (
		SELECT customer_id, MIN(entered_at * 2 + 1 - held_out) AS k FROM guard_entries
		WHERE activity = $1 AND entered = 1 AND entered_at >= $2 AND entered_at < $3
		GROUP BY customer_id
	), cohort AS (
		SELECT customer_id, k / 2 AS at, 1 - k % 2 AS held_out FROM firsts
	)`;

/** A counted order of the cohort customer `c` in their window [first entry, first entry + $4). */
const IN_WINDOW = 'o.customer_id = c.customer_id AND o.counted = 1 AND o.placed_at >= c.at AND o.placed_at < c.at + $4';

const group = (): ActivityGroupRow => ({ customers: 0, entries: 0, converted: 0, orders: [], codesAssigned: 0, codesRedeemed: 0 });

/**
 * An activity's report in three statements over the (activity, entered_at), (customer_id,
 * placed_at) and (assigned_to) indexes: entries and skips in the range; customers, converted
 * customers, and orders and net revenue per currency, per group; coupon codes per group.
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

	// Per cohort customer and currency, their orders in the window (a row with currency NULL: none);
	// then per group: customers and converted customers (currency NULL), orders and revenue per currency.
	const rows = await q.all(
		`${COHORT}, per AS (
			SELECT c.customer_id, c.held_out, o.currency, COUNT(o.customer_id) AS orders, SUM(o.total_minor - o.refunded_minor) AS amount
			FROM cohort c LEFT JOIN orders o ON ${IN_WINDOW}
			GROUP BY c.customer_id, c.held_out, o.currency
		), customers AS (
			SELECT customer_id, held_out, MAX(orders) AS orders FROM per GROUP BY customer_id, held_out
		)
		SELECT held_out, NULL AS currency, COUNT(*) AS customers, SUM(CASE WHEN orders > 0 THEN 1 ELSE 0 END) AS converted, 0 AS orders, 0 AS amount
		FROM customers GROUP BY held_out
		UNION ALL
		SELECT held_out, currency, 0, 0, SUM(orders), SUM(amount) FROM per WHERE currency IS NOT NULL
		GROUP BY held_out, currency
		ORDER BY currency`,
		windowed,
	);
	for (const row of rows) {
		if (row.currency === null) Object.assign(groupOf(row), { customers: num(row.customers), converted: num(row.converted) });
		else groupOf(row).orders.push({ currency: String(row.currency), orders: num(row.orders), amountMinor: BigInt(String(row.amount ?? 0)) });
	}

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
