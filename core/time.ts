/**
 * Time in the core: instants, time zones, windows and calendar durations (luxon).
 *
 * Instants travel as epoch milliseconds (numbers). "Now" is always passed in by the caller, from
 * the injectable Clock (core/clock.ts), never read here.
 *
 * Calendar units (days, weeks, months, years) are calendar arithmetic in a time zone, so across a
 * daylight-saving change "1 day" is 23 or 25 hours; minutes and hours are exact durations.
 */
import { DateTime, Info } from 'luxon';
import { InputError } from './errors';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** The range of a JavaScript Date, in epoch ms either side of 1970. */
const MAX_EPOCH_MS = 8.64e15;

const DATE_HINT = 'Use ISO 8601, e.g. 2026-05-01T09:00:00Z, or an expression such as {{ $json.occurredAt }}.';
const ZONE_HINT = 'Use an IANA time zone such as Europe/Berlin, America/New_York or UTC.';
const AMOUNT_HINT = 'Use a whole number of 0 or more, e.g. 7.';

// ---------------------------------------------------------------------------------------------
// Instants
// ---------------------------------------------------------------------------------------------

/** Short, quotable text for a value in an error message. */
export function describeValue(value: unknown): string {
	let text: string;
	if (value === undefined || value === null) text = '';
	else if (typeof value === 'string') text = value;
	else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
	else if (typeof value === 'object') {
		try {
			text = JSON.stringify(value) ?? String(value);
		} catch {
			text = String(value);
		}
	} else text = String(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function notADate(value: unknown, field: string): InputError {
	return new InputError(field, `"${describeValue(value)}" is not a date and time`, DATE_HINT);
}

function inRange(ms: number): boolean {
	return Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS;
}

/** A full calendar date (YYYY-MM-DD) at the start, optionally followed by a time. */
const ISO_START = /^\d{4}-\d{2}-\d{2}(?:$|[Tt ])/;

/**
 * Epoch milliseconds from a date-and-time value, or an InputError naming the field.
 *
 * Accepts:
 * - ISO 8601 strings in extended format with a full date: `2026-05-01T09:00:00Z`,
 *   `2026-05-01T11:00:00+02:00`, `2026-05-01` (midnight). **A string without an offset or Z is
 *   read as UTC**, never as the server's local time. A space instead of the `T` is accepted.
 *   Week dates, ordinal dates, a bare year and the basic format (`20260501T...`) are refused.
 * - a `Date`;
 * - a finite number of epoch milliseconds (fractions are truncated, as `Date` does; epoch
 *   *seconds* are not recognised and would be read as milliseconds);
 * - any object with a `toMillis()` function: luxon DateTime objects, including those n8n
 *   expressions produce from n8n's own copy of luxon (so this duck-types rather than using
 *   `instanceof`).
 */
export function parseInstant(value: unknown, field: string): number {
	let ms = Number.NaN;
	if (typeof value === 'number') {
		ms = Math.trunc(value);
	} else if (typeof value === 'string') {
		let text = value.trim();
		if (ISO_START.test(text)) {
			if (text.charAt(10) === ' ') text = `${text.slice(0, 10)}T${text.slice(11)}`;
			const parsed = DateTime.fromISO(text, { zone: 'utc' });
			if (parsed.isValid) ms = parsed.toMillis();
		}
	} else if (value instanceof Date) {
		ms = value.getTime();
	} else if (typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
		try {
			const result: unknown = (value as { toMillis: () => unknown }).toMillis();
			if (typeof result === 'number') ms = Math.trunc(result);
		} catch {
			ms = Number.NaN;
		}
	}
	if (!inRange(ms)) throw notADate(value, field);
	return ms;
}

/**
 * Epoch ms for a date or date-time written without a UTC offset (as n8n's date picker writes it),
 * read in `zone`; anything else is returned unchanged for parseInstant to read or reject. Nodes
 * use it for fields a user types, where "2026-05-01 09:00" means the workflow's time zone.
 */
export function instantIn(value: unknown, zone: string): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/.test(text)) return value;
	const parsed = DateTime.fromISO(text.replace(' ', 'T'), { zone });
	return parsed.isValid ? parsed.toMillis() : value;
}

