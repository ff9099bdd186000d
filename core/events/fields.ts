/**
 * Small field readers shared by the event validator and the vendor normalizers. Every reader
 * takes the field path it reports in errors (`order.lines[2].price`, `line_items[0].product_id`)
 * and either returns a normalized value or throws an InputError naming that path.
 *
 * Inputs are untrusted JSON: objects are read through own properties only, and values are never
 * turned into text with String() (a JSON object may carry its own `toString` key).
 */
import { daysInMonth } from '../calendar';
import { InputError } from '../errors';
import { identifier, MAX_EMAIL_LENGTH, MAX_ID_LENGTH, MAX_LABEL_LENGTH, MAX_LABELS, MAX_URL_LENGTH, checkLength, freeText } from '../limits';
import { fromMinor, nonNegativeDecimal, normalizeCurrency, normalizeDecimal, toMinor } from '../money';

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of a JSON object, never an inherited one (`constructor`, `toString`). */
export function own(obj: JsonObject, key: string): unknown {
	return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** Nested own property: pick(order, 'customer', 'email'); undefined when any step is missing. */
export function pick(value: unknown, ...keys: string[]): unknown {
	let current = value;
	for (const key of keys) {
		if (!isRecord(current)) return undefined;
		current = own(current, key);
	}
	return current;
}

/** `absent` is undefined, null and the empty (or blank) string: vendors use all three. */
export function isAbsent(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Short, safe text for a value in an error message. */
export function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	switch (typeof value) {
		case 'string': {
			const text = value.length > 60 ? `${value.slice(0, 57)}...` : value;
			return JSON.stringify(text);
		}
		case 'number':
		case 'boolean':
		case 'bigint':
			return `${value}`;
		case 'object':
			return 'an object';
		default:
			return `a ${typeof value}`;
	}
}

export function requireRecord(value: unknown, field: string, hint?: string): JsonObject {
	if (!isRecord(value)) {
		throw new InputError(field, `expected an object, got ${describe(value)}`, hint);
	}
	return value;
}

const ID_HINT = 'Send ids as strings (e.g. "820982911946154508") or as whole numbers.';

/**
 * An identifier as a non-empty string. Whole numbers become their digits; numbers beyond 2^53
 * have already lost digits when they reach us as numbers, so they are refused rather than stored
 * wrong (parseJsonBody keeps such numbers as strings).
 */
export function idOf(value: unknown, field: string): string {
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') throw new InputError(field, 'is empty', ID_HINT);
		return identifier(text, field, MAX_ID_LENGTH, ID_HINT);
	}
	if (typeof value === 'number') {
		if (Number.isSafeInteger(value)) return `${value}`;
		if (Number.isInteger(value)) {
			throw new InputError(
				field,
				`${value} is above 2^53 and has lost digits`,
				'Parse the raw body with parseJsonBody, or send the id as a string.',
			);
		}
		throw new InputError(field, `${value} is not a whole number`, ID_HINT);
	}
	if (typeof value === 'bigint') return checkLength(`${value}`, field, MAX_ID_LENGTH, ID_HINT);
	throw new InputError(field, `expected an id, got ${describe(value)}`, ID_HINT);
}

/**
 * Optional free text (see freeText in core/limits): absent -> undefined; numbers become their
 * digits; anything else is an error.
 */
export function optText(value: unknown, field: string): string | undefined {
	if (isAbsent(value)) return undefined;
	if (typeof value === 'string') return freeText(value, field).trim() || undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return `${value}`;
	throw new InputError(field, `expected text, got ${describe(value)}`);
}

/** Required text (trimmed, non-empty). */
export function text(value: unknown, field: string, hint?: string): string {
	const result = optText(value, field);
	if (result === undefined) throw new InputError(field, 'is required', hint);
	return result;
}

