import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
	GENERIC_SIGNATURE_HEADER,
	SHOPIFY_SIGNATURE_HEADER,
	WOOCOMMERCE_SIGNATURE_HEADER,
	decodeWooCommerceSecret,
	hmacSha256Base64,
	verifyDeliverySignature,
	verifySignature,
} from '../../../core/events/signature';
import { fixtureBytes } from './helpers';

const SECRET = 'hush-hush-8f3a';

describe('hmacSha256Base64', () => {
	it('is base64 of the binary HMAC-SHA256 of the raw bytes (what Shopify and WooCommerce send)', () => {
		const body = fixtureBytes('shopify-orders-create.json');
		const expected = createHmac('sha256', SECRET).update(body).digest('base64');
		assert.equal(hmacSha256Base64(SECRET, body), expected);
		assert.equal(hmacSha256Base64(SECRET, body.toString('utf8')), expected);
		assert.equal(expected.length, 44);
		// RFC 4231 test case 2
		assert.equal(
			Buffer.from(hmacSha256Base64('Jefe', 'what do ya want for nothing?'), 'base64').toString('hex'),
			'5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
		);
	});
});

describe('verifySignature', () => {
	const body = fixtureBytes('shopify-orders-create.json');
	const good = hmacSha256Base64(SECRET, body);

	it('accepts the right signature, with or without sha256= and padding', () => {
		assert.equal(verifySignature(SECRET, body, good), true);
		assert.equal(verifySignature(SECRET, body, ` ${good} `), true);
		assert.equal(verifySignature(SECRET, body, `sha256=${good}`), true);
		assert.equal(verifySignature(SECRET, body, `SHA256=${good}`), true);
		assert.equal(verifySignature(SECRET, body, good.replace(/=+$/, '')), true);
	});

	it('refuses a wrong secret, a changed body, a re-serialized body and a missing header', () => {
		assert.equal(verifySignature('other secret', body, good), false);
		assert.equal(verifySignature(SECRET, Buffer.concat([body, Buffer.from(' ')]), good), false);
		assert.equal(verifySignature(SECRET, Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')))), good), false);
		assert.equal(verifySignature(SECRET, body, undefined), false);
		assert.equal(verifySignature(SECRET, body, ''), false);
		assert.equal(verifySignature('', body, hmacSha256Base64('', body)), false);
	});

	it('refuses wrong-length and malformed values without throwing', () => {
		const digest = Buffer.from(good, 'base64');
		assert.equal(verifySignature(SECRET, body, digest.subarray(0, 31).toString('base64')), false);
		assert.equal(verifySignature(SECRET, body, Buffer.concat([digest, Buffer.from([0])]).toString('base64')), false);
		assert.equal(verifySignature(SECRET, body, digest.toString('hex')), false);
		assert.equal(verifySignature(SECRET, body, 'x'), false);
		assert.equal(verifySignature(SECRET, body, 'sha256='), false);
		assert.equal(verifySignature(SECRET, body, `${good.slice(0, 20)}!${good.slice(21)}`), false);
		assert.equal(verifySignature(SECRET, body, 'A'.repeat(100_000)), false);
	});
});

describe('verifyDeliverySignature', () => {
	it('finds the source\'s header whatever its case', () => {
		const body = fixtureBytes('woocommerce-order-created.json');
		const signature = hmacSha256Base64(SECRET, body);
		for (const name of [GENERIC_SIGNATURE_HEADER, GENERIC_SIGNATURE_HEADER.toLowerCase(), GENERIC_SIGNATURE_HEADER.toUpperCase()]) {
			assert.equal(verifyDeliverySignature({ source: 'generic', secret: SECRET, headers: { [name]: signature }, rawBody: body }), true, name);
		}
		assert.equal(verifyDeliverySignature({ source: 'shopify', secret: SECRET, headers: { [SHOPIFY_SIGNATURE_HEADER.toLowerCase()]: signature }, rawBody: body }), true);
		assert.equal(verifyDeliverySignature({ source: 'shopify', secret: SECRET, headers: { 'shopify-hmac-sha256': signature }, rawBody: body }), true);
		assert.equal(verifyDeliverySignature({ source: 'woocommerce', secret: SECRET, headers: { [WOOCOMMERCE_SIGNATURE_HEADER]: [signature] }, rawBody: body }), true);
		// a header of another source does not count
		assert.equal(verifyDeliverySignature({ source: 'woocommerce', secret: SECRET, headers: { [SHOPIFY_SIGNATURE_HEADER]: signature }, rawBody: body }), false);
		assert.equal(verifyDeliverySignature({ source: 'generic', secret: SECRET, headers: {}, rawBody: body }), false);
	});

	it('WooCommerce signs with the entity-decoded secret', () => {
		const stored = 'p&amp;ss&#039;word&quot;';
		const key = decodeWooCommerceSecret(stored);
		assert.equal(key, 'p&ss\'word"');
		const body = fixtureBytes('woocommerce-customer-created.json');
		const signature = createHmac('sha256', key).update(body).digest('base64');
		const headers = { 'X-WC-Webhook-Signature': signature };
		assert.equal(verifyDeliverySignature({ source: 'woocommerce', secret: stored, headers, rawBody: body }), true);
		assert.equal(verifyDeliverySignature({ source: 'woocommerce', secret: key, headers, rawBody: body }), true);
		// the generic source takes its secret literally
		assert.equal(verifyDeliverySignature({ source: 'generic', secret: stored, headers: { 'X-Dialogue-Signature': signature }, rawBody: body }), false);
	});
});
