import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeProperties } from 'n8n-workflow';
import { productOf, type ProductFormat, type ProductRow } from '../../../core/ledger';
import { refusedCredential, ShopError } from '../../../core/shop';
import { readCatalog, type CatalogResult } from '../../../core/shopcatalog';
import { shopifyCatalog } from '../../../core/shopcatalog/shopify';
import { wooCommerceCatalog } from '../../../core/shopcatalog/woocommerce';
import type { ProductRecord, Store } from '../../../core/store';
import { errorItem, nodeError } from '../../shared/errors';
import { fieldAt } from '../../shared/parameters';
import { credentialHint, shopConnection, shopifyAuthenticationField } from '../../shared/shop';
import { nodeClock } from '../../shared/store';

const show = (extra: Record<string, string[]> = {}) => ({ show: { operation: ['products'], ...extra } });
const mapped = show({ productFormat: ['mapped'] });
const wholeItems = show({ productFormat: ['shopifyProducts', 'woocommerceProducts'] });
const fromShop = show({ productFormat: ['shop'] });

/** Mapped fields: [parameter, ProductRow key, label, description]. */
const FIELDS: Array<[string, keyof ProductRow, string, string]> = [
	['mapProductId', 'productId', 'Product ID', 'The product ID as order lines carry it, e.g. the numeric ID in Shopify or WooCommerce'],
	['mapCategories', 'categories', 'Categories', 'Every category the product is in, separated by commas, e.g. Boys, Shoes. Empty: none.'],
	['mapTitle', 'title', 'Title', 'The product name (optional)'],
	['mapUpdatedAt', 'updatedAt', 'Updated At', 'When the product was last changed (optional). Empty: now, so this row replaces what the store holds.'],
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Input Format',
		name: 'productFormat',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Mapped Fields (CSV, Spreadsheet)', value: 'mapped', description: 'Each item is a row: map its columns to the fields below' },
			{ name: 'Shopify Products', value: 'shopifyProducts', description: "Each item is a Shopify product, as n8n's Shopify node (Product > Get Many) returns it: product type and tags are its categories" },
			{ name: 'WooCommerce Products', value: 'woocommerceProducts', description: "Each item is a WooCommerce product, as n8n's WooCommerce node (Product > Get Many) returns it: its categories" },
			{
				name: 'Read From the Shop',
				value: 'shop',
				description: 'Reads the whole catalog from the shop with its credential, once per run whatever the input items: Shopify product type, tags and collections; WooCommerce categories',
			},
		],
		default: 'shopifyProducts',
		description: "What the input items are. Orders name products by ID only: the catalog gives them their categories, for Purchase Check and the Storefront Trigger's category filter, also for orders recorded before.",
		displayOptions: show(),
	},
	{
		displayName: 'Shop',
		name: 'shop',
		type: 'options',
		options: [
			{ name: 'Shopify', value: 'shopify', description: 'Needs the read_products scope' },
			{ name: 'WooCommerce', value: 'wooCommerce', description: 'Needs a key with Read permission' },
		],
		default: 'shopify',
		displayOptions: fromShop,
	},
	{ ...shopifyAuthenticationField, displayOptions: show({ productFormat: ['shop'], shop: ['shopify'] }) },
	{
		displayName: 'Field Containing the Product',
		name: 'productField',
		type: 'string',
		default: '',
		placeholder: 'e.g. product',
		description: 'Where in each item the product is; use dots for nested fields. Empty: the whole item.',
		displayOptions: wholeItems,
	},
	...FIELDS.map(([name, , displayName, description]): INodeProperties => ({
		displayName,
		name,
		type: 'string',
		default: '',
		required: name === 'mapProductId',
		description,
		displayOptions: mapped,
	})),
	{
		displayName: 'Time Zone of Dates Without Offset',
		name: 'productDatesZone',
		type: 'string',
		default: '',
		placeholder: 'e.g. America/New_York',
		description: "How to read Updated At when it has no time zone. Empty: the workflow's time zone.",
		displayOptions: mapped,
	},
];