/** ISO 8601 in UTC with milliseconds and Z, e.g. `2026-05-01T09:00:00.000Z`. */
export function isoUtc(ms: number): string {
	if (!inRange(ms)) throw new RangeError(`isoUtc: ${String(ms)} is not an epoch-milliseconds instant`);
	return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------------
// Time zones
// ---------------------------------------------------------------------------------------------

const zoneCache = new Map<string, string>();
const ZONE_CACHE_LIMIT = 1000;
/** Fixed offsets beyond the ones in real use (UTC-12 .. UTC+14) are refused. */
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;

function canonicalZone(name: string): string | undefined {
	const zone = Info.normalizeZone(name);
	if (!zone.isValid) return undefined;
	if (zone.type === 'fixed') {
		// luxon's own fixed offsets: UTC, GMT, UTC+2, UTC-05:30
		const offset = zone.offset(0);
		return offset >= MIN_OFFSET_MINUTES && offset <= MAX_OFFSET_MINUTES ? zone.name : undefined;
	}
	if (zone.type !== 'iana') return undefined; // 'local' / 'system' depend on the server: refused
	if (/^[+-]/.test(name)) {
		// offset identifiers such as +02:00, which Intl accepts as time zones
		const offset = zone.offset(0);
		if (!(offset >= MIN_OFFSET_MINUTES && offset <= MAX_OFFSET_MINUTES)) return undefined;
	}
	try {
		// Intl gives the identifier its canonical spelling (europe/berlin -> Europe/Berlin) and
		// resolves some links (US/Eastern -> America/New_York); either way the rules are the same.
		return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
	} catch {
		return undefined;
	}
}

/**
 * A valid time zone name, canonically spelled, or an InputError naming the field.
 *
 * Accepts IANA names (`Europe/Berlin`, case-insensitive; links such as `US/Eastern` may come back
 * as their target, e.g. EST -> America/Panama), `UTC`, and fixed offsets within UTC-12..UTC+14
 * (luxon's `UTC+2`, `UTC-05:30`; and `+02:00` where the runtime's Intl accepts offset zones, as
 * Node 24 does). Results are cached. Refuses `local`/`system` (that would depend on the server) and empty values: callers
 * that treat an empty field as "not set" check for that before calling.
 */
export function normalizeZone(value: unknown, field: string): string {
	const name = typeof value === 'string' ? value.trim() : '';
	const cached = zoneCache.get(name);
	if (cached !== undefined) return cached;
	const canonical = name === '' ? undefined : canonicalZone(name);
	if (canonical === undefined) {
		const message = name === '' ? 'a time zone is required' : `"${describeValue(value)}" is not a time zone`;
		throw new InputError(field, message, ZONE_HINT);
	}
	if (zoneCache.size >= ZONE_CACHE_LIMIT) zoneCache.clear();
	zoneCache.set(name, canonical);
	return canonical;
}

/** Epoch ms of the first instant of the local calendar day containing `now` in `zone`. */
export function startOfLocalDay(now: number, zone: string): number {
	const instant = requireInstant(now, 'now');
	return DateTime.fromMillis(instant, { zone: normalizeZone(zone, 'zone') })
		.startOf('day')
		.toMillis();
}

/** `value` if it is an instant (epoch ms within a Date's range), else an InputError naming the field. */
export function requireInstant(value: number, field: string): number {
	if (typeof value !== 'number' || !inRange(value)) throw notADate(value, field);
	return value;
}

// ---------------------------------------------------------------------------------------------
// Amounts, units, durations
// ---------------------------------------------------------------------------------------------

export const TIME_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];
export const DURATION_UNITS = [...TIME_UNITS, 'years'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

/**
 * A non-negative whole number (a count of units), or an InputError naming the field. Numbers, and
 * strings of digits (what an expression may produce), are accepted; negative, fractional,
 * infinite and non-numeric values are not.
 */
export function normalizeAmount(value: unknown, field: string): number {
	let amount = Number.NaN;
	if (typeof value === 'number') amount = value;
	else if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) amount = Number(value);
	if (!Number.isSafeInteger(amount) || amount < 0) {
		throw new InputError(field, `"${describeValue(value)}" is not a whole number of 0 or more`, AMOUNT_HINT);
	}
	return amount;
}

function requireUnit<U extends string>(value: unknown, allowed: readonly U[], field: string): U {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as U;
	throw new InputError(field, `"${describeValue(value)}" is not a time unit`, `Use one of: ${allowed.join(', ')}.`);
}

