/**
 * Birthdays: reading and writing them (with or without the birth year), and whether one is due on
 * a given local day in the customer's time zone (luxon).
 */
import { DateTime } from 'luxon';
import { daysInMonth, isLeapYear } from './calendar';
import { InputError } from './errors';
import { describeValue, normalizeAmount, normalizeZone, requireInstant } from './time';

const BIRTHDAY_HINT = 'Use YYYY-MM-DD (e.g. 1990-05-17), or --MM-DD / MM-DD when the year is unknown (e.g. --05-17).';

/** A birthday: month 1-12, day 1-31, and the birth year when known. */
export interface Birthday {
	month: number;
	day: number;
	year?: number;
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

const BIRTHDAY_FULL = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ].*)?$/;
const BIRTHDAY_YEARLESS = /^(?:--)?(\d{2})-?(\d{2})$/;

/**
 * A birthday from 'YYYY-MM-DD', '--MM-DD' (ISO 8601 without year, also '--MMDD'), 'MM-DD', an
 * ISO date-time (its date part as written, not converted to UTC), a Date (its UTC date), a luxon
 * DateTime (its own calendar date, duck-typed via `toISODate()`), or a `{ month, day, year? }`
 * object. 29 February is allowed without a year, and with a leap year; impossible dates
 * (02-30, 13-01, 1990-02-29) are an InputError naming the field.
 */
export function parseBirthday(value: unknown, field: string): Birthday {
	const invalid = () => new InputError(field, `"${describeValue(value)}" is not a birthday`, BIRTHDAY_HINT);
	let year: number | undefined;
	let month: number;
	let day: number;
	if (typeof value === 'string' || value instanceof Date || (typeof value === 'object' && value !== null && typeof (value as { toISODate?: unknown }).toISODate === 'function')) {
		let text: string;
		if (typeof value === 'string') text = value.trim();
		else if (value instanceof Date) {
			if (Number.isNaN(value.getTime())) throw invalid();
			text = value.toISOString();
		} else {
			let iso: unknown;
			try {
				iso = (value as { toISODate: () => unknown }).toISODate();
			} catch {
				iso = undefined;
			}
			text = typeof iso === 'string' ? iso : '';
		}
		const full = BIRTHDAY_FULL.exec(text);
		const yearless = full ? null : BIRTHDAY_YEARLESS.exec(text);
		if (full) {
			year = Number(full[1]);
			month = Number(full[2]);
			day = Number(full[3]);
		} else if (yearless) {
			month = Number(yearless[1]);
			day = Number(yearless[2]);
		} else throw invalid();
	} else if (typeof value === 'object' && value !== null) {
		const o = value as { month?: unknown; day?: unknown; year?: unknown };
		if (typeof o.month !== 'number' || typeof o.day !== 'number') throw invalid();
		if (o.year !== undefined && o.year !== null && typeof o.year !== 'number') throw invalid();
		month = o.month;
		day = o.day;
		year = typeof o.year === 'number' ? o.year : undefined;
	} else throw invalid();
	if (!Number.isInteger(month) || month < 1 || month > 12) throw invalid();
	if (year !== undefined && (!Number.isInteger(year) || year < 1 || year > 9999)) throw invalid();
	if (!Number.isInteger(day) || day < 1 || day > daysInMonth(month, year)) throw invalid();
	return year === undefined ? { month, day } : { month, day, year };
}

/** 'YYYY-MM-DD' when the year is known, else '--MM-DD' (ISO 8601 without year). */
export function formatBirthday(b: Birthday): string {
	return b.year === undefined ? `--${birthMonthDay(b)}` : `${pad(b.year, 4)}-${birthMonthDay(b)}`;
}

/** 'MM-DD', the value a store indexes to find birthdays by day. */
export function birthMonthDay(b: Birthday): string {
	return `${pad(b.month)}-${pad(b.day)}`;
}

/** The month and day a birthday falls on in `year`: 29 February is 28 February in non-leap years. */
function occurrence(b: Birthday, year: number): { month: number; day: number } {
	if (b.month === 2 && b.day === 29 && !isLeapYear(year)) return { month: 2, day: 28 };
	return { month: b.month, day: b.day };
}

export interface BirthdayDue {
	/** Whether today (in the customer's zone) is exactly daysBefore days before the birthday. */
	due: boolean;
	/** The year of the birthday occurrence: the key for "once per customer per year". */
	year: number;
	/** The birthday's date in that year, 'YYYY-MM-DD'. */
	date: string;
}

/**
 * Whether, at `now` in the customer's `zone`, today's local date is exactly `daysBefore` days
 * before a birthday occurrence (this year's, or next year's when daysBefore reaches across new
 * year: on 28 December with daysBefore 7, a 4 January birthday is due, year = next year).
 *
 * `year`/`date` name the occurrence that is due; when nothing is due, the next occurrence that will
 * be (the first one on or after today + daysBefore).
 *
 * 29 February: in non-leap years the birthday falls on 28 February. A local date that a zone
 * skipped (Pacific/Apia jumped from 29 to 31 December 2011) has no birthday that year.
 * `birthday` may also be a string, read by parseBirthday(); `zone` must be valid (normalizeZone).
 */
export function birthdayDue(birthday: Birthday | string, now: number, zone: string, daysBefore = 0): BirthdayDue {
	const at = requireInstant(now, 'now');
	const lead = normalizeAmount(daysBefore, 'daysBefore');
	const b = parseBirthday(birthday, 'birthday');
	const local = DateTime.fromMillis(at, { zone: normalizeZone(zone, 'zone') });
	// the local calendar date daysBefore days ahead, by pure date arithmetic (no zone, no DST)
	const target = DateTime.utc(local.year, local.month, local.day).plus({ days: lead });
	let year = target.year;
	let occ = occurrence(b, year);
	const due = occ.month === target.month && occ.day === target.day;
	if (!due && (occ.month < target.month || (occ.month === target.month && occ.day < target.day))) {
		year += 1;
		occ = occurrence(b, year);
	}
	return { due, year, date: `${pad(year, 4)}-${pad(occ.month)}-${pad(occ.day)}` };
}
