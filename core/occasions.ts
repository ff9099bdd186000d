/**
 * Occasions: time-based moments the storefront never sends as events (a birthday, a cart left
 * behind, a registration without an order, a customer who stopped ordering), found in the store.
 *
 * findOccasions() asks the store for due candidates this consumer has not claimed yet, checks
 * birthdays precisely in each customer's time zone, CLAIMS what it found (the database decides,
 * so two pollers, a restart or a retried poll never emit the same occasion twice) and returns one
 * canonical event per occasion won. pollOccasions() also returns how far it has read what the
 * store learned of after `since`, for the trigger to keep and pass back as `knownAfter`.
 *
 * | kind                                 | due when                                              | once per          |
 * | ------------------------------------ | ----------------------------------------------------- | ----------------- |
 * | customer.birthday                    | local date (customer's zone) = birthday - daysBefore  | customer and year |
 * | cart.abandoned                       | cart updated at least `after` ago, open and not empty | cart version      |
 * | customer.no_order_since_registration | registered at least `after` ago, no order yet         | customer          |
 * | customer.lapsed                      | last order more than `after` ago                      | last order (lapse)|
 *
 * Event ids are `occasion:<kind>:<customer id>:<occurrence>`, the same for every consumer, so a
 * Repeatability Guard keyed on the event id treats two workflows' copies as one occasion. A
 * birthday found N days before gets `:<N>-days-before` appended: the week-before card and the
 * greeting on the day are two occasions (the claim key stays the year, per consumer).
 */
import { DateTime } from 'luxon';
import { birthdayDue } from './birthdays';
import { isLeapYear } from './calendar';
import { oneOf, requireText, wholeNumber } from './check';
import { InputError } from './errors';
import { OCCASION_TYPES, type CanonicalEvent, type Cart, type Customer, type Line, type OccasionType } from './event';
import { customerOf } from './ledger';
import { fromMinor } from './money';
import type { CartRow, DueQuery, KnownQuery, OccasionCandidate, OccasionClaim, Store } from './store';
import { addDuration, isoUtc, normalizeAmount, normalizeZone, resolveWindow, startOfLocalDay, TIME_UNITS, type TimeUnit } from './time';

export type OccasionKind = OccasionType;
export const OCCASION_KINDS = OCCASION_TYPES;

/** Most occasions one call returns (and claims). */
export const MAX_OCCASION_LIMIT = 10_000;
/** Birthday candidates read per store call at most, while looking past those not due in their own zone. */
const MAX_BIRTHDAY_SCAN = 100_000;
/**
 * How far before `knownAfter` a poll reads again: a write stamped with its own clock before the
 * previous poll may commit (or come from an n8n instance whose clock is behind) only after it.
 * The claims make reading a candidate twice harmless.
 */
export const KNOWN_OVERLAP_MS = 5 * 60_000;

export interface OccasionOptions {
	kind: OccasionKind;
	/** Who consumes the occasions, e.g. workflow id + node id: each consumer gets each occasion once. */
	consumer: string;
	/** cart.abandoned, customer.no_order_since_registration, customer.lapsed: how long after the cart update, registration or last order. */
	after?: { amount: number; unit: TimeUnit };
	/** customer.birthday: 0 on the day, 7 a week before. */
	daysBefore?: number;
	/** The zone for customers without one, and for calendar units of `after`. Default UTC. */
	zone?: string;
	/** Most occasions returned. Default 100. */
	limit?: number;
	/**
	 * Only occasions that became due after this instant (epoch ms), or that the store learned of
	 * after it (a customer first seen, a registration, a last order or a cart version recorded
	 * later, by the store's clock): what was already due and known when the trigger was switched on
	 * is not emitted. Undefined: everything due.
	 */
	since?: number;
	/**
	 * With `since`: the `known` a previous poll returned. Candidates the store learned of before it
	 * (less KNOWN_OVERLAP_MS) have been looked at and are not read again. Undefined: `since`.
	 */
	knownAfter?: number;
	/** false: report what is due without claiming it (the editor's test run). Default true. */
	claim?: boolean;
}

