/**
 * Money without floating point. Amounts travel as decimal strings ("404.95") and are stored and
 * summed as integer minor units (BigInt where sums may grow).
 */
import { isCurrency } from './currencies';
import { InputError, quote } from './errors';
import { checkLength, MAX_AMOUNT_LENGTH } from './limits';

const DECIMAL = /^-?\d+(\.\d+)?$/;
const CURRENCY = /^[A-Z]{3}$/;

const MAX_MINOR = BigInt(Number.MAX_SAFE_INTEGER);

const exponentCache = new Map<string, number>();

/** Minor-unit exponent of an ISO 4217 currency (EUR 2, JPY 0, KWD 3), from Intl. */
export function currencyExponent(currency: string): number {
	let exponent = exponentCache.get(currency);
	if (exponent === undefined) {
		try {
			exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
				.maximumFractionDigits as number;
		} catch {
			exponent = 2;
		}
		exponentCache.set(currency, exponent);
	}
	return exponent;
}

const CURRENCY_HINT = 'Use the three-letter ISO 4217 code of the currency the amount is in, such as EUR or USD.';

/** Upper-case ISO 4217 code of a currency of payment (core/currencies.ts), or an InputError naming the field. */
export function normalizeCurrency(value: unknown, field = 'currency'): string {
	const code = typeof value === 'string' ? value.trim().toUpperCase() : '';
	if (!CURRENCY.test(code)) {
		const shown = typeof value === 'string' ? quote(value) : describe(value);
		throw new InputError(field, `${shown} is not a currency code`, CURRENCY_HINT);
	}
	if (!isCurrency(code)) throw new InputError(field, `"${code}" is not an ISO 4217 currency of payment`, CURRENCY_HINT);
	return code;
}

/**
 * Canonical decimal string from a string or a number as vendors send them ("404.95", 18, 18.5).
 * Numbers are read through their shortest decimal representation, never added up as floats.
 */
export function normalizeDecimal(value: unknown, field = 'amount'): string {
	let text: string;
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new InputError(field, `${value} is not an amount`);
		text = numberToPlainString(value);
	} else if (typeof value === 'string') {
		text = value.trim();
	} else {
		throw new InputError(field, `expected an amount such as "19.99", got ${describe(value)}`);
	}
	checkLength(text, field, MAX_AMOUNT_LENGTH, 'Write amounts with digits and an optional decimal point, e.g. 19.99.');
	if (!DECIMAL.test(text)) {
		throw new InputError(field, `${quote(text)} is not a decimal amount`, 'Write amounts with digits and an optional decimal point, e.g. 19.99.');
	}
	return text;
}

/** A decimal amount of 0 or more (a price, an order total); "-0" is "0". */
export function nonNegativeDecimal(value: unknown, field = 'amount'): string {
	const text = normalizeDecimal(value, field);
	if (!text.startsWith('-')) return text;
	if (/^-[0.]+$/.test(text)) return text.slice(1);
	throw new InputError(field, `${text} is below zero`, 'Send the amount the customer pays, 0 or more, e.g. 19.99.');
}

/** Integer minor units (as BigInt) of a decimal amount in a currency; rounds half away from zero. */
export function toMinor(amount: string, currency: string, field = 'amount'): bigint {
	const text = normalizeDecimal(amount, field);
	const exponent = currencyExponent(currency);
	const negative = text.startsWith('-');
	const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
	const kept = (fraction + '0'.repeat(exponent)).slice(0, exponent);
	let minor = BigInt(whole + kept);
	const next = fraction.charAt(exponent);
	if (next !== '' && next >= '5') minor += 1n;
	// Stored as a 64-bit integer and summed per customer: keep within Number's exact range.
	if (minor > MAX_MINOR) {
		throw new InputError(field, `${text} ${currency} is too large an amount`, 'Check the amount: at most 15 digits before the decimal point are stored.');
	}
	return negative ? -minor : minor;
}

/** Decimal string of integer minor units in a currency: 40495n, EUR -> "404.95". */
export function fromMinor(minor: bigint | number | string, currency: string): string {
	const exponent = currencyExponent(currency);
	let value = BigInt(minor);
	const negative = value < 0n;
	if (negative) value = -value;
	const digits = value.toString().padStart(exponent + 1, '0');
	const whole = digits.slice(0, digits.length - exponent);
	const fraction = digits.slice(digits.length - exponent);
	return (negative ? '-' : '') + whole + (exponent > 0 ? `.${fraction}` : '');
}

/** Compare two decimal amounts of one currency exactly: -1, 0 or 1. */
export function compareAmounts(a: string, b: string, currency: string): number {
	const x = toMinor(a, currency);
	const y = toMinor(b, currency);
	return x < y ? -1 : x > y ? 1 : 0;
}

function numberToPlainString(value: number): string {
	const text = String(value);
	if (!/e/i.test(text)) return text;
	// Exponent notation (1e21, 5e-7): expand without float arithmetic.
	const [mantissa, exp] = text.toLowerCase().split('e');
	const power = Number(exp);
	const negative = mantissa.startsWith('-');
	const [intPart, fracPart = ''] = (negative ? mantissa.slice(1) : mantissa).split('.');
	const digits = intPart + fracPart;
	const point = intPart.length + power;
	let out: string;
	if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
	else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
	else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
	return (negative ? '-' : '') + out;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : typeof value === 'symbol' ? 'a symbol' : `${typeof value} ${String(value)}`;
}
