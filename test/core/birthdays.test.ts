import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { birthdayDue, birthMonthDay, formatBirthday, parseBirthday } from '../../core/birthdays';
import { birthdayDates } from '../../core/occasions';
import { ms, throwsField } from '../helpers/time';

const HOUR = 3_600_000;

describe('parseBirthday and formatting', () => {
	it('reads full dates, year-less dates and date-times', () => {
		assert.deepEqual(parseBirthday('1990-05-17', 'b'), { year: 1990, month: 5, day: 17 });
		assert.deepEqual(parseBirthday('--05-17', 'b'), { month: 5, day: 17 });
		assert.deepEqual(parseBirthday('--0517', 'b'), { month: 5, day: 17 });
		assert.deepEqual(parseBirthday('05-17', 'b'), { month: 5, day: 17 });
		assert.deepEqual(parseBirthday(' 12-31 ', 'b'), { month: 12, day: 31 });
		// the date part as written, not moved to UTC (this would be 16 May in UTC)
		assert.deepEqual(parseBirthday('1990-05-17T00:00:00+02:00', 'b'), { year: 1990, month: 5, day: 17 });
		assert.deepEqual(parseBirthday(new Date(Date.UTC(1990, 4, 17)), 'b'), { year: 1990, month: 5, day: 17 });
		assert.deepEqual(parseBirthday(DateTime.fromISO('1990-05-17T00:30:00', { zone: 'Asia/Tokyo' }), 'b'), { year: 1990, month: 5, day: 17 });
		assert.deepEqual(parseBirthday({ month: 5, day: 17 }, 'b'), { month: 5, day: 17 });
	});

	it('allows 29 February without a year or in a leap year', () => {
		assert.deepEqual(parseBirthday('--02-29', 'b'), { month: 2, day: 29 });
		assert.deepEqual(parseBirthday('02-29', 'b'), { month: 2, day: 29 });
		assert.deepEqual(parseBirthday('2000-02-29', 'b'), { year: 2000, month: 2, day: 29 });
		throwsField(() => parseBirthday('1900-02-29', 'b'), 'b');
		throwsField(() => parseBirthday('1990-02-29', 'b'), 'b');
	});

	it('refuses impossible dates, naming the field', () => {
		for (const bad of ['02-30', '--02-30', '13-01', '00-10', '04-31', '1990-5-17', '1990/05/17', '17.05.1990', '0000-05-17', '', 'soon', 19900517, null, undefined, { month: 13, day: 1 }, new Date(Number.NaN)]) {
			const e = throwsField(() => parseBirthday(bad, 'customer.birthday'), 'customer.birthday', /is not a birthday/);
			assert.match(e.hint ?? '', /YYYY-MM-DD/);
		}
	});

	it('formats as YYYY-MM-DD or --MM-DD, and MM-DD for the index', () => {
		assert.equal(formatBirthday({ year: 1990, month: 5, day: 7 }), '1990-05-07');
		assert.equal(formatBirthday({ month: 5, day: 7 }), '--05-07');
		assert.equal(birthMonthDay({ year: 1990, month: 5, day: 7 }), '05-07');
		for (const text of ['1990-05-17', '--02-29', '--12-31', '2000-02-29']) {
			assert.equal(formatBirthday(parseBirthday(text, 'b')), text);
		}
	});
});

