/**
 * Which webhook topics a Storefront Trigger registers in the shop: those whose events it starts
 * on, derived from Events to Start On. Any Event, and an empty choice (record only: the trigger
 * records every event it receives), take every topic this package reads from the shop.
 *
 * | event               | Shopify topics                      | WooCommerce topic |
 * | ------------------- | ----------------------------------- | ----------------- |
 * | customer.registered | customers/create                    | customer.created  |
 * | customer.updated    | customers/update                    | customer.updated  |
 * | order.placed        | orders/create                       | order.created     |
 * | order.updated       | orders/updated                      | order.updated     |
 * | cart.updated        | checkouts/create, checkouts/update  | -                 |
 *
 * orders/paid is left out: orders/create already places the order (both name the same event,
 * core/events/shopify.ts). orders/cancelled is left out: a cancellation also sends orders/updated,
 * which carries cancelled_at, so one cancellation starts the workflow once.
 */
import { InputError } from './errors';

export type ShopSource = 'shopify' | 'woocommerce';

const TOPICS: Record<ShopSource, Record<string, readonly string[]>> = {
	shopify: {
		'customer.registered': ['customers/create'],
		'customer.updated': ['customers/update'],
		'order.placed': ['orders/create'],
		'order.updated': ['orders/updated'],
		'cart.updated': ['checkouts/create', 'checkouts/update'],
	},
	woocommerce: {
		'customer.registered': ['customer.created'],
		'customer.updated': ['customer.updated'],
		'order.placed': ['order.created'],
		'order.updated': ['order.updated'],
	},
};

const SHOP_NAMES: Record<ShopSource, string> = { shopify: 'Shopify', woocommerce: 'WooCommerce' };

/**
 * The topics to register for these event types ('any', or a set; empty records only), in a stable
 * order. Event types the shop does not send add none; when none remains, an InputError says which
 * events the shop sends.
 */
export function registrationTopics(source: ShopSource, eventTypes: 'any' | ReadonlySet<string>): string[] {
	const table = TOPICS[source];
	const every = eventTypes === 'any' || eventTypes.size === 0;
	const topics = Object.entries(table)
		.filter(([type]) => every || eventTypes.has(type))
		.flatMap(([, list]) => list);
	if (topics.length === 0) {
		throw new InputError(
			'events',
			`${SHOP_NAMES[source]} sends none of the selected events, so there is no webhook to register`,
			`Add one of ${Object.keys(table).join(', ')} to Events to Start On, or turn off Register Webhooks in the Shop.`,
		);
	}
	return topics;
}
