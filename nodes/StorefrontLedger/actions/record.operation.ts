import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../../core/errors';
import {
	eventsFromItems,
	eventsFromRows,
	ledgerSummary,
	recordLedger,
	type ItemFormat,
	type LedgerBatch,
	type LedgerFormat,
	type MappedRow,
} from '../../../core/ledger';
import type { Store } from '../../../core/store';
import { errorItem, nodeError } from '../../shared/errors';
import { fieldAt } from '../../shared/parameters';
import { nodeClock } from '../../shared/store';

const show = (extra: Record<string, string[]> = {}) => ({ show: { operation: ['record'], ...extra } });
const mapped = show({ format: ['mapped'] });
const wholeItems = show({ format: ['canonical', 'shopifyOrders', 'shopifyCustomers', 'woocommerceOrders', 'woocommerceCustomers'] });

/** Mapped fields shown directly: [parameter, MappedRow key, label, description]. */
const MAIN_FIELDS: Array<[string, keyof MappedRow, string, string]> = [
	['mapOrderId', 'orderId', 'Order ID', 'The order ID or number. Rows with the same order ID are one order (one row per line item, as in Shopify\'s CSV export).'],
	['mapCustomerId', 'customerId', 'Customer ID', 'The customer ID in your shop. Empty: the email makes a guest ID, email:&lt;address&gt;.'],
	['mapEmail', 'email', 'Email', "The customer's email address"],
	['mapOccurredAt', 'occurredAt', 'Occurred At', 'When the order was placed (or the event happened), e.g. 2024-01-15 10:30:00 -0500 or 2024-01-15T15:30:00Z'],
	['mapTotal', 'total', 'Total', 'The order total, e.g. 54.90. Empty: the sum of the line prices.'],
	['mapCurrency', 'currency', 'Currency', 'Three-letter currency code, e.g. EUR; type it in when the file has no currency column'],
];

/** Mapped fields under Additional Fields: [MappedRow key, label, description]. */
const MORE_FIELDS: Array<[keyof MappedRow, string, string]> = [
	['acceptsMarketing', 'Accepts Marketing', 'Yes/no, true/false or 1/0'],
	['birthday', 'Birthday', 'YYYY-MM-DD, or --MM-DD when the year is unknown'],
	['categories', 'Categories', 'Product categories of this row\'s line, separated by commas, e.g. Boys, Shoes'],
	['couponCodes', 'Coupon Codes', 'Coupon codes used in the order, separated by commas'],
	['eventId', 'Event ID', 'A unique ID for the event. Empty: derived from the order ID (or customer ID), so a re-run records nothing twice.'],
	['firstName', 'First Name', ''],
	['lastName', 'Last Name', ''],
	['locale', 'Locale', 'Language tag, e.g. en-US'],
	['phone', 'Phone', ''],
	['price', 'Unit Price', "The price of one unit of this row's line item"],
	['productId', 'Product ID', "The product of this row's line item"],
	['productName', 'Product Name', ''],
	['promotions', 'Promotions', 'Names of automatic discounts applied, separated by commas'],
	['quantity', 'Quantity', 'Units of the line item. Default 1.'],
	['registeredAt', 'Registered At', 'When the customer registered'],
	['sku', 'SKU', ''],
	['status', 'Order Status', 'E.g. paid, cancelled, refunded: cancelled, refunded and failed orders are recorded but not counted'],
	['timezone', 'Time Zone', "The customer's IANA time zone, e.g. Europe/Berlin (birthdays are greeted in it)"],
];

const LABELS: Record<string, string> = Object.fromEntries([
	...MAIN_FIELDS.map(([, key, label]) => [key, label]),
	...MORE_FIELDS.map(([key, label]) => [key, label]),
	['type', 'Event Type'],
	['zone', 'Time Zone of Dates Without Offset'],
]);

export const properties: INodeProperties[] = [
	{
		displayName: 'Input Format',
		name: 'format',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Canonical Event JSON', value: 'canonical', description: 'Each item is one canonical event, e.g. from a Storefront Trigger or your own system' },
			{ name: 'Mapped Fields (CSV, Spreadsheet)', value: 'mapped', description: 'Each item is a row: map its columns to the fields below, e.g. after Extract From File' },
			{ name: 'Shopify Customers', value: 'shopifyCustomers', description: 'Each item is a Shopify customer resource' },
			{ name: 'Shopify Orders', value: 'shopifyOrders', description: "Each item is a Shopify order, as n8n's Shopify node (Order > Get Many) returns it" },
			{ name: 'WooCommerce Customers', value: 'woocommerceCustomers', description: "Each item is a WooCommerce customer, as n8n's WooCommerce node (Customer > Get Many) returns it" },
			{ name: 'WooCommerce Orders', value: 'woocommerceOrders', description: "Each item is a WooCommerce order, as n8n's WooCommerce node (Order > Get Many) returns it" },
		],
		default: 'shopifyOrders',
		description: 'What the input items are. Orders from Shopify and WooCommerce get the same event IDs as their webhooks, so a backfill and the Storefront Trigger never count an order twice.',
		displayOptions: show(),
	},
	{
		displayName: 'Field Containing the Resource',
		name: 'sourceField',
		type: 'string',
		default: '',
		placeholder: 'e.g. body',
		description: 'Where in each item the event, order or customer is; use dots for nested fields. Empty: the whole item.',
		displayOptions: wholeItems,
	},
	{
		displayName: 'Event Type',
		name: 'mapType',
		type: 'options',
		options: [
			{ name: 'Order Placed', value: 'order.placed' },
			{ name: 'Order Updated (Status)', value: 'order.updated' },
			{ name: 'Customer Registered', value: 'customer.registered' },
			{ name: 'Customer Updated', value: 'customer.updated' },
		],
		default: 'order.placed',
		description: 'What each row records',
		displayOptions: mapped,
	},
	...MAIN_FIELDS.map(
		([name, , displayName, description]): INodeProperties => ({ displayName, name, type: 'string', default: '', description, displayOptions: mapped }),
	),
	{
		displayName: 'Additional Fields',
		name: 'moreFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: mapped,
		options: MORE_FIELDS.map(([name, displayName, description]) => ({ displayName, name, type: 'string', default: '', description })),
	},
	{
		displayName: 'Time Zone of Dates Without Offset',
		name: 'datesZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. America/New_York',
		description: "How to read dates written without a time zone (2024-01-15 10:30, 2024-01-15). Empty: the workflow's time zone.",
		displayOptions: mapped,
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'One Summary Item', value: 'summary', description: 'Counts of recorded, duplicate and failed events' },
			{ name: 'One Item per Input Item', value: 'perItem', description: 'The event ID and whether it was recorded, for each input item' },
		],
		default: 'summary',
		displayOptions: show(),
	},
];

