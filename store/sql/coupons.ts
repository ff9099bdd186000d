import { codeKey } from '../../core/codes';
import { NotFoundError } from '../../core/errors';
import type {
	ClaimOutcome,
	ClaimRequest,
	CodeInput,
	HeldCode,
	Millis,
	PoolRow,
	PoolStatus,
	RedeemOutcome,
	RedeemRequest,
	ShopDiscount,
	ShopMark,
} from '../../core/store';
import type { Dialect, Querier, Row } from '../driver';
import { claimFreeCodes } from '../postgres/claims';
import { holderKey, IN_SHOP, inKeyOrder, likePattern, nil, num, opt, placeholders, str } from './util';

const toPool = (row: Row): PoolRow => ({ id: Number(row.id), name: String(row.name), createdAt: Number(row.created_at) });

const CODE_COLUMNS =
	'code, assigned_to, assigned_at, expires_at, redeemed_at, discount_kind, discount_value, currency, minimum_order';

export async function poolId(q: Querier, name: string): Promise<number> {
	const row = await q.get('SELECT id FROM coupon_pools WHERE name = $1', [name]);
	if (!row) {
		throw new NotFoundError('pool', 'Coupon pool', name, 'Pick a pool from the list, check the spelling, or create it with Coupon > Generate Codes or Import Codes.');
	}
	return Number(row.id);
}

export async function listPools(q: Querier, search = ''): Promise<PoolRow[]> {
	const rows = await q.all(`SELECT id, name, created_at FROM coupon_pools WHERE lower(name) LIKE $1 ESCAPE '\\' ORDER BY name LIMIT 500`, [
		likePattern(search),
	]);
	return rows.map(toPool);
}

