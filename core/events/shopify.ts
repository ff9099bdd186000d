/**
 * Shopify webhook payloads (REST Admin API resources, 2026-07) to canonical events.
 *
 * | topic                               | event            | event id                                        |
 * | ----------------------------------- | ---------------- | ----------------------------------------------- |
 * | customers/create                    | customer.registered | shopify:customers/create:<customer id>       |
 * | customers/update                    | customer.updated | shopify:customers/update:<customer id>:<updated_at> |
 * | orders/create, orders/paid          | order.placed     | shopify:order.placed:<order id>              |
 * | orders/cancelled                    | order.updated    | shopify:orders/cancelled:<order id>             |
 * | orders/updated                      | order.updated    | shopify:orders/updated:<order id>:<updated_at>  |
 * | checkouts/create                    | cart.updated     | shopify:checkouts/create:<token>                |
 * | checkouts/update                    | cart.updated     | shopify:checkouts/update:<token>:<updated_at>   |
 *
 * `<updated_at>` is the resource's updated_at in UTC (2022-01-01T00:00:00.000Z), so a redelivery
 * of the same resource state has the same id and a later state a new one.
 *
 * The payload must come from parseJsonBody (ids above 2^53 as digit strings). A payload parsed
 * elsewhere, whose ids are already rounded numbers, still works where the resource carries
 * `admin_graphql_api_id` (orders, customers, line items); other rounded ids are an InputError.
 */
import type { CanonicalEvent, Customer, Line } from '../event';
import { InputError } from '../errors';
import { nonNegativeDecimal, toMinor } from '../money';
import {
	addLabels,
	amountOf,
	count,
	currencyOf,
	describe,
	idOf,
	isAbsent,
	isRecord,
	looseEmail,
	looseLocale,
	looseText,
	looseUrl,
	own,
	pick,
	refundedSoFar,
	requireRecord,
	utcInstant,
	totalOf,
	type JsonObject,
} from './fields';
import { guestCustomer } from './guest';
import { headerValue, type HeaderMap } from './headers';
import { UnsupportedTopicError } from './unsupported';
import { validateEvent } from './validate';

export const SHOPIFY_TOPICS = [
	'customers/create',
	'customers/update',
	'orders/create',
	'orders/paid',
	'orders/updated',
	'orders/cancelled',
	'checkouts/create',
	'checkouts/update',
] as const;

export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

export function isShopifyTopic(topic: string): topic is ShopifyTopic {
	return (SHOPIFY_TOPICS as readonly string[]).includes(topic);
}

const BODY_HINT = 'Shopify sends the resource (order, customer, checkout) as a JSON object.';

/** The canonical event for a Shopify delivery, validated (`now` as in ValidateOptions). */
export function normalizeShopify(topic: string, body: unknown, headers: HeaderMap = {}, now?: number): CanonicalEvent {
	const name = typeof topic === 'string' ? topic.trim().toLowerCase() : '';
	if (!isShopifyTopic(name)) throw new UnsupportedTopicError('shopify', `${topic}`, SHOPIFY_TOPICS);
	const payload = requireRecord(body, 'body', BODY_HINT);
	let event: CanonicalEvent;
	switch (name) {
		case 'customers/create':
		case 'customers/update':
			event = customerEvent(name, payload, headers);
			break;
		case 'checkouts/create':
		case 'checkouts/update':
			event = checkoutEvent(name, payload, headers);
			break;
		default:
			event = orderEvent(name, payload, headers);
	}
	return validateEvent(event, { defaultSource: 'shopify', now });
}

// ---------------------------------------------------------------------------------------------

/**
 * A Shopify id as digits: the value itself when it is a string or a safe integer, else the
 * number at the end of `gidKey` (gid://shopify/Order/820982911946154508) when present.
 */
function shopifyId(obj: JsonObject, key: string, path: string, gidKey?: string): string {
	const value = own(obj, key);
	if (typeof value === 'number' && !Number.isSafeInteger(value) && gidKey !== undefined) {
		const gid = own(obj, gidKey);
		const match = typeof gid === 'string' ? /\/(\d+)$/.exec(gid) : null;
		if (match) return match[1];
	}
	if (isAbsent(value)) throw new InputError(path, 'is required', BODY_HINT);
	return idOf(value, path);
}

