/**
 * Webhook signatures. All three sources sign the same way: base64 of the binary HMAC-SHA256 of
 * the raw request body bytes, keyed with a shared secret; each source names its header below.
 * Always verify the bytes as received, never re-serialized JSON.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, type HeaderMap } from './headers';
import { wpSpecialcharsDecode } from './html';

/** Generic source: base64 HMAC-SHA256 of the raw body, optionally prefixed `sha256=`. */
export const GENERIC_SIGNATURE_HEADER = 'X-Dialogue-Signature';
export const SHOPIFY_SIGNATURE_HEADER = 'X-Shopify-Hmac-Sha256';
/** Shopify "Events" deliveries name their headers without the X- prefix. */
export const SHOPIFY_EVENTS_SIGNATURE_HEADER = 'shopify-hmac-sha256';
export const WOOCOMMERCE_SIGNATURE_HEADER = 'X-WC-Webhook-Signature';

const DIGEST_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function bytesOf(body: Buffer | Uint8Array | string): Buffer {
	return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** Base64 of the HMAC-SHA256 of `rawBody` keyed with `secret` (UTF-8). */
export function hmacSha256Base64(secret: string, rawBody: Buffer | Uint8Array | string): string {
	return createHmac('sha256', secret).update(bytesOf(rawBody)).digest('base64');
}

/**
 * Whether `headerValue` is the base64 HMAC-SHA256 of `rawBody` under `secret`. Compared in
 * constant time on the decoded 32-byte digests; a missing, malformed or wrong-length value is
 * false, never an exception. An empty secret verifies nothing (false).
 */
export function verifySignature(secret: string, rawBody: Buffer | Uint8Array | string, headerValue: string | undefined): boolean {
	if (typeof secret !== 'string' || secret === '' || typeof headerValue !== 'string') return false;
	let given = headerValue.trim();
	if (given.slice(0, 7).toLowerCase() === 'sha256=') given = given.slice(7).trim();
	if (!BASE64.test(given)) return false;
	const received = Buffer.from(given, 'base64');
	const expected = createHmac('sha256', secret).update(bytesOf(rawBody)).digest();
	if (received.length !== DIGEST_BYTES || received.length !== expected.length) return false;
	return timingSafeEqual(received, expected);
}

/**
 * The key WooCommerce actually signs with: the webhook secret after
 * wp_specialchars_decode(..., ENT_QUOTES), so `a&amp;b` signs as `a&b`.
 */
export function decodeWooCommerceSecret(secret: string): string {
	return wpSpecialcharsDecode(secret);
}

export type SignedSource = 'generic' | 'shopify' | 'woocommerce';

/** The header(s) that carry the signature for a source, in the order they are looked up. */
export function signatureHeadersOf(source: SignedSource): readonly string[] {
	switch (source) {
		case 'shopify':
			return [SHOPIFY_SIGNATURE_HEADER, SHOPIFY_EVENTS_SIGNATURE_HEADER];
		case 'woocommerce':
			return [WOOCOMMERCE_SIGNATURE_HEADER];
		default:
			return [GENERIC_SIGNATURE_HEADER];
	}
}

/**
 * Verify a delivery of `source` with the secret from the Storefront Webhook credential: picks the
 * source's signature header and, for WooCommerce, decodes the secret first. Use the source the
 * credential names, not one detected from the (attacker-controlled) headers.
 */
export function verifyDeliverySignature(options: {
	source: SignedSource;
	secret: string;
	headers: HeaderMap;
	rawBody: Buffer | Uint8Array | string;
}): boolean {
	const { source, headers, rawBody } = options;
	const secret = source === 'woocommerce' ? decodeWooCommerceSecret(options.secret) : options.secret;
	for (const name of signatureHeadersOf(source)) {
		const value = headerValue(headers, name);
		if (value !== undefined) return verifySignature(secret, rawBody, value);
	}
	return false;
}
