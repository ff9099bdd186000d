/**
 * Coupon pools: generate, import, assign exactly once, status, redeem.
 */
import { randomInt } from 'node:crypto';
import { customerIdOf, oneOf, requireText, textItems, wholeNumber } from './check';
import { codeKey, invisibleIn } from './codes';
import { InputError, quote } from './errors';
import { MAX_CODE_LENGTH, MAX_NAME_LENGTH } from './limits';
import { requireShopDiscount } from './shopcodes';
import { normalizeCurrency, normalizeDecimal } from './money';
import type { ClaimOutcome, ClaimRequest, CodeInput, Store } from './store';
import { addDuration, instantIn, isoUtc, normalizeAmount, parseInstant, TIME_UNITS, type TimeUnit } from './time';

/** No 0/O, 1/I/L, 5/S, 2/Z, 8/B: codes people can read out and type. */
export const UNAMBIGUOUS_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

export function poolName(value: unknown, field = 'pool'): string {
	return requireText(value, field, 'Pick a coupon pool from the list or type its name, e.g. thank-you-20.', MAX_NAME_LENGTH);
}

/** A code to store, trimmed and otherwise kept as given (its case too): codes are compared by codeKey. */
export function normalizeCode(value: unknown, field = 'code'): string {
	const hint = `Codes have no spaces and at most ${MAX_CODE_LENGTH} characters.`;
	const code = requireText(value, field, hint, MAX_CODE_LENGTH);
	if (/\s/.test(code)) throw new InputError(field, `${quote(code)} is not a coupon code`, hint);
	const invisible = invisibleIn(code);
	if (invisible) {
		throw new InputError(
			field,
			`${quote(code)} contains an invisible character (${invisible})`,
			'Remove it: customers can neither see nor type it. Copy the code from a plain-text source or type it again.',
		);
	}
	return code;
}

export interface Discount {
	discountKind?: 'percent' | 'fixed';
	discountValue?: string;
	currency?: string;
	minimumOrder?: string;
}

export function parseDiscount(raw: { kind?: unknown; value?: unknown; currency?: unknown; minimumOrder?: unknown }): Discount {
	if (raw.kind === undefined || raw.kind === '' || raw.kind === 'none') return {};
	const discountKind = oneOf(raw.kind, ['percent', 'fixed'] as const, 'discountKind');
	const discountValue = normalizeDecimal(raw.value, 'discountValue');
	if (discountKind === 'percent' && (Number(discountValue) <= 0 || Number(discountValue) > 100)) {
		throw new InputError('discountValue', `${discountValue}% is not a percentage from 0 to 100`, 'Enter a percentage above 0 and at most 100, e.g. 20.');
	}
	if (discountKind === 'fixed' && Number(discountValue) <= 0) {
		throw new InputError('discountValue', `${discountValue} is not a discount`, 'Enter an amount above 0, e.g. 5.00.');
	}
	const currency = raw.currency ? normalizeCurrency(raw.currency, 'currency') : undefined;
	if (discountKind === 'fixed' && !currency) throw new InputError('currency', 'is needed for a fixed-amount discount', 'Enter the store currency, e.g. EUR.');
	const minimumOrder = raw.minimumOrder === undefined || raw.minimumOrder === '' ? undefined : normalizeDecimal(raw.minimumOrder, 'minimumOrder');
	if (minimumOrder !== undefined && minimumOrder.startsWith('-')) {
		throw new InputError('minimumOrder', `${minimumOrder} is below zero`, 'Enter 0 or more, or leave it empty.');
	}
	return { discountKind, discountValue, currency, minimumOrder };
}

export interface GenerateInput {
	pool: unknown;
	count: unknown;
	prefix?: unknown;
	length?: unknown;
	discount?: Discount;
	validUntil?: unknown;
	/** The codes are to be created in the shop: pending until it has (shopcodes/index.ts). */
	inShop?: boolean;
}

export function randomCode(prefix: string, length: number, alphabet = UNAMBIGUOUS_ALPHABET): string {
	let out = prefix;
	for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
	return out;
}

/** Generates `count` new codes, cryptographically random and unique within the pool. */
export async function generateCodes(store: Store, now: number, input: GenerateInput): Promise<{ pool: string; added: number; codes: string[] }> {
	const pool = poolName(input.pool);
	const count = wholeNumber(input.count, 'count', 1, 100_000);
	const prefix = input.prefix === undefined || input.prefix === '' ? '' : normalizeCode(input.prefix, 'prefix');
	const length = wholeNumber(input.length ?? 8, 'length', 4, 32);
	if (UNAMBIGUOUS_ALPHABET.length ** length < count * 100) {
		throw new InputError('length', `${length} characters are too few for ${count} unique codes`, 'Use more characters.');
	}
	const validUntil = input.validUntil === undefined || input.validUntil === '' ? undefined : parseInstant(input.validUntil, 'validUntil');
	if (input.inShop) requireShopDiscount(input.discount ?? {});
	await store.ensurePools([pool], now);
	const codes: string[] = [];
	for (let attempt = 0; codes.length < count && attempt < 10; attempt++) {
		const batch = new Set<string>();
		while (batch.size < count - codes.length) batch.add(randomCode(prefix, length));
		const candidates = [...batch];
		const { skipped } = await store.addCodes(pool, candidates.map((code) => ({ code, ...input.discount, validUntil })), now, input.inShop);
		const taken = new Set(skipped);
		codes.push(...candidates.filter((c) => !taken.has(c)));
	}
	return { pool, added: codes.length, codes };
}