/** Lenient optional text for vendor payloads: values of the wrong type are ignored. */
export function looseText(value: unknown): string | undefined {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? undefined : trimmed;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return `${value}`;
	return undefined;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** An email address, trimmed and lower-cased, or undefined when it does not look like one. */
export function looseEmail(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const email = value.trim().toLowerCase();
	return EMAIL.test(email) ? email : undefined;
}

/** Optional email, trimmed and lower-cased; a value that is not an email is an error. */
export function optEmail(value: unknown, field: string): string | undefined {
	if (isAbsent(value)) return undefined;
	const email = looseEmail(value);
	if (email === undefined) {
		throw new InputError(field, `${describe(value)} is not an email address`, 'Use an address such as jane@example.com.');
	}
	return identifier(email, field, MAX_EMAIL_LENGTH, 'Use an address such as jane@example.com.');
}

/** Optional boolean (true/false only). */
export function optBoolean(value: unknown, field: string): boolean | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'boolean') return value;
	throw new InputError(field, `expected true or false, got ${describe(value)}`);
}

/** A whole number of 0 or more; digit strings are accepted. */
export function count(value: unknown, field: string): number {
	let n = Number.NaN;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) n = Number(value);
	if (!Number.isSafeInteger(n) || n < 0) {
		throw new InputError(field, `${describe(value)} is not a whole number of 0 or more`, 'Use a quantity such as 1 or 2.');
	}
	return n;
}

/**
 * A list of labels (categories, coupon codes, promotions): absent -> []; each entry trimmed,
 * empty entries dropped, duplicates removed (first one kept).
 */
export function labelList(value: unknown, field: string): string[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		throw new InputError(field, `expected a list, got ${describe(value)}`, 'Use a JSON list such as ["shoes", "sale"].');
	}
	if (value.length > MAX_LABELS) throw new InputError(field, `has ${value.length} entries; at most ${MAX_LABELS} are allowed`);
	const out: string[] = [];
	value.forEach((entry: unknown, index) => {
		const path = `${field}[${index}]`;
		if (isAbsent(entry)) return;
		if (typeof entry !== 'string' && !(typeof entry === 'number' && Number.isFinite(entry))) {
			throw new InputError(path, `expected text, got ${describe(entry)}`);
		}
		const label = identifier(`${entry}`.trim(), path, MAX_LABEL_LENGTH);
		if (!out.includes(label)) out.push(label);
	});
	return out;
}

/** Append labels to a list without duplicates, blanks or over-long labels (vendor payloads). */
export function addLabels(target: string[], labels: Iterable<string | undefined>): string[] {
	for (const label of labels) {
		const trimmed = label?.trim();
		if (trimmed && trimmed.length <= MAX_LABEL_LENGTH && !target.includes(trimmed)) target.push(trimmed);
	}
	return target;
}

// ---------------------------------------------------------------------------------------------
// Instants
// ---------------------------------------------------------------------------------------------

const ISO_DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const TIME_HINT = 'Use ISO 8601 with a time zone offset, e.g. 2026-05-01T09:00:00Z or 2026-05-01T11:00:00+02:00.';

/** Epoch ms of 0000-01-01T00:00:00Z and of the end of 9999: the range of a 24-character ISO string. */
const FIRST_MS = (() => {
	const d = new Date(0);
	d.setUTCFullYear(0, 0, 1);
	return d.getTime();
})();
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * An instant as ISO 8601 UTC with milliseconds (`2022-01-01T00:00:00.000Z`, always 24
 * characters, so strings sort in time order) from an ISO 8601 string with an offset
 * (`2021-12-31T19:00:00-05:00`). Without an offset the string is refused, unless `assumeUtc`
 * (WooCommerce `*_gmt` fields, which are UTC without a `Z`). Fractions beyond milliseconds are
 * truncated.
 */