export interface OccasionDetails {
	kind: OccasionKind;
	/** The occurrence key: birthday year, `<cart id>:<version>`, 'once', or the last order's epoch ms. */
	occurrence: string;
	/** When the occasion became due (ISO 8601 UTC). */
	dueAt: string;
	/** customer.birthday: the birthday's date this year, the lead and the zone it was judged in. */
	birthday?: { date: string; daysBefore: number; timezone: string };
	cartUpdatedAt?: string;
	registeredAt?: string;
	lastOrderAt?: string;
	/** The delay the occasion waited for (all kinds but birthdays). */
	after?: { amount: number; unit: TimeUnit };
}

/** The canonical event of an occasion, plus what the occasion is about. */
export type OccasionEvent = CanonicalEvent & { type: OccasionKind; customer: Customer; occasion: OccasionDetails };

export interface OccasionPoll {
	occasions: OccasionEvent[];
	/**
	 * With `since` (all kinds but birthdays): everything the store learned of up to this instant has
	 * been looked at. Pass it as `knownAfter` to the next poll.
	 */
	known?: number;
}

interface Settings {
	kind: OccasionKind;
	consumer: string;
	after?: { amount: number; unit: TimeUnit };
	daysBefore: number;
	zone: string;
	limit: number;
	since?: number;
	knownAfter?: number;
	claim: boolean;
}

interface Found {
	candidate: OccasionCandidate;
	occurrence: string;
	dueAt: number;
	birthday?: OccasionDetails['birthday'];
}

/** Validates the options; every error is an InputError naming the option. */
export function occasionSettings(options: OccasionOptions): Settings {
	const kind = oneOf(options.kind, OCCASION_KINDS, 'kind');
	const consumer = requireText(options.consumer, 'consumer', 'Pass the workflow ID and node ID, e.g. "wf1:5c0f4a2e-9d1b-4f7e-8a63-2b7c1d0e9f44".');
	const zone = normalizeZone(options.zone === undefined || options.zone === '' ? 'UTC' : options.zone, 'zone');
	const limit = wholeNumber(options.limit ?? 100, 'limit', 1, MAX_OCCASION_LIMIT);
	const since = instantOption(options.since, 'since');
	const knownAfter = instantOption(options.knownAfter, 'knownAfter');
	const settings: Settings = { kind, consumer, zone, limit, since, knownAfter, claim: options.claim !== false, daysBefore: 0 };
	if (kind === 'customer.birthday') {
		settings.daysBefore = wholeNumber(options.daysBefore ?? 0, 'daysBefore', 0, 366);
	} else {
		if (!options.after) throw new InputError('after', `is required for ${kind}`, 'Say how long to wait, e.g. { amount: 3, unit: "days" }.');
		const amount = normalizeAmount(options.after.amount, 'after.amount');
		const unit = oneOf(options.after.unit, TIME_UNITS, 'after.unit');
		settings.after = { amount, unit };
	}
	return settings;
}

function instantOption(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(field, `"${String(value)}" is not an instant in epoch milliseconds`);
	return value;
}

/**
 * The occasions of one kind that are due at `now` and not yet claimed by this consumer, claimed
 * (unless `claim: false`) and returned as canonical events, at most `limit`. Oldest first
 * (birthdays: by customer id); with `since`, those that became due after it come first, then those
 * the store learned of after it, in the order it learned of them. A candidate another consumer
 * call claimed first is left out, so concurrent calls for the same consumer return disjoint sets.
 */
export async function findOccasions(store: Store, now: number, options: OccasionOptions): Promise<OccasionEvent[]> {
	return (await pollOccasions(store, now, options)).occasions;
}

/** findOccasions(), and with `since` the high-water mark of what the store learned of that it has looked at. */
export async function pollOccasions(store: Store, now: number, options: OccasionOptions): Promise<OccasionPoll> {
	if (typeof now !== 'number' || !Number.isFinite(now)) throw new InputError('now', `"${String(now)}" is not an instant`);
	const settings = occasionSettings(options);
	let found: Found[];
	let known: number | undefined;
	if (settings.kind === 'customer.birthday') found = await dueBirthdays(store, now, settings);
	else {
		found = await dueAfterDelay(store, now, settings);
		if (settings.since !== undefined) {
			const late = await dueWhenLearned(store, now, settings, settings.limit - found.length);
			const keys = new Set(found.map(keyOf));
			found.push(...late.found.filter((f) => !keys.has(keyOf(f))));
			known = late.known;
		}
	}
	return { occasions: await claimed(store, now, settings, found), known };
}

