/**
 * WooCommerce webhook payloads (the wc/v3 REST resources) to canonical events.
 *
 * | topic            | event               | event id                                                |
 * | ---------------- | ------------------- | ------------------------------------------------------- |
 * | customer.created | customer.registered | woocommerce:customer.created:<customer id>              |
 * | customer.updated | customer.updated    | woocommerce:customer.updated:<customer id>:<modified>   |
 * | order.created    | order.placed        | woocommerce:order.created:<order id>                    |
 * | order.updated    | order.updated       | woocommerce:order.updated:<order id>:<modified>         |
 *
 * `<modified>` is date_modified_gmt as ISO 8601 UTC (2017-03-22T19:28:08.000Z). WooCommerce's
 * `*_gmt` dates are UTC without a `Z`; the site-local `date_created` etc. are never used.
 * customer_id 0 is a guest: the customer id is `email:<billing.email>`, else `phone:+<digits>` of
 * billing.phone; an order with neither (an admin order) has no customer. `refunds` totals are
 * subtracted as order.refunded.
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
	looseText,
	own,
	pick,
	refundedSoFar,
	requireRecord,
	utcInstant,
	totalOf,
	type JsonObject,
} from './fields';
import { guestCustomer } from './guest';
import type { HeaderMap } from './headers';
import { decodeHtmlEntities } from './html';
import { UnsupportedTopicError } from './unsupported';
import { validateEvent } from './validate';

export const WOOCOMMERCE_TOPICS = ['customer.created', 'customer.updated', 'order.created', 'order.updated'] as const;

export type WooCommerceTopic = (typeof WOOCOMMERCE_TOPICS)[number];

export function isWooCommerceTopic(topic: string): topic is WooCommerceTopic {
	return (WOOCOMMERCE_TOPICS as readonly string[]).includes(topic);
}

const BODY_HINT = 'WooCommerce sends the REST resource (order, customer) as a JSON object.';

/** The canonical event for a WooCommerce delivery, validated (`now` as in ValidateOptions). */
export function normalizeWooCommerce(topic: string, body: unknown, _headers: HeaderMap = {}, now?: number): CanonicalEvent {
	const name = typeof topic === 'string' ? topic.trim().toLowerCase() : '';
	if (!isWooCommerceTopic(name)) throw new UnsupportedTopicError('woocommerce', `${topic}`, WOOCOMMERCE_TOPICS);
	const payload = requireRecord(body, 'body', BODY_HINT);
	const event = name === 'customer.created' || name === 'customer.updated' ? customerEvent(name, payload) : orderEvent(name, payload);
	return validateEvent(event, { defaultSource: 'woocommerce', now });
}

// ---------------------------------------------------------------------------------------------

/** A `*_gmt` date (UTC without Z) as ISO 8601 UTC; absent -> undefined. */
function gmt(obj: JsonObject, key: string): string | undefined {
	const value = own(obj, key);
	return isAbsent(value) ? undefined : utcInstant(value, key, { assumeUtc: true });
}

function requireGmt(obj: JsonObject, keys: string[]): string {
	for (const key of keys) {
		const value = gmt(obj, key);
		if (value !== undefined) return value;
	}
	throw new InputError(keys[0], 'is required', 'WooCommerce includes it in every resource; send the body as received.');
}

/** A WooCommerce id; 0 (a guest customer, a deleted product) counts as absent. */
function optWooId(obj: JsonObject, key: string, path: string): string | undefined {
	const value = own(obj, key);
	if (isAbsent(value) || value === 0 || value === '0') return undefined;
	return idOf(value, path);
}

function decoded(value: unknown): string | undefined {
	const plain = looseText(value);
	return plain === undefined ? undefined : looseText(decodeHtmlEntities(plain));
}

function names(target: Customer, source: unknown): void {
	if (!isRecord(source)) return;
	if (target.firstName === undefined) {
		const firstName = looseText(own(source, 'first_name'));
		if (firstName !== undefined) target.firstName = firstName;
	}
	if (target.lastName === undefined) {
		const lastName = looseText(own(source, 'last_name'));
		if (lastName !== undefined) target.lastName = lastName;
	}
	if (target.phone === undefined) {
		const phone = looseText(own(source, 'phone'));
		if (phone !== undefined) target.phone = phone;
	}
}

function customerEvent(topic: 'customer.created' | 'customer.updated', payload: JsonObject): CanonicalEvent {
	const id = optWooId(payload, 'id', 'id');
	if (id === undefined) throw new InputError('id', 'is required', BODY_HINT);
	const customer: Customer = { id };
	const email = looseEmail(own(payload, 'email')) ?? looseEmail(pick(payload, 'billing', 'email'));
	if (email !== undefined) customer.email = email;
	names(customer, payload);
	names(customer, own(payload, 'billing'));
	const registeredAt = gmt(payload, 'date_created_gmt');
	if (registeredAt !== undefined) customer.registeredAt = registeredAt;
	if (topic === 'customer.created') {
		return {
			id: `woocommerce:${topic}:${id}`,
			type: 'customer.registered',
			occurredAt: requireGmt(payload, ['date_created_gmt', 'date_modified_gmt']),
			source: 'woocommerce',
			customer,
		};
	}
	const modified = requireGmt(payload, ['date_modified_gmt', 'date_created_gmt']);
	return {
		id: `woocommerce:${topic}:${id}:${modified}`,
		type: 'customer.updated',
		occurredAt: modified,
		source: 'woocommerce',
		customer,
	};
}