/** instant + amount units; calendar units in zone. Throws InputError when out of range. */
function shift(instant: number, amount: number, unit: DurationUnit, zone: string, sign: 1 | -1, field: string): number {
	let result: number;
	if (unit === 'minutes' || unit === 'hours') {
		result = instant + sign * amount * (unit === 'minutes' ? MINUTE_MS : HOUR_MS);
	} else {
		const start = DateTime.fromMillis(instant, { zone });
		const moved = sign === 1 ? start.plus({ [unit]: amount }) : start.minus({ [unit]: amount });
		result = moved.isValid ? moved.toMillis() : Number.NaN;
	}
	if (!inRange(result)) {
		throw new InputError(field, `${amount} ${unit} is too far from ${isoUtc(instant)}`, 'Use a smaller number.');
	}
	return result;
}

/**
 * `instant` plus `amount` units, e.g. "member for 30 days", "coupon expires 14 days after
 * assignment". Minutes and hours are exact durations; days and longer are calendar arithmetic in
 * `zone` (a day across a DST change is 23 or 25 hours; one month from 31 January is 28/29
 * February, clamped to the end of the month). `field` names the amount in errors.
 */
export function addDuration(instant: number, amount: number, unit: TimeUnit | 'years', zone = 'UTC', field = 'amount'): number {
	const start = requireInstant(instant, 'instant');
	const count = normalizeAmount(amount, field);
	const checkedUnit = requireUnit(unit, DURATION_UNITS, 'unit');
	return shift(start, count, checkedUnit, normalizeZone(zone, 'zone'), 1, field);
}

// ---------------------------------------------------------------------------------------------
// Windows
// ---------------------------------------------------------------------------------------------

export const WINDOW_KINDS = ['all', 'last', 'since', 'between'] as const;

export type TimeWindow =
	| { kind: 'all' }
	| { kind: 'last'; amount: number; unit: TimeUnit }
	| { kind: 'since'; from: unknown }
	| { kind: 'between'; from: unknown; to: unknown };

/** A half-open interval [from, to) in epoch ms; a missing bound is open. */
export interface ResolvedWindow {
	from?: number;
	to?: number;
}

/**
 * The half-open interval [from, to) a window means at `now`. `to` is undefined (open end, so
 * events recorded "in the future" through clock skew still count) except for `between`.
 *
 * - `all`: {}.
 * - `last N unit`: from = now minus N units. Minutes and hours are exact; days, weeks and months
 *   are calendar arithmetic in `zone` ("last 1 day" across a DST change is 23 or 25 hours; "last
 *   1 month" on 31 March starts on 28/29 February at the same local time).
 * - `since`: from = the instant (window.from).
 * - `between`: [window.from, window.to); to must be after from.
 *
 * Errors are InputErrors naming `window`, `window.kind`, `window.amount`, `window.unit`,
 * `window.from`, `window.to` or `zone`.
 */
export function resolveWindow(window: TimeWindow, now: number, zone = 'UTC'): ResolvedWindow {
	const at = requireInstant(now, 'now');
	if (typeof window !== 'object' || window === null) {
		throw new InputError('window', `"${describeValue(window)}" is not a time window`, `Use one of: ${WINDOW_KINDS.join(', ')}.`);
	}
	const kind = (window as { kind?: unknown }).kind;
	switch (kind) {
		case 'all':
			return {};
		case 'last': {
			const w = window as { amount?: unknown; unit?: unknown };
			const amount = normalizeAmount(w.amount, 'window.amount');
			const unit = requireUnit(w.unit, TIME_UNITS, 'window.unit');
			return { from: shift(at, amount, unit, normalizeZone(zone, 'zone'), -1, 'window.amount') };
		}
		case 'since':
			return { from: parseInstant((window as { from?: unknown }).from, 'window.from') };
		case 'between': {
			const w = window as { from?: unknown; to?: unknown };
			const from = parseInstant(w.from, 'window.from');
			const to = parseInstant(w.to, 'window.to');
			if (to <= from) {
				throw new InputError(
					'window.to',
					`${isoUtc(to)} is not after ${isoUtc(from)}`,
					'The end of a "between" window must be later than its start.',
				);
			}
			return { from, to };
		}
		default:
			throw new InputError('window.kind', `"${describeValue(kind)}" is not a kind of time window`, `Use one of: ${WINDOW_KINDS.join(', ')}.`);
	}
}