const keyOf = (found: Found) => `${found.candidate.customer.id}\u0000${found.occurrence}`;

/** What this call won of what it found (all of it with `claim: false`), as events. */
async function claimed(store: Store, now: number, settings: Settings, found: Found[]): Promise<OccasionEvent[]> {
	if (found.length === 0) return [];
	let won = found;
	if (settings.claim) {
		const claims: OccasionClaim[] = found.map((f) => ({
			consumer: settings.consumer,
			kind: settings.kind,
			customerId: f.candidate.customer.id,
			occurrence: f.occurrence,
		}));
		const outcomes = await store.claimOccasions(claims, now);
		won = found.filter((_, i) => outcomes[i]);
	}
	return won.map((f) => occasionEvent(settings, f, now));
}

// ---------------------------------------------------------------------------------------------
// Carts, registrations, lapses: the store's query is exact
// ---------------------------------------------------------------------------------------------

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/**
 * How far `at + delay <= x` can be from `at <= x - delay`: a daylight-saving change (calendar
 * units), and for months the clamp to the month's end (31 January + 1 month = 28 February, but
 * 28 February - 1 month = 28 January) within the time of day.
 */
const INVERSE_SLACK: Record<TimeUnit, number> = { minutes: 0, hours: 0, days: 3 * HOUR_MS, weeks: 3 * HOUR_MS, months: 4 * DAY_MS + 3 * HOUR_MS };

/** `instant` minus the delay (calendar units in the zone). */
function minusDelay(instant: number, settings: Settings): number {
	const after = settings.after!;
	return resolveWindow({ kind: 'last', amount: after.amount, unit: after.unit }, instant, settings.zone).from!;
}

/** When an occasion counted from `at` (cart update, registration, last order) falls due: `at` plus the delay, calendar units in the zone. */
function dueAtOf(at: number, settings: Settings): number {
	const { amount, unit } = settings.after!;
	return addDuration(at, amount, unit, settings.zone, 'after.amount');
}

/** Due at `now`: "at least N ago" (carts, registrations) from dueAt on; "more than N ago" (lapses) after it. */
function dueBy(dueAt: number, now: number, settings: Settings): boolean {
	return settings.kind === 'customer.lapsed' ? dueAt < now : dueAt <= now;
}

/** The occasion a candidate stands for (the cart version, the lapse's last order, once) and when it falls due. */
function delayed(candidate: OccasionCandidate, settings: Settings): Found | undefined {
	if (candidate.at === undefined) return undefined;
	const occurrence =
		settings.kind === 'cart.abandoned'
			? candidate.cart
				? `${candidate.cart.id}:${candidate.cart.version}`
				: undefined
			: settings.kind === 'customer.lapsed'
				? String(candidate.at)
				: 'once';
	if (occurrence === undefined) return undefined;
	return { candidate, occurrence, dueAt: dueAtOf(candidate.at, settings) };
}

/**
 * Due now and, with `since`, not due yet at `since`; both judged on dueAt. The store is asked for a
 * range of the relevant instant wide enough for every such candidate and pages on (by instant and
 * id) past those the rule refuses, so that candidates already due at activation never fill a page.
 */
