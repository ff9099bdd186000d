import { NodeOperationError, type IExecuteFunctions, type INodeCredentialDescription, type INodeProperties } from 'n8n-workflow';
import { nodeError } from '../../shared/errors';
import { shopConnection, shopCredentials, shopifyAuthenticationField } from '../../shared/shop';
import { ShopError, syncToShop, type ShopCodesApi, type SyncResult } from '../../../core/shopcodes';
import { shopifyCodes } from '../../../core/shopcodes/shopify';
import { wooCommerceCodes } from '../../../core/shopcodes/woocommerce';
import type { Store } from '../../../core/store';
import { storeCredentials } from '../../shared/store';

/** The store, and the shop's credential when the codes go to the shop: Generate and Import with Create in Shop on, and Sync. */
export const couponCredentials: INodeCredentialDescription[] = [
	...storeCredentials,
	...shopCredentials({ show: { operation: ['generate', 'import', 'sync'] }, hide: { createInShop: [false] } }),
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
	shopifyAuthenticationField,
];

/**
 * The shop chosen on the node, called through n8n with its credential. Opened before any code is
 * written, so that a missing or bad credential writes nothing.
 */
export async function shopApi(ctx: IExecuteFunctions): Promise<ShopCodesApi> {
	const { shop, address, http } = await shopConnection(ctx);
	return shop === 'wooCommerce' ? wooCommerceCodes(http, address) : shopifyCodes(http, address);
}

/** Pushes the pool's pending codes; a failed call says how to resume. */
export async function pushToShop(ctx: IExecuteFunctions, api: ShopCodesApi, store: Store, pool: string, now: number): Promise<SyncResult & { notInShop: number }> {
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
