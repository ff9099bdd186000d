import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { addDuration, instantIn, isoUtc, normalizeAmount, normalizeZone, parseInstant, resolveWindow, startOfLocalDay, type TimeWindow } from '../../core/time';
import { ms, throwsField } from '../helpers/time';

const HOUR = 3_600_000;

describe('parseInstant', () => {
	it('reads ISO 8601 with Z or an offset', () => {
		assert.equal(parseInstant('2026-05-01T09:00:00Z', 'f'), Date.UTC(2026, 4, 1, 9));
		assert.equal(parseInstant('2026-05-01T11:00:00+02:00', 'f'), Date.UTC(2026, 4, 1, 9));
		assert.equal(parseInstant('2026-05-01T04:00:00.250-05:00', 'f'), Date.UTC(2026, 4, 1, 9, 0, 0, 250));
		assert.equal(parseInstant('  2026-05-01T09:00:00Z  ', 'f'), Date.UTC(2026, 4, 1, 9));
	});

	it('reads ISO 8601 without an offset as UTC, not as server time', () => {
		assert.equal(parseInstant('2026-05-01T09:00:00', 'f'), Date.UTC(2026, 4, 1, 9));
		assert.equal(parseInstant('2026-05-01T09:00', 'f'), Date.UTC(2026, 4, 1, 9));
		assert.equal(parseInstant('2026-05-01', 'f'), Date.UTC(2026, 4, 1));
		assert.equal(parseInstant('2026-05-01 09:00:00', 'f'), Date.UTC(2026, 4, 1, 9));
	});

	it('reads Date, epoch ms and toMillis() objects (duck-typed luxon from another copy)', () => {
		const at = Date.UTC(2026, 4, 1, 9);
		assert.equal(parseInstant(new Date(at), 'f'), at);
		assert.equal(parseInstant(at, 'f'), at);
		assert.equal(parseInstant(0, 'f'), 0);
		assert.equal(parseInstant(at + 0.7, 'f'), at);
		assert.equal(parseInstant(DateTime.fromMillis(at, { zone: 'Asia/Tokyo' }), 'f'), at);
		// what an n8n expression hands over: a DateTime from n8n's own luxon, not ours
		const foreign = { toMillis: () => at, toISO: () => 'whatever', isValid: true };
		assert.equal(parseInstant(foreign, 'f'), at);
	});

	it('refuses anything else with the field, the value and the hint', () => {
		const hint = 'Use ISO 8601, e.g. 2026-05-01T09:00:00Z, or an expression such as {{ $json.occurredAt }}.';
		const e = throwsField(() => parseInstant('xyz', 'occurredAt'), 'occurredAt');
		assert.equal(e.message, 'occurredAt: "xyz" is not a date and time');
		assert.equal(e.hint, hint);
		for (const bad of [
			'',
			'   ',
			'yesterday',
			'2026-02-30T00:00:00Z',
			'2026-13-01',
			'2026-05-01T25:00:00Z',
			'2026', // a bare year
			'2026-W18', // a week date
			'20260501T090000Z', // basic format
			'1714550400000', // epoch ms as a string
			undefined,
			null,
			true,
			{},
			[],
			Number.NaN,
			Number.POSITIVE_INFINITY,
			1e17,
			new Date(Number.NaN),
			DateTime.invalid('nope'),
			{ toMillis: () => 'soon' },
			{
				toMillis: () => {
					throw new Error('boom');
				},
			},
		]) {
			throwsField(() => parseInstant(bad, 'occurredAt'), 'occurredAt', /is not a date and time/);
		}
	});
});

describe('instantIn', () => {
	it('reads a date or date-time without an offset in the zone, and leaves everything else to parseInstant', () => {
		assert.equal(instantIn('2026-03-29 02:30', 'Europe/Berlin'), parseInstant('2026-03-29T01:30:00Z', 'x'), 'a time skipped by DST moves forward, as luxon does');
		assert.equal(instantIn('2026-06-30', 'Europe/Berlin'), parseInstant('2026-06-29T22:00:00Z', 'x'));
		assert.equal(instantIn(' 2026-06-30T12:00:00.5 ', 'America/New_York'), parseInstant('2026-06-30T16:00:00.500Z', 'x'));
		for (const untouched of ['2026-06-30T12:00:00Z', '2026-06-30T12:00:00+02:00', 'next tuesday', 1767225600000, undefined]) {
			assert.equal(instantIn(untouched, 'Asia/Tokyo'), untouched);
		}
	});
});