describe('birthdayDue', () => {
	const may17 = parseBirthday('--05-17', 'b');

	it('is due on the day in the customer zone, not in UTC', () => {
		// 22:30Z on 16 May is 00:30 on 17 May in Berlin
		const now = ms('2026-05-16T22:30:00Z');
		assert.deepEqual(birthdayDue(may17, now, 'Europe/Berlin'), { due: true, year: 2026, date: '2026-05-17' });
		assert.deepEqual(birthdayDue(may17, now, 'UTC'), { due: false, year: 2026, date: '2026-05-17' });
		assert.equal(birthdayDue(may17, ms('2026-05-17T21:59:59Z'), 'Europe/Berlin').due, true);
		assert.equal(birthdayDue(may17, ms('2026-05-17T22:00:00Z'), 'Europe/Berlin').due, false);
		// after the day: the next occurrence is next year's
		assert.deepEqual(birthdayDue(may17, ms('2026-05-18T12:00:00Z'), 'UTC'), { due: false, year: 2027, date: '2027-05-17' });
		assert.deepEqual(birthdayDue('1990-05-17', ms('2026-05-17T12:00:00Z'), 'UTC'), { due: true, year: 2026, date: '2026-05-17' });
	});

	it('is due exactly N days before', () => {
		const now = ms('2026-05-10T12:00:00Z');
		assert.deepEqual(birthdayDue(may17, now, 'UTC', 7), { due: true, year: 2026, date: '2026-05-17' });
		assert.equal(birthdayDue(may17, now, 'UTC', 6).due, false);
		assert.equal(birthdayDue(may17, now, 'UTC', 8).due, false);
		assert.equal(birthdayDue(may17, now, 'UTC', 0).due, false);
	});

	it('looks across new year', () => {
		const jan9 = parseBirthday('--01-09', 'b');
		// 9 January minus 7 days is 2 January
		assert.deepEqual(birthdayDue(jan9, ms('2026-01-02T12:00:00Z'), 'UTC', 7), { due: true, year: 2026, date: '2026-01-09' });
		assert.deepEqual(birthdayDue(jan9, ms('2026-01-03T12:00:00Z'), 'UTC', 7), { due: false, year: 2027, date: '2027-01-09' });
		assert.deepEqual(birthdayDue(jan9, ms('2026-01-01T12:00:00Z'), 'UTC', 7), { due: false, year: 2026, date: '2026-01-09' });
		// from 28 December the birthday lies in next year
		const jan3 = parseBirthday('1985-01-03', 'b');
		assert.deepEqual(birthdayDue(jan3, ms('2026-12-28T12:00:00Z'), 'UTC', 6), { due: true, year: 2027, date: '2027-01-03' });
		assert.deepEqual(birthdayDue(jan3, ms('2026-12-27T12:00:00Z'), 'UTC', 7), { due: true, year: 2027, date: '2027-01-03' });
		assert.deepEqual(birthdayDue('--01-04', ms('2026-12-28T12:00:00Z'), 'UTC', 7), { due: true, year: 2027, date: '2027-01-04' });
		assert.equal(birthdayDue(jan3, ms('2026-12-28T12:00:00Z'), 'UTC', 7).due, false);
		// a New Year birthday: due in Tokyo (already 1 January) but not yet in Los Angeles
		const jan1 = parseBirthday('--01-01', 'b');
		const eve = ms('2026-12-31T15:30:00Z');
		assert.deepEqual(birthdayDue(jan1, eve, 'Asia/Tokyo'), { due: true, year: 2027, date: '2027-01-01' });
		assert.deepEqual(birthdayDue(jan1, eve, 'America/Los_Angeles'), { due: false, year: 2027, date: '2027-01-01' });
		assert.deepEqual(birthdayDue(jan1, eve, 'America/Los_Angeles', 1), { due: true, year: 2027, date: '2027-01-01' });
	});

	it('29 February: on the 29th in leap years, on the 28th otherwise', () => {
		const feb29 = parseBirthday('--02-29', 'b');
		assert.deepEqual(birthdayDue(feb29, ms('2028-02-29T12:00:00Z'), 'UTC'), { due: true, year: 2028, date: '2028-02-29' });
		assert.deepEqual(birthdayDue(feb29, ms('2028-02-28T12:00:00Z'), 'UTC'), { due: false, year: 2028, date: '2028-02-29' });
		assert.deepEqual(birthdayDue(feb29, ms('2026-02-28T12:00:00Z'), 'UTC'), { due: true, year: 2026, date: '2026-02-28' });
		assert.deepEqual(birthdayDue(feb29, ms('2026-03-01T12:00:00Z'), 'UTC'), { due: false, year: 2027, date: '2027-02-28' });
		assert.deepEqual(birthdayDue(feb29, ms('2026-02-25T12:00:00Z'), 'UTC', 3), { due: true, year: 2026, date: '2026-02-28' });
		assert.deepEqual(birthdayDue(feb29, ms('2028-02-26T12:00:00Z'), 'UTC', 3), { due: true, year: 2028, date: '2028-02-29' });
		assert.deepEqual(birthdayDue('2000-02-29', ms('2100-02-28T12:00:00Z'), 'UTC'), { due: true, year: 2100, date: '2100-02-28' });
		// a 28 February birthday is unaffected in leap years
		assert.equal(birthdayDue('--02-28', ms('2028-02-28T12:00:00Z'), 'UTC').due, true);
	});

	it('Tokyo and Los Angeles at the same UTC instant see different days', () => {
		const now = ms('2026-05-17T03:00:00Z'); // 12:00 on 17 May in Tokyo, 20:00 on 16 May in Los Angeles
		assert.equal(birthdayDue(may17, now, 'Asia/Tokyo').due, true);
		assert.equal(birthdayDue(may17, now, 'America/Los_Angeles').due, false);
		assert.equal(birthdayDue('--05-16', now, 'Asia/Tokyo').due, false);
		assert.deepEqual(birthdayDue('--05-16', now, 'America/Los_Angeles'), { due: true, year: 2026, date: '2026-05-16' });
		assert.equal(birthdayDue(may17, now, 'America/Los_Angeles', 1).due, true);
	});

	it('names the field of every validation error', () => {
		const now = ms('2026-05-17T03:00:00Z');
		throwsField(() => birthdayDue(may17, now, 'UTC', -1), 'daysBefore');
		throwsField(() => birthdayDue(may17, now, 'UTC', 1.5), 'daysBefore');
		throwsField(() => birthdayDue(may17, now, 'Moon/Tranquility'), 'zone');
		throwsField(() => birthdayDue('02-30', now, 'UTC'), 'birthday');
		throwsField(() => birthdayDue(may17, Number.NaN, 'UTC'), 'now');
	});
});