/** Optional Shopify id: absent or unusable -> undefined. */
function optShopifyId(obj: JsonObject, key: string, path: string, gidKey?: string): string | undefined {
	if (isAbsent(own(obj, key))) return undefined;
	return shopifyId(obj, key, path, gidKey);
}

function instant(obj: JsonObject, key: string): string | undefined {
	const value = own(obj, key);
	return isAbsent(value) ? undefined : utcInstant(value, key);
}

/** The state stamp for update topics: updated_at, else the X-Shopify-Event-Id header. */
function stateStamp(obj: JsonObject, headers: HeaderMap): string {
	const updatedAt = instant(obj, 'updated_at');
	if (updatedAt !== undefined) return updatedAt;
	const eventId = headerValue(headers, 'x-shopify-event-id') ?? headerValue(headers, 'shopify-event-id');
	if (eventId !== undefined) return eventId;
	throw new InputError('updated_at', 'is required for an update topic', 'Shopify includes updated_at in every resource; send the body as received.');
}

function requireInstant(obj: JsonObject, keys: string[]): string {
	for (const key of keys) {
		const value = instant(obj, key);
		if (value !== undefined) return value;
	}
	throw new InputError(keys[0], 'is required', 'Shopify includes it in every resource; send the body as received.');
}

/**
 * Email marketing consent: email_marketing_consent.state (subscribed = true; not_subscribed,
 * pending, unsubscribed, redacted, invalid = false), else the legacy accepts_marketing flag.
 */
function marketingConsent(obj: JsonObject): boolean | undefined {
	const consent = own(obj, 'email_marketing_consent');
	if (isRecord(consent)) {
		const state = own(consent, 'state');
		if (typeof state === 'string' && state.trim() !== '') return state.trim().toLowerCase() === 'subscribed';
	}
	const legacy = own(obj, 'accepts_marketing');
	return typeof legacy === 'boolean' ? legacy : undefined;
}

/** Customer fields from a Shopify customer resource (also the `customer` inside an order). */
function customerFields(obj: JsonObject, path: string): Customer {
	const customer: Customer = { id: shopifyId(obj, 'id', `${path}id`, 'admin_graphql_api_id') };
	const email = looseEmail(own(obj, 'email'));
	if (email !== undefined) customer.email = email;
	const phone = looseText(own(obj, 'phone'));
	if (phone !== undefined) customer.phone = phone;
	const firstName = looseText(own(obj, 'first_name'));
	if (firstName !== undefined) customer.firstName = firstName;
	const lastName = looseText(own(obj, 'last_name'));
	if (lastName !== undefined) customer.lastName = lastName;
	const locale = looseLocale(own(obj, 'locale'));
	if (locale !== undefined) customer.locale = locale;
	const consent = marketingConsent(obj);
	if (consent !== undefined) customer.acceptsMarketing = consent;
	const createdAt = own(obj, 'created_at');
	if (!isAbsent(createdAt)) customer.registeredAt = utcInstant(createdAt, `${path}created_at`);
	return customer;
}

/**
 * The customer of an order or checkout: `customer` when it has an id, else a guest keyed
 * `email:<address>` from the order's email / contact_email, else `phone:+<digits>` from its
 * phone or the billing or shipping address; none of these (a point-of-sale sale): undefined.
 */
function buyer(payload: JsonObject): Customer | undefined {
	const embedded = own(payload, 'customer');
	const orderEmail = looseEmail(own(payload, 'email')) ?? looseEmail(own(payload, 'contact_email'));
	const phone = looseText(own(payload, 'phone'));
	let customer: Customer | undefined;
	if (isRecord(embedded) && !isAbsent(own(embedded, 'id'))) {
		customer = customerFields(embedded, 'customer.');
		if (customer.email === undefined && orderEmail !== undefined) customer.email = orderEmail;
	} else {
		const contactPhone = phone ?? looseText(pick(payload, 'billing_address', 'phone')) ?? looseText(pick(payload, 'shipping_address', 'phone'));
		customer = guestCustomer(orderEmail, contactPhone);
		if (customer === undefined) return undefined;
		const billing = own(payload, 'billing_address');
		if (isRecord(billing)) {
			const firstName = looseText(own(billing, 'first_name'));
			if (firstName !== undefined) customer.firstName = firstName;
			const lastName = looseText(own(billing, 'last_name'));
			if (lastName !== undefined) customer.lastName = lastName;
		}
	}
	if (customer.phone === undefined && phone !== undefined) customer.phone = phone;
	if (customer.locale === undefined) {
		const locale = looseLocale(own(payload, 'customer_locale'));
		if (locale !== undefined) customer.locale = locale;
	}
	if (customer.acceptsMarketing === undefined) {
		const accepts = own(payload, 'buyer_accepts_marketing');
		if (typeof accepts === 'boolean') customer.acceptsMarketing = accepts;
	}
	return customer;
}

