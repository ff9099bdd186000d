/**
 * The canonical event check (core/event.ts; README.md, "The canonical event"). validateEvent() reads the canonical JSON as
 * users POST it to the Generic source, and is also the last step of every vendor normalizer:
 * whatever leaves core/events has passed through it.
 *
 * It returns a new object that holds only the canonical fields, normalized: times as ISO 8601
 * UTC with milliseconds, money as decimal strings, currencies upper case, emails lower case, ids
 * as strings, lists present (categories, couponCodes, promotions default to []). Unknown fields
 * are dropped. Anything it cannot read is an InputError naming the path (`order.lines[2].price`),
 * and so is what the store must not hold: a negative total or price, a currency that is not an
 * ISO 4217 currency of payment, a time before 1900 or more than a day after now, and text outside
 * the bounds of core/limits.ts.
 * validateEvent(validateEvent(x)) deep-equals validateEvent(x).
 */
import {
	ANONYMOUS_EVENT_TYPES,
	EVENT_TYPES,
	OCCASION_TYPES,
	type CanonicalEvent,
	type Cart,
	type Customer,
	type EventSource,
	type EventType,
	type Line,
	type OccasionType,
	type Order,
} from '../event';
import { formatBirthday, parseBirthday } from '../birthdays';
import { systemClock } from '../clock';
import { InputError } from '../errors';
import { EARLIEST_INSTANT_MS, EARLIEST_YEAR, MAX_CLOCK_AHEAD_MS, MAX_LINES } from '../limits';
import { compareAmounts, nonNegativeDecimal, normalizeCurrency, normalizeDecimal } from '../money';
import { normalizeZone } from '../time';
import {
	count,
	describe,
	idOf,
	isAbsent,
	isRecord,
	labelList,
	localeOf,
	optBoolean,
	optEmail,
	optText,
	own,
	requireRecord,
	text,
	urlOf,
	utcInstant,
	type JsonObject,
} from './fields';

export const EVENT_SOURCES: readonly EventSource[] = ['generic', 'shopify', 'woocommerce', 'ledger', 'occasion'];

const ALL_TYPES: readonly string[] = [...EVENT_TYPES, ...OCCASION_TYPES];

/** The part of the event each type needs; a type not listed needs only the customer. */
const REQUIRED_PART: Partial<Record<EventType | OccasionType, ReadonlyArray<keyof CanonicalEvent>>> = {
	'order.placed': ['order'],
	'order.updated': ['order'],
	'cart.updated': ['cart'],
	'cart.item_added': ['cart', 'product'],
	'product.viewed': ['product'],
	'product.updated': ['product'],
	'page.visited': ['page'],
	'subscription.changed': ['subscription'],
	'email.interacted': ['email'],
	'social.participated': ['social'],
};

export interface ValidateOptions {
	/** `source` when the input has none; default 'generic'. */
	defaultSource?: EventSource;
	/** Now, epoch ms: times after now + MAX_CLOCK_AHEAD_MS are refused. Default: the system clock. */
	now?: number;
}

const EVENT_HINT =
	'Send one event as a JSON object: { "id", "type", "occurredAt", "customer": { "id", ... }, ... }.';