describe('normalizeZone', () => {
	it('accepts IANA zones and spells them canonically', () => {
		assert.equal(normalizeZone('Europe/Berlin', 'tz'), 'Europe/Berlin');
		assert.equal(normalizeZone('europe/berlin', 'tz'), 'Europe/Berlin');
		assert.equal(normalizeZone(' Asia/Tokyo ', 'tz'), 'Asia/Tokyo');
		assert.equal(normalizeZone('Pacific/Kiritimati', 'tz'), 'Pacific/Kiritimati');
		assert.equal(normalizeZone('UTC', 'tz'), 'UTC');
		assert.equal(normalizeZone('utc', 'tz'), 'UTC');
		assert.equal(normalizeZone('Etc/UTC', 'tz'), 'UTC');
		assert.equal(normalizeZone('UTC+2', 'tz'), 'UTC+2');
		assert.equal(normalizeZone('UTC-05:30', 'tz'), 'UTC-5:30');
	});

	it('refuses unknown zones, server-local zones, absurd offsets and empty values, naming the field', () => {
		for (const bad of ['Mars/Olympus_Mons', 'Berlin', 'local', 'system', 'UTC+99', '+25:00', '', '  ', undefined, null, 2, {}]) {
			const e = throwsField(() => normalizeZone(bad, 'customer.timezone'), 'customer.timezone');
			assert.match(e.hint ?? '', /IANA/);
		}
		throwsField(() => normalizeZone('Mars/Olympus_Mons', 'tz'), 'tz', /"Mars\/Olympus_Mons" is not a time zone/);
	});
});