/**
 * The buyer of an order: customer_id, else a guest `email:<billing.email>`, else a guest
 * `phone:+<digits>` of billing.phone; none of these (an admin order without contact): undefined.
 */
function buyer(payload: JsonObject): Customer | undefined {
	const id = optWooId(payload, 'customer_id', 'customer_id');
	const email = looseEmail(pick(payload, 'billing', 'email'));
	const customer: Customer | undefined = id !== undefined ? { id } : guestCustomer(email, looseText(pick(payload, 'billing', 'phone')));
	if (customer === undefined) return undefined;
	if (email !== undefined) customer.email = email;
	names(customer, own(payload, 'billing'));
	return customer;
}

/** The amount refunded so far: the `refunds` totals (negative amounts in the REST resource), at most the total. */
function refundedAmount(payload: JsonObject, total: string, currency: string): string | undefined {
	const refunds = own(payload, 'refunds');
	if (!Array.isArray(refunds)) return undefined;
	const minors: bigint[] = [];
	for (const [index, refund] of refunds.entries()) {
		if (!isRecord(refund) || isAbsent(own(refund, 'total'))) continue;
		const path = `refunds[${index}].total`;
		minors.push(toMinor(amountOf(refund, 'total', path), currency, path));
	}
	return refundedSoFar(minors, total, currency, 'total');
}

const CATEGORY_META_KEYS = ['categories', 'category', 'product_cat', '_categories'];

function categoryLabels(value: unknown): Array<string | undefined> {
	if (typeof value === 'string') return decodeHtmlEntities(value).split(',');
	if (!Array.isArray(value)) return [];
	return value.map((entry: unknown) => decoded(isRecord(entry) ? own(entry, 'name') : entry));
}

/**
 * Categories of a line. The REST order line carries none; a line with a `categories` list
 * (strings or { name }) or a meta_data entry keyed categories / category / product_cat /
 * _categories (a plugin, or the store's own enrichment) provides them.
 */
function lineCategories(line: JsonObject): string[] {
	const categories: string[] = [];
	addLabels(categories, categoryLabels(own(line, 'categories')));
	const meta = own(line, 'meta_data');
	if (Array.isArray(meta)) {
		for (const entry of meta) {
			if (!isRecord(entry)) continue;
			const key = own(entry, 'key');
			if (typeof key === 'string' && CATEGORY_META_KEYS.includes(key.trim().toLowerCase())) {
				addLabels(categories, categoryLabels(own(entry, 'value')));
			}
		}
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
		let productId = optWooId(line, 'product_id', `${path}.product_id`) ?? (sku !== undefined ? `sku:${sku}` : undefined);
		if (productId === undefined) {
			const lineId = optWooId(line, 'id', `${path}.id`);
			if (lineId === undefined) throw new InputError(`${path}.product_id`, 'is required', 'A line item needs a product_id, a sku or an id.');
			productId = `line:${lineId}`;
		}
		const name = decoded(own(line, 'name'));
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
			// A number (total / quantity) in the REST resource: read through its shortest decimal.
			price: nonNegativeDecimal(price, `${path}.price`),
		};
	});
}

function couponCodes(payload: JsonObject): string[] {
	const lines = own(payload, 'coupon_lines');
	if (!Array.isArray(lines)) return [];
	return addLabels([], lines.map((entry: unknown) => (isRecord(entry) ? decoded(own(entry, 'code')) : undefined)));
}

function orderEvent(topic: 'order.created' | 'order.updated', payload: JsonObject): CanonicalEvent {
	const id = optWooId(payload, 'id', 'id');
	if (id === undefined) throw new InputError('id', 'is required', BODY_HINT);
	const status = looseText(own(payload, 'status'));
	const created = topic === 'order.created';
	const total = totalOf(payload, 'total');
	const currency = currencyOf(payload, 'currency');
	const refunded = refundedAmount(payload, total, currency);
	const customer = buyer(payload);
	const occurredAt = created
		? requireGmt(payload, ['date_created_gmt', 'date_modified_gmt'])
		: requireGmt(payload, ['date_modified_gmt', 'date_created_gmt']);
	return {
		id: created ? `woocommerce:${topic}:${id}` : `woocommerce:${topic}:${id}:${occurredAt}`,
		type: created ? 'order.placed' : 'order.updated',
		occurredAt,
		source: 'woocommerce',
		...(customer && { customer }),
		order: {
			id,
			total,
			currency,
			couponCodes: couponCodes(payload),
			promotions: [],
			lines: linesOf(payload),
			...(status !== undefined && { status }),
			...(refunded !== undefined && { refunded }),
		},
	};
}