/** The core's field names as the node labels them. */
function labelled(error: unknown): unknown {
	if (!(error instanceof InputError) || !LABELS[error.field] || !error.message.startsWith(`${error.field}: `)) return error;
	return new InputError(LABELS[error.field], error.message.slice(error.field.length + 2), error.hint);
}

function readRow(ctx: IExecuteFunctions, itemIndex: number): MappedRow {
	const row: MappedRow = { type: ctx.getNodeParameter('mapType', itemIndex, 'order.placed') };
	for (const [name, key] of MAIN_FIELDS) row[key] = ctx.getNodeParameter(name, itemIndex, '');
	const more = ctx.getNodeParameter('moreFields', itemIndex, {}) as IDataObject;
	for (const [key] of MORE_FIELDS) if (more[key] !== undefined) row[key] = more[key];
	return row;
}

function readBatch(ctx: IExecuteFunctions, format: LedgerFormat, items: INodeExecutionData[], now: number): LedgerBatch {
	if (format !== 'mapped') {
		const field = String(ctx.getNodeParameter('sourceField', 0, '') ?? '').trim();
		return eventsFromItems(
			format as ItemFormat,
			items.map((item, itemIndex) => ({ itemIndex, json: field ? fieldAt(item.json, field) : item.json })),
			now,
		);
	}
	const zone = String(ctx.getNodeParameter('datesZone', 0, '') ?? '').trim() || ctx.getTimezone();
	const rows: Array<{ itemIndex: number; row: MappedRow }> = [];
	const unreadable: LedgerBatch['failures'] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			rows.push({ itemIndex, row: readRow(ctx, itemIndex) });
		} catch (error) {
			unreadable.push({ itemIndex, error });
		}
	}
	const batch = eventsFromRows(rows, { zone, now });
	batch.failures = [...unreadable, ...batch.failures].sort((a, b) => a.itemIndex - b.itemIndex);
	return batch;
}

/**
 * Record Events: every item read into a canonical event first (nothing is written while any item
 * is bad, unless the node continues on fail), then ONE store call records them all in one
 * transaction. Events recorded before count as duplicates.
 */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const format = this.getNodeParameter('format', 0) as LedgerFormat;
	const output = this.getNodeParameter('output', 0, 'summary') as 'summary' | 'perItem';
	let batch: LedgerBatch;
	try {
		batch = readBatch(this, format, items, now);
	} catch (error) {
		throw nodeError(this, labelled(error), 0);
	}
	const failures = batch.failures.map((f) => ({ itemIndex: f.itemIndex, error: labelled(f.error) }));
	if (failures.length > 0 && !this.continueOnFail()) throw nodeError(this, failures[0].error, failures[0].itemIndex);

	let results;
	try {
		results = await recordLedger(store, now, batch.entries);
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this, error);
		return [items.map((_, itemIndex) => errorItem(error, itemIndex))];
	}

	if (output === 'perItem') {
		const out: Array<{ itemIndex: number; data: INodeExecutionData }> = failures.map((f) => ({ itemIndex: f.itemIndex, data: errorItem(f.error, f.itemIndex) }));
		results.forEach((result, n) => {
			for (const itemIndex of batch.entries[n].itemIndexes) {
				out.push({ itemIndex, data: { json: { ...result }, pairedItem: { item: itemIndex } } });
			}
		});
		return [out.sort((a, b) => a.itemIndex - b.itemIndex).map((o) => o.data)];
	}
	const json: IDataObject = {
		...ledgerSummary(results, failures.length),
		events: results.length,
		items: items.length,
		store: store.description,
	};
	if (failures.length > 0) {
		json.errors = failures.slice(0, 100).map((f) => ({ itemIndex: f.itemIndex, error: f.error instanceof Error ? f.error.message : String(f.error) }));
	}
	return [[{ json, pairedItem: items.map((_, item) => ({ item })) }]];
}
