/**
 * The ledger: recording events from items (a backfill of order history from n8n's Shopify or
 * WooCommerce nodes, a CSV, canonical JSON), a customer's profile, and erasure.
 *
 * Items become canonical events here (every one passes validateEvent); a batch is then recorded
 * with ONE store.recordEvents call, one transaction. Event ids are deterministic (the vendor
 * normalizers' ids, or ids derived from the mapped order/customer), so running a backfill twice
 * records nothing the second time.
 */
import { DateTime } from 'luxon';
import { textList } from './check';
import { InputError, quote } from './errors';
import { OCCASION_TYPES, type CanonicalEvent, type Customer, type EventType } from './event';
import { normalizeShopify } from './events/shopify';
import { validateEvent } from './events/validate';
import { normalizeWooCommerce } from './events/woocommerce';
import { fromMinor, nonNegativeDecimal, normalizeCurrency, toMinor } from './money';
import { summarize, type PurchaseSummary } from './purchases';
import type { CustomerRow, Store } from './store';
import { isoUtc, normalizeZone, parseInstant } from './time';

// ---------------------------------------------------------------------------------------------
// Stored customer -> canonical customer
// ---------------------------------------------------------------------------------------------

/** The canonical event's customer from a stored customer row (times as ISO 8601 UTC). */
export function customerOf(row: CustomerRow): Customer {
	const customer: Customer = { id: row.id };
	if (row.email !== undefined) customer.email = row.email;
	if (row.phone !== undefined) customer.phone = row.phone;
	if (row.firstName !== undefined) customer.firstName = row.firstName;
	if (row.lastName !== undefined) customer.lastName = row.lastName;
	if (row.birthday !== undefined) customer.birthday = row.birthday;
	if (row.timezone !== undefined) customer.timezone = row.timezone;
	if (row.locale !== undefined) customer.locale = row.locale;
	if (row.acceptsMarketing !== undefined) customer.acceptsMarketing = row.acceptsMarketing;
	if (row.registeredAt !== undefined) customer.registeredAt = isoUtc(row.registeredAt);
	return customer;
}

// ---------------------------------------------------------------------------------------------
// Items -> canonical events
// ---------------------------------------------------------------------------------------------

export const LEDGER_FORMATS = [
	'canonical',
	'shopifyOrders',
	'shopifyCustomers',
	'woocommerceOrders',
	'woocommerceCustomers',
	'mapped',
] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];
/** Formats where one item is one whole resource or event. */
export type ItemFormat = Exclude<LedgerFormat, 'mapped'>;

const VENDOR: Record<Exclude<ItemFormat, 'canonical'>, { name: string; topic: string; resource: string }> = {
	shopifyOrders: { name: 'Shopify', topic: 'orders/create', resource: 'order' },
	shopifyCustomers: { name: 'Shopify', topic: 'customers/create', resource: 'customer' },
	woocommerceOrders: { name: 'WooCommerce', topic: 'order.created', resource: 'order' },
	woocommerceCustomers: { name: 'WooCommerce', topic: 'customer.created', resource: 'customer' },
};

/** The same InputError with a hint that also says what the input should be. */
function withHint(error: unknown, hint: string): unknown {
	if (!(error instanceof InputError)) return error;
	const message = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
	return new InputError(error.field, message, error.hint ? `${error.hint} ${hint}` : hint);
}

/**
 * Occasions are found in the store, never recorded into it: recording a cart.abandoned event
 * would count as a new cart update and make the cart "abandoned" again later.
 */
function refuseOccasion(event: CanonicalEvent): CanonicalEvent {
	if ((OCCASION_TYPES as readonly string[]).includes(event.type)) {
		throw new InputError(
			'type',
			`${event.type} is an occasion, which the Storefront Occasion Trigger finds in the store; it is not recorded`,
			'Record the events the occasion comes from (orders, carts, registrations) instead.',
		);
	}
	return event;
}

/**
 * The canonical event of one item:
 * - canonical: the item is a canonical event (source defaults to "ledger");
 * - shopifyOrders / shopifyCustomers: a Shopify order / customer resource, as n8n's Shopify node
 *   (or a Shopify webhook) gives it; ids as the Storefront Trigger would give them
 *   (shopify:order.placed:<id>), so a later webhook for the same order is a duplicate;
 * - woocommerceOrders / woocommerceCustomers: the same for WooCommerce's REST resources.
 * Errors are InputErrors naming the field.
 */