/** The canonical event in `input`, normalized, or an InputError naming the first bad field. */
export function validateEvent(input: unknown, options: ValidateOptions = {}): CanonicalEvent {
	const obj = requireRecord(input, 'event', EVENT_HINT);
	const id = idOf(required(obj, 'id', 'Give every event a unique id, e.g. the id of the order or a UUID; a redelivery must repeat it.'), 'id');
	const type = eventType(own(obj, 'type'));
	const now = options.now ?? systemClock.now();
	const occurredAt = pastInstant(required(obj, 'occurredAt', 'Add occurredAt, e.g. "2026-05-01T09:00:00Z".'), 'occurredAt', now);
	const source = eventSource(own(obj, 'source'), options.defaultSource ?? 'generic');
	// An order or cart may name no customer (a point-of-sale sale): it is recorded and starts nothing.
	const anonymous = isAbsent(own(obj, 'customer')) && ANONYMOUS_EVENT_TYPES.has(type);
	const event: CanonicalEvent = { id, type, occurredAt, source };
	if (!anonymous) event.customer = customerOf(required(obj, 'customer', 'Add customer: { "id": "..." }.'), 'customer', now);
	const order = own(obj, 'order');
	if (!isAbsent(order)) event.order = orderOf(order, 'order');
	const cart = own(obj, 'cart');
	if (!isAbsent(cart)) event.cart = cartOf(cart, 'cart');
	const page = own(obj, 'page');
	if (!isAbsent(page)) event.page = pageOf(page, 'page');
	const product = own(obj, 'product');
	if (!isAbsent(product)) event.product = productOf(product, 'product');
	if (type === 'product.updated' && isRecord(product) && isAbsent(own(product, 'categories'))) {
		// The catalog takes the categories of a product.updated as all of them: absent would clear them.
		throw new InputError('product.categories', 'is required for product.updated events', 'List every category the product is in now, e.g. ["Boys", "Shoes"]; [] for none.');
	}
	const subscription = own(obj, 'subscription');
	if (!isAbsent(subscription)) event.subscription = subscriptionOf(subscription, 'subscription');
	const email = own(obj, 'email');
	if (!isAbsent(email)) event.email = emailOf(email, 'email');
	const social = own(obj, 'social');
	if (!isAbsent(social)) event.social = socialOf(social, 'social');

	const parts = REQUIRED_PART[type];
	if (parts && !parts.some((part) => event[part] !== undefined)) {
		const others = parts.slice(1).join(' or ');
		const message = others === '' ? `is required for ${type} events` : `is required for ${type} events that have no ${others}`;
		throw new InputError(parts[0], message, `Add ${parts.join(' or ')} to the event.`);
	}
	return event;
}

function required(obj: JsonObject, key: string, hint: string): unknown {
	const value = own(obj, key);
	if (isAbsent(value)) throw new InputError(key, 'is required', hint);
	return value;
}

const TIME_RANGE_HINT = 'Send when it happened, as ISO 8601 with an offset, e.g. 2026-05-01T09:00:00Z; times from 1900 up to one day after now are accepted.';

/** An instant that has happened: from 1900 up to MAX_CLOCK_AHEAD_MS after now (a sender's clock may run ahead). */
function pastInstant(value: unknown, field: string, now: number): string {
	const iso = utcInstant(value, field);
	const ms = Date.parse(iso);
	if (ms < EARLIEST_INSTANT_MS) throw new InputError(field, `${iso} is before 1900`, TIME_RANGE_HINT);
	if (ms > now + MAX_CLOCK_AHEAD_MS) {
		throw new InputError(field, `${iso} is more than a day after now (${new Date(now).toISOString()})`, TIME_RANGE_HINT);
	}
	return iso;
}

/** A birthday whose year, when given, is from 1900 to the current year. */
function birthdayOf(value: unknown, field: string, now: number): string {
	const birthday = parseBirthday(value, field);
	const thisYear = new Date(now).getUTCFullYear();
	if (birthday.year !== undefined && (birthday.year < EARLIEST_YEAR || birthday.year > thisYear)) {
		throw new InputError(
			field,
			`the year ${birthday.year} is not a birth year from ${EARLIEST_YEAR} to ${thisYear}`,
			'Use YYYY-MM-DD with the year of birth, or --MM-DD when the year is unknown.',
		);
	}
	return formatBirthday(birthday);
}

function eventType(value: unknown): EventType | OccasionType {
	const allowed = `Use one of: ${ALL_TYPES.join(', ')}.`;
	if (isAbsent(value)) throw new InputError('type', 'is required', allowed);
	const name = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (name === undefined || !ALL_TYPES.includes(name)) {
		throw new InputError('type', `${describe(value)} is not an event type`, allowed);
	}
	return name as EventType | OccasionType;
}

function eventSource(value: unknown, fallback: EventSource): EventSource {
	if (isAbsent(value)) return fallback;
	const name = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (name === undefined || !(EVENT_SOURCES as readonly string[]).includes(name)) {
		throw new InputError('source', `${describe(value)} is not an event source`, `Use one of: ${EVENT_SOURCES.join(', ')}, or leave it out.`);
	}
	return name as EventSource;
}