describe('resolveWindow', () => {
	it('all is unbounded; since is open-ended; between is half-open with both ends', () => {
		const now = ms('2026-05-01T09:00:00Z');
		assert.deepEqual(resolveWindow({ kind: 'all' }, now), {});
		assert.deepEqual(resolveWindow({ kind: 'since', from: '2026-04-01T00:00:00+02:00' }, now), {
			from: ms('2026-03-31T22:00:00Z'),
		});
		assert.deepEqual(resolveWindow({ kind: 'since', from: new Date(ms('2026-04-01T00:00:00Z')) }, now), {
			from: ms('2026-04-01T00:00:00Z'),
		});
		assert.deepEqual(resolveWindow({ kind: 'between', from: '2026-04-01', to: '2026-04-08T00:00:00Z' }, now), {
			from: ms('2026-04-01T00:00:00Z'),
			to: ms('2026-04-08T00:00:00Z'),
		});
		const w = resolveWindow({ kind: 'last', amount: 3, unit: 'days' }, now);
		assert.equal(w.to, undefined);
		assert.ok(!('to' in w));
	});

	it('minutes and hours are exact durations, also across DST', () => {
		const now = ms('2026-03-29T12:00:00+02:00'); // Berlin, the day clocks go forward
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 90, unit: 'minutes' }, now, 'Europe/Berlin'), { from: now - 1.5 * HOUR });
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 24, unit: 'hours' }, now, 'Europe/Berlin'), { from: now - 24 * HOUR });
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 0, unit: 'hours' }, now), { from: now });
	});

	it('last 1 day is 23 hours when Berlin springs forward and 25 when it falls back', () => {
		const spring = ms('2026-03-29T12:00:00+02:00');
		const { from: springFrom } = resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, spring, 'Europe/Berlin');
		assert.equal(isoUtc(springFrom!), '2026-03-28T11:00:00.000Z'); // 12:00 +01:00 the day before
		assert.equal(spring - springFrom!, 23 * HOUR);

		const autumn = ms('2026-10-25T12:00:00+01:00');
		const { from: autumnFrom } = resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, autumn, 'Europe/Berlin');
		assert.equal(isoUtc(autumnFrom!), '2026-10-24T10:00:00.000Z'); // 12:00 +02:00 the day before
		assert.equal(autumn - autumnFrom!, 25 * HOUR);

		// the same instants in UTC: plain 24 hours
		assert.equal(spring - resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, spring).from!, 24 * HOUR);
		assert.equal(autumn - resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, autumn, 'UTC').from!, 24 * HOUR);

		// a week spanning the change is 167 hours
		const week = ms('2026-04-01T12:00:00+02:00');
		assert.equal(week - resolveWindow({ kind: 'last', amount: 1, unit: 'weeks' }, week, 'Europe/Berlin').from!, 167 * HOUR);
	});

	it('last 1 day across DST in America/New_York (second Sunday of March, first of November)', () => {
		const spring = ms('2026-03-08T12:00:00-04:00');
		const springFrom = resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, spring, 'America/New_York').from!;
		assert.equal(isoUtc(springFrom), '2026-03-07T17:00:00.000Z');
		assert.equal(spring - springFrom, 23 * HOUR);

		const autumn = ms('2026-11-01T12:00:00-05:00');
		const autumnFrom = resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, autumn, 'America/New_York').from!;
		assert.equal(isoUtc(autumnFrom), '2026-10-31T16:00:00.000Z');
		assert.equal(autumn - autumnFrom, 25 * HOUR);

		// 7 days spanning the change: one hour short of 168
		const later = ms('2026-03-10T09:00:00-04:00');
		assert.equal(later - resolveWindow({ kind: 'last', amount: 7, unit: 'days' }, later, 'America/New_York').from!, 167 * HOUR);
	});

	it('last 1 month from 31 March lands on the last day of February (and 29 Feb in leap years)', () => {
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, ms('2026-03-31T12:00:00Z')), {
			from: ms('2026-02-28T12:00:00Z'),
		});
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, ms('2028-03-31T12:00:00Z')), {
			from: ms('2028-02-29T12:00:00Z'),
		});
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, ms('2026-05-31T12:00:00Z')), {
			from: ms('2026-04-30T12:00:00Z'),
		});
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 2, unit: 'months' }, ms('2026-03-31T12:00:00Z')), {
			from: ms('2026-01-31T12:00:00Z'),
		});
		// in Berlin, 31 March is summer time and 28 February winter time: same wall clock
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, ms('2026-03-31T12:00:00+02:00'), 'Europe/Berlin'), {
			from: ms('2026-02-28T12:00:00+01:00'),
		});
	});

	it('uses the local calendar in far zones (Pacific/Kiritimati +14, Pacific/Pago_Pago -11)', () => {
		// 10:00Z on 30 March is already 00:00 on 31 March in Kiritimati
		const kiri = ms('2026-03-30T10:00:00Z');
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, kiri, 'Pacific/Kiritimati'), {
			from: ms('2026-02-28T00:00:00+14:00'),
		});
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, kiri, 'UTC'), { from: ms('2026-02-28T10:00:00Z') });
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, kiri, 'Pacific/Kiritimati'), { from: kiri - 24 * HOUR });

		// 05:00Z on 1 March is still 18:00 on 28 February in Pago Pago
		const pago = ms('2026-03-01T05:00:00Z');
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, pago, 'Pacific/Pago_Pago'), {
			from: ms('2026-01-28T18:00:00-11:00'),
		});
		assert.deepEqual(resolveWindow({ kind: 'last', amount: 1, unit: 'months' }, pago, 'UTC'), { from: ms('2026-02-01T05:00:00Z') });
	});

	it('names the field of every validation error', () => {
		const now = ms('2026-05-01T09:00:00Z');
		const last = (amount: unknown, unit: unknown = 'days') => () => resolveWindow({ kind: 'last', amount, unit } as TimeWindow, now);
		for (const amount of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '-1', 'abc', '', undefined, null]) {
			throwsField(last(amount), 'window.amount', /whole number of 0 or more/);
		}
		throwsField(last(1e9, 'months'), 'window.amount', /too far/);
		throwsField(last(Number.MAX_SAFE_INTEGER, 'minutes'), 'window.amount', /too far/);
		assert.deepEqual(last('3')(), { from: now - 72 * HOUR }); // digits from an expression
		const unit = throwsField(last(1, 'years'), 'window.unit', /"years" is not a time unit/);
		assert.equal(unit.hint, 'Use one of: minutes, hours, days, weeks, months.');
		throwsField(last(1, 'day'), 'window.unit');
		throwsField(() => resolveWindow({ kind: 'last', amount: 1 } as TimeWindow, now), 'window.unit');
		const kind = throwsField(() => resolveWindow({ kind: 'recent' } as unknown as TimeWindow, now), 'window.kind');
		assert.equal(kind.hint, 'Use one of: all, last, since, between.');
		throwsField(() => resolveWindow(null as unknown as TimeWindow, now), 'window');
		throwsField(() => resolveWindow({ kind: 'since', from: 'last tuesday' }, now), 'window.from', /"last tuesday" is not a date and time/);
		throwsField(() => resolveWindow({ kind: 'since', from: undefined }, now), 'window.from');
		throwsField(() => resolveWindow({ kind: 'between', from: 'x', to: '2026-01-01' }, now), 'window.from');
		throwsField(() => resolveWindow({ kind: 'between', from: '2026-01-01', to: 'y' }, now), 'window.to');
		throwsField(
			() => resolveWindow({ kind: 'between', from: '2026-01-02', to: '2026-01-01' }, now),
			'window.to',
			/2026-01-01T00:00:00.000Z is not after 2026-01-02T00:00:00.000Z/,
		);
		throwsField(() => resolveWindow({ kind: 'between', from: '2026-01-01', to: '2026-01-01T00:00:00Z' }, now), 'window.to');
		throwsField(() => resolveWindow({ kind: 'last', amount: 1, unit: 'days' }, now, 'Mars/Base'), 'zone');
		throwsField(() => resolveWindow({ kind: 'all' }, Number.NaN), 'now');
	});
});

