import type { INodeProperties } from 'n8n-workflow';
import { ANY_EVENT, DEFAULT_MAX_BODY_KB } from '../../core/trigger';
import { storeCredentials } from './store';

/**
 * The settings of the nodes that read storefront deliveries (the Storefront Trigger, and the
 * Storefront Event after n8n's Webhook node): the same names, so core/trigger.ts reads both.
 */

export const WEBHOOK_CREDENTIAL = 'storefrontWebhookApi';

/** Both optional: the store falls back to the instance default; unsigned Generic events need no secret when accepted. */
export const deliveryCredentials = [...storeCredentials, { name: WEBHOOK_CREDENTIAL, required: false, displayName: 'Signing Secret', testedBy: 'storefrontWebhookTest' }];

export const ACCEPT_UNSIGNED =
	'Whether to accept Generic events without a signature when no Storefront Webhook credential is selected. Anyone who knows the URL can then send events that record customers and orders and start the workflow. With a credential, every delivery must be signed and this has no effect.';

export const sourceField: INodeProperties = {
	displayName: 'Source',
	name: 'source',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Auto', value: 'auto', description: 'The credential\'s source; without one, detected from the request headers' },
		{ name: 'Generic (Canonical Event JSON)', value: 'generic', description: 'Your own system posts canonical events' },
		{ name: 'Shopify', value: 'shopify' },
		{ name: 'WooCommerce', value: 'woocommerce' },
	],
	default: 'auto',
	description: 'Who sends the deliveries. With a Storefront Webhook credential, its source decides; a different source here is an error.',
};

/** Events to Start On, Filters and Options. */
export const deliveryFields: INodeProperties[] = [
	{
		displayName: 'Events to Start On',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Any Event', value: ANY_EVENT },
			{ name: 'Cart Item Added', value: 'cart.item_added' },
			{ name: 'Cart Updated', value: 'cart.updated', description: 'Shopify checkouts/create and checkouts/update' },
			{ name: 'Checkout Promotion Applied', value: 'checkout.promotion_applied' },
			{ name: 'Customer Registered', value: 'customer.registered', description: 'Shopify customers/create, WooCommerce customer.created' },
			{ name: 'Customer Updated', value: 'customer.updated', description: 'Shopify customers/update (marketing consent), WooCommerce customer.updated' },
			{ name: 'Email Interacted', value: 'email.interacted' },
			{
				name: 'Order Placed',
				value: 'order.placed',
				description: 'Shopify orders/create or orders/paid (once per order), WooCommerce order.created',
			},
			{ name: 'Order Updated', value: 'order.updated', description: 'Status changes: paid, cancelled, refunded' },
			{ name: 'Page Visited', value: 'page.visited' },
			{ name: 'Product Viewed', value: 'product.viewed' },
			{ name: 'Social Participated', value: 'social.participated' },
			{ name: 'Subscription Changed', value: 'subscription.changed' },
		],
		default: ['order.placed'],
		description:
			'Which events start the workflow. Every accepted event is recorded in the store either way, so Purchase Check and the Occasion Trigger see it. Leave empty to only record.',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Start only for events that meet every filter added here. Events that do not are still recorded.',
		options: [
			{
				displayName: 'Any of These Categories',
				name: 'categories',
				type: 'string',
				default: '',
				placeholder: 'e.g. Shoes, Bags',
				description: 'Comma-separated. A line of the order or cart (or the viewed product) is in at least one of them; case is ignored.',
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: '',
				placeholder: 'e.g. EUR',
				description: 'Only orders and carts in this currency (three-letter ISO 4217 code)',
			},
			{
				displayName: 'Minimum Order Total',
				name: 'minimumTotal',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					'Only orders (or carts) whose total is at least this amount, in the order\'s currency; add Currency to compare one currency only. Events without an order or cart do not pass.',
			},
			{
				displayName: 'Promotion or Coupon Code Applied',
				name: 'codeApplied',
				type: 'string',
				default: '',
				placeholder: 'e.g. WELCOME10, Summer Sale',
				description:
					'Comma-separated coupon codes or promotion names, one of which the order used; case is ignored. Leave empty to accept any code or promotion.',
			},
			{
				displayName: 'URL Contains',
				name: 'urlContains',
				type: 'string',
				default: '',
				placeholder: 'e.g. /sale/',
				description: 'The visited page (or viewed product) URL contains this text, ignoring case',
			},
			{
				displayName: 'URL Equals',
				name: 'urlEquals',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://shop.example.com/pages/vip',
				description: 'The visited page (or viewed product) URL is exactly this, ignoring case',
			},
			{
				displayName: 'URL Starts With',
				name: 'urlStartsWith',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://shop.example.com/collections/',
				description: 'The visited page (or viewed product) URL starts with this, ignoring case',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodySize',
				type: 'number',
				typeOptions: { minValue: 1, numberPrecision: 0 },
				default: DEFAULT_MAX_BODY_KB,
				description:
					'Larger deliveries are refused (413) before they are read as JSON. Raise it only if your storefront sends bigger events: a bigger event takes longer to check, and n8n does nothing else meanwhile.',
			},
			{
				displayName: 'Include Raw Payload',
				name: 'includeRaw',
				type: 'boolean',
				default: false,
				description: 'Whether to add the body the storefront sent to the output item, under "raw"',
			},
		],
	},
];
