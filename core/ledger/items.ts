/**
 * Whole items to canonical events: a canonical event as JSON, or a Shopify / WooCommerce order or
 * customer as n8n's nodes (or the shops' webhooks) give it. Ids are the vendor normalizers', so a
 * later webhook for the same order is a duplicate.
 */
import { InputError } from '../errors';
import { OCCASION_TYPES, type CanonicalEvent } from '../event';
import { normalizeShopify } from '../events/shopify';
import { validateEvent } from '../events/validate';
import { normalizeWooCommerce } from '../events/woocommerce';
import type { LedgerBatch, LedgerEntry, LedgerFailure } from './record';

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