/** Imports codes (from items or a pasted list), kept as given; codes with the same codeKey are skipped and counted. */
export async function importCodes(
	store: Store,
	now: number,
	input: { pool: unknown; codes: unknown; discount?: Discount; validUntil?: unknown; createPool: boolean; inShop?: boolean },
): Promise<{ pool: string; added: number; skipped: number; skippedCodes: string[] }> {
	const pool = poolName(input.pool);
	const list = textItems(input.codes);
	if (list.length === 0) throw new InputError('codes', 'no code to import', 'Paste codes one per line or separated by commas, or map a field of the items.');
	const validUntil = input.validUntil === undefined || input.validUntil === '' ? undefined : parseInstant(input.validUntil, 'validUntil');
	const codes: CodeInput[] = list.map((c, i) => ({ code: normalizeCode(c, `codes[${i}]`), ...input.discount, validUntil }));
	if (input.inShop) requireShopDiscount(input.discount ?? {});
	if (input.createPool) await store.ensurePools([pool], now);
	const unique = [...firstByKey(codes).values()];
	const { added, skipped } = await store.addCodes(pool, unique, now, input.inShop);
	const dupes = codes.length - unique.length;
	return { pool, added, skipped: skipped.length + dupes, skippedCodes: skipped };
}

function firstByKey(codes: CodeInput[]): Map<string, CodeInput> {
	const first = new Map<string, CodeInput>();
	for (const c of codes) {
		const key = codeKey(c.code);
		if (!first.has(key)) first.set(key, c);
	}
	return first;
}

export type Expiry = { kind: 'never' } | { kind: 'at'; at: unknown } | { kind: 'after'; amount: unknown; unit: unknown };

export interface AssignInput {
	customerId: unknown;
	/** Idempotency key of this customer (default: the event id). Ignored in "one per customer" mode, where the customer is the key. */
	key: unknown;
	mode: 'perCustomer' | 'each';
	expiry: Expiry;
	zone?: string;
}

export function prepareAssign(input: AssignInput, now: number): ClaimRequest {
	const customerId = customerIdOf(input.customerId);
	const mode = oneOf(input.mode, ['perCustomer', 'each'] as const, 'assignment');
	const key =
		mode === 'perCustomer'
			? `customer:${customerId}`
			: `key:${requireText(input.key, 'assignmentKey', 'Use the ID of the event that started the workflow, e.g. {{ $json.id }}.')}`;
	let expiresAt: number | undefined;
	if (input.expiry.kind === 'at') expiresAt = parseInstant(instantIn(input.expiry.at, input.zone || 'UTC'), 'expiresAt');
	else if (input.expiry.kind === 'after') {
		const unit = oneOf(input.expiry.unit, [...TIME_UNITS, 'years'] as const, 'expiryUnit') as TimeUnit | 'years';
		expiresAt = addDuration(now, normalizeAmount(input.expiry.amount, 'expiresAfter'), unit, input.zone || 'UTC', 'expiresAfter');
	}
	if (expiresAt !== undefined && expiresAt <= now) {
		const field = input.expiry.kind === 'at' ? 'expiresAt' : 'expiresAfter';
		throw new InputError(field, 'the code would be expired when it is handed out', 'Choose an expiry in the future.');
	}
	return { customerId, key, expiresAt };
}

export interface CouponResult {
	assigned: boolean;
	pool: string;
	code?: string;
	assignedAt?: string;
	expiresAt?: string;
	discount?: Discount;
	reused?: boolean;
	/** A code handed out earlier (same customer or key) whose expiry has passed. */
	expired?: boolean;
	/** A code handed out earlier that the customer has already used in an order. */
	redeemed?: boolean;
	redeemedAt?: string;
}

export function describeClaim(outcome: ClaimOutcome, now?: number): CouponResult {
	if (!outcome.assigned) return { assigned: false, pool: outcome.pool };
	return {
		assigned: true,
		pool: outcome.pool,
		code: outcome.code,
		assignedAt: isoUtc(outcome.assignedAt),
		expiresAt: outcome.expiresAt === undefined ? undefined : isoUtc(outcome.expiresAt),
		discount: outcome.discountKind
			? { discountKind: outcome.discountKind, discountValue: outcome.discountValue, currency: outcome.currency, minimumOrder: outcome.minimumOrder }
			: undefined,
		reused: outcome.reused,
		expired: now !== undefined && outcome.expiresAt !== undefined && outcome.expiresAt <= now,
		redeemed: outcome.redeemedAt !== undefined,
		redeemedAt: outcome.redeemedAt === undefined ? undefined : isoUtc(outcome.redeemedAt),
	};
}
