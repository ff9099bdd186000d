/**
 * PostgreSQL claims, set-based: a batch of N requests costs three statements, not 3N round trips.
 * 1. transaction advisory locks on the batch's assignment keys, taken in hash order (no deadlock
 *    between batches), so concurrent claims with one key queue up;
 * 2. the keys that already hold a code get it back (idempotent retries);
 * 3. the others take free codes in one UPDATE over rows picked FOR UPDATE SKIP LOCKED, so
 *    concurrent batches take disjoint codes and one code never goes to two customers.
 */
import type { ClaimRequest } from '../../core/store';
import type { Querier, Row } from '../driver';

export async function claimFreeCodes(
	q: Querier,
	poolId: number,
	requests: ClaimRequest[],
	now: number,
	columns: string,
): Promise<{ existing: Map<string, Row>; claimed: Map<string, Row> }> {
	const first = new Map<string, ClaimRequest>();
	for (const request of requests) if (!first.has(request.key)) first.set(request.key, request);
	const keys = [...first.keys()];
	await q.get(
		`SELECT COUNT(pg_advisory_xact_lock(hashtext($1), h)) AS locked
		FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY 1) AS s`,
		[`coupon:${poolId}`, keys],
	);
	const existing = new Map<string, Row>();
	for (const row of await q.all(`SELECT assignment_key, ${columns} FROM coupon_codes WHERE pool_id = $1 AND assignment_key = ANY($2::text[])`, [
		poolId,
		keys,
	])) {
		existing.set(String(row.assignment_key), row);
	}
	const missing = keys.filter((k) => !existing.has(k)).map((k) => first.get(k)!);
	const claimed = new Map<string, Row>();
	if (missing.length === 0) return { existing, claimed };
	const rows = await q.all(
		`WITH req AS (
			SELECT r.customer_id, r.key, r.expires_at, r.n
			FROM unnest($3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY AS r (customer_id, key, expires_at, n)
		), free AS (
			SELECT id, row_number() OVER (ORDER BY id) AS n FROM (
				SELECT id FROM coupon_codes
				WHERE pool_id = $1 AND assigned_to IS NULL AND redeemed_at IS NULL AND (valid_until IS NULL OR valid_until > $2)
				ORDER BY id LIMIT $6 FOR UPDATE SKIP LOCKED
			) AS picked
		)
		UPDATE coupon_codes AS c
		SET assigned_to = req.customer_id, assignment_key = req.key, assigned_at = $2, expires_at = req.expires_at
		FROM free JOIN req ON req.n = free.n
		WHERE c.id = free.id
		RETURNING c.assignment_key, ${columns.split(', ').map((col) => `c.${col}`).join(', ')}`,
		[
			poolId,
			now,
			missing.map((r) => r.customerId),
			missing.map((r) => r.key),
			missing.map((r) => r.expiresAt ?? null),
			missing.length,
		],
	);
	for (const row of rows) claimed.set(String(row.assignment_key), row);
	return { existing, claimed };
}
