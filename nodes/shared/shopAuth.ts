/**
 * Shopify reads an access token from X-Shopify-Access-Token only: with a Shopify OAuth2
 * credential, n8n puts the token there too (as it does for its own Shopify node), besides the
 * Authorization: Bearer header every OAuth2 request gets.
 */
export const SHOPIFY_OAUTH2 = { oauth2: { tokenType: 'Bearer' as const, keyToIncludeInAccessTokenHeader: 'X-Shopify-Access-Token' } };
