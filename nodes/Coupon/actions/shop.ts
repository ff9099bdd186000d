import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeCredentialDescription, type INodeProperties } from 'n8n-workflow';
import { nodeError } from '../../shared/errors';
import { requireText } from '../../../core/check';
import { ShopError, syncToShop, type ShopCodesApi, type ShopHttp, type SyncResult } from '../../../core/shopcodes';
import { shopifyCodes } from '../../../core/shopcodes/shopify';
import { wooCommerceCodes } from '../../../core/shopcodes/woocommerce';
import type { Store } from '../../../core/store';
import { storeCredentials } from '../../shared/store';

/** The operations that can go to the shop: Generate and Import with Create in Shop on, and Sync. */
const SHOP_OPERATIONS = ['generate', 'import', 'sync'];

/**
 * The store, and the shop's credential when the codes go to the shop (the Shop field is shown then
 * only). The Shopify credentials follow Shop and Authentication through `hide`, so that no
 * credential's `show` names every value of Shop or of Authentication: n8n's editor would take that
 * field for the node's main auth field and leave Operation, Create in Shop and Shop out of the panel.
 */
export const couponCredentials: INodeCredentialDescription[] = [
	...storeCredentials,
	{
		name: 'shopifyAccessTokenApi',
		required: true,
		displayOptions: { show: { operation: SHOP_OPERATIONS, shopifyAuthentication: ['accessToken'] }, hide: { createInShop: [false], shop: ['wooCommerce'] } },
	},
	{
		name: 'shopifyOAuth2Api',
		required: true,
		displayOptions: { show: { operation: SHOP_OPERATIONS }, hide: { createInShop: [false], shop: ['wooCommerce'], shopifyAuthentication: ['accessToken'] } },
	},
	{ name: 'wooCommerceApi', required: true, displayOptions: { show: { shop: ['wooCommerce'] } } },
];

export const createInShopField = (operation: string): INodeProperties => ({
	displayName: 'Create in Shop',
	name: 'createInShop',
	type: 'boolean',
	default: false,
	description:
		"Whether to create the codes in the shop too, so that its checkout accepts them. A code is handed out only once the shop has created it; a code the shop refuses is never handed out. Needs a discount (Percent or Fixed Amount).",
	displayOptions: { show: { operation: [operation] } },
});

export const shopFields: INodeProperties[] = [
	{
		displayName: 'Shop',
		name: 'shop',
		type: 'options',
		options: [
			{ name: 'Shopify', value: 'shopify', description: 'One discount per pool and terms, the codes added to it in bulk' },
			{ name: 'WooCommerce', value: 'wooCommerce', description: 'One coupon per code' },
		],
		default: 'shopify',
		displayOptions: { show: { operation: ['generate', 'import'], createInShop: [true] } },
	},
	{
		displayName: 'Shop',
		name: 'shop',
		type: 'options',
		options: [
			{ name: 'Shopify', value: 'shopify' },
			{ name: 'WooCommerce', value: 'wooCommerce' },
		],
		default: 'shopify',
		displayOptions: { show: { operation: ['sync'] } },
	},
	{
		displayName: 'Authentication',
		name: 'shopifyAuthentication',
		type: 'options',
		options: [
			{ name: 'Access Token', value: 'accessToken' },
			{ name: 'OAuth2', value: 'oAuth2' },
		],
		default: 'accessToken',
		displayOptions: { show: { shop: ['shopify'] } },
	},
];

/** The shop chosen on the node, called through n8n with its credential. */
export async function shopApi(ctx: IExecuteFunctions): Promise<ShopCodesApi> {
	const shop = ctx.getNodeParameter('shop', 0, 'shopify') as string;
	const credential =
		shop === 'wooCommerce'
			? 'wooCommerceApi'
			: ctx.getNodeParameter('shopifyAuthentication', 0, 'accessToken') === 'oAuth2'
				? 'shopifyOAuth2Api'
				: 'shopifyAccessTokenApi';
	const data = (await ctx.getCredentials(credential)) as IDataObject;
	const http: ShopHttp = async ({ method, url, body }) => {
		const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credential, {
			method,
			url,
			body: body as IDataObject,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		})) as { statusCode: number; headers: Record<string, unknown>; body: unknown };
		return { status: res.statusCode, headers: res.headers ?? {}, body: res.body };
	};
	if (shop === 'wooCommerce') return wooCommerceCodes(http, requireText(data.url, 'url', 'Set the URL of the WooCommerce credential.'));
	return shopifyCodes(http, requireText(data.shopSubdomain, 'shopSubdomain', 'Set the Shop Subdomain of the Shopify credential.'));
}

/** Pushes the pool's pending codes; a failed call says how to resume. */
export async function pushToShop(ctx: IExecuteFunctions, store: Store, pool: string, now: number): Promise<SyncResult & { notInShop: number }> {
	const api = await shopApi(ctx);
	try {
		const result = await syncToShop(store, pool, api, now, (done) =>
			ctx.logger.info(`Coupon: ${done.created} codes of pool "${pool}" created in the shop, ${done.refused} refused`),
		);
		return { ...result, notInShop: (await store.poolStatus(pool, now)).notInShop };
	} catch (error) {
		if (!(error instanceof ShopError)) throw nodeError(ctx, error, 0);
		const left = (await store.poolStatus(pool, now)).notInShop;
		throw new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex: 0,
			description: `${left} codes of pool "${pool}" are not in the shop yet and are not handed out: run Coupon > Sync to Shop (or this node) again to create them.`,
		});
	}
}
