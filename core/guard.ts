/**
 * Repeatability Guard: may this customer enter this activity (again)?
 */
import { createHash } from 'node:crypto';
import { customerIdOf, oneOf, requireText, wholeNumber } from './check';
import { InputError, quote } from './errors';
import { MAX_NAME_LENGTH } from './limits';
import type { GuardOutcome, GuardPolicy, GuardRequest, Store } from './store';
import { isoUtc } from './time';

export const POLICIES = ['once', 'always', 'atMost', 'perPeriod'] as const;
export const PERIOD_UNITS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 } as const;

export interface GuardInput {
	activity: unknown;
	customerId: unknown;
	/** Idempotency key of the attempt (default: the event id); a retried execution gets the same answer, Enter or Skip. */
	key: unknown;
	policy: unknown;
	times?: unknown;
	periodAmount?: unknown;
	periodUnit?: unknown;
	/** Percentage of customers held out as a control group, 0 (the default) for none. */
	controlPercent?: unknown;
}

export function parsePolicy(input: Pick<GuardInput, 'policy' | 'times' | 'periodAmount' | 'periodUnit'>): GuardPolicy {
	const kind = oneOf(input.policy, POLICIES, 'policy');
	if (kind === 'atMost') return { kind, times: wholeNumber(input.times, 'times', 1) };
	if (kind === 'perPeriod') {
		const unit = oneOf(input.periodUnit ?? 'days', Object.keys(PERIOD_UNITS) as Array<keyof typeof PERIOD_UNITS>, 'periodUnit');
		return { kind, periodMs: wholeNumber(input.periodAmount, 'periodAmount', 1) * PERIOD_UNITS[unit] };
	}
	return { kind };
}

export function activityName(value: unknown, field = 'activity'): string {
	return requireText(value, field, 'Name the activity, e.g. the workflow ID (the default) or "welcome-series".', MAX_NAME_LENGTH);
}

/** A key that is new in every run: the starting event's id, and in a run that started on no event (a schedule, a list), the execution's. */
const ENTRY_KEY_HINT =
	"Use a key that is new in every run and the same in a retry: the default, {{ $json.id ?? $execution.id }}, is the ID of the event that started the execution, else this execution's ID.";

/**
 * Why these attempts' keys cannot tell one run from the next, if they cannot: a key equal to the
 * customer's ID, or one key for every customer of the batch that is none of `perRun` (the keys
 * known to be new in each run: the execution's ID, the starting event's ID). With such a key the
 * next run is taken for a retry of this one and gets its answer back, so the policy never applies.
 * `fixed`: the key is a fixed text, not an expression.
 */
export function entryKeyWarning(requests: GuardRequest[], perRun: ReadonlySet<string>, fixed = false): string | undefined {
	if (requests.length === 0) return undefined;
	if (fixed) {
		return `Entry Key is the fixed text "${requests[0].key}", the same in every run: each later run is taken for a retry of the first and gets its answer again, so the policy never applies. ${ENTRY_KEY_HINT}`;
	}
	const same = requests.find((r) => r.key === r.customerId);
	if (same) {
		return `Entry Key is the customer's ID ("${same.key}"), the same in every run: each later run is taken for a retry of the first and gets its answer again, so "${requests[0].policy.kind}" lets the customer through every time. ${ENTRY_KEY_HINT}`;
	}
	const keys = new Set(requests.map((r) => r.key));
	const customers = new Set(requests.map((r) => r.customerId));
	const [key] = keys;
	if (keys.size === 1 && customers.size > 1 && !perRun.has(key)) {
		return `Entry Key is "${key}" for all ${customers.size} customers: if the next run has the same key, it is taken for a retry of this one and every customer gets this run's answer again, so the policy never applies. ${ENTRY_KEY_HINT}`;
	}
	return undefined;
}

/** A control group's size: a percentage from 0 (none) up to, not including, 100. */
export function controlPercent(value: unknown, field = 'controlGroup'): number {
	const n = value === undefined || value === null || value === '' ? 0 : typeof value === 'string' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n >= 100) {
		throw new InputError(field, `${quote(value)} is not a percentage from 0 to 99.9`, 'Enter the share of customers to hold out, e.g. 10 for 10 %, or 0 for no control group.');
	}
	return n;
}

/**
 * Where a customer falls in [0, 1) for an activity: the first 32 bits of SHA-256(activity, NUL,
 * customer id) over 2^32. The same on every worker and in every run, and independent between
 * activities, so no state is needed to keep a customer in or out of a control group.
 */
export function controlDraw(activity: string, customerId: string): number {
	return createHash('sha256').update(`${activity}\u0000${customerId}`).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Whether the customer is in the activity's control group of `percent` %. Raising the percentage
 * only adds customers: whoever is held out at 10 % is held out at 20 % too.
 */
export function inControlGroup(activity: string, customerId: string, percent: number): boolean {
	return percent > 0 && controlDraw(activity, customerId) < percent / 100;
}

export function prepareGuard(input: GuardInput): GuardRequest {
	const activity = activityName(input.activity);
	const customerId = customerIdOf(input.customerId);
	const key = requireText(input.key, 'entryKey', ENTRY_KEY_HINT);
	const policy = parsePolicy(input);
	const holdOut = inControlGroup(activity, customerId, controlPercent(input.controlPercent));
	return { activity, customerId, key, policy, ...(holdOut && { holdOut }) };
}

export interface GuardResult {
	/** The customer goes on into the activity (the Enter output). */
	entered: boolean;
	/** The policy let the customer in, but the control group holds them out (the Control output). */
	heldOut?: true;
	reason:
		| 'first entry'
		| 'repeatable'
		| 'within limit'
		| 'period passed'
		| 'retry of an earlier entry'
		| 'already entered'
		| 'limit reached'
		| 'too soon'
		| 'retry of an earlier skip'
		| 'control group'
		| 'retry of an earlier hold-out';
	activity: string;
	policy: GuardPolicy['kind'];
	entries: number;
	firstEntryAt?: string;
	lastEntryAt?: string;
}

function explain(request: GuardRequest, outcome: GuardOutcome): GuardResult['reason'] {
	if (outcome.replay) return outcome.heldOut ? 'retry of an earlier hold-out' : outcome.entered ? 'retry of an earlier entry' : 'retry of an earlier skip';
	if (outcome.heldOut) return 'control group';
	if (outcome.entered) {
		if (outcome.entries === 1) return 'first entry';
		return request.policy.kind === 'always' ? 'repeatable' : request.policy.kind === 'atMost' ? 'within limit' : 'period passed';
	}
	return request.policy.kind === 'once' ? 'already entered' : request.policy.kind === 'atMost' ? 'limit reached' : 'too soon';
}

/**
 * Decides a batch in one store transaction; the database makes each decision exactly once. A
 * customer held out counts as an entry for the policy, as if they had entered: the control group
 * stays comparable to the customers who enter, and is held out again only when the policy would
 * have let them enter again.
 */
export async function runGuard(store: Store, requests: GuardRequest[], now: number): Promise<GuardResult[]> {
	const outcomes = await store.guardEnter(requests, now);
	return outcomes.map((outcome, i) => ({
		entered: outcome.entered && !outcome.heldOut,
		...(outcome.heldOut && { heldOut: true as const }),
		reason: explain(requests[i], outcome),
		activity: outcome.activity,
		policy: requests[i].policy.kind,
		entries: outcome.entries,
		firstEntryAt: outcome.firstAt === undefined ? undefined : isoUtc(outcome.firstAt),
		lastEntryAt: outcome.lastAt === undefined ? undefined : isoUtc(outcome.lastAt),
	}));
}
