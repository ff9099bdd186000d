import type { BirthdayQuery, DueQuery, KnownQuery, Millis, OccasionCandidate, OccasionClaim } from '../../core/store';
import type { Querier, Row } from '../driver';
import { inKeyOrder, MIN_TIME, opt, placeholders } from './util';
import { toCart, toCustomer } from './customers';

/** Not yet claimed by this consumer for this occurrence ($1 consumer, $2 kind). */
const unclaimed = (occurrence: string) =>
	`NOT EXISTS (SELECT 1 FROM occasion_claims o WHERE o.consumer = $1 AND o.kind = $2 AND o.customer_id = c.id AND o.occurrence = ${occurrence})`;

/**
 * In [after, before) and, for a next page, after the cursor in the order (instant, id): $3 the lower
 * instant, $4 before, $6 the cursor's id ('' when none, before any id).
 */
const inRange = (at: string, id: string) => `${at} >= $3 AND ${at} < $4 AND (${at} > $3 OR ${id} > $6)`;
const rangeParams = (query: DueQuery) => [
	query.consumer,
	query.kind,
	query.cursor?.at ?? query.after ?? MIN_TIME,
	query.before,
	query.limit,
	query.cursor?.id ?? '',
];

/**
 * Learned of at or after $3 ($3 the cursor's instant for a next page, after it in the order
 * (known, id): $6 the cursor's id, '' when none) and with the relevant instant before $4.
 */
const knownRange = (known: string, at: string, id: string) => `${known} >= $3 AND (${known} > $3 OR ${id} > $6) AND ${at} < $4`;
const knownParams = (query: KnownQuery) => [
	query.consumer,
	query.kind,
	query.cursor?.known ?? query.knownFrom,
	query.before,
	query.limit,
	query.cursor?.id ?? '',
];

const candidates = (rows: Row[], at?: string, known?: string): OccasionCandidate[] =>
	rows.map((row) => ({ customer: toCustomer(row), at: at ? opt(row[at]) : undefined, known: known ? opt(row[known]) : undefined }));

export async function dueBirthdays(q: Querier, query: BirthdayQuery): Promise<OccasionCandidate[]> {
	if (query.monthDays.length === 0) return [];
	const days = placeholders(5, query.monthDays.length);
	const years = placeholders(5 + query.monthDays.length, query.years.length);
	const rows = await q.all(
		`SELECT c.* FROM customers c WHERE c.birth_md IN (${days}) AND c.id > $4
		AND NOT EXISTS (SELECT 1 FROM occasion_claims o WHERE o.consumer = $1 AND o.kind = $2 AND o.customer_id = c.id
			AND o.occurrence IN (${years || "''"}))
		ORDER BY c.id LIMIT $3`,
		[query.consumer, query.kind, query.limit, query.afterCustomerId ?? '', ...query.monthDays, ...query.years],
	);
	return candidates(rows);
}

/** Carts with items, not emptied, and closed by no counted order of the customer placed at or after their last update; `range` and ORDER BY follow. */
const abandonedCarts = (range: string) =>
	`SELECT c.*, k.id AS cart_id, k.customer_id AS cart_customer_id, k.currency AS cart_currency,
		k.total_minor AS cart_total_minor, k.lines AS cart_lines, k.recovery_url AS cart_recovery_url,
		k.updated_at AS cart_updated_at, k.version AS cart_version, k.known_at AS cart_known_at
	FROM carts k JOIN customers c ON c.id = k.customer_id
	WHERE k.closed_at IS NULL AND k.item_count > 0 AND ${range}
	AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = k.customer_id AND o.counted = 1 AND o.placed_at >= k.updated_at)
	AND ${unclaimed("k.id || ':' || CAST(k.version AS TEXT)")}`;

const cartCandidates = (rows: Row[]): OccasionCandidate[] =>
	rows.map((row) => ({ customer: toCustomer(row), at: Number(row.cart_updated_at), known: opt(row.cart_known_at), cart: toCart(row, 'cart_') }));

export async function dueAbandonedCarts(q: Querier, query: DueQuery): Promise<OccasionCandidate[]> {
	const rows = await q.all(`${abandonedCarts(inRange('k.updated_at', 'k.id'))} ORDER BY k.updated_at, k.id LIMIT $5`, rangeParams(query));
	return cartCandidates(rows);
}

export async function knownAbandonedCarts(q: Querier, query: KnownQuery): Promise<OccasionCandidate[]> {
	const rows = await q.all(`${abandonedCarts(knownRange('k.known_at', 'k.updated_at', 'k.id'))} ORDER BY k.known_at, k.id LIMIT $5`, knownParams(query));
	return cartCandidates(rows);
}

const registeredWithoutOrder = (range: string) => `SELECT c.* FROM customers c WHERE c.last_order_at IS NULL AND ${range} AND ${unclaimed("'once'")}`;

export async function dueRegisteredWithoutOrder(q: Querier, query: DueQuery): Promise<OccasionCandidate[]> {
	const rows = await q.all(
		`${registeredWithoutOrder(inRange('c.registered_at', 'c.id'))} ORDER BY c.registered_at, c.id LIMIT $5`,
		rangeParams(query),
	);
	return candidates(rows, 'registered_at', 'registered_known_at');
}

export async function knownRegisteredWithoutOrder(q: Querier, query: KnownQuery): Promise<OccasionCandidate[]> {
	const rows = await q.all(
		`${registeredWithoutOrder(knownRange('c.registered_known_at', 'c.registered_at', 'c.id'))} ORDER BY c.registered_known_at, c.id LIMIT $5`,
		knownParams(query),
	);
	return candidates(rows, 'registered_at', 'registered_known_at');
}

const lapsed = (range: string) => `SELECT c.* FROM customers c WHERE ${range} AND ${unclaimed('CAST(c.last_order_at AS TEXT)')}`;

export async function dueLapsed(q: Querier, query: DueQuery): Promise<OccasionCandidate[]> {
	const rows = await q.all(`${lapsed(inRange('c.last_order_at', 'c.id'))} ORDER BY c.last_order_at, c.id LIMIT $5`, rangeParams(query));
	return candidates(rows, 'last_order_at', 'last_order_known_at');
}

export async function knownLapsed(q: Querier, query: KnownQuery): Promise<OccasionCandidate[]> {
	const rows = await q.all(
		`${lapsed(knownRange('c.last_order_known_at', 'c.last_order_at', 'c.id'))} ORDER BY c.last_order_known_at, c.id LIMIT $5`,
		knownParams(query),
	);
	return candidates(rows, 'last_order_at', 'last_order_known_at');
}

export async function claimOccasions(q: Querier, claims: OccasionClaim[], now: Millis): Promise<boolean[]> {
	// In key order, so that two pollers claiming overlapping sets never deadlock.
	return inKeyOrder(claims, (c) => [c.consumer, c.kind, c.customerId, c.occurrence].join('\u0000'), async (claim) => {
		const row = await q.get(
			`INSERT INTO occasion_claims (consumer, kind, customer_id, occurrence, claimed_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (consumer, kind, customer_id, occurrence) DO NOTHING RETURNING customer_id`,
			[claim.consumer, claim.kind, claim.customerId, claim.occurrence, now],
		);
		return !!row;
	});
}