export function utcInstant(value: unknown, field: string, options: { assumeUtc?: boolean } = {}): string {
	if (typeof value !== 'string') {
		throw new InputError(field, `expected a date and time, got ${describe(value)}`, TIME_HINT);
	}
	const match = ISO_DATE_TIME.exec(value.trim());
	const invalid = (why: string) => new InputError(field, `${describe(value)} ${why}`, TIME_HINT);
	if (!match) throw invalid('is not an ISO 8601 date and time');
	const [, y, mo, d, h, mi, s = '0', fraction = '', zulu, sign, oh, om = '0'] = match;
	const year = Number(y);
	const month = Number(mo);
	const day = Number(d);
	const hour = Number(h);
	const minute = Number(mi);
	const second = Number(s);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(month, year)) throw invalid('is not a calendar date');
	if (hour > 23 || minute > 59 || second > 59) throw invalid('is not a time of day');
	let offsetMinutes = 0;
	if (sign !== undefined) {
		const offsetHours = Number(oh);
		const offsetMins = Number(om);
		if (offsetHours > 23 || offsetMins > 59) throw invalid('has an impossible offset');
		offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
	} else if (zulu === undefined && !options.assumeUtc) {
		throw invalid('has no time zone offset');
	}
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, '0')));
	const ms = date.getTime() - offsetMinutes * 60_000;
	if (!(ms >= FIRST_MS && ms <= LAST_MS)) throw invalid('is out of range');
	return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Locales and URLs
// ---------------------------------------------------------------------------------------------

/** A BCP 47 locale in canonical form: en_us -> en-US. */
export function localeOf(value: unknown, field: string): string {
	if (typeof value === 'string') {
		try {
			const [canonical] = Intl.getCanonicalLocales(value.trim().replace(/_/g, '-'));
			if (canonical) return canonical;
		} catch {
			// fall through to the error
		}
	}
	throw new InputError(field, `${describe(value)} is not a locale`, 'Use a language tag such as en, en-US or de-DE.');
}

/** An absolute http(s) URL. */
export function urlOf(value: unknown, field: string): string {
	if (typeof value === 'string') {
		const trimmed = identifier(value.trim(), field, MAX_URL_LENGTH);
		if (URL.canParse(trimmed)) {
			const protocol = new URL(trimmed).protocol;
			if (protocol === 'http:' || protocol === 'https:') return trimmed;
		}
	}
	throw new InputError(field, `${describe(value)} is not a web address`, 'Use an absolute URL such as https://shop.example.com/cart.');
}

/** Lenient variants for vendor payloads: a value that does not fit is left out, not an error. */
export function looseLocale(value: unknown): string | undefined {
	if (isAbsent(value)) return undefined;
	try {
		return localeOf(value, 'locale');
	} catch {
		return undefined;
	}
}

export function looseUrl(value: unknown): string | undefined {
	if (isAbsent(value)) return undefined;
	try {
		return urlOf(value, 'url');
	} catch {
		return undefined;
	}
}

/** A required amount of a vendor payload as a decimal string. */
export function amountOf(obj: JsonObject, key: string, path = key): string {
	const value = own(obj, key);
	if (isAbsent(value)) throw new InputError(path, 'is required', 'Send the body exactly as the store delivered it.');
	return normalizeDecimal(value, path);
}

/** A required total (an order's, a cart's) of a vendor payload as a decimal string of 0 or more. */
export function totalOf(obj: JsonObject, key: string, path = key): string {
	const value = own(obj, key);
	if (isAbsent(value)) throw new InputError(path, 'is required', 'Send the body exactly as the store delivered it.');
	return nonNegativeDecimal(value, path);
}

/**
 * The amount refunded so far from refund amounts in minor units (a vendor may write a refund as a
 * negative amount: its size counts), at most the order total.
 */
export function refundedSoFar(minors: Iterable<bigint>, total: string, currency: string, totalPath: string): string {
	let sum = 0n;
	for (const minor of minors) sum += minor < 0n ? -minor : minor;
	const cap = toMinor(total, currency, totalPath);
	return fromMinor(sum > cap ? cap : sum, currency);
}

/** A required currency code of a vendor payload, upper case. */
export function currencyOf(obj: JsonObject, key: string, path = key): string {
	const value = own(obj, key);
	if (typeof value !== 'string') {
		throw new InputError(path, `expected a currency code, got ${describe(value)}`, 'Send the body exactly as the store delivered it.');
	}
	return normalizeCurrency(value, path);
}