export function eventFromItem(format: ItemFormat, json: unknown, now?: number): CanonicalEvent {
	if (format === 'canonical') {
		try {
			return refuseOccasion(validateEvent(json, { defaultSource: 'ledger', now }));
		} catch (error) {
			throw withHint(error, 'Each input item must be one canonical event: { "id", "type", "occurredAt", "customer": { "id" }, ... }.');
		}
	}
	const vendor = VENDOR[format];
	if (!vendor) throw new InputError('format', `"${String(format)}" is not an input format`, `Use one of: ${LEDGER_FORMATS.join(', ')}.`);
	try {
		return vendor.name === 'Shopify' ? normalizeShopify(vendor.topic, json, {}, now) : normalizeWooCommerce(vendor.topic, json, {}, now);
	} catch (error) {
		throw withHint(error, `Each input item must be one ${vendor.name} ${vendor.resource}, as n8n's ${vendor.name} node returns it (${vendor.resource === 'order' ? 'Order' : 'Customer'} > Get Many).`);
	}
}

// ---------------------------------------------------------------------------------------------
// Mapped fields (CSV rows, spreadsheets) -> canonical events
// ---------------------------------------------------------------------------------------------

/** The event types a mapped row can be. */
export const MAPPED_TYPES = ['order.placed', 'order.updated', 'customer.registered', 'customer.updated'] as const;
export type MappedType = (typeof MAPPED_TYPES)[number];

/** One row's mapped values, as read from the node's fields (any may be absent). */
export interface MappedRow {
	eventId?: unknown;
	type?: unknown;
	occurredAt?: unknown;
	customerId?: unknown;
	email?: unknown;
	phone?: unknown;
	firstName?: unknown;
	lastName?: unknown;
	birthday?: unknown;
	timezone?: unknown;
	locale?: unknown;
	acceptsMarketing?: unknown;
	registeredAt?: unknown;
	orderId?: unknown;
	total?: unknown;
	currency?: unknown;
	status?: unknown;
	couponCodes?: unknown;
	promotions?: unknown;
	productId?: unknown;
	sku?: unknown;
	productName?: unknown;
	categories?: unknown;
	quantity?: unknown;
	price?: unknown;
}

export interface MappingOptions {
	/** The zone of dates written without an offset ("2024-01-15 10:30"). Default UTC. */
	zone?: string;
	/** Now, epoch ms: events dated more than a day later are refused. Default: the system clock. */
	now?: number;
}

interface DraftLine {
	productId: string;
	sku?: string;
	name?: string;
	categories: string[];
	quantity: unknown;
	price?: string;
}

interface Draft {
	id: string;
	type: MappedType;
	occurredAt?: string;
	customer: Record<string, unknown>;
	order?: {
		id: string;
		total?: string;
		currency?: string;
		status?: string;
		couponCodes: string[];
		promotions: string[];
		lines: DraftLine[];
	};
}

const absent = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function textOf(value: unknown, field: string): string | undefined {
	if (absent(value)) return undefined;
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint') return value.toString();
	throw new InputError(field, `expected text, got ${Array.isArray(value) ? 'a list' : typeof value}`, 'Map a column that holds text or a number.');
}

const DATE_HINT =
	'Use ISO 8601 (2024-01-15T10:30:00Z, 2024-01-15 10:30:00 -0500), a date (2024-01-15, read in the time zone set for dates without offset), or epoch milliseconds.';

/**
 * An instant from a CSV-style date: ISO 8601 with or without the T, with or without an offset
 * (a space before the offset is allowed: "2024-01-15 10:30:00 -0500", as Shopify's CSV export
 * writes it); without an offset, and date-only values, are read in `zone`. Numbers are epoch
 * milliseconds; Date and luxon values are taken as they are.
 */
