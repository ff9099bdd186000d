/**
 * Storefront deliveries for the end-to-end tests, as the shops send them: the published Shopify
 * and WooCommerce samples (test/fixtures/webhooks) with this test's customers, orders and times
 * written in, and canonical Generic events; each signed like the sender signs it (base64
 * HMAC-SHA256 of the raw body) and posted to a Storefront Trigger's production URL.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { fixture, toVendorJson, type Json } from '../core/events/helpers';
import { n8n } from './n8n';

export type Source = 'shopify' | 'woocommerce' | 'generic';

/** One signing secret per source, as in the Storefront Webhook credentials the tests create. */
export const SECRETS: Record<Source, string> = {
	shopify: 'shpss_e2e_0f3c9a7d5b1e4c2a8f6d',
	woocommerce: 'wc-e2e-secret &amp; more',
	generic: 'dialogue-e2e-generic-secret',
};

const SIGNATURE_HEADER: Record<Source, string> = {
	shopify: 'X-Shopify-Hmac-Sha256',
	woocommerce: 'X-WC-Webhook-Signature',
	generic: 'X-Dialogue-Signature',
};

/** The key WooCommerce signs with: its secret after wp_specialchars_decode (&amp; -> &). */
function signingKey(source: Source, secret: string): string {
	return source === 'woocommerce' ? secret.replace(/&amp;/g, '&') : secret;
}

export const sign = (source: Source, body: string, secret = SECRETS[source]) =>
	createHmac('sha256', signingKey(source, secret)).update(body, 'utf8').digest('base64');

export interface Delivery {
	source: Source;
	headers: Record<string, string>;
	body: string;
}

/** ISO 8601 UTC with seconds, the way the shops write it. */
export const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
/** WooCommerce's *_gmt dates: UTC without an offset. */
const wooGmt = (ms: number) => new Date(ms).toISOString().slice(0, 19);

let sequence = 0;
/** A number unique in this test run (ids of customers, orders, checkouts). */
export function uniqueNumber(): number {
	return Date.now() * 100 + (sequence++ % 100);
}

function delivery(source: Source, body: string, headers: Record<string, string>, secret: string | null): Delivery {
	const all: Record<string, string> = { 'Content-Type': 'application/json', ...headers };
	if (secret !== null) all[SIGNATURE_HEADER[source]] = sign(source, body, secret);
	return { source, headers: all, body };
}

// ------------------------------------------------------------------------------------ Shopify

function shopifyHeaders(topic: string): Record<string, string> {
	return {
		'X-Shopify-Topic': topic,
		'X-Shopify-Shop-Domain': 'dialogue-e2e.myshopify.com',
		'X-Shopify-API-Version': '2026-07',
		'X-Shopify-Webhook-Id': randomUUID(),
		'X-Shopify-Event-Id': randomUUID(),
		'X-Shopify-Triggered-At': new Date().toISOString(),
		'User-Agent': 'Shopify-Captain-Hook',
	};
}

export interface Person {
	id: number;
	email?: string;
	firstName: string;
	lastName?: string;
}

export function shopifyCustomerCreated(person: Person, at = Date.now(), secret: string | null = SECRETS.shopify): Delivery {
	const body = fixture('shopify-customers-create.json');
	Object.assign(body, {
		id: person.id,
		admin_graphql_api_id: `gid://shopify/Customer/${person.id}`,
		email: person.email ?? null,
		first_name: person.firstName,
		last_name: person.lastName ?? 'Tester',
		created_at: isoSeconds(at),
		updated_at: isoSeconds(at),
	});
	(body.default_address as Json).customer_id = person.id;
	return delivery('shopify', toVendorJson(body), shopifyHeaders('customers/create'), secret);
}

export interface ShopifyOrder {
	id: number;
	customer: Person;
	total: string;
	currency?: string;
	at?: number;
	/** Title of an automatic discount applied to the order (Shopify reports it in discount_applications). */
	promotion?: string;
}

export function shopifyOrderCreated(order: ShopifyOrder, secret: string | null = SECRETS.shopify): Delivery {
	const at = isoSeconds(order.at ?? Date.now());
	const currency = order.currency ?? 'EUR';
	const body = fixture('shopify-orders-create.json');
	const customer = body.customer as Json;
	Object.assign(customer, {
		id: order.customer.id,
		admin_graphql_api_id: `gid://shopify/Customer/${order.customer.id}`,
		email: order.customer.email ?? null,
		first_name: order.customer.firstName,
		last_name: order.customer.lastName ?? 'Tester',
		created_at: at,
		updated_at: at,
	});
	(customer.default_address as Json).customer_id = order.customer.id;
	Object.assign(body, {
		id: order.id,
		admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
		name: `#${order.id % 100000}`,
		email: order.customer.email ?? '',
		contact_email: order.customer.email ?? null,
		created_at: at,
		updated_at: at,
		processed_at: at,
		// The published sample is a voided, cancelled test order; this one is a paid, open order.
		financial_status: 'paid',
		cancelled_at: null,
		cancel_reason: null,
		closed_at: null,
		currency,
		presentment_currency: currency,
		total_price: order.total,
		subtotal_price: order.total,
		current_total_price: order.total,
		discount_applications: order.promotion
			? [{ target_type: 'line_item', type: 'automatic', value: '30.0', value_type: 'percentage', allocation_method: 'across', target_selection: 'all', title: order.promotion }]
			: [],
	});
	return delivery('shopify', toVendorJson(body), shopifyHeaders('orders/create'), secret);
}

export interface ShopifyCheckout {
	token: string;
	customer: Person;
	/** When the checkout was last changed (its updated_at). */
	updatedAt: number;
}

