import { NodeConnectionTypes, type INodeCredentialDescription, type INodeTypeDescription } from 'n8n-workflow';
import { shopCredentials } from '../../shared/shop';
import { storeCredentials } from '../../shared/store';
import * as forget from './forget.operation';
import * as products from './products.operation';
import * as profile from './profile.operation';
import * as record from './record.operation';
import * as report from './report.operation';

/** The store, and the shop's credential when Record Products reads the catalog from the shop (its Shop field is shown then only). */
const ledgerCredentials: INodeCredentialDescription[] = [...storeCredentials, ...shopCredentials({ show: { operation: ['products'], productFormat: ['shop'] } })];

export const description: INodeTypeDescription = {
	displayName: 'Storefront Ledger',
	name: 'storefrontLedger',
	icon: { light: 'file:storefrontLedger.svg', dark: 'file:storefrontLedger.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ ({ record: "Record events", profile: "Get customer profile", report: "Activity report", forget: "Forget customer", products: "Record products" })[$parameter["operation"]] }}',
	description:
		"The activity store's ledger: record storefront events from items (backfill order history from n8n's Shopify or WooCommerce node or a CSV, so purchase checks are right from day one), record the product catalog (categories of products), look up a customer's profile (orders summary, segments, coupons held, activities entered), report what an activity did against its control group, or erase a customer (right to erasure)",
	defaults: { name: 'Storefront Ledger' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: ledgerCredentials,
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Activity Report',
					value: 'report',
					action: 'Report on activities against their control groups',
					description:
						'One item per activity: customers who entered, were held out or skipped, who of them ordered within the conversion window, orders, revenue and coupon codes, conversion rates and the lift over the control group with a 95 % confidence interval',
				},
				{
					name: 'Forget Customer',
					value: 'forget',
					displayOptions: { hide: { '@tool': [true] } },
					action: 'Erase a customer from the activity store',
					description:
						"Permanently erases the customer's personal data and history (events, orders, carts, segment memberships, activity entries) from every table; coupon codes they were given stay used but no longer name them. Outputs what was removed.",
				},
				{
					name: 'Get Customer Profile',
					value: 'profile',
					action: 'Get what the store knows about a customer',
					description:
						'Returns the customer (contact details, birthday, time zone), all-time purchases (order count, amount spent per currency, categories, products, coupon codes and promotions used), current segments, coupon codes held and activities entered',
				},
				{
					name: 'Record Events',
					value: 'record',
					action: 'Record storefront events in the activity store',
					description:
						'Records each input item as an event (an order, a customer) in one transaction; events recorded before are skipped, so running it again changes nothing',
				},
				{
					name: 'Record Products',
					value: 'products',
					action: 'Record products and their categories in the activity store',
					description:
						"Records the shop's products with their categories (read from the shop, from n8n's Shopify or WooCommerce node, or a CSV), so orders whose lines name only product IDs count for category checks and filters, orders recorded before too",
				},
			],
			default: 'record',
		},
		...record.properties,
		...products.properties,
		...profile.properties,
		...report.properties,
		...forget.properties,
	],
};
