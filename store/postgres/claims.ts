/**
 * PostgreSQL claims, set-based: a batch of N requests costs a few statements, not 3N round trips.
 * 1. transaction advisory locks on the batch's (customer, assignment key) pairs, taken in hash
 *    order (no deadlock between batches), so concurrent claims of one customer and key queue up;
 * 2. the pairs that already hold a code get it back (idempotent retries);
 * 3. the others take free codes in one UPDATE over rows picked FOR UPDATE SKIP LOCKED, so
 *    concurrent batches take disjoint codes and one code never goes to two customers;
 * 4. when that comes up short while free codes exist, they were locked by transactions still
 *    running, which may roll back: the UPDATE is undone (to a savepoint, releasing its row locks,
 *    so no waiting transaction waits on this one) and runs again waiting for those locks, round
 *    after round while requests are left and free codes exist (at most 10 rounds). So Pool Empty
 *    means that no free code exists.
 */
import type { ClaimRequest } from '../../core/store';
import type { Querier, Row } from '../driver';
import { holderKey, IN_SHOP } from '../sql/util';

/** Waiting claims per batch, at most: each round waits for other transactions to end. */
const MAX_WAITING_ROUNDS = 10;

const FREE = `pool_id = $1 AND assigned_to IS NULL AND redeemed_at IS NULL AND (valid_until IS NULL OR valid_until > $2) AND ${IN_SHOP}`;

function claimStatement(columns: string, lock: 'FOR UPDATE SKIP LOCKED' | 'FOR UPDATE'): string {
	return `WITH req AS (
		SELECT r.customer_id, r.key, r.expires_at, r.n
		FROM unnest($3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY AS r (customer_id, key, expires_at, n)
	), free AS (
		SELECT id, row_number() OVER (ORDER BY id) AS n FROM (
			SELECT id FROM coupon_codes WHERE ${FREE} ORDER BY id LIMIT $6 ${lock}
		) AS picked
	)
	UPDATE coupon_codes AS c
	SET assigned_to = req.customer_id, assignment_key = req.key, assigned_at = $2, expires_at = req.expires_at
	FROM free JOIN req ON req.n = free.n
	WHERE c.id = free.id
	RETURNING c.assigned_to AS holder, c.assignment_key AS holder_key, ${columns.split(', ').map((col) => `c.${col}`).join(', ')}`;
}

export async function claimFreeCodes(
	q: Querier,
	poolId: number,
	requests: ClaimRequest[],
	now: number,
	columns: string,
): Promise<{ existing: Map<string, Row>; claimed: Map<string, Row> }> {
	const first = new Map<string, ClaimRequest>();
	for (const request of requests) {
		const holder = holderKey(request.customerId, request.key);
		if (!first.has(holder)) first.set(holder, request);
	}
	const holders = [...first.keys()];
	await q.get(
		`SELECT COUNT(pg_advisory_xact_lock(hashtext($1), h)) AS locked
		FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY 1) AS s`,
		[`coupon:${poolId}`, holders],
	);
	const existing = new Map<string, Row>();
	const unique = [...first.values()];
	for (const row of await q.all(
		`SELECT assigned_to AS holder, assignment_key AS holder_key, ${columns} FROM coupon_codes
		WHERE pool_id = $1 AND (assigned_to, assignment_key) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
		[poolId, unique.map((r) => r.customerId), unique.map((r) => r.key)],
	)) {
		existing.set(holderKey(String(row.holder), String(row.holder_key)), row);
	}
	const missing = unique.filter((r) => !existing.has(holderKey(r.customerId, r.key)));
	const claimed = new Map<string, Row>();
	if (missing.length === 0) return { existing, claimed };
	const params = (requests: ClaimRequest[]) => [
		poolId,
		now,
		requests.map((r) => r.customerId),
		requests.map((r) => r.key),
		requests.map((r) => r.expiresAt ?? null),
		requests.length,
	];
	const anyFree = async () => (await q.get(`SELECT 1 AS free FROM coupon_codes WHERE ${FREE} LIMIT 1`, [poolId, now])) !== undefined;
	await q.run('SAVEPOINT claim');
	let rows = await q.all(claimStatement(columns, 'FOR UPDATE SKIP LOCKED'), params(missing));
	if (rows.length < missing.length && (await anyFree())) {
		await q.run('ROLLBACK TO SAVEPOINT claim');
		rows = [];
		// A row waited for may have been taken meanwhile: PostgreSQL then drops it without picking
		// another, so claim again for the requests still without a code while free codes exist.
		let pending = missing;
		for (let round = 0; round < MAX_WAITING_ROUNDS && pending.length > 0; round++) {
			const got = await q.all(claimStatement(columns, 'FOR UPDATE'), params(pending));
			rows.push(...got);
			const served = new Set(got.map((row) => holderKey(String(row.holder), String(row.holder_key))));
			pending = pending.filter((r) => !served.has(holderKey(r.customerId, r.key)));
			if (pending.length > 0 && !(await anyFree())) break;
		}
	}
	await q.run('RELEASE SAVEPOINT claim');
	for (const row of rows) claimed.set(holderKey(String(row.holder), String(row.holder_key)), row);
	return { existing, claimed };
}