export function shopifyCheckoutCreated(checkout: ShopifyCheckout, secret: string | null = SECRETS.shopify): Delivery {
	const at = isoSeconds(checkout.updatedAt);
	const body = fixture('shopify-checkouts-create.json');
	const customer = body.customer as Json;
	Object.assign(customer, {
		id: checkout.customer.id,
		admin_graphql_api_id: `gid://shopify/Customer/${checkout.customer.id}`,
		email: checkout.customer.email ?? null,
		first_name: checkout.customer.firstName,
		last_name: checkout.customer.lastName ?? 'Tester',
	});
	if (customer.default_address) (customer.default_address as Json).customer_id = checkout.customer.id;
	Object.assign(body, {
		token: checkout.token,
		cart_token: `cart-${checkout.token}`,
		email: checkout.customer.email ?? null,
		created_at: at,
		updated_at: at,
		currency: 'EUR',
		presentment_currency: 'EUR',
		abandoned_checkout_url: `https://dialogue-e2e.myshopify.com/checkouts/${checkout.token}/recover`,
	});
	return delivery('shopify', toVendorJson(body), shopifyHeaders('checkouts/create'), secret);
}

// -------------------------------------------------------------------------------- WooCommerce

function wooHeaders(topic: string, id: number): Record<string, string> {
	const [resource, event] = topic.split('.');
	return {
		'X-WC-Webhook-Source': 'https://woo.dialogue-e2e.example/',
		'X-WC-Webhook-Topic': topic,
		'X-WC-Webhook-Resource': resource,
		'X-WC-Webhook-Event': event,
		'X-WC-Webhook-ID': '17',
		'X-WC-Webhook-Delivery-ID': String(id),
		'User-Agent': 'WooCommerce/9.8.0 Hookshot (WordPress/6.8)',
	};
}

export function wooCustomerCreated(person: Person, at = Date.now(), secret: string | null = SECRETS.woocommerce): Delivery {
	const body = fixture('woocommerce-customer-created.json');
	Object.assign(body, {
		id: person.id,
		email: person.email ?? '',
		first_name: person.firstName,
		last_name: person.lastName ?? 'Tester',
		username: `customer${person.id}`,
		date_created: wooGmt(at),
		date_created_gmt: wooGmt(at),
		date_modified: wooGmt(at),
		date_modified_gmt: wooGmt(at),
	});
	Object.assign(body.billing as Json, { email: person.email ?? '', first_name: person.firstName });
	return delivery('woocommerce', JSON.stringify(body), wooHeaders('customer.created', uniqueNumber()), secret);
}

export interface WooOrder {
	id: number;
	customer: Person;
	total: string;
	currency?: string;
	at?: number;
}

export function wooOrderCreated(order: WooOrder, secret: string | null = SECRETS.woocommerce): Delivery {
	const at = order.at ?? Date.now();
	const body = fixture('woocommerce-order-created.json');
	Object.assign(body, {
		id: order.id,
		number: String(order.id),
		order_key: `wc_order_${order.id}`,
		status: 'processing',
		currency: order.currency ?? 'EUR',
		total: order.total,
		customer_id: order.customer.id,
		date_created: wooGmt(at),
		date_created_gmt: wooGmt(at),
		date_modified: wooGmt(at),
		date_modified_gmt: wooGmt(at),
	});
	Object.assign(body.billing as Json, { email: order.customer.email ?? '', first_name: order.customer.firstName });
	return delivery('woocommerce', JSON.stringify(body), wooHeaders('order.created', uniqueNumber()), secret);
}

// ------------------------------------------------------------------------------------ Generic

/** A canonical event posted by the shop's own system (or a review tool), signed with the Generic secret. */
export function genericEvent(event: Json, secret: string | null = SECRETS.generic): Delivery {
	return delivery('generic', JSON.stringify(event), { 'X-Dialogue-Delivery-Id': randomUUID() }, secret);
}

export interface GenericLine {
	productId: string;
	name: string;
	categories: string[];
	price: string;
	quantity?: number;
}

export function genericOrder(
	input: { id: string; customer: Person | { id: string; email?: string; firstName?: string }; lines: GenericLine[]; promotions?: string[]; type?: string },
	at = Date.now(),
): Delivery {
	const lines = input.lines.map((line) => ({ quantity: 1, ...line }));
	const total = lines.reduce((sum, line) => sum + Math.round(Number(line.price) * 100) * line.quantity, 0);
	return genericEvent({
		id: `${input.type ?? 'order.placed'}:${input.id}`,
		type: input.type ?? 'order.placed',
		occurredAt: isoSeconds(at),
		customer: { ...input.customer, id: String(input.customer.id) },
		order: {
			id: input.id,
			total: (total / 100).toFixed(2),
			currency: 'EUR',
			couponCodes: [],
			promotions: input.promotions ?? [],
			lines,
		},
	});
}

// ----------------------------------------------------------------------------------- posting

export interface Answer {
	status: number;
	body: Json;
}

/** POSTs a delivery to a Storefront Trigger's production URL (retrying while the webhook registers). */
export async function post(url: string, request: Delivery): Promise<Answer> {
	const response = await n8n.waitForWebhook(url, { body: request.body, headers: request.headers, timeoutMs: 15_000 });
	return { status: response.status, body: (typeof response.body === 'object' && response.body !== null ? response.body : { text: response.body }) as Json };
}

/** A delivery whose body was changed after signing (a forgery: the signature no longer matches). */
export function forged(request: Delivery, change: (body: string) => string): Delivery {
	return { ...request, body: change(request.body) };
}