export async function ensurePools(q: Querier, names: string[], now: Millis): Promise<PoolRow[]> {
	const out: PoolRow[] = [];
	for (const name of names) {
		await q.run('INSERT INTO coupon_pools (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, now]);
		out.push(toPool((await q.get('SELECT id, name, created_at FROM coupon_pools WHERE name = $1', [name]))!));
	}
	return out;
}

/** The INSERT of `rows` codes; a pool fills 1,000 codes a statement. */
function insertCodesSql(rows: number): string {
	const values = Array.from({ length: rows }, (_, i) => `(${placeholders(i * 10 + 1, 10)})`).join(', ');
	return `INSERT INTO coupon_codes (pool_id, code, code_key, discount_kind, discount_value, currency, minimum_order, valid_until, added_at, shop_state)
		VALUES ${values} ON CONFLICT (pool_id, code_key) DO NOTHING RETURNING code_key`;
}
const ADD_CHUNK = 1000;
const INSERT_CHUNK = insertCodesSql(ADD_CHUNK);

/**
 * Inserts codes whose key the pool does not hold yet, 1,000 rows a statement; a later code with a
 * key seen before is skipped. inShop: the codes wait for the shop to create them ('pending').
 */
export async function addCodes(q: Querier, pool: string, codes: CodeInput[], now: Millis, inShop = false): Promise<{ added: number; skipped: string[] }> {
	const id = await poolId(q, pool);
	const keys = codes.map((c) => codeKey(c.code));
	const first = new Map<string, CodeInput>();
	for (let i = 0; i < codes.length; i++) if (!first.has(keys[i])) first.set(keys[i], codes[i]);
	const rows = [...first];
	const added = new Set<string>();
	for (let from = 0; from < rows.length; from += ADD_CHUNK) {
		const chunk = rows.slice(from, from + ADD_CHUNK);
		const inserted = await q.all(
			chunk.length === ADD_CHUNK ? INSERT_CHUNK : insertCodesSql(chunk.length),
			chunk.flatMap(([key, c]) => [id, c.code, key, nil(c.discountKind), nil(c.discountValue), nil(c.currency), nil(c.minimumOrder), nil(c.validUntil), now, inShop ? 'pending' : null]),
		);
		for (const row of inserted) added.add(String(row.code_key));
	}
	const skipped = codes.filter((c, i) => first.get(keys[i]) !== c || !added.has(keys[i]));
	return { added: added.size, skipped: skipped.map((c) => c.code) };
}

function toClaimed(row: Row, pool: string, reused: boolean): ClaimOutcome {
	return {
		assigned: true,
		code: String(row.code),
		pool,
		customerId: String(row.assigned_to),
		assignedAt: Number(row.assigned_at),
		expiresAt: opt(row.expires_at),
		redeemedAt: opt(row.redeemed_at),
		discountKind: str(row.discount_kind) as 'percent' | 'fixed' | undefined,
		discountValue: str(row.discount_value),
		currency: str(row.currency),
		minimumOrder: str(row.minimum_order),
		reused,
	};
}

/**
 * Hands out free codes. The assignment key is unique per pool and customer, so the same customer
 * with the same key always gets the same code back, and another customer with that key gets a
 * code of their own; a free code is taken by one conditional UPDATE, so one code never goes to two
 * customers; an empty pool is an outcome, not an error, and means no free code exists.
 */
export async function claimCodes(
	q: Querier,
	d: Dialect,
	pool: string,
	requests: ClaimRequest[],
	now: Millis,
): Promise<ClaimOutcome[]> {
	const id = await poolId(q, pool);
	if (d.name === 'postgres') {
		const { existing, claimed } = await claimFreeCodes(q, id, requests, now, CODE_COLUMNS);
		const served = new Set<string>();
		return requests.map((request) => {
			const holder = holderKey(request.customerId, request.key);
			const before = existing.get(holder);
			if (before) return toClaimed(before, pool, true);
			const fresh = claimed.get(holder);
			if (!fresh) return { assigned: false, pool };
			const reused = served.has(holder);
			served.add(holder);
			return toClaimed(fresh, pool, reused);
		});
	}
	// SQLite: writers are serialized by BEGIN IMMEDIATE, so per-item statements are exact.
	return inKeyOrder(requests, (r) => holderKey(r.customerId, r.key), async (request) => {
		const existing = await q.get(
			`SELECT ${CODE_COLUMNS} FROM coupon_codes WHERE pool_id = $1 AND assigned_to = $2 AND assignment_key = $3`,
			[id, request.customerId, request.key],
		);
		if (existing) return toClaimed(existing, pool, true);
		const claimed = await q.get(
			`UPDATE coupon_codes SET assigned_to = $1, assignment_key = $2, assigned_at = $3, expires_at = $4
			WHERE id = (
				SELECT id FROM coupon_codes
				WHERE pool_id = $5 AND assigned_to IS NULL AND redeemed_at IS NULL AND (valid_until IS NULL OR valid_until > $3) AND ${IN_SHOP}
				ORDER BY id LIMIT 1
			)
			RETURNING ${CODE_COLUMNS}`,
			[request.customerId, request.key, now, nil(request.expiresAt), id],
		);
		return claimed ? toClaimed(claimed, pool, false) : { assigned: false, pool };
	});
}

export async function poolStatus(q: Querier, pool: string, now: Millis): Promise<PoolStatus> {
	const id = await poolId(q, pool);
	const row = (await q.get(
		`SELECT COUNT(*) AS total,
			SUM(CASE WHEN assigned_to IS NULL AND redeemed_at IS NULL AND (valid_until IS NULL OR valid_until > $2) AND ${IN_SHOP} THEN 1 ELSE 0 END) AS free,
			SUM(CASE WHEN assigned_to IS NOT NULL THEN 1 ELSE 0 END) AS assigned,
			SUM(CASE WHEN redeemed_at IS NOT NULL THEN 1 ELSE 0 END) AS redeemed,
			SUM(CASE WHEN (assigned_to IS NULL AND redeemed_at IS NULL AND valid_until IS NOT NULL AND valid_until <= $2)
				OR (assigned_to IS NOT NULL AND redeemed_at IS NULL AND expires_at IS NOT NULL AND expires_at <= $2)
				THEN 1 ELSE 0 END) AS expired,
			SUM(CASE WHEN shop_state = 'pending' THEN 1 ELSE 0 END) AS not_in_shop,
			SUM(CASE WHEN shop_state = 'refused' THEN 1 ELSE 0 END) AS refused_by_shop
		FROM coupon_codes WHERE pool_id = $1`,
		[id, now],
	))!;
	return {
		pool,
		total: num(row.total),
		free: num(row.free),
		assigned: num(row.assigned),
		redeemed: num(row.redeemed),
		expired: num(row.expired),
		notInShop: num(row.not_in_shop),
		refusedByShop: num(row.refused_by_shop),
	};
}

const toTerms = (row: Row) => ({
	discountKind: str(row.discount_kind) as 'percent' | 'fixed' | undefined,
	discountValue: str(row.discount_value),
	currency: str(row.currency),
	minimumOrder: str(row.minimum_order),
	validUntil: opt(row.valid_until),
});

export async function pendingShopCodes(q: Querier, pool: string, limit: number): Promise<CodeInput[]> {
	const rows = await q.all(
		`SELECT code, discount_kind, discount_value, currency, minimum_order, valid_until FROM coupon_codes
		WHERE pool_id = $1 AND shop_state = 'pending' ORDER BY id LIMIT $2`,
		[await poolId(q, pool), limit],
	);
	return rows.map((row) => ({ code: String(row.code), ...toTerms(row) }));
}

export async function shopDiscounts(q: Querier, pool: string): Promise<ShopDiscount[]> {
	const rows = await q.all(
		`SELECT DISTINCT discount_kind, discount_value, currency, minimum_order, valid_until, shop_discount FROM coupon_codes
		WHERE pool_id = $1 AND shop_discount IS NOT NULL`,
		[await poolId(q, pool)],
	);
	return rows.map((row) => ({ ...toTerms(row), shopDiscount: String(row.shop_discount) }));
}

/** Each mark changes a code only while it is pending: a code the shop created or refused stays so. */
export async function markShopCodes(q: Querier, pool: string, marks: ShopMark[]): Promise<number> {
	const id = await poolId(q, pool);
	let changed = 0;
	for (const mark of marks) {
		const rows = await q.all(
			`UPDATE coupon_codes SET shop_state = $1, shop_id = $2, shop_discount = $3, shop_error = $4
			WHERE pool_id = $5 AND code_key = $6 AND shop_state = 'pending' RETURNING id`,
			[mark.state, nil(mark.shopId), nil(mark.shopDiscount), nil(mark.error), id, codeKey(mark.code)],
		);
		changed += rows.length;
	}
	return changed;
}

/** Marks codes redeemed, found by their key; the outcome names the code as the pool holds it. */
export async function redeemCodes(q: Querier, requests: RedeemRequest[], now: Millis): Promise<RedeemOutcome[]> {
	const out: RedeemOutcome[] = [];
	for (const request of requests) {
		const pool = request.pool === undefined ? undefined : await poolId(q, request.pool);
		const key = codeKey(request.code);
		const inPool = pool === undefined ? '' : ' AND pool_id = $4';
		const marked = await q.all(
			`UPDATE coupon_codes SET redeemed_at = $1, redeemed_order = $2 WHERE code_key = $3 AND redeemed_at IS NULL${inPool}
			RETURNING code, redeemed_at`,
			pool === undefined ? [now, nil(request.orderId), key] : [now, nil(request.orderId), key, pool],
		);
		if (marked.length > 0) {
			out.push({ code: String(marked[0].code), found: true, redeemed: true, redeemedAt: Number(marked[0].redeemed_at) });
			continue;
		}
		const seen = await q.get(
			`SELECT code, redeemed_at FROM coupon_codes WHERE code_key = $1${pool === undefined ? '' : ' AND pool_id = $2'} ORDER BY redeemed_at LIMIT 1`,
			pool === undefined ? [key] : [key, pool],
		);
		out.push({ code: seen ? String(seen.code) : request.code, found: !!seen, redeemed: false, redeemedAt: opt(seen?.redeemed_at) });
	}
	return out;
}

export async function codesOf(q: Querier, customerId: string): Promise<HeldCode[]> {
	const rows = await q.all(
		`SELECT p.name, c.code, c.assigned_at, c.expires_at, c.redeemed_at FROM coupon_codes c JOIN coupon_pools p ON p.id = c.pool_id
		WHERE c.assigned_to = $1 ORDER BY c.assigned_at`,
		[customerId],
	);
	return rows.map(toHeldCode);
}

/** A held code from a row of coupon_codes joined with its pool's name. */
export const toHeldCode = (row: Row): HeldCode => ({
	pool: String(row.name),
	code: String(row.code),
	assignedAt: Number(row.assigned_at),
	expiresAt: opt(row.expires_at),
	redeemedAt: opt(row.redeemed_at),
});