function readProduct(ctx: IExecuteFunctions, format: ProductFormat, item: INodeExecutionData, itemIndex: number, now: number, zone: string): ProductRecord {
	if (format !== 'mapped') {
		const field = String(ctx.getNodeParameter('productField', itemIndex, '') ?? '').trim();
		return productOf(format, field ? fieldAt(item.json, field) : item.json, now);
	}
	const row: ProductRow = {};
	for (const [name, key] of FIELDS) row[key] = ctx.getNodeParameter(name, itemIndex, '');
	return productOf('mapped', row, now, zone);
}

const READ_RIGHTS = { shopifyScopes: 'read_products', wooPermission: 'Read' };

/** The catalog read from the shop and recorded, a page at a time; a failure says what to change or how to resume. */
async function readFromShop(ctx: IExecuteFunctions, store: Store, items: INodeExecutionData[], now: number): Promise<INodeExecutionData[][]> {
	const pairedItem = items.map((_, item) => ({ item }));
	let result: CatalogResult;
	try {
		result = await readWholeCatalog(ctx, store, now);
	} catch (error) {
		if (!ctx.continueOnFail()) throw nodeError(ctx, error);
		const { message, description } = nodeError(ctx, error);
		return [[{ json: { error: message, ...(description ? { description } : {}) }, pairedItem }]];
	}
	const json: IDataObject = { ...result, store: store.description };
	if (result.notes.length === 0) delete json.notes;
	if (result.errors.length === 0) delete json.errors;
	return [[{ json, pairedItem }]];
}

async function readWholeCatalog(ctx: IExecuteFunctions, store: Store, now: number): Promise<CatalogResult> {
	const connection = await shopConnection(ctx).catch((error: unknown) => {
		throw nodeError(ctx, error);
	});
	const catalog = connection.shop === 'wooCommerce' ? wooCommerceCatalog(connection.http, connection.address) : shopifyCatalog(connection.http, connection.address);
	let done: CatalogResult | undefined;
	try {
		return await readCatalog(catalog, store, now, (progress) => {
			done = progress;
			ctx.logger.info(`Storefront Ledger: ${progress.read} products read from the shop (${progress.pages} pages), ${progress.recorded} recorded`);
		});
	} catch (error) {
		if (!(error instanceof ShopError)) throw nodeError(ctx, error);
		const shop = connection.shop === 'wooCommerce' ? 'WooCommerce' : 'Shopify';
		if (refusedCredential(error)) {
			throw new NodeOperationError(ctx.getNode(), `${shop} refused the credential "${connection.credentialName}" (${error.message})`, {
				description: `Check ${credentialHint(connection.credentialType, READ_RIGHTS)}.`,
			});
		}
		throw new NodeOperationError(ctx.getNode(), error.message, {
			description: done
				? `${done.read} products of ${done.pages} pages were read and recorded before: run the node again to read the catalog again (products recorded before stay as they are).`
				: 'Nothing was recorded: run the node again.',
		});
	}
}

/**
 * Record Products: every item read into a product version first (nothing is written while any
 * item is bad, unless the node continues on fail), then ONE store call records them all in one
 * transaction. A version older than the one stored changes nothing, so running it again is safe.
 */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const format = this.getNodeParameter('productFormat', 0) as ProductFormat | 'shop';
	if (format === 'shop') return readFromShop(this, store, items, now);
	const zone = String(this.getNodeParameter('productDatesZone', 0, '') ?? '').trim() || this.getTimezone();
	const products: ProductRecord[] = [];
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	items.forEach((item, itemIndex) => {
		try {
			products.push(readProduct(this, format, item, itemIndex, now, zone));
		} catch (error) {
			failures.push({ itemIndex, error });
		}
	});
	if (failures.length > 0 && !this.continueOnFail()) throw nodeError(this, failures[0].error, failures[0].itemIndex);
	let outcomes;
	try {
		outcomes = await store.recordProducts(products, now);
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this, error);
		return [items.map((_, itemIndex) => errorItem(error, itemIndex))];
	}
	const applied = outcomes.filter((o) => o.applied).length;
	const json: IDataObject = {
		recorded: applied,
		older: outcomes.length - applied,
		failed: failures.length,
		items: items.length,
		store: store.description,
	};
	if (failures.length > 0) {
		json.errors = failures.slice(0, 100).map((f) => ({ itemIndex: f.itemIndex, error: f.error instanceof Error ? f.error.message : String(f.error) }));
	}
	return [[{ json, pairedItem: items.map((_, item) => ({ item })) }]];
}
