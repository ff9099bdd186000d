/**
 * A node's connection to the shop: the credential chosen on it (Shopify Access Token or OAuth2,
 * WooCommerce), and its calls made through n8n so that n8n's proxy settings, OAuth2 refresh and
 * credential UI apply. Shopify: httpRequestWithAuthentication; an OAuth2 token goes in
 * X-Shopify-Access-Token, where Shopify reads it. WooCommerce: n8n's request helper, the only one
 * that reads the WooCommerce credential's { user, password } auth; the query is passed apart, so
 * Include Credentials in Query works too.
 */
import type { IDataObject, IExecuteFunctions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { requireText } from '../../core/check';
import type { ShopHttp, ShopResponse } from '../../core/shop';

export type ShopName = 'shopify' | 'wooCommerce';

type Condition = Record<string, Array<string | boolean>>;

/**
 * The shop credentials, shown when `when` holds and the node's Shop (and Shopify's
 * Authentication) picks each. The Shopify ones follow Shop and Authentication through `hide`: were
 * every value of a field named in credentials' `show`, n8n's editor would take that field for the
 * node's main authentication field and leave it, and the fields it depends on, out of the panel.
 */
export function shopCredentials(when: { show: Condition; hide?: Condition }): INodeCredentialDescription[] {
	const hide = when.hide ?? {};
	return [
		{ name: 'shopifyAccessTokenApi', required: true, displayOptions: { show: { ...when.show, shopifyAuthentication: ['accessToken'] }, hide: { ...hide, shop: ['wooCommerce'] } } },
		{ name: 'shopifyOAuth2Api', required: true, displayOptions: { show: when.show, hide: { ...hide, shop: ['wooCommerce'], shopifyAuthentication: ['accessToken'] } } },
		{ name: 'wooCommerceApi', required: true, displayOptions: { show: { ...when.show, shop: ['wooCommerce'] }, ...(when.hide && { hide }) } },
	];
}

export const shopifyAuthenticationField: INodeProperties = {
	displayName: 'Authentication',
	name: 'shopifyAuthentication',
	type: 'options',
	options: [
		{ name: 'Access Token', value: 'accessToken' },
		{ name: 'OAuth2', value: 'oAuth2' },
	],
	default: 'accessToken',
	displayOptions: { show: { shop: ['shopify'] } },
};

/** Shopify reads an OAuth2 access token from X-Shopify-Access-Token, not from Authorization. */
export const SHOPIFY_OAUTH2 = { oauth2: { tokenType: 'Bearer', keyToIncludeInAccessTokenHeader: 'X-Shopify-Access-Token' } };

/** What to check on the credential when the shop refuses it, given the scopes or permission the node needs. */
export function credentialHint(credentialType: string, rights: { shopifyScopes: string; wooPermission: string }): string {
	if (credentialType === 'wooCommerceApi') return `its Consumer Key and Consumer Secret, and that the key has ${rights.wooPermission} permission`;
	if (credentialType === 'shopifyOAuth2Api') return `that it is connected to this shop, and that the app has the ${rights.shopifyScopes} scopes`;
	return `its Access Token and Shop Subdomain, and that the app has the ${rights.shopifyScopes} scopes`;
}

export interface ShopConnection {
	shop: ShopName;
	credentialType: string;
	/** The credential's name as the node shows it. */
	credentialName: string;
	/** Shopify: the shop subdomain; WooCommerce: the shop URL. */
	address: string;
	http: ShopHttp;
}

/** The shop chosen on the node (parameters shop, shopifyAuthentication), called with its credential. */
export async function shopConnection(ctx: IExecuteFunctions): Promise<ShopConnection> {
	const shop: ShopName = ctx.getNodeParameter('shop', 0, 'shopify') === 'wooCommerce' ? 'wooCommerce' : 'shopify';
	const credentialType =
		shop === 'wooCommerce'
			? 'wooCommerceApi'
			: ctx.getNodeParameter('shopifyAuthentication', 0, 'accessToken') === 'oAuth2'
				? 'shopifyOAuth2Api'
				: 'shopifyAccessTokenApi';
	const data = (await ctx.getCredentials(credentialType)) as IDataObject;
	const credentialName = ctx.getNode().credentials?.[credentialType]?.name ?? credentialType;
	if (shop === 'wooCommerce') {
		const http: ShopHttp = async ({ method, url, qs, body }) => {
			const res = (await ctx.helpers.requestWithAuthentication.call(ctx, credentialType, {
				method,
				uri: url,
				qs: { ...qs },
				...(body === undefined ? {} : { body }),
				json: true,
				resolveWithFullResponse: true,
				simple: false,
			})) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
			return { status: res.statusCode, headers: res.headers ?? {}, body: res.body };
		};
		return { shop, credentialType, credentialName, address: requireText(data.url, 'url', 'Set the URL of the WooCommerce credential.'), http };
	}
	const http: ShopHttp = async ({ method, url, qs, body }) => {
		const res = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			{ method, url, ...(qs ? { qs } : {}), body: body as IDataObject, json: true, returnFullResponse: true, ignoreHttpStatusErrors: true },
			SHOPIFY_OAUTH2,
		)) as { statusCode: number; headers?: Record<string, unknown>; body: unknown };
		return { status: res.statusCode, headers: res.headers ?? {}, body: res.body } satisfies ShopResponse;
	};
	const address = requireText(data.shopSubdomain, 'shopSubdomain', 'Set the Shop Subdomain of the Shopify credential.');
	return { shop, credentialType, credentialName, address, http };
}
