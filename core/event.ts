/**
 * The canonical event (README.md, "The canonical event"). Every source (Generic JSON, Shopify, WooCommerce,
 * backfilled items) is normalized into this shape before anything else sees it.
 *
 * Times are ISO 8601 UTC strings. Money is a decimal string ("404.95"), never a float.
 */

export const EVENT_TYPES = [
	'customer.registered',
	'customer.updated',
	'order.placed',
	'order.updated',
	'cart.updated',
	'cart.item_added',
	'product.viewed',
	'product.updated',
	'page.visited',
	'subscription.changed',
	'email.interacted',
	'social.participated',
	'checkout.promotion_applied',
] as const;

export const OCCASION_TYPES = [
	'customer.birthday',
	'cart.abandoned',
	'customer.no_order_since_registration',
	'customer.lapsed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type OccasionType = (typeof OCCASION_TYPES)[number];

export type EventSource = 'generic' | 'shopify' | 'woocommerce' | 'ledger' | 'occasion';

export interface Customer {
	id: string;
	email?: string;
	phone?: string;
	firstName?: string;
	lastName?: string;
	/** YYYY-MM-DD, or --MM-DD when the year is unknown. */
	birthday?: string;
	/** IANA zone, e.g. Europe/Berlin. */
	timezone?: string;
	locale?: string;
	acceptsMarketing?: boolean;
	/** When the customer registered (ISO 8601 UTC); set by customer.registered events. */
	registeredAt?: string;
}

export interface Line {
	productId: string;
	sku?: string;
	name?: string;
	categories: string[];
	quantity: number;
	/** Unit price, decimal string. */
	price: string;
}

export interface Order {
	id: string;
	/** Decimal string in the order currency. */
	total: string;
	/** ISO 4217 code, upper case. */
	currency: string;
	couponCodes: string[];
	promotions: string[];
	lines: Line[];
	/** Order status as the store reports it (e.g. paid, cancelled, refunded). */
	status?: string;
	/** Amount refunded so far, decimal string, from 0 up to total; absent: not known from this event. */
	refunded?: string;
}

export interface Cart {
	id: string;
	total: string;
	currency: string;
	lines: Line[];
	recoveryUrl?: string;
}

/** Order statuses that are not a purchase: such orders count for nothing and start nothing. */
export const UNCOUNTED_ORDER_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'canceled', 'refunded', 'failed', 'voided', 'trash']);

export function isCountedOrder(order: Pick<Order, 'status'>): boolean {
	return !order.status || !UNCOUNTED_ORDER_STATUSES.has(order.status.toLowerCase());
}

/** Event types whose `order` is an order of the shop (others may carry one for context only). */
export const ORDER_EVENT_TYPES: ReadonlySet<string> = new Set(['order.placed', 'order.updated']);

/**
 * Event types that may come without a customer: an order or checkout nobody can be named for (a
 * point-of-sale sale, an admin order without email or phone), and a product of the shop's
 * catalog. It is recorded and starts nothing.
 */
export const ANONYMOUS_EVENT_TYPES: ReadonlySet<string> = new Set(['order.placed', 'order.updated', 'cart.updated', 'product.updated']);

/** An event that names its customer. */
export type CustomerEvent = CanonicalEvent & { customer: Customer };

export function hasCustomer(event: CanonicalEvent): event is CustomerEvent {
	return event.customer !== undefined;
}

export interface CanonicalEvent {
	id: string;
	type: EventType | OccasionType;
	occurredAt: string;
	source: EventSource;
	/** Absent only for an event of ANONYMOUS_EVENT_TYPES that names no customer. */
	customer?: Customer;
	order?: Order;
	cart?: Cart;
	page?: { url: string };
	/** product.updated: the product as the catalog should hold it now, `categories` all of them. */
	product?: { id: string; sku?: string; name?: string; categories?: string[]; url?: string };
	subscription?: { status: string; list?: string };
	email?: { action: string; campaign?: string; link?: string };
	social?: { kind: string; url?: string };
}
