/**
 * Recording a batch of canonical events: ONE store.recordEvents call, one transaction. Event ids
 * are deterministic, so recording the same batch twice records nothing the second time.
 */
import type { CanonicalEvent } from '../event';
import type { Store } from '../store';

export interface LedgerEntry {
	event: CanonicalEvent;
	/** The input items this event came from (several rows of one order make one event). */
	itemIndexes: number[];
}

export interface LedgerFailure {
	itemIndex: number;
	error: unknown;
}

export interface LedgerBatch {
	entries: LedgerEntry[];
	/** Items that could not be read; nothing of them is recorded. */
	failures: LedgerFailure[];
}

export interface LedgerResult {
	eventId: string;
	type: string;
	/** Absent for an order nobody is named for (no customer id, email or phone). */
	customerId?: string;
	/** false: an event with this id was recorded before (or earlier in the batch); nothing was written. */
	recorded: boolean;
	duplicate: boolean;
	/** About a customer forgotten after the event occurred: skipped, nothing was written. */
	suppressed: boolean;
	/** The store had never seen this customer before this event. */
	newCustomer: boolean;
}

export interface LedgerSummary {
	/** Events recorded now. */
	recorded: number;
	/** Events recorded before (a re-run, a redelivery, the same event twice in the input). */
	duplicates: number;
	/** Events about customers forgotten after they occurred: skipped. */
	suppressed: number;
	/** Input items that could not be read (nothing of them was recorded). */
	failed: number;
	newCustomers: number;
}

/** Records the events in ONE store call (one transaction): all of them or, on a store error, none. */
export async function recordLedger(store: Store, now: number, entries: LedgerEntry[]): Promise<LedgerResult[]> {
	if (entries.length === 0) return [];
	const outcomes = await store.recordEvents(
		entries.map((e) => e.event),
		now,
	);
	return outcomes.map((outcome, i) => ({
		eventId: outcome.id,
		type: entries[i].event.type,
		...(entries[i].event.customer && { customerId: entries[i].event.customer.id }),
		recorded: outcome.recorded,
		duplicate: !outcome.recorded && !outcome.suppressed,
		suppressed: outcome.suppressed === true,
		newCustomer: outcome.newCustomer,
	}));
}

export function ledgerSummary(results: LedgerResult[], failed: number): LedgerSummary {
	let recorded = 0;
	let suppressed = 0;
	let newCustomers = 0;
	for (const r of results) {
		if (r.recorded) recorded++;
		if (r.suppressed) suppressed++;
		if (r.newCustomer) newCustomers++;
	}
	return { recorded, duplicates: results.length - recorded - suppressed, suppressed, failed, newCustomers };
}
