import type { GuardEntryRow, GuardOutcome, GuardPolicy, GuardRequest, Millis } from '../../core/store';
import type { Querier, Row } from '../driver';
import { inKeyOrder, MAX_TIME, opt } from './util';

const UNLIMITED = 2_147_483_647;

/** The policy as two bounds on the existing counter: entries below maxEntries, last entry at or before cutoff. */
function bounds(policy: GuardPolicy, now: Millis): [maxEntries: number, cutoff: number] {
	switch (policy.kind) {
		case 'once':
			return [1, MAX_TIME];
		case 'atMost':
			return [policy.times, MAX_TIME];
		case 'perPeriod':
			return [UNLIMITED, now - policy.periodMs];
		case 'always':
			return [UNLIMITED, MAX_TIME];
	}
}

const outcome = (request: GuardRequest, entered: boolean, heldOut: boolean, replay: boolean, counter: Row | undefined): GuardOutcome => ({
	activity: request.activity,
	customerId: request.customerId,
	entered,
	heldOut,
	replay,
	entries: Number(counter?.entries ?? 0),
	firstAt: opt(counter?.first_at),
	lastAt: opt(counter?.last_at),
});

/**
 * Each attempt first claims its idempotency key (a retried execution finds it and gets its first
 * answer back, Enter or Skip), then one upsert with a WHERE both counts the entry and applies the
 * policy: the row lock makes concurrent attempts for one customer queue up and see each other's
 * count. A denied attempt keeps its key, marked not entered. An attempt of a customer in the
 * control group is claimed as held out: counted like an entry when the policy allows it, and
 * replayed as held out.
 */
export async function guardEnter(q: Querier, requests: GuardRequest[], now: Millis): Promise<GuardOutcome[]> {
	// Grouped by (activity, customer) for a consistent lock order across transactions; within one
	// customer the items keep their order, so the first item of a batch is the first to enter.
	return inKeyOrder(
		requests,
		(r) => `${r.activity}\u0000${r.customerId}`,
		async (request) => {
			const pk = [request.activity, request.customerId, request.key];
			const counterOf = () =>
				q.get('SELECT entries, first_at, last_at FROM guard_counters WHERE activity = $1 AND customer_id = $2', [
					request.activity,
					request.customerId,
				]);
			for (;;) {
				const heldOut = request.holdOut === true;
				const fresh = await q.get(
					`INSERT INTO guard_entries (activity, customer_id, entry_key, entered_at, entered, held_out) VALUES ($1, $2, $3, $4, 1, $5)
					ON CONFLICT (activity, customer_id, entry_key) DO NOTHING RETURNING entered_at`,
					[...pk, now, heldOut ? 1 : 0],
				);
				if (!fresh) {
					const first = await q.get('SELECT entered, held_out FROM guard_entries WHERE activity = $1 AND customer_id = $2 AND entry_key = $3', pk);
					// Not found: the customer was forgotten in between, so the key is decided anew.
					if (first) return outcome(request, Number(first.entered) === 1, Number(first.held_out) === 1, true, await counterOf());
					continue;
				}
				const [maxEntries, cutoff] = bounds(request.policy, now);
				const counted = await q.get(
					`INSERT INTO guard_counters (activity, customer_id, entries, first_at, last_at) VALUES ($1, $2, 1, $3, $3)
					ON CONFLICT (activity, customer_id) DO UPDATE SET entries = guard_counters.entries + 1, last_at = excluded.last_at
					WHERE guard_counters.entries < $4 AND guard_counters.last_at <= $5
					RETURNING entries, first_at, last_at`,
					[request.activity, request.customerId, now, maxEntries, cutoff],
				);
				if (counted) return outcome(request, true, heldOut, false, counted);
				await q.run('UPDATE guard_entries SET entered = 0, held_out = 0 WHERE activity = $1 AND customer_id = $2 AND entry_key = $3', pk);
				return outcome(request, false, false, false, await counterOf());
			}
		},
	);
}

export async function guardReset(q: Querier, activity: string, customerId: string): Promise<{ removed: boolean }> {
	const removed = await q.run('DELETE FROM guard_counters WHERE activity = $1 AND customer_id = $2', [activity, customerId]);
	return { removed: removed > 0 };
}

export async function guardHistory(
	q: Querier,
	filter: { activity?: string; customerId?: string; limit: number },
): Promise<GuardEntryRow[]> {
	const where = ['entered = 1'];
	const params: Array<string | number> = [];
	if (filter.activity !== undefined) {
		params.push(filter.activity);
		where.push(`activity = $${params.length}`);
	}
	if (filter.customerId !== undefined) {
		params.push(filter.customerId);
		where.push(`customer_id = $${params.length}`);
	}
	params.push(filter.limit);
	const rows = await q.all(
		`SELECT activity, customer_id, entry_key, entered_at, held_out FROM guard_entries
		WHERE ${where.join(' AND ')} ORDER BY entered_at DESC, entry_key LIMIT $${params.length}`,
		params,
	);
	return rows.map(toGuardEntry);
}

/** A guard entry from a row of guard_entries. */
export const toGuardEntry = (row: Row): GuardEntryRow => ({
	activity: String(row.activity),
	customerId: String(row.customer_id),
	key: String(row.entry_key),
	enteredAt: Number(row.entered_at),
	heldOut: Number(row.held_out) === 1,
});
