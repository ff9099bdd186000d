/**
 * Activity Report: did an activity make customers buy, and how much more than doing nothing (its
 * control group, held out by the Repeatability Guard)?
 */
import { requireText, textList, wholeNumber } from './check';
import { InputError } from './errors';
import { activityName } from './guard';
import { MAX_NAME_LENGTH } from './limits';
import { fromMinor } from './money';
import type { ActivityGroupRow, ActivityReportQuery, ActivityReportRow, Store } from './store';
import { isoUtc, parseInstant } from './time';

const DAY = 86_400_000;
/** The 97.5th percentile of the standard normal distribution: two-sided 95 %. */
const Z95 = 1.959963984540054;

export interface ReportInput {
	/** Activity names: a list or a comma separated text. */
	activities: unknown;
	from: unknown;
	to: unknown;
	/** Days after a customer's first entry in the range in which their orders count (default 14). */
	windowDays?: unknown;
	/** Coupon pools whose codes count; empty for every pool. */
	pools?: unknown;
}

export function prepareReport(input: ReportInput): ActivityReportQuery[] {
	const activities = textList(input.activities).map((name) => activityName(name, 'activities'));
	if (activities.length === 0) {
		throw new InputError('activities', 'names no activity', 'Enter one or more activity names, separated by commas, e.g. the workflow ID of the Repeatability Guard (its default).');
	}
	const from = parseInstant(input.from, 'from');
	const to = parseInstant(input.to, 'to');
	if (to <= from) throw new InputError('to', `${isoUtc(to)} is not after from (${isoUtc(from)})`, 'Choose an end of the date range after its start.');
	const windowDays = wholeNumber(input.windowDays ?? 14, 'windowDays', 1, 3650);
	const pools = textList(input.pools).map((name) => requireText(name, 'pools', undefined, MAX_NAME_LENGTH));
	return activities.map((activity) => ({ activity, from, to, windowMs: windowDays * DAY, ...(pools.length > 0 && { pools }) }));
}

/** Wilson score interval of x successes in n trials. */
export function wilson(x: number, n: number, z = Z95): [low: number, high: number] {
	const p = x / n;
	const z2 = z * z;
	const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
	const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
	return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Confidence interval of the difference of two proportions x1/n1 - x2/n2: Newcombe's hybrid score
 * interval (1998, method 10), built from the two Wilson intervals. Unlike the Wald interval it
 * stays inside [-1, 1] and keeps its coverage for small groups and rates near 0.
 */
export function newcombe(x1: number, n1: number, x2: number, n2: number, z = Z95): [low: number, high: number] {
	const p1 = x1 / n1;
	const p2 = x2 / n2;
	const [l1, u1] = wilson(x1, n1, z);
	const [l2, u2] = wilson(x2, n2, z);
	const d = p1 - p2;
	return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

/** Rates and differences are given to 6 decimal places. */
const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** minor / n in minor units, rounded half away from zero. */
function perCustomer(minor: bigint, n: number): bigint {
	const d = BigInt(n);
	const q = minor / d;
	const r = minor % d;
	return 2n * (r < 0n ? -r : r) >= d ? q + (minor < 0n ? -1n : 1n) : q;
}

export interface GroupFigures {
	customers: number;
	entries: number;
	/** Customers with at least one counted order in their window, and their share of the group. */
	converted: number;
	conversionRate: number | null;
	orders: number;
	/** Net of refunds, per currency: decimal strings. */
	revenue: Record<string, string>;
	revenuePerCustomer: Record<string, string>;
	codesAssigned: number;
	codesRedeemed: number;
}

export interface ActivityReport {
	activity: string;
	from: string;
	to: string;
	conversionWindowDays: number;
	/** Customers who entered, customers held out, attempts skipped. */
	entered: number;
	heldOut: number;
	skipped: number;
	enteredGroup: GroupFigures;
	controlGroup: GroupFigures;
	/** Entered conversion rate minus the control group's; null without customers in both groups. */
	lift: {
		absolute: number;
		/** absolute / control rate; null when the control group's rate is 0. */
		relative: number | null;
		confidence: 0.95;
		low: number;
		high: number;
		method: string;
	} | null;
}

function figures(row: ActivityGroupRow): GroupFigures {
	const revenue: Record<string, string> = {};
	const revenuePerCustomer: Record<string, string> = {};
	for (const { currency, amountMinor } of row.orders) {
		revenue[currency] = fromMinor(amountMinor, currency);
		revenuePerCustomer[currency] = fromMinor(perCustomer(amountMinor, row.customers), currency);
	}
	return {
		customers: row.customers,
		entries: row.entries,
		converted: row.converted,
		conversionRate: row.customers ? round(row.converted / row.customers) : null,
		orders: row.orders.reduce((sum, o) => sum + o.orders, 0),
		revenue,
		revenuePerCustomer,
		codesAssigned: row.codesAssigned,
		codesRedeemed: row.codesRedeemed,
	};
}

export function reportOf(row: ActivityReportRow, query: ActivityReportQuery): ActivityReport {
	const { entered, control } = row;
	let lift: ActivityReport['lift'] = null;
	if (entered.customers > 0 && control.customers > 0) {
		const p1 = entered.converted / entered.customers;
		const p2 = control.converted / control.customers;
		const [low, high] = newcombe(entered.converted, entered.customers, control.converted, control.customers);
		lift = {
			absolute: round(p1 - p2),
			relative: p2 > 0 ? round((p1 - p2) / p2) : null,
			confidence: 0.95,
			low: round(low),
			high: round(high),
			method: 'Newcombe hybrid score interval (Wilson)',
		};
	}
	return {
		activity: row.activity,
		from: isoUtc(query.from),
		to: isoUtc(query.to),
		conversionWindowDays: query.windowMs / DAY,
		entered: entered.customers,
		heldOut: control.customers,
		skipped: row.skipped,
		enteredGroup: figures(entered),
		controlGroup: figures(control),
		lift,
	};
}

/** One report per activity, in one store call. */
export async function activityReports(store: Store, queries: ActivityReportQuery[]): Promise<ActivityReport[]> {
	const rows = await store.activityReport(queries);
	return rows.map((row, i) => reportOf(row, queries[i]));
}