export function mappedInstant(value: unknown, field: string, zone: string): number {
	if (typeof value === 'string') {
		const text = value
			.trim()
			.replace(/^(\d{4}-\d{2}-\d{2}) (?=\d)/, '$1T')
			.replace(/(\d)\s+(Z|UTC|[+-]\d{2}:?\d{2})$/i, (_m, digit: string, offset: string) => `${digit}${offset.toUpperCase() === 'UTC' ? 'Z' : offset}`);
		if (/^\d{4}-\d{2}-\d{2}(?:T|$)/.test(text)) {
			const parsed = DateTime.fromISO(text, { zone });
			if (parsed.isValid) return parsed.toMillis();
		}
		throw new InputError(field, `"${value.length > 60 ? `${value.slice(0, 57)}...` : value}" is not a date and time`, DATE_HINT);
	}
	try {
		return parseInstant(value, field);
	} catch {
		throw new InputError(field, `${absent(value) ? 'is empty' : 'is not a date and time'}`, DATE_HINT);
	}
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'subscribed', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'unsubscribed', 'not_subscribed', 'off']);

function booleanOf(value: unknown, field: string): boolean | undefined {
	if (absent(value)) return undefined;
	if (typeof value === 'boolean') return value;
	const word = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (TRUE_WORDS.has(word)) return true;
	if (FALSE_WORDS.has(word)) return false;
	throw new InputError(field, `${quote(value)} is not yes or no`, 'Use true/false, yes/no or 1/0.');
}

function typeOf(row: MappedRow): MappedType {
	if (absent(row.type)) return absent(row.orderId) ? 'customer.updated' : 'order.placed';
	const name = typeof row.type === 'string' ? row.type.trim().toLowerCase() : '';
	if ((MAPPED_TYPES as readonly string[]).includes(name)) return name as MappedType;
	throw new InputError('type', `"${String(row.type)}" is not an event type a mapped row can be`, `Use one of: ${MAPPED_TYPES.join(', ')}; for other events use the Canonical JSON input.`);
}

const CUSTOMER_HINT = 'Map the column with the customer ID, or the email column for guest customers.';
const OCCURRED_HINT = 'Map the column with the date of the order or event, e.g. "Created at".';

/**
 * One row as a draft event (not yet validated; rows of one order are merged first). A row of an
 * order.placed may leave out the customer and the date: another row of the same order gives them.
 */
function rowDraft(row: MappedRow, zone: string): Draft {
	const type = typeOf(row);
	const partOfOrder = type === 'order.placed' && !absent(row.orderId);
	const email = textOf(row.email, 'email')?.toLowerCase();
	const customerId = textOf(row.customerId, 'customerId') ?? (email !== undefined ? `email:${email}` : undefined);
	if (customerId === undefined && !partOfOrder) throw new InputError('customerId', 'is empty', CUSTOMER_HINT);
	const registeredAt = absent(row.registeredAt) ? undefined : isoUtc(mappedInstant(row.registeredAt, 'registeredAt', zone));
	let occurredAt: string | undefined;
	if (!absent(row.occurredAt)) occurredAt = isoUtc(mappedInstant(row.occurredAt, 'occurredAt', zone));
	else if (type === 'customer.registered') occurredAt = registeredAt;
	if (occurredAt === undefined && !partOfOrder) throw new InputError('occurredAt', 'is empty', OCCURRED_HINT);

	const customer: Record<string, unknown> = { id: customerId };
	if (email !== undefined) customer.email = email;
	for (const key of ['phone', 'firstName', 'lastName', 'locale'] as const) {
		const value = textOf(row[key], key);
		if (value !== undefined) customer[key] = value;
	}
	for (const key of ['birthday', 'timezone'] as const) {
		if (!absent(row[key])) customer[key] = typeof row[key] === 'string' ? (row[key] as string).trim() : row[key];
	}
	const accepts = booleanOf(row.acceptsMarketing, 'acceptsMarketing');
	if (accepts !== undefined) customer.acceptsMarketing = accepts;
	if (registeredAt !== undefined) customer.registeredAt = registeredAt;

	let id = textOf(row.eventId, 'eventId');
	const draft: Draft = { id: '', type, occurredAt, customer };
	if (type === 'order.placed' || type === 'order.updated') {
		const orderId = textOf(row.orderId, 'orderId');
		if (orderId === undefined) throw new InputError('orderId', `is required for ${type}`, 'Map the column with the order ID or number.');
		const total = absent(row.total) ? undefined : nonNegativeDecimal(typeof row.total === 'string' ? row.total.trim() : row.total, 'total');
		const currency = absent(row.currency) ? undefined : normalizeCurrency(row.currency, 'currency');
		const order: NonNullable<Draft['order']> = {
			id: orderId,
			couponCodes: textList(row.couponCodes),
			promotions: textList(row.promotions),
			lines: [],
		};
		if (total !== undefined) order.total = total;
		if (currency !== undefined) order.currency = currency;
		const status = textOf(row.status, 'status');
		if (status !== undefined) order.status = status;
		const line = rowLine(row, orderId);
		if (line) order.lines.push(line);
		draft.order = order;
		id ??= type === 'order.placed' ? `ledger:order.placed:${orderId}` : `ledger:order.updated:${orderId}:${occurredAt}`;
	} else {
		id ??= type === 'customer.registered' ? `ledger:customer.registered:${customerId}` : `ledger:customer.updated:${customerId}:${occurredAt}`;
	}
	draft.id = id;
	return draft;
}

