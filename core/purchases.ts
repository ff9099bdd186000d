/**
 * Purchase Check: conditions over a customer's purchase history within a time window.
 */
import type { Clock } from './clock';
import { oneOf, requireText, textList, wholeNumber, customerIdOf } from './check';
import { codeKey } from './codes';
import { MAX_LABEL_LENGTH } from './limits';
import { InputError } from './errors';
import { fromMinor, normalizeCurrency, toMinor } from './money';
import type { PurchaseRows, Store } from './store';
import { isoUtc, resolveWindow, type TimeWindow } from './time';

export const COMPARISONS = ['gt', 'gte', 'eq', 'lte', 'lt'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export type PurchaseCondition =
	| { kind: 'orderCount'; compare: Comparison; value: number }
	| { kind: 'amountSpent' | 'averageOrderValue'; compare: Comparison; amount: string; currency: string }
	| { kind: 'boughtCategories' | 'boughtProducts' | 'boughtSkus' | 'usedCoupons' | 'usedPromotions'; values: string[] };

export const CONDITION_KINDS = [
	'orderCount',
	'amountSpent',
	'averageOrderValue',
	'boughtCategories',
	'boughtProducts',
	'boughtSkus',
	'usedCoupons',
	'usedPromotions',
] as const;

export interface PurchaseCheckInput {
	customerId: unknown;
	window: TimeWindow;
	/** Customer or workflow time zone, for calendar windows. */
	zone?: string;
	conditions: unknown[];
	combine: 'all' | 'any';
}

export interface PurchaseSummary {
	customerId: string;
	window: { from?: string; to?: string };
	count: number;
	/** Amount spent per currency, decimal strings. */
	amounts: Record<string, string>;
	averages: Record<string, string>;
	firstOrderAt?: string;
	lastOrderAt?: string;
	categories: string[];
	products: string[];
	skus: string[];
	couponCodes: string[];
	promotions: string[];
}

export interface PurchaseVerdict {
	pass: boolean;
	purchases: PurchaseSummary & { conditions: Array<{ kind: string; pass: boolean; matched?: string[] }> };
}

const compare = (a: bigint | number, op: Comparison, b: bigint | number): boolean =>
	op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'eq' ? a === b : op === 'lte' ? a <= b : a < b;

export function parseCondition(raw: unknown, index: number): PurchaseCondition {
	const field = `conditions[${index}]`;
	const c = (raw ?? {}) as Record<string, unknown>;
	const kind = oneOf(c.kind, CONDITION_KINDS, `${field}.kind`);
	switch (kind) {
		case 'orderCount':
			return { kind, compare: oneOf(c.compare ?? 'gte', COMPARISONS, `${field}.compare`), value: wholeNumber(c.value, `${field}.value`, 0) };
		case 'amountSpent':
		case 'averageOrderValue': {
			const currency = normalizeCurrency(c.currency, `${field}.currency`);
			const amount = String(c.amount ?? '');
			toMinor(amount, currency, `${field}.amount`);
			return { kind, compare: oneOf(c.compare ?? 'gt', COMPARISONS, `${field}.compare`), amount, currency };
		}
		default: {
			const values = textList(c.values).map((value, i) => requireText(value, `${field}.values[${i}]`, undefined, MAX_LABEL_LENGTH));
			if (values.length === 0) throw new InputError(`${field}.values`, 'lists nothing to look for', 'Enter one or more values, separated by commas.');
			return { kind, values };
		}
	}
}

export function summarize(rows: PurchaseRows, window: { from?: number; to?: number }): PurchaseSummary {
	const amounts: Record<string, string> = {};
	const averages: Record<string, string> = {};
	let count = 0;
	for (const t of rows.totals) {
		count += t.orders;
		amounts[t.currency] = fromMinor(t.amountMinor, t.currency);
		averages[t.currency] = fromMinor(t.orders ? t.amountMinor / BigInt(t.orders) : 0n, t.currency);
	}
	return {
		customerId: rows.customerId,
		window: { from: window.from === undefined ? undefined : isoUtc(window.from), to: window.to === undefined ? undefined : isoUtc(window.to) },
		count,
		amounts,
		averages,
		firstOrderAt: rows.firstOrderAt === undefined ? undefined : isoUtc(rows.firstOrderAt),
		lastOrderAt: rows.lastOrderAt === undefined ? undefined : isoUtc(rows.lastOrderAt),
		categories: rows.categories,
		products: rows.products,
		skus: rows.skus,
		couponCodes: rows.couponCodes,
		promotions: rows.promotions,
	};
}

function evaluate(condition: PurchaseCondition, rows: PurchaseRows, summary: PurchaseSummary) {
	switch (condition.kind) {
		case 'orderCount':
			return { kind: condition.kind, pass: compare(summary.count, condition.compare, condition.value) };
		case 'amountSpent':
		case 'averageOrderValue': {
			const total = rows.totals.find((t) => t.currency === condition.currency);
			const spent = total ? (condition.kind === 'amountSpent' ? total.amountMinor : total.amountMinor / BigInt(total.orders)) : 0n;
			return { kind: condition.kind, pass: compare(spent, condition.compare, toMinor(condition.amount, condition.currency)) };
		}
		default: {
			const have =
				condition.kind === 'boughtCategories'
					? rows.categories
					: condition.kind === 'boughtProducts'
						? rows.products
						: condition.kind === 'boughtSkus'
							? rows.skus
							: condition.kind === 'usedCoupons'
								? rows.couponCodes
								: rows.promotions;
			// Coupon codes are the same code when their codeKey is; the other values ignore case.
			const key = condition.kind === 'usedCoupons' ? codeKey : (v: string) => v.toLowerCase();
			const wanted = new Set(condition.values.map(key));
			const matched = have.filter((v) => wanted.has(key(v)));
			return { kind: condition.kind, pass: matched.length > 0, matched };
		}
	}
}

export interface PreparedPurchaseCheck {
	customerId: string;
	window: { from?: number; to?: number };
	conditions: PurchaseCondition[];
	combine: 'all' | 'any';
}

/** Validates one item's input (InputError naming the field); nothing is read or written. */
export function preparePurchaseCheck(input: PurchaseCheckInput, now: number): PreparedPurchaseCheck {
	const customerId = customerIdOf(input.customerId);
	const window = resolveWindow(input.window, now, input.zone || 'UTC');
	if (!Array.isArray(input.conditions) || input.conditions.length === 0) {
		throw new InputError('conditions', 'no condition is set', 'Add at least one condition, e.g. Number of Orders >= 1.');
	}
	return { customerId, window, conditions: input.conditions.map(parseCondition), combine: oneOf(input.combine, ['all', 'any'], 'combine') };
}

/** Runs prepared checks in one store transaction. */
export async function runPurchaseChecks(store: Store, prepared: PreparedPurchaseCheck[]): Promise<PurchaseVerdict[]> {
	const rows = await store.purchases(prepared.map((p) => ({ customerId: p.customerId, ...p.window })));
	return prepared.map((p, i) => {
		const summary = summarize(rows[i], p.window);
		const results = p.conditions.map((c) => evaluate(c, rows[i], summary));
		const pass = p.combine === 'any' ? results.some((r) => r.pass) : results.every((r) => r.pass);
		return { pass, purchases: { ...summary, conditions: results } };
	});
}

export async function checkPurchases(store: Store, clock: Clock, inputs: PurchaseCheckInput[]): Promise<PurchaseVerdict[]> {
	const now = clock.now();
	return runPurchaseChecks(store, inputs.map((input) => preparePurchaseCheck(input, now)));
}
