import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ManualClock, systemClock, type Clock } from '../../core/clock';
import { InputError } from '../../core/errors';

describe('systemClock', () => {
	it('reads the real time in epoch ms', () => {
		const before = Date.now();
		const now = systemClock.now();
		assert.ok(now >= before && now <= Date.now());
	});
});

describe('ManualClock', () => {
	it('starts at epoch ms or an ISO string (no offset = UTC)', () => {
		assert.equal(new ManualClock(0).now(), 0);
		assert.equal(new ManualClock('2026-05-01T11:00:00+02:00').now(), Date.UTC(2026, 4, 1, 9));
		assert.equal(new ManualClock('2026-05-01T09:00:00').now(), Date.UTC(2026, 4, 1, 9));
		const clock: Clock = new ManualClock(Date.UTC(2026, 4, 1));
		assert.equal(clock.now(), clock.now());
	});

	it('refuses an invalid start or set, naming the field', () => {
		assert.throws(() => new ManualClock('tomorrow'), (e: unknown) => e instanceof InputError && e.field === 'start');
		assert.throws(() => new ManualClock(Number.NaN), (e: unknown) => e instanceof InputError && e.field === 'start');
		const clock = new ManualClock(0);
		assert.throws(() => clock.set('2026-02-30T00:00:00Z'), (e: unknown) => e instanceof InputError && e.field === 'instant');
		assert.equal(clock.now(), 0);
	});

	it('sets to any instant, forwards or backwards', () => {
		const clock = new ManualClock('2026-05-01T09:00:00Z');
		clock.set('2027-01-01T00:00:00Z');
		assert.equal(clock.now(), Date.UTC(2027, 0, 1));
		clock.set(Date.UTC(2020, 0, 1));
		assert.equal(clock.now(), Date.UTC(2020, 0, 1));
	});

	it('advances by luxon durations and by milliseconds', () => {
		const clock = new ManualClock('2026-01-31T10:00:00Z');
		assert.equal(clock.advance({ minutes: 30 }), Date.UTC(2026, 0, 31, 10, 30));
		assert.equal(clock.advance({ hours: 1, minutes: 30 }), Date.UTC(2026, 0, 31, 12));
		assert.equal(clock.advance({ days: 1 }), Date.UTC(2026, 1, 1, 12));
		clock.set('2026-01-31T10:00:00Z');
		assert.equal(clock.advance({ months: 1 }), Date.UTC(2026, 1, 28, 10)); // calendar month, clamped
		assert.equal(clock.advance({ weeks: 1, seconds: 5, milliseconds: 7 }), Date.UTC(2026, 2, 7, 10, 0, 5, 7));
		assert.equal(clock.advance(-7), Date.UTC(2026, 2, 7, 10, 0, 5));
		assert.equal(clock.advance({ days: -1 }), Date.UTC(2026, 2, 6, 10, 0, 5));
		assert.equal(clock.now(), Date.UTC(2026, 2, 6, 10, 0, 5));
	});

	it('days are 24 hours (UTC), also when a zone would change clocks', () => {
		const clock = new ManualClock('2026-03-28T12:00:00Z');
		assert.equal(clock.advance({ days: 1 }) - Date.UTC(2026, 2, 28, 12), 86_400_000);
	});

	it('refuses bad durations and leaving the range of dates', () => {
		const clock = new ManualClock(0);
		assert.throws(() => clock.advance({ dayz: 1 } as never));
		assert.throws(() => clock.advance(Number.NaN), RangeError);
		assert.throws(() => clock.advance({ years: 1e9 }), RangeError);
		assert.equal(clock.now(), 0);
	});
});