/** The order line a row describes, if it names a product, SKU, product name or categories. */
function rowLine(row: MappedRow, orderId: string): DraftLine | undefined {
	const productId = textOf(row.productId, 'productId');
	const sku = textOf(row.sku, 'sku');
	const name = textOf(row.productName, 'productName');
	const categories = textList(row.categories);
	if (productId === undefined && sku === undefined && name === undefined && categories.length === 0) return undefined;
	const line: DraftLine = {
		// The keys the vendor normalizers use for lines without a product id.
		productId: productId ?? (sku !== undefined ? `sku:${sku}` : name !== undefined ? `name:${name}` : `order:${orderId}`),
		categories,
		quantity: absent(row.quantity) ? 1 : typeof row.quantity === 'string' ? row.quantity.trim() : row.quantity,
	};
	if (sku !== undefined) line.sku = sku;
	if (name !== undefined) line.name = name;
	if (!absent(row.price)) line.price = nonNegativeDecimal(typeof row.price === 'string' ? row.price.trim() : row.price, 'price');
	return line;
}

const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];

/** Rows of one event (one row per line item, as in Shopify's CSV export): first value wins, lines add up. */
function mergeDraft(into: Draft, row: Draft): void {
	into.occurredAt ??= row.occurredAt;
	for (const [key, value] of Object.entries(row.customer)) {
		if (into.customer[key] === undefined) into.customer[key] = value;
	}
	if (into.order && row.order) {
		into.order.total ??= row.order.total;
		into.order.currency ??= row.order.currency;
		into.order.status ??= row.order.status;
		into.order.couponCodes = union(into.order.couponCodes, row.order.couponCodes);
		into.order.promotions = union(into.order.promotions, row.order.promotions);
		into.order.lines.push(...row.order.lines);
	}
}

function quantityOf(value: unknown): bigint | undefined {
	const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
	return Number.isSafeInteger(n) && n > 0 ? BigInt(n) : undefined;
}

/** The draft as a validated canonical event: missing line prices and a missing total are filled in where they can be. */
function finishDraft(draft: Draft, now: number | undefined): CanonicalEvent {
	if (draft.customer.id === undefined) throw new InputError('customerId', 'is empty in every row of this order', CUSTOMER_HINT);
	if (draft.occurredAt === undefined) throw new InputError('occurredAt', 'is empty in every row of this order', OCCURRED_HINT);
	const event: Record<string, unknown> = {
		id: draft.id,
		type: draft.type as EventType,
		occurredAt: draft.occurredAt,
		source: 'ledger',
		customer: draft.customer,
	};
	const order = draft.order;
	if (order) {
		const { currency } = order;
		let total = order.total;
		if (total === undefined && currency !== undefined && order.lines.length > 0 && order.lines.every((l) => l.price !== undefined && quantityOf(l.quantity) !== undefined)) {
			const sum = order.lines.reduce((acc, l) => acc + toMinor(l.price!, currency, 'price') * quantityOf(l.quantity)!, 0n);
			total = fromMinor(sum, currency);
		}
		const lines = order.lines.map((line) => {
			let price = line.price;
			if (price === undefined) {
				const quantity = quantityOf(line.quantity);
				// A single line without a price is the whole order; otherwise the price is unknown.
				price =
					order.lines.length === 1 && total !== undefined && currency !== undefined && quantity !== undefined
						? fromMinor(toMinor(total, currency, 'total') / quantity, currency)
						: '0';
			}
			return { ...line, price };
		});
		event.order = { id: order.id, total, currency, status: order.status, couponCodes: order.couponCodes, promotions: order.promotions, lines };
	}
	return validateEvent(event, { defaultSource: 'ledger', now });
}

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