async function dueAfterDelay(store: Store, now: number, settings: Settings): Promise<Found[]> {
	const slack = INVERSE_SLACK[settings.after!.unit];
	const before = minusDelay(now, settings) + slack + 1;
	const after = settings.since === undefined ? undefined : minusDelay(settings.since, settings) - slack;
	if (after !== undefined && after >= before) return [];
	const found: Found[] = [];
	let cursor: DueQuery['cursor'];
	while (found.length < settings.limit) {
		const query: DueQuery = { after, before, cursor, limit: settings.limit, consumer: settings.consumer, kind: settings.kind };
		const candidates =
			settings.kind === 'cart.abandoned'
				? await store.dueAbandonedCarts(query)
				: settings.kind === 'customer.no_order_since_registration'
					? await store.dueRegisteredWithoutOrder(query)
					: await store.dueLapsed(query);
		for (const candidate of candidates) {
			if (found.length === settings.limit) break;
			const f = delayed(candidate, settings);
			if (!f || !dueBy(f.dueAt, now, settings) || (settings.since !== undefined && dueBy(f.dueAt, settings.since, settings))) continue;
			found.push(f);
		}
		const last = candidates[candidates.length - 1];
		if (candidates.length < settings.limit || last.at === undefined) break;
		cursor = { at: last.at, id: last.cart?.id ?? last.customer.id };
	}
	return found;
}

/**
 * With `since`: occasions already due then that the store learned of after it (a late delivery, a
 * backfill, a customer recorded later), at most `room`, read in the order the store learned of
 * them from `knownAfter` (less the overlap) on, never from before `since`. Also returns the new
 * high-water mark: up to the first candidate not looked at, else `now` (all committed was read).
 */
async function dueWhenLearned(store: Store, now: number, settings: Settings, room: number): Promise<{ found: Found[]; known: number }> {
	const since = settings.since!;
	const mark = settings.knownAfter ?? since;
	const found: Found[] = [];
	if (room <= 0) return { found, known: mark };
	const knownFrom = Math.max(since, mark - KNOWN_OVERLAP_MS) + 1;
	const before = minusDelay(since, settings) + INVERSE_SLACK[settings.after!.unit] + 1;
	const read =
		settings.kind === 'cart.abandoned'
			? store.knownAbandonedCarts.bind(store)
			: settings.kind === 'customer.no_order_since_registration'
				? store.knownRegisteredWithoutOrder.bind(store)
				: store.knownLapsed.bind(store);
	let cursor: KnownQuery['cursor'];
	for (;;) {
		const candidates = await read({ knownFrom, before, cursor, limit: room, consumer: settings.consumer, kind: settings.kind });
		for (const candidate of candidates) {
			if (found.length === room) return { found, known: Math.max(mark, (candidate.known ?? mark) - 1) };
			const f = delayed(candidate, settings);
			if (f && dueBy(f.dueAt, since, settings) && dueBy(f.dueAt, now, settings)) found.push(f);
		}
		if (candidates.length < room) return { found, known: Math.max(mark, now) };
		const last = candidates[candidates.length - 1];
		if (found.length === room || last.known === undefined) return { found, known: Math.max(mark, (last.known ?? mark) - 1) };
		cursor = { known: last.known, id: last.cart?.id ?? last.customer.id };
	}
}

// ---------------------------------------------------------------------------------------------
// Birthdays: the store pre-filters on month-day, each candidate is judged in its own zone
// ---------------------------------------------------------------------------------------------

/**
 * The birthday dates that can be due at `now` in some time zone, grouped by the year of the
 * occurrence (the claim key): local dates are the UTC date or the day before or after, each
 * shifted by daysBefore; 29 February birthdays fall on 28 February in other years. The store
 * pre-filters customers on their indexed month-day with these, and birthdayDue() judges each in
 * its zone; the year keeps a 1 January birthday claimed last year from passing for this year's.
 */
export function birthdayDates(now: number, daysBefore: number): Map<number, string[]> {
	const utc = DateTime.fromMillis(now, { zone: 'utc' }).startOf('day');
	const byYear = new Map<number, string[]>();
	for (const offset of [-1, 0, 1]) {
		const d = utc.plus({ days: offset + daysBefore });
		const days = byYear.get(d.year) ?? [];
		const md = d.toFormat('MM-dd');
		days.push(md);
		if (md === '02-28' && !isLeapYear(d.year)) days.push('02-29');
		byYear.set(d.year, days);
	}
	return byYear;
}

/** The zone a customer's birthday is judged in: their own when it is valid, else the default. */
function zoneOf(timezone: string | undefined, fallback: string): string {
	if (timezone) {
		try {
			return normalizeZone(timezone, 'customer.timezone');
		} catch {
			// an unreadable stored zone: judge the birthday in the default zone
		}
	}
	return fallback;
}

