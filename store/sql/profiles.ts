/**
 * What customer profiles show, for many customers in one read: per chunk of ids one statement each
 * for the customers, their current memberships, the codes they hold and their newest activity
 * entries; purchases with the one-customer purchase statement.
 */
import type { Millis, ProfileQuery, ProfileRows } from '../../core/store';
import type { Querier, Row } from '../driver';
import { toHeldCode } from './coupons';
import { toCustomer } from './customers';
import { toGuardEntry } from './guard';
import { purchases } from './purchases';
import { toMembership } from './segments';
import { placeholders } from './util';

/** Ids bound in one IN list. */
const CHUNK = 500;

/** Rows grouped by their customer id, in the order the statement returned them. */
function byCustomer(rows: Row[], column: string): Map<string, Row[]> {
	const groups = new Map<string, Row[]>();
	for (const row of rows) {
		const id = String(row[column]);
		const group = groups.get(id);
		if (group) group.push(row);
		else groups.set(id, [row]);
	}
	return groups;
}

async function chunkRows(q: Querier, ids: string[], now: Millis, maxActivities: number) {
	const list = placeholders(1, ids.length);
	const customers = await q.all(`SELECT * FROM customers WHERE id IN (${list})`, ids);
	const segments = await q.all(
		`SELECT s.name, m.customer_id, m.added_at, m.expires_at FROM segment_members m JOIN segments s ON s.id = m.segment_id
		WHERE m.customer_id IN (${list}) AND (m.expires_at IS NULL OR m.expires_at > $${ids.length + 1}) ORDER BY s.name`,
		[...ids, now],
	);
	const codes = await q.all(
		`SELECT p.name, c.code, c.assigned_to, c.assigned_at, c.expires_at, c.redeemed_at FROM coupon_codes c JOIN coupon_pools p ON p.id = c.pool_id
		WHERE c.assigned_to IN (${list}) ORDER BY c.assigned_at`,
		ids,
	);
	// Each customer's newest entries: numbered per customer, newest first, cut at the largest limit asked.
	const activities =
		maxActivities > 0
			? await q.all(
					`SELECT activity, customer_id, entry_key, entered_at, held_out FROM (
						SELECT activity, customer_id, entry_key, entered_at, held_out,
							ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY entered_at DESC, entry_key) AS n
						FROM guard_entries WHERE entered = 1 AND customer_id IN (${list})
					) newest WHERE n <= $${ids.length + 1} ORDER BY entered_at DESC, entry_key`,
					[...ids, maxActivities],
				)
			: [];
	return {
		customers: byCustomer(customers, 'id'),
		segments: byCustomer(segments, 'customer_id'),
		codes: byCustomer(codes, 'assigned_to'),
		activities: byCustomer(activities, 'customer_id'),
	};
}

export async function profiles(q: Querier, queries: ProfileQuery[], now: Millis): Promise<ProfileRows[]> {
	// One read per id, with the most activity entries any query for it asks for.
	const limits = new Map<string, number>();
	for (const { customerId, activityLimit } of queries) limits.set(customerId, Math.max(limits.get(customerId) ?? 0, activityLimit));
	const ids = [...limits.keys()];
	const found = new Map<string, ProfileRows>();
	for (let i = 0; i < ids.length; i += CHUNK) {
		const chunk = ids.slice(i, i + CHUNK);
		const rows = await chunkRows(q, chunk, now, Math.max(...chunk.map((id) => limits.get(id)!)));
		for (const customerId of chunk) {
			const customer = rows.customers.get(customerId)?.[0];
			found.set(customerId, {
				customerId,
				customer: customer && toCustomer(customer),
				purchases: await purchases(q, { customerId }),
				segments: (rows.segments.get(customerId) ?? []).map((row) => ({ segment: String(row.name), ...toMembership(row) })),
				codes: (rows.codes.get(customerId) ?? []).map(toHeldCode),
				activities: (rows.activities.get(customerId) ?? []).map(toGuardEntry),
			});
		}
	}
	return queries.map(({ customerId, activityLimit }) => {
		const rows = found.get(customerId)!;
		return { ...rows, activities: rows.activities.slice(0, activityLimit) };
	});
}