describe('birthdayDates (the month-days Birthday occasions ask the store for, by year)', () => {
	const dates = (iso: string, daysBefore = 0) => Object.fromEntries(birthdayDates(ms(iso), daysBefore));

	it('lists yesterday, today and tomorrow (UTC), shifted by daysBefore, under the year of each', () => {
		assert.deepEqual(dates('2026-05-17T12:00:00Z'), { 2026: ['05-16', '05-17', '05-18'] });
		assert.deepEqual(dates('2026-05-17T00:00:00Z', 7), { 2026: ['05-23', '05-24', '05-25'] });
		assert.deepEqual(dates('2026-12-31T23:59:59Z', 1), { 2026: ['12-31'], 2027: ['01-01', '01-02'] });
		assert.deepEqual(dates('2026-01-01T00:00:00Z'), { 2025: ['12-31'], 2026: ['01-01', '01-02'] });
	});

	it('adds 02-29 when 28 February of a non-leap year is a candidate', () => {
		assert.deepEqual(dates('2026-02-28T12:00:00Z'), { 2026: ['02-27', '02-28', '02-29', '03-01'] });
		assert.deepEqual(dates('2026-03-01T12:00:00Z'), { 2026: ['02-28', '02-29', '03-01', '03-02'] });
		assert.deepEqual(dates('2026-02-21T12:00:00Z', 7), { 2026: ['02-27', '02-28', '02-29', '03-01'] });
		assert.deepEqual(dates('2028-02-28T12:00:00Z'), { 2028: ['02-27', '02-28', '02-29'] });
		assert.deepEqual(dates('2028-03-01T12:00:00Z'), { 2028: ['02-29', '03-01', '03-02'] });
		// daysBefore moves the year too: late December 2027 looking at February 2028 (leap)
		assert.deepEqual(dates('2027-12-30T12:00:00Z', 60), { 2028: ['02-27', '02-28', '02-29'] });
	});

	const ZONES = [
		'UTC',
		'Europe/Berlin',
		'Europe/London',
		'America/New_York',
		'America/Los_Angeles',
		'America/St_Johns',
		'America/Santiago',
		'Asia/Tokyo',
		'Asia/Kolkata',
		'Asia/Kathmandu',
		'Australia/Lord_Howe',
		'Pacific/Chatham',
		'Pacific/Kiritimati',
		'Pacific/Pago_Pago',
		'Pacific/Apia',
		'Pacific/Tongatapu',
		'Etc/GMT+12',
		'Etc/GMT-14',
		'UTC+14',
		'UTC-12',
	];
	const instant = fc.integer({ min: Date.UTC(1972, 0, 1), max: Date.UTC(2100, 0, 1) });
	const zone = fc.constantFrom(...ZONES);
	const daysBefore = fc.integer({ min: 0, max: 30 });

	it('property: the birthday due in the customer zone is always a candidate', () => {
		fc.assert(
			fc.property(instant, zone, daysBefore, (now, tz, lead) => {
				const local = DateTime.fromMillis(now, { zone: tz });
				const target = DateTime.utc(local.year, local.month, local.day).plus({ days: lead });
				const b = { month: target.month, day: target.day };
				const result = birthdayDue(b, now, tz, lead);
				assert.equal(result.due, true);
				assert.equal(result.date, target.toISODate());
				const candidates = birthdayDates(now, lead).get(result.year) ?? [];
				assert.ok(candidates.includes(birthMonthDay(b)), `${birthMonthDay(b)} not in ${result.year}: ${candidates.join(',')}`);
				if (b.month === 2 && b.day === 28 && !target.isInLeapYear) {
					assert.equal(birthdayDue({ month: 2, day: 29 }, now, tz, lead).due, true);
					assert.ok(candidates.includes('02-29'));
				}
			}),
			{ numRuns: 3000 },
		);
	});

	it('property: whenever birthdayDue says due, birthdayDates holds its month-day under the year due', () => {
		const birthday = fc
			.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
			.filter(({ month, day }) => day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]);
		// instants near the birthday so that "due" happens often
		fc.assert(
			fc.property(birthday, fc.integer({ min: 1972, max: 2099 }), fc.integer({ min: -40 * 24, max: 2 * 24 }), zone, daysBefore, (b, year, hours, tz, lead) => {
				const day = b.month === 2 && b.day === 29 ? 28 : b.day;
				const now = Date.UTC(year, b.month - 1, day) + hours * HOUR + 1234;
				const result = birthdayDue(b, now, tz, lead);
				const candidates = birthdayDates(now, lead).get(result.year) ?? [];
				if (result.due) assert.ok(candidates.includes(birthMonthDay(b)), `${birthMonthDay(b)} due in ${result.year} but not in ${candidates.join(',')}`);
			}),
			{ numRuns: 3000 },
		);
	});

	it('property: each occurrence year is due on exactly one local day', () => {
		fc.assert(
			fc.property(
				fc.constantFrom('--01-01', '--02-28', '--02-29', '--03-01', '--05-17', '--12-31'),
				fc.integer({ min: 2015, max: 2060 }),
				zone,
				fc.integer({ min: 0, max: 60 }),
				(text, year, tz, lead) => {
					const b = parseBirthday(text, 'b');
					let day = DateTime.fromObject({ year, month: 1, day: 1, hour: 12 }, { zone: tz });
					const years: number[] = [];
					for (let i = 0; i < 3 * 366; i++, day = day.plus({ days: 1 })) {
						const result = birthdayDue(b, day.toMillis(), tz, lead);
						if (result.due) years.push(result.year);
					}
					for (let i = 1; i < years.length; i++) assert.equal(years[i], years[i - 1] + 1, `${years.join(',')}`);
					assert.ok(years.length >= 2 && years.length <= 4, `${years.join(',')}`);
				},
			),
			{ numRuns: 40 },
		);
	});
});