/**
 * Mapped rows to canonical events. Rows with the same event id (by default: the same order ID, or
 * for customer events the same customer) are merged into one event: the first non-empty value of
 * each field wins, line items (a row with a product ID, SKU, product name or categories is one
 * line) and coupon codes add up. A missing order total is the sum of the line prices; a single
 * line without a price costs the order total.
 *
 * Defaults: type order.placed when an order ID is mapped, else customer.updated; customer ID
 * `email:<email>` (a guest) when only an email is mapped; event ids `ledger:<type>:<order id>`,
 * `ledger:customer.registered:<customer id>`, `ledger:<type>:<id>:<occurred at>`.
 */
export function eventsFromRows(rows: Array<{ itemIndex: number; row: MappedRow }>, options: MappingOptions = {}): LedgerBatch {
	const zone = normalizeZone(options.zone || 'UTC', 'zone');
	const failures: LedgerFailure[] = [];
	const groups = new Map<string, { draft: Draft; itemIndexes: number[] }>();
	for (const { itemIndex, row } of rows) {
		let draft: Draft;
		try {
			draft = rowDraft(row, zone);
		} catch (error) {
			failures.push({ itemIndex, error });
			continue;
		}
		const group = groups.get(draft.id);
		if (group) {
			mergeDraft(group.draft, draft);
			group.itemIndexes.push(itemIndex);
		} else groups.set(draft.id, { draft, itemIndexes: [itemIndex] });
	}
	const entries: LedgerEntry[] = [];
	for (const { draft, itemIndexes } of groups.values()) {
		try {
			entries.push({ event: finishDraft(draft, options.now), itemIndexes });
		} catch (error) {
			for (const itemIndex of itemIndexes) failures.push({ itemIndex, error });
		}
	}
	failures.sort((a, b) => a.itemIndex - b.itemIndex);
	return { entries, failures };
}

/** Whole-item formats to canonical events, one per item. */
export function eventsFromItems(format: ItemFormat, items: Array<{ itemIndex: number; json: unknown }>, now?: number): LedgerBatch {
	const entries: LedgerEntry[] = [];
	const failures: LedgerFailure[] = [];
	for (const { itemIndex, json } of items) {
		try {
			entries.push({ event: eventFromItem(format, json, now), itemIndexes: [itemIndex] });
		} catch (error) {
			failures.push({ itemIndex, error });
		}
	}
	return { entries, failures };
}

// ---------------------------------------------------------------------------------------------
// Recording
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Profile
// ---------------------------------------------------------------------------------------------

export interface CustomerProfile {
	customerId: string;
	/** false: the store has no customer with this id (the other parts are then empty). */
	found: boolean;
	customer?: Customer & { firstSeenAt: string; updatedAt: string; lastOrderAt?: string };
	/** All-time purchases: counted orders, amounts per currency, categories, products, coupons used. */
	purchases: PurchaseSummary;
	/** Current memberships (expired ones are left out). */
	segments: Array<{ segment: string; addedAt: string; expiresAt?: string }>;
	/** Coupon codes handed to the customer. */
	coupons: Array<{ pool: string; code: string; assignedAt: string; expiresAt?: string; redeemedAt?: string; status: 'held' | 'redeemed' | 'expired' }>;
	/** Activities entered (Repeatability Guard entries), newest first; `heldOut` for an entry held out in a control group. */
	activities: Array<{ activity: string; entryKey: string; enteredAt: string; heldOut?: true }>;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : isoUtc(ms));

