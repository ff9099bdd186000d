/**
 * Repeatability Guard: may this customer enter this activity (again)?
 */
import { customerIdOf, oneOf, requireText, wholeNumber } from './check';
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

export function prepareGuard(input: GuardInput): GuardRequest {
	return {
		activity: activityName(input.activity),
		customerId: customerIdOf(input.customerId),
		key: requireText(input.key, 'entryKey', ENTRY_KEY_HINT),
		policy: parsePolicy(input),
	};
}

export interface GuardResult {
	entered: boolean;
	reason:
		| 'first entry'
		| 'repeatable'
		| 'within limit'
		| 'period passed'
		| 'retry of an earlier entry'
		| 'already entered'
		| 'limit reached'
		| 'too soon'
		| 'retry of an earlier skip';
	activity: string;
	policy: GuardPolicy['kind'];
	entries: number;
	firstEntryAt?: string;
	lastEntryAt?: string;
}

function explain(request: GuardRequest, outcome: GuardOutcome): GuardResult['reason'] {
	if (outcome.replay) return outcome.entered ? 'retry of an earlier entry' : 'retry of an earlier skip';
	if (outcome.entered) {
		if (outcome.entries === 1) return 'first entry';
		return request.policy.kind === 'always' ? 'repeatable' : request.policy.kind === 'atMost' ? 'within limit' : 'period passed';
	}
	return request.policy.kind === 'once' ? 'already entered' : request.policy.kind === 'atMost' ? 'limit reached' : 'too soon';
}

/** Decides a batch in one store transaction; the database makes each decision exactly once. */
export async function runGuard(store: Store, requests: GuardRequest[], now: number): Promise<GuardResult[]> {
	const outcomes = await store.guardEnter(requests, now);
	return outcomes.map((outcome, i) => ({
		entered: outcome.entered,
		reason: explain(requests[i], outcome),
		activity: outcome.activity,
		policy: requests[i].policy.kind,
		entries: outcome.entries,
		firstEntryAt: outcome.firstAt === undefined ? undefined : isoUtc(outcome.firstAt),
		lastEntryAt: outcome.lastAt === undefined ? undefined : isoUtc(outcome.lastAt),
	}));
}