/** Categories of a line: its product type and product tags, when the payload carries them. */
function lineCategories(line: JsonObject): string[] {
	const categories: string[] = [];
	addLabels(categories, [looseText(own(line, 'product_type'))]);
	for (const key of ['product_tags', 'tags']) {
		const tags = own(line, key);
		if (typeof tags === 'string') addLabels(categories, tags.split(','));
		else if (Array.isArray(tags)) addLabels(categories, tags.map((tag: unknown) => looseText(tag)));
	}
	return categories;
}

function linesOf(payload: JsonObject): Line[] {
	const items = own(payload, 'line_items');
	if (isAbsent(items)) return [];
	if (!Array.isArray(items)) throw new InputError('line_items', `expected a list, got ${describe(items)}`, BODY_HINT);
	return items.map((item: unknown, index) => {
		const path = `line_items[${index}]`;
		const line = requireRecord(item, path, BODY_HINT);
		const sku = looseText(own(line, 'sku'));
		// Custom items (product_id null, e.g. a protection plan) are keyed on their SKU, then on
		// the line item's own id (orders) or key (checkouts).
		const productId =
			optShopifyId(line, 'product_id', `${path}.product_id`) ??
			(sku !== undefined ? `sku:${sku}` : undefined) ??
			lineKey(line, path);
		const name = looseText(own(line, 'name')) ?? looseText(own(line, 'title')) ?? looseText(own(line, 'presentment_title'));
		const quantity = own(line, 'quantity');
		if (isAbsent(quantity)) throw new InputError(`${path}.quantity`, 'is required', BODY_HINT);
		const price = own(line, 'price');
		if (isAbsent(price)) throw new InputError(`${path}.price`, 'is required', BODY_HINT);
		return {
			productId,
			...(sku !== undefined && { sku }),
			...(name !== undefined && { name }),
			categories: lineCategories(line),
			quantity: count(quantity, `${path}.quantity`),
			price: nonNegativeDecimal(price, `${path}.price`),
		};
	});
}

function lineKey(line: JsonObject, path: string): string {
	const id = optShopifyId(line, 'id', `${path}.id`, 'admin_graphql_api_id');
	if (id !== undefined) return `line:${id}`;
	const key = looseText(own(line, 'key'));
	if (key !== undefined) return `line:${key}`;
	throw new InputError(`${path}.product_id`, 'is required', 'A line item needs a product_id, a sku or an id.');
}

function couponCodes(payload: JsonObject): string[] {
	const codes = own(payload, 'discount_codes');
	if (!Array.isArray(codes)) return [];
	return addLabels([], codes.map((entry: unknown) => (isRecord(entry) ? looseText(own(entry, 'code')) : undefined)));
}

/** Titles of automatic and script discounts (discount codes are in couponCodes). */
function promotions(payload: JsonObject): string[] {
	const applications = own(payload, 'discount_applications');
	if (!Array.isArray(applications)) return [];
	return addLabels(
		[],
		applications.map((entry: unknown) => {
			if (!isRecord(entry)) return undefined;
			const type = looseText(own(entry, 'type'))?.toLowerCase();
			if (type !== 'automatic' && type !== 'script') return undefined;
			return looseText(own(entry, 'title')) ?? looseText(own(entry, 'description'));
		}),
	);
}

/**
 * The amount refunded so far: the successful refund transactions of `refunds` in the order's
 * currency, at most the total. No `refunds` list: undefined (not known from this payload).
 */
