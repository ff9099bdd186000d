/**
 * The Activity Report's arithmetic: the confidence interval of the lift, and the figures made
 * from the store's rows (rates, money per currency, per-customer amounts).
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { InputError } from '../../core/errors';
import { newcombe, prepareReport, reportOf, wilson } from '../../core/report';
import type { ActivityGroupRow, ActivityReportQuery } from '../../core/store';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const DAY = 86_400_000;
const fixed = (pair: [number, number]) => pair.map((v) => v.toFixed(4));
const group = (row: Partial<ActivityGroupRow>): ActivityGroupRow => ({ customers: 0, entries: 0, converted: 0, orders: [], codesAssigned: 0, codesRedeemed: 0, ...row });
const query: ActivityReportQuery = { activity: 'welcome', from: T0, to: T0 + 30 * DAY, windowMs: 14 * DAY };

describe('activity report: confidence interval of the lift', () => {
	it("matches the published hybrid score intervals (Newcombe 1998, Statistics in Medicine 17, table II, method 10)", () => {
		const cases: Array<[number, number, number, number, [string, string]]> = [
			[56, 70, 48, 80, ['0.0524', '0.3339']],
			[9, 10, 3, 10, ['0.1705', '0.8090']],
			[6, 7, 2, 7, ['0.0582', '0.8062']],
			[5, 56, 0, 29, ['-0.0381', '0.1926']],
			[0, 10, 0, 20, ['-0.1611', '0.2775']],
			[0, 10, 0, 10, ['-0.2775', '0.2775']],
			[10, 10, 0, 20, ['0.6791', '1.0000']],
			[10, 10, 0, 10, ['0.6075', '1.0000']],
		];
		for (const [x1, n1, x2, n2, expected] of cases) assert.deepEqual(fixed(newcombe(x1, n1, x2, n2)), expected, `${x1}/${n1} - ${x2}/${n2}`);
	});

	it('Wilson score interval: 0 of 10 and 10 of 10 stay inside [0, 1]', () => {
		assert.deepEqual(fixed(wilson(0, 10)), ['0.0000', '0.2775']);
		assert.deepEqual(fixed(wilson(10, 10)), ['0.7225', '1.0000']);
		assert.deepEqual(fixed(wilson(81, 263)), ['0.2553', '0.3662']);
	});
});

describe('activity report: figures', () => {
	it('rates, lift with its interval, money per currency as decimal strings, per customer rounded half up', () => {
		const report = reportOf(
			{
				activity: 'welcome',
				skipped: 4,
				entered: group({
					customers: 70,
					entries: 75,
					converted: 56,
					orders: [
						{ currency: 'EUR', orders: 60, amountMinor: 123_456n },
						{ currency: 'JPY', orders: 2, amountMinor: 3_001n },
					],
					codesAssigned: 70,
					codesRedeemed: 30,
				}),
				control: group({ customers: 80, entries: 80, converted: 48, orders: [{ currency: 'EUR', orders: 50, amountMinor: 99_999n }] }),
			},
			query,
		);
		const { lift, ...rest } = report;
		// 56/70 against 48/80: Newcombe's example (a), 0.0524 to 0.3339.
		assert.deepEqual([lift?.low.toFixed(4), lift?.high.toFixed(4)], ['0.0524', '0.3339']);
		assert.deepEqual({ ...lift, low: undefined, high: undefined }, { absolute: 0.2, relative: 0.333333, confidence: 0.95, low: undefined, high: undefined, method: 'Newcombe hybrid score interval (Wilson)' });
		assert.deepEqual(rest, {
			activity: 'welcome',
			from: '2026-03-01T00:00:00.000Z',
			to: '2026-03-31T00:00:00.000Z',
			conversionWindowDays: 14,
			entered: 70,
			heldOut: 80,
			skipped: 4,
			enteredGroup: {
				customers: 70,
				entries: 75,
				converted: 56,
				conversionRate: 0.8,
				orders: 62,
				// 1234.56 / 70 = 17.6365..., 3001 / 70 = 42.87...
				revenue: { EUR: '1234.56', JPY: '3001' },
				revenuePerCustomer: { EUR: '17.64', JPY: '43' },
				codesAssigned: 70,
				codesRedeemed: 30,
			},
			controlGroup: {
				customers: 80,
				entries: 80,
				converted: 48,
				conversionRate: 0.6,
				orders: 50,
				// 999.99 / 80 = 12.499875
				revenue: { EUR: '999.99' },
				revenuePerCustomer: { EUR: '12.50' },
				codesAssigned: 0,
				codesRedeemed: 0,
			},
		});
	});

	it('no lift without a control group; no relative lift when the control group bought nothing', () => {
		const alone = reportOf({ activity: 'a', skipped: 0, entered: group({ customers: 3, converted: 1 }), control: group({}) }, query);
		assert.deepEqual([alone.lift, alone.controlGroup.conversionRate, alone.enteredGroup.conversionRate], [null, null, 0.333333]);
		const zero = reportOf({ activity: 'a', skipped: 0, entered: group({ customers: 10, converted: 2 }), control: group({ customers: 10 }) }, query);
		assert.deepEqual([zero.lift?.absolute, zero.lift?.relative], [0.2, null]);
	});
});

describe('activity report: input', () => {
	const base = { activities: 'welcome, birthday', from: '2026-03-01', to: '2026-04-01' };
	const isInputError = (field: string, message: RegExp) => (e: unknown) => e instanceof InputError && e.field === field && message.test(e.message) && Boolean(e.hint);

	it('one query per activity, with the window in milliseconds and the pools when named', () => {
		assert.deepEqual(prepareReport({ ...base, pools: 'p1, p2' }), [
			{ activity: 'welcome', from: T0, to: Date.parse('2026-04-01T00:00:00Z'), windowMs: 14 * DAY, pools: ['p1', 'p2'] },
			{ activity: 'birthday', from: T0, to: Date.parse('2026-04-01T00:00:00Z'), windowMs: 14 * DAY, pools: ['p1', 'p2'] },
		]);
		assert.equal(prepareReport({ ...base, windowDays: 7 })[0].windowMs, 7 * DAY);
		assert.equal('pools' in prepareReport({ ...base, pools: ' , ' })[0], false);
	});

	it('refuses no activity, a bad or reversed range and a window of 0 days, saying what to change', () => {
		assert.throws(() => prepareReport({ ...base, activities: ' , ' }), isInputError('activities', /names no activity/));
		assert.throws(() => prepareReport({ ...base, from: 'last week' }), isInputError('from', /./));
		assert.throws(() => prepareReport({ ...base, to: '2026-03-01' }), isInputError('to', /is not after from/));
		assert.throws(() => prepareReport({ ...base, windowDays: 0 }), isInputError('windowDays', /whole number from 1 to 3650/));
	});
});
