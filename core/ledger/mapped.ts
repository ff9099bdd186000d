/**
 * Mapped fields (CSV rows, spreadsheets) to canonical events: each row's columns are mapped to
 * the fields of MappedRow, rows of one order are merged into one event.
 */
import { DateTime } from 'luxon';
import { textList } from '../check';
import { InputError, quote } from '../errors';
import type { CanonicalEvent, EventType } from '../event';
import { validateEvent } from '../events/validate';
import { fromMinor, nonNegativeDecimal, normalizeCurrency, toMinor } from '../money';
import { isoUtc, normalizeZone, parseInstant } from '../time';
import type { LedgerBatch, LedgerEntry, LedgerFailure } from './record';

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