function refundedAmount(payload: JsonObject, total: string, currency: string): string | undefined {
	const refunds = own(payload, 'refunds');
	if (!Array.isArray(refunds)) return undefined;
	const minors: bigint[] = [];
	for (const [r, refund] of refunds.entries()) {
		const transactions = isRecord(refund) ? own(refund, 'transactions') : undefined;
		if (!Array.isArray(transactions)) continue;
		for (const [t, transaction] of transactions.entries()) {
			if (!isRecord(transaction) || looseText(own(transaction, 'kind'))?.toLowerCase() !== 'refund') continue;
			const status = looseText(own(transaction, 'status'))?.toLowerCase();
			const paidIn = looseText(own(transaction, 'currency'))?.toUpperCase();
			if ((status !== undefined && status !== 'success') || (paidIn !== undefined && paidIn !== currency)) continue;
			const path = `refunds[${r}].transactions[${t}].amount`;
			minors.push(toMinor(amountOf(transaction, 'amount', path), currency, path));
		}
	}
	return refundedSoFar(minors, total, currency, 'total_price');
}

function orderStatus(topic: string, payload: JsonObject): string | undefined {
	if (topic === 'orders/cancelled' || !isAbsent(own(payload, 'cancelled_at'))) return 'cancelled';
	return looseText(own(payload, 'financial_status'));
}

// ---------------------------------------------------------------------------------------------

function customerEvent(topic: 'customers/create' | 'customers/update', payload: JsonObject, headers: HeaderMap): CanonicalEvent {
	const customer = customerFields(payload, '');
	if (topic === 'customers/create') {
		return {
			id: `shopify:${topic}:${customer.id}`,
			type: 'customer.registered',
			occurredAt: requireInstant(payload, ['created_at', 'updated_at']),
			source: 'shopify',
			customer,
		};
	}
	return {
		id: `shopify:${topic}:${customer.id}:${stateStamp(payload, headers)}`,
		type: 'customer.updated',
		occurredAt: requireInstant(payload, ['updated_at', 'created_at']),
		source: 'shopify',
		customer,
	};
}

function orderEvent(topic: ShopifyTopic, payload: JsonObject, headers: HeaderMap): CanonicalEvent {
	const id = shopifyId(payload, 'id', 'id', 'admin_graphql_api_id');
	const placed = topic === 'orders/create' || topic === 'orders/paid';
	const status = orderStatus(topic, payload);
	const total = totalOf(payload, 'total_price');
	const currency = currencyOf(payload, 'currency');
	const refunded = refundedAmount(payload, total, currency);
	const customer = buyer(payload);
	const eventId =
		topic === 'orders/updated'
			? `shopify:${topic}:${id}:${stateStamp(payload, headers)}`
			: placed
				? `shopify:order.placed:${id}`
				: `shopify:${topic}:${id}`;
	const occurredAt = placed
		? requireInstant(payload, ['processed_at', 'created_at', 'updated_at'])
		: topic === 'orders/cancelled'
			? requireInstant(payload, ['cancelled_at', 'updated_at', 'created_at'])
			: requireInstant(payload, ['updated_at', 'created_at']);
	return {
		id: eventId,
		type: placed ? 'order.placed' : 'order.updated',
		occurredAt,
		source: 'shopify',
		...(customer && { customer }),
		order: {
			id,
			total,
			currency,
			couponCodes: couponCodes(payload),
			promotions: promotions(payload),
			lines: linesOf(payload),
			...(status !== undefined && { status }),
			...(refunded !== undefined && { refunded }),
		},
	};
}

function checkoutEvent(topic: 'checkouts/create' | 'checkouts/update', payload: JsonObject, headers: HeaderMap): CanonicalEvent {
	// The 2026-07 checkout has no top-level id: the token is the checkout's key.
	const token = own(payload, 'token');
	if (isAbsent(token)) throw new InputError('token', 'is required', 'Shopify checkouts are identified by their token.');
	const id = idOf(token, 'token');
	const recoveryUrl = looseUrl(own(payload, 'abandoned_checkout_url'));
	const customer = buyer(payload);
	return {
		id: topic === 'checkouts/update' ? `shopify:${topic}:${id}:${stateStamp(payload, headers)}` : `shopify:${topic}:${id}`,
		type: 'cart.updated',
		occurredAt: requireInstant(payload, ['updated_at', 'created_at']),
		source: 'shopify',
		...(customer && { customer }),
		cart: {
			id,
			total: totalOf(payload, 'total_price'),
			currency: currencyOf(payload, isAbsent(own(payload, 'currency')) ? 'presentment_currency' : 'currency'),
			lines: linesOf(payload),
			...(recoveryUrl !== undefined && { recoveryUrl }),
		},
	};
}