function customerOf(value: unknown, path: string, now: number): Customer {
	const obj = requireRecord(value, path, 'Use customer: { "id": "...", "email": "..." }.');
	const id = own(obj, 'id');
	if (isAbsent(id)) {
		throw new InputError(`${path}.id`, 'is required', 'Use the storefront customer id, or "email:<address>" for guests.');
	}
	const customer: Customer = { id: idOf(id, `${path}.id`) };
	const email = optEmail(own(obj, 'email'), `${path}.email`);
	if (email !== undefined) customer.email = email;
	const phone = optText(own(obj, 'phone'), `${path}.phone`);
	if (phone !== undefined) customer.phone = phone;
	const firstName = optText(own(obj, 'firstName'), `${path}.firstName`);
	if (firstName !== undefined) customer.firstName = firstName;
	const lastName = optText(own(obj, 'lastName'), `${path}.lastName`);
	if (lastName !== undefined) customer.lastName = lastName;
	const birthday = own(obj, 'birthday');
	if (!isAbsent(birthday)) customer.birthday = birthdayOf(birthday, `${path}.birthday`, now);
	const timezone = own(obj, 'timezone');
	if (!isAbsent(timezone)) customer.timezone = normalizeZone(timezone, `${path}.timezone`);
	const locale = own(obj, 'locale');
	if (!isAbsent(locale)) customer.locale = localeOf(locale, `${path}.locale`);
	const acceptsMarketing = optBoolean(own(obj, 'acceptsMarketing'), `${path}.acceptsMarketing`);
	if (acceptsMarketing !== undefined) customer.acceptsMarketing = acceptsMarketing;
	const registeredAt = own(obj, 'registeredAt');
	if (!isAbsent(registeredAt)) customer.registeredAt = pastInstant(registeredAt, `${path}.registeredAt`, now);
	return customer;
}

function money(obj: JsonObject, path: string): { total: string; currency: string } {
	const total = own(obj, 'total');
	if (isAbsent(total)) throw new InputError(`${path}.total`, 'is required', 'Add the total as a decimal string, e.g. "49.90".');
	const currency = own(obj, 'currency');
	if (typeof currency !== 'string') {
		throw new InputError(`${path}.currency`, `expected a currency code, got ${describe(currency)}`, 'Use a three-letter ISO 4217 code such as EUR or USD.');
	}
	return { total: nonNegativeDecimal(total, `${path}.total`), currency: normalizeCurrency(currency, `${path}.currency`) };
}

function linesOf(value: unknown, path: string): Line[] {
	if (value === undefined || value === null) return [];
	if (!Array.isArray(value)) {
		throw new InputError(path, `expected a list of lines, got ${describe(value)}`, 'Use lines: [{ "productId", "quantity", "price" }].');
	}
	if (value.length > MAX_LINES) {
		throw new InputError(path, `has ${value.length} lines; at most ${MAX_LINES} are allowed`, 'Send at most that many lines in one order or cart.');
	}
	return value.map((entry: unknown, index) => lineOf(entry, `${path}[${index}]`));
}

function lineOf(value: unknown, path: string): Line {
	const obj = requireRecord(value, path, 'Use { "productId": "...", "quantity": 1, "price": "19.99" }.');
	const productId = own(obj, 'productId');
	if (isAbsent(productId)) throw new InputError(`${path}.productId`, 'is required', 'Use the storefront product id.');
	const id = idOf(productId, `${path}.productId`);
	const sku = optText(own(obj, 'sku'), `${path}.sku`);
	const name = optText(own(obj, 'name'), `${path}.name`);
	const categories = labelList(own(obj, 'categories'), `${path}.categories`);
	const quantity = own(obj, 'quantity');
	if (isAbsent(quantity)) throw new InputError(`${path}.quantity`, 'is required', 'Use a quantity such as 1.');
	const price = own(obj, 'price');
	if (isAbsent(price)) throw new InputError(`${path}.price`, 'is required', 'Add the unit price as a decimal string, e.g. "19.99".');
	return {
		productId: id,
		...(sku !== undefined && { sku }),
		...(name !== undefined && { name }),
		categories,
		quantity: count(quantity, `${path}.quantity`),
		price: nonNegativeDecimal(price, `${path}.price`),
	};
}

function orderOf(value: unknown, path: string): Order {
	const obj = requireRecord(value, path, 'Use order: { "id", "total", "currency", "lines": [...] }.');
	const id = own(obj, 'id');
	if (isAbsent(id)) throw new InputError(`${path}.id`, 'is required', 'Use the storefront order id.');
	const orderId = idOf(id, `${path}.id`);
	const { total, currency } = money(obj, path);
	const order: Order = {
		id: orderId,
		total,
		currency,
		couponCodes: labelList(own(obj, 'couponCodes'), `${path}.couponCodes`),
		promotions: labelList(own(obj, 'promotions'), `${path}.promotions`),
		lines: linesOf(own(obj, 'lines'), `${path}.lines`),
	};
	const status = optText(own(obj, 'status'), `${path}.status`);
	if (status !== undefined) order.status = status.toLowerCase();
	const refunded = own(obj, 'refunded');
	if (!isAbsent(refunded)) order.refunded = refundedOf(refunded, order, `${path}.refunded`);
	return order;
}