/** Profiles of customers (validated ids); purchases of all of them in one store call. */
export async function customerProfiles(store: Store, now: number, customerIds: string[], options: { activityLimit?: number } = {}): Promise<CustomerProfile[]> {
	if (customerIds.length === 0) return [];
	const activityLimit = options.activityLimit ?? 50;
	const purchaseRows = await store.purchases(customerIds.map((customerId) => ({ customerId })));
	const profiles: CustomerProfile[] = [];
	for (const [i, customerId] of customerIds.entries()) {
		const row = await store.getCustomer(customerId);
		const segments = await store.segmentsOf(customerId, now);
		const codes = await store.codesOf(customerId);
		const activities = activityLimit > 0 ? await store.guardHistory({ customerId, limit: activityLimit }) : [];
		const profile: CustomerProfile = {
			customerId,
			found: row !== undefined,
			purchases: summarize(purchaseRows[i], {}),
			segments: segments.map((s) => ({ segment: s.segment, addedAt: isoUtc(s.addedAt), ...(s.expiresAt !== undefined && { expiresAt: isoUtc(s.expiresAt) }) })),
			coupons: codes.map((c) => ({
				pool: c.pool,
				code: c.code,
				assignedAt: isoUtc(c.assignedAt),
				...(c.expiresAt !== undefined && { expiresAt: isoUtc(c.expiresAt) }),
				...(c.redeemedAt !== undefined && { redeemedAt: isoUtc(c.redeemedAt) }),
				status: c.redeemedAt !== undefined ? 'redeemed' : c.expiresAt !== undefined && c.expiresAt <= now ? 'expired' : 'held',
			})),
			activities: activities.map((a) => ({ activity: a.activity, entryKey: a.key, enteredAt: isoUtc(a.enteredAt), ...(a.heldOut && { heldOut: true as const }) })),
		};
		if (row) {
			profile.customer = {
				...customerOf(row),
				firstSeenAt: isoUtc(row.firstSeenAt),
				updatedAt: isoUtc(row.updatedAt),
				...(row.lastOrderAt !== undefined && { lastOrderAt: iso(row.lastOrderAt) }),
			};
		}
		profiles.push(profile);
	}
	return profiles;
}

// ---------------------------------------------------------------------------------------------
// Erasure
// ---------------------------------------------------------------------------------------------

export interface ForgetResult {
	/** The customer id, else the email address, asked for. */
	customerId: string;
	/** Something was removed. */
	erased: boolean;
	/** Every id whose rows were erased. */
	customerIds: string[];
	/** Rows removed (coupon codes: anonymized, never handed out again) per table, over every id erased. */
	removed: Record<string, number>;
	total: number;
	/** Other ids of the same person that were erased too: guest ids (`email:<address>`, `phone:+<digits>`), ids with the same email. */
	alsoErased: string[];
	/** Copies the database still holds outside its rows, and when they go. */
	remains?: string;
}

/**
 * Erases each customer's personal data and history from every table, one transaction per item
 * (store.forgetCustomer), and keeps a suppression record so older events about them are not
 * recorded again. With `guestEmail` (default true) the guest ids of the customer's stored email
 * and phone (`email:<address>`, `phone:+<digits>`) are erased too; with `sameEmail`, every id that
 * has the same email. `email` instead of a customer id forgets every id with that address.
 */
export async function forgetCustomers(
	store: Store,
	requests: Array<string | { customerId?: string; email?: string }>,
	options: { guestEmail?: boolean; sameEmail?: boolean; now?: number } = {},
): Promise<ForgetResult[]> {
	const results: ForgetResult[] = [];
	for (const request of requests) {
		const asked = typeof request === 'string' ? { customerId: request } : request;
		const report = await store.forgetCustomer({ ...asked, guests: options.guestEmail !== false, sameEmail: options.sameEmail === true }, options.now);
		const total = Object.values(report.removed).reduce((a, b) => a + b, 0);
		results.push({
			customerId: report.customerId,
			erased: total > 0,
			customerIds: report.customerIds,
			removed: report.removed,
			total,
			alsoErased: report.customerIds.filter((id) => id !== asked.customerId),
			...(report.remains !== undefined && { remains: report.remains }),
		});
	}
	return results;
}