describe('addDuration', () => {
	it('adds calendar days in the zone: 30 days across the Berlin spring change is 719 hours', () => {
		const start = ms('2026-03-15T11:00:00+01:00');
		const end = addDuration(start, 30, 'days', 'Europe/Berlin');
		assert.equal(isoUtc(end), '2026-04-14T09:00:00.000Z'); // 11:00 +02:00
		assert.equal(end - start, 719 * HOUR);
		assert.equal(addDuration(start, 30, 'days') - start, 720 * HOUR);
	});

	it('handles weeks, months, years and exact hours', () => {
		const start = ms('2026-01-31T10:00:00Z');
		assert.equal(isoUtc(addDuration(start, 14, 'days')), '2026-02-14T10:00:00.000Z');
		assert.equal(isoUtc(addDuration(start, 2, 'weeks')), '2026-02-14T10:00:00.000Z');
		assert.equal(isoUtc(addDuration(start, 1, 'months')), '2026-02-28T10:00:00.000Z');
		assert.equal(isoUtc(addDuration(ms('2024-02-29T10:00:00Z'), 1, 'years')), '2025-02-28T10:00:00.000Z');
		assert.equal(isoUtc(addDuration(ms('2024-02-29T10:00:00Z'), 4, 'years')), '2028-02-29T10:00:00.000Z');
		assert.equal(addDuration(start, 0, 'months'), start);
		const spring = ms('2026-03-29T00:30:00+01:00');
		assert.equal(addDuration(spring, 3, 'hours', 'Europe/Berlin') - spring, 3 * HOUR);
		assert.equal(addDuration(spring, 45, 'minutes', 'Europe/Berlin') - spring, 45 * 60_000);
	});

	it('validates the amount under the field name passed in, and the unit and zone', () => {
		const start = ms('2026-01-31T10:00:00Z');
		throwsField(() => addDuration(start, -14, 'days', 'UTC', 'expiresAfter'), 'expiresAfter', /"-14" is not a whole number/);
		throwsField(() => addDuration(start, 0.5, 'days', 'UTC', 'membershipDays'), 'membershipDays');
		throwsField(() => addDuration(start, -1, 'days'), 'amount');
		throwsField(() => addDuration(start, 1e12, 'years', 'UTC', 'expiresAfter'), 'expiresAfter', /too far/);
		const unit = throwsField(() => addDuration(start, 1, 'fortnights' as 'days'), 'unit', /"fortnights" is not a time unit/);
		assert.equal(unit.hint, 'Use one of: minutes, hours, days, weeks, months, years.');
		throwsField(() => addDuration(start, 1, 'days', 'Nowhere/Else'), 'zone');
		throwsField(() => addDuration(Number.NaN, 1, 'days'), 'instant');
	});

	it('normalizeAmount accepts digits and refuses the rest', () => {
		assert.equal(normalizeAmount(0, 'n'), 0);
		assert.equal(normalizeAmount(' 12 ', 'n'), 12);
		throwsField(() => normalizeAmount('1e3', 'n'), 'n');
		throwsField(() => normalizeAmount(2 ** 60, 'n'), 'n');
	});
});

describe('startOfLocalDay and isoUtc', () => {
	it('finds the start of the customer day in their zone', () => {
		const now = ms('2026-05-17T03:00:00Z');
		assert.equal(isoUtc(startOfLocalDay(now, 'Asia/Tokyo')), '2026-05-16T15:00:00.000Z'); // 17 May 00:00 +09:00
		assert.equal(isoUtc(startOfLocalDay(now, 'America/Los_Angeles')), '2026-05-16T07:00:00.000Z'); // 16 May 00:00 -07:00
		assert.equal(isoUtc(startOfLocalDay(now, 'UTC')), '2026-05-17T00:00:00.000Z');
		// Santiago springs forward at midnight: that day starts at 01:00 -03:00
		assert.equal(isoUtc(startOfLocalDay(ms('2024-09-08T15:00:00Z'), 'America/Santiago')), '2024-09-08T04:00:00.000Z');
		throwsField(() => startOfLocalDay(now, 'Atlantis'), 'zone');
	});

	it('isoUtc prints ISO 8601 with Z', () => {
		assert.equal(isoUtc(Date.UTC(2026, 4, 1, 9)), '2026-05-01T09:00:00.000Z');
		assert.throws(() => isoUtc(Number.NaN), RangeError);
	});
});