/** The amount refunded so far: from 0 up to the order total. */
function refundedOf(value: unknown, order: Order, path: string): string {
	const refunded = normalizeDecimal(value, path);
	const hint = `Give the amount refunded so far, from 0 up to the order total ${order.total}, or leave it out.`;
	if (compareAmounts(refunded, '0', order.currency) < 0) throw new InputError(path, `${refunded} is below zero`, hint);
	if (compareAmounts(refunded, order.total, order.currency) > 0) throw new InputError(path, `${refunded} is more than the order total`, hint);
	return refunded;
}

function cartOf(value: unknown, path: string): Cart {
	const obj = requireRecord(value, path, 'Use cart: { "id", "total", "currency", "lines": [...] }.');
	const id = own(obj, 'id');
	if (isAbsent(id)) throw new InputError(`${path}.id`, 'is required', 'Use the storefront cart or checkout id.');
	const cartId = idOf(id, `${path}.id`);
	const { total, currency } = money(obj, path);
	const cart: Cart = { id: cartId, total, currency, lines: linesOf(own(obj, 'lines'), `${path}.lines`) };
	const recoveryUrl = own(obj, 'recoveryUrl');
	if (!isAbsent(recoveryUrl)) cart.recoveryUrl = urlOf(recoveryUrl, `${path}.recoveryUrl`);
	return cart;
}

function pageOf(value: unknown, path: string): NonNullable<CanonicalEvent['page']> {
	const obj = requireRecord(value, path, 'Use page: { "url": "https://..." }.');
	return { url: urlOf(own(obj, 'url'), `${path}.url`) };
}

function productOf(value: unknown, path: string): NonNullable<CanonicalEvent['product']> {
	const obj = requireRecord(value, path, 'Use product: { "id": "...", "name": "..." }.');
	const id = own(obj, 'id');
	if (isAbsent(id)) throw new InputError(`${path}.id`, 'is required', 'Use the storefront product id.');
	const product: NonNullable<CanonicalEvent['product']> = { id: idOf(id, `${path}.id`) };
	const sku = optText(own(obj, 'sku'), `${path}.sku`);
	if (sku !== undefined) product.sku = sku;
	const name = optText(own(obj, 'name'), `${path}.name`);
	if (name !== undefined) product.name = name;
	product.categories = labelList(own(obj, 'categories'), `${path}.categories`);
	const url = own(obj, 'url');
	if (!isAbsent(url)) product.url = urlOf(url, `${path}.url`);
	return product;
}

function subscriptionOf(value: unknown, path: string): NonNullable<CanonicalEvent['subscription']> {
	const obj = requireRecord(value, path, 'Use subscription: { "status": "subscribed" }.');
	const subscription: NonNullable<CanonicalEvent['subscription']> = {
		status: text(own(obj, 'status'), `${path}.status`, 'Use a status such as subscribed or unsubscribed.'),
	};
	const list = optText(own(obj, 'list'), `${path}.list`);
	if (list !== undefined) subscription.list = list;
	return subscription;
}

function emailOf(value: unknown, path: string): NonNullable<CanonicalEvent['email']> {
	const obj = requireRecord(value, path, 'Use email: { "action": "opened", "campaign": "..." }.');
	const email: NonNullable<CanonicalEvent['email']> = {
		action: text(own(obj, 'action'), `${path}.action`, 'Use an action such as opened or clicked.'),
	};
	const campaign = optText(own(obj, 'campaign'), `${path}.campaign`);
	if (campaign !== undefined) email.campaign = campaign;
	const link = optText(own(obj, 'link'), `${path}.link`);
	if (link !== undefined) email.link = link;
	return email;
}

function socialOf(value: unknown, path: string): NonNullable<CanonicalEvent['social']> {
	const obj = requireRecord(value, path, 'Use social: { "kind": "review" }.');
	const social: NonNullable<CanonicalEvent['social']> = {
		kind: text(own(obj, 'kind'), `${path}.kind`, 'Use a kind such as review, share or contest.'),
	};
	const url = own(obj, 'url');
	if (!isAbsent(url)) social.url = urlOf(url, `${path}.url`);
	return social;
}