function judgeBirthday(candidate: OccasionCandidate, year: number, now: number, settings: Settings): Found | undefined {
	const { birthday, timezone } = candidate.customer;
	if (!birthday) return undefined;
	const zone = zoneOf(timezone, settings.zone);
	let due: ReturnType<typeof birthdayDue>;
	try {
		due = birthdayDue(birthday, now, zone, settings.daysBefore);
	} catch {
		return undefined; // an unreadable stored birthday is never due
	}
	if (!due.due || due.year !== year) return undefined;
	const dueAt = startOfLocalDay(now, zone);
	// Already due when the trigger was switched on, of a customer the store knew then: not a new
	// occasion. A customer first recorded later makes the occasion new, also on its due day.
	if (settings.since !== undefined && dueAt <= settings.since && candidate.customer.firstSeenAt <= settings.since) return undefined;
	return {
		candidate,
		occurrence: String(due.year),
		dueAt,
		birthday: { date: due.date, daysBefore: settings.daysBefore, timezone: zone },
	};
}

async function dueBirthdays(store: Store, now: number, settings: Settings): Promise<Found[]> {
	const found: Found[] = [];
	for (const [year, monthDays] of birthdayDates(now, settings.daysBefore)) {
		if (found.length >= settings.limit) break;
		// Candidates come ordered by customer id and include customers whose birthday is not due
		// yet (or any more) in their own zone: page on with the id cursor until enough are due.
		const page = Math.max(settings.limit * 4, 500);
		let afterCustomerId: string | undefined;
		for (let scanned = 0; found.length < settings.limit && scanned < MAX_BIRTHDAY_SCAN; scanned += page) {
			const candidates = await store.dueBirthdays({
				monthDays,
				years: [String(year)],
				limit: page,
				afterCustomerId,
				consumer: settings.consumer,
				kind: settings.kind,
			});
			const due = candidates.map((c) => judgeBirthday(c, year, now, settings)).filter((f): f is Found => f !== undefined);
			found.push(...due.slice(0, settings.limit - found.length));
			if (candidates.length < page) break;
			afterCustomerId = candidates[candidates.length - 1].customer.id;
		}
	}
	return found;
}

// ---------------------------------------------------------------------------------------------
// The event
// ---------------------------------------------------------------------------------------------

function cartOf(row: CartRow): Cart {
	const currency = row.currency ?? 'XXX';
	const cart: Cart = {
		id: row.id,
		total: row.totalMinor === undefined ? '0' : fromMinor(row.totalMinor, currency),
		currency,
		lines: row.lines as Line[],
	};
	if (row.recoveryUrl !== undefined) cart.recoveryUrl = row.recoveryUrl;
	return cart;
}

/** The id of an occasion: the same for every consumer (and every consumer with the same days before a birthday). */
export function occasionId(kind: OccasionKind, customerId: string, occurrence: string, daysBefore = 0): string {
	return `occasion:${kind}:${customerId}:${occurrence}${daysBefore > 0 ? `:${daysBefore}-days-before` : ''}`;
}

function occasionEvent(settings: Settings, found: Found, now: number): OccasionEvent {
	const { candidate, occurrence } = found;
	const customer = customerOf(candidate.customer);
	const occasion: OccasionDetails = { kind: settings.kind, occurrence, dueAt: isoUtc(found.dueAt) };
	if (found.birthday) occasion.birthday = found.birthday;
	if (settings.after) {
		const at = isoUtc(candidate.at!);
		if (settings.kind === 'cart.abandoned') occasion.cartUpdatedAt = at;
		else if (settings.kind === 'customer.lapsed') occasion.lastOrderAt = at;
		else occasion.registeredAt = at;
		occasion.after = { ...settings.after };
	}
	const event: OccasionEvent = {
		id: occasionId(settings.kind, customer.id, occurrence, found.birthday?.daysBefore),
		type: settings.kind,
		occurredAt: isoUtc(now),
		source: 'occasion',
		customer,
		occasion,
	};
	if (candidate.cart) event.cart = cartOf(candidate.cart);
	return event;
}
