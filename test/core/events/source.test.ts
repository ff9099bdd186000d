import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors';
import {
	detectSource,
	isWooCommercePing,
	normalizeDelivery,
	shopifyEventIdOf,
	topicOf,
	type DeliverySource,
} from '../../../core/events/source';
import { UnsupportedTopicError } from '../../../core/events/unsupported';
import { validateEvent } from '../../../core/events/validate';
import { fixture, fixtureBytes, toVendorJson, type Json } from './helpers';

function inputError(field: string, pattern?: RegExp, hintPattern?: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
		assert.equal(error.field, field);
		if (pattern) assert.match(error.message, pattern);
		if (hintPattern) assert.match(error.hint ?? '', hintPattern);
		return true;
	};
}

/** Headers as Shopify sends them (2026-07 reference), names in the given case. */
function shopifyHeaders(topic: string, toCase: (s: string) => string = (s) => s): Record<string, string> {
	const headers: Record<string, string> = {
		'Content-Type': 'application/json',
		'X-Shopify-Topic': topic,
		'X-Shopify-Hmac-Sha256': 'xT6yH5jZfQm6Q3lC8nA0r7sV2bP9dK1eL4wG0hM5nYI=',
		'X-Shopify-Shop-Domain': 'snowdevil.myshopify.com',
		'X-Shopify-API-Version': '2026-07',
		'X-Shopify-Webhook-Id': '545ebdd4-b7be-4d3d-b14e-54aa78e0e0f9',
		'X-Shopify-Triggered-At': '2025-07-10T16:15:47.000000Z',
		'X-Shopify-Event-Id': '59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f',
	};
	return Object.fromEntries(Object.entries(headers).map(([k, v]) => [toCase(k), v]));
}

/** Headers as WooCommerce's WC_Webhook::deliver() sends them. */
function wooHeaders(topic: string): Record<string, string> {
	const [resource, event] = topic.split('.');
	return {
		'content-type': 'application/json',
		'user-agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)',
		'x-wc-webhook-source': 'https://example.com/',
		'x-wc-webhook-topic': topic,
		'x-wc-webhook-resource': resource,
		'x-wc-webhook-event': event,
		'x-wc-webhook-signature': 'c2lnbmF0dXJl',
		'x-wc-webhook-id': '12',
		'x-wc-webhook-delivery-id': '8c1f3a9e0d2b4c7f',
	};
}

const genericEvent = {
	id: 'evt-1',
	type: 'page.visited',
	occurredAt: '2026-05-01T09:00:00+02:00',
	customer: { id: 'c-1' },
	page: { url: 'https://shop.example.com/sale' },
};

describe('detectSource', () => {
	it('reads the vendor from its topic header, whatever the case', () => {
		assert.equal(detectSource(shopifyHeaders('orders/create')), 'shopify');
		assert.equal(detectSource(shopifyHeaders('orders/create', (s) => s.toLowerCase())), 'shopify');
		assert.equal(detectSource(shopifyHeaders('orders/create', (s) => s.toUpperCase())), 'shopify');
		assert.equal(detectSource({ 'shopify-topic': 'orders/create' }), 'shopify');
		assert.equal(detectSource(wooHeaders('order.created')), 'woocommerce');
		assert.equal(detectSource({ 'X-WC-Webhook-Topic': ['order.created'] }), 'woocommerce');
		assert.equal(detectSource({ 'content-type': 'application/json', 'x-dialogue-signature': 'abc' }), 'generic');
		assert.equal(detectSource({ 'x-shopify-topic': '  ' }), 'generic');
		assert.equal(detectSource({}), 'generic');
	});
});

describe('isWooCommercePing', () => {
	it('is the form body webhook_id=<n> without X-WC-Webhook headers', () => {
		const ua = { 'User-Agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)', 'Content-Type': 'application/x-www-form-urlencoded' };
		assert.equal(isWooCommercePing(ua, Buffer.from('webhook_id=12')), true);
		assert.equal(isWooCommercePing({}, 'webhook_id=7\n'), true);
		assert.equal(isWooCommercePing({ ...ua, 'X-WC-Webhook-ID': '12' }, 'webhook_id=12'), false);
		assert.equal(isWooCommercePing(ua, 'webhook_id=abc'), false);
		assert.equal(isWooCommercePing(ua, 'webhook_id=12&x=1'), false);
		assert.equal(isWooCommercePing(ua, fixtureBytes('woocommerce-order-created.json')), false);
	});
});

describe('topicOf, shopifyEventIdOf', () => {
	it('read the vendor headers case-insensitively', () => {
		const shopify = shopifyHeaders('orders/paid', (s) => s.toLowerCase());
		assert.equal(topicOf('shopify', shopify), 'orders/paid');
		assert.equal(shopifyEventIdOf(shopify), '59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f');
		assert.equal(shopifyEventIdOf({ 'shopify-event-id': 'e-2' }), 'e-2');
		assert.equal(topicOf('shopify', { 'shopify-topic': 'customers/create' }), 'customers/create');
		assert.equal(topicOf('woocommerce', wooHeaders('order.updated')), 'order.updated');
		assert.equal(topicOf('generic', shopify), undefined);
	});
});

describe('normalizeDelivery', () => {
	it('Shopify: every supported topic from the fixtures, auto-detected or named', () => {
		const cases: Array<[string, Buffer | string, string]> = [
			['orders/create', fixtureBytes('shopify-orders-create.json'), 'order.placed'],
			['orders/paid', fixtureBytes('shopify-orders-create.json'), 'order.placed'],
			['orders/updated', fixtureBytes('shopify-orders-create.json'), 'order.updated'],
			['orders/cancelled', fixtureBytes('shopify-orders-create.json'), 'order.updated'],
			['customers/create', fixtureBytes('shopify-customers-create.json'), 'customer.registered'],
			['customers/update', fixtureBytes('shopify-customers-create.json'), 'customer.updated'],
			['checkouts/create', fixtureBytes('shopify-checkouts-create.json'), 'cart.updated'],
			['checkouts/update', fixtureBytes('shopify-checkouts-create.json'), 'cart.updated'],
		];
		for (const [topic, rawBody, type] of cases) {
			for (const source of ['auto', 'shopify'] as const) {
				const result = normalizeDelivery({ source, headers: shopifyHeaders(topic, (s) => s.toLowerCase()), rawBody });
				assert.equal(result.kind, 'event');
				if (result.kind !== 'event') continue;
				assert.equal(result.source, 'shopify');
				assert.equal(result.topic, topic);
				assert.equal(result.event.type, type, topic);
				const prefix = type === 'order.placed' ? 'shopify:order.placed:' : `shopify:${topic}:`;
				assert.ok(result.event.id.startsWith(prefix), result.event.id);
				assert.deepEqual(validateEvent(result.event), result.event);
			}
		}
	});

	it('Shopify: ids keep 18 digits through the whole path', () => {
		const result = normalizeDelivery({ source: 'auto', headers: shopifyHeaders('orders/create'), rawBody: fixtureBytes('shopify-orders-create.json') });
		assert.equal(result.kind === 'event' && result.event.order?.id, '820982911946154508');
		assert.equal(result.kind === 'event' && result.event.customer?.id, '115310627314723954');
		assert.equal(result.kind === 'event' && result.event.order?.lines[0].productId, '788032119674292922');
	});

	it('WooCommerce: every supported topic, derived from the fixtures', () => {
		const updatedOrder = toVendorJson({ ...fixture('woocommerce-order-created.json'), status: 'cancelled', date_modified_gmt: '2017-03-24T10:00:00' });
		const cases: Array<[string, Buffer | string, string, string]> = [
			['order.created', fixtureBytes('woocommerce-order-created.json'), 'order.placed', 'woocommerce:order.created:727'],
			['order.updated', updatedOrder, 'order.updated', 'woocommerce:order.updated:727:2017-03-24T10:00:00.000Z'],
			['customer.created', fixtureBytes('woocommerce-customer-created.json'), 'customer.registered', 'woocommerce:customer.created:25'],
			['customer.updated', fixtureBytes('woocommerce-customer-created.json'), 'customer.updated', 'woocommerce:customer.updated:25:2017-03-21T19:09:30.000Z'],
		];
		for (const [topic, rawBody, type, id] of cases) {
			for (const source of ['auto', 'woocommerce'] as const) {
				const result = normalizeDelivery({ source, headers: wooHeaders(topic), rawBody });
				assert.ok(result.kind === 'event');
				assert.equal(result.source, 'woocommerce');
				assert.equal(result.topic, topic);
				assert.equal(result.event.type, type);
				assert.equal(result.event.id, id);
			}
		}
		const cancelled = normalizeDelivery({ source: 'woocommerce', headers: wooHeaders('order.updated'), rawBody: updatedOrder });
		assert.equal(cancelled.kind === 'event' && cancelled.event.order?.status, 'cancelled');
	});

	it('WooCommerce: the ping on saving a webhook', () => {
		const headers = { 'user-agent': 'WooCommerce/9.8.1 Hookshot (WordPress/6.8)', 'content-type': 'application/x-www-form-urlencoded' };
		for (const source of ['auto', 'woocommerce'] as const) {
			assert.deepEqual(normalizeDelivery({ source, headers, rawBody: Buffer.from('webhook_id=12') }), { kind: 'ping', source: 'woocommerce', webhookId: '12' });
		}
		// a Generic trigger does not take pings, but says what to change
		assert.throws(() => normalizeDelivery({ source: 'generic', headers, rawBody: 'webhook_id=12' }), inputError('body', /not valid JSON/, /WooCommerce/));
	});

	it('Generic: the canonical JSON; a delivery id header changes nothing', () => {
		const result = normalizeDelivery({ source: 'generic', headers: { 'X-Dialogue-Delivery-Id': 'd-9' }, rawBody: JSON.stringify(genericEvent) });
		assert.deepEqual(result, {
			kind: 'event',
			source: 'generic',
			event: {
				id: 'evt-1',
				type: 'page.visited',
				occurredAt: '2026-05-01T07:00:00.000Z',
				source: 'generic',
				customer: { id: 'c-1' },
				page: { url: 'https://shop.example.com/sale' },
			},
		});
		const auto = normalizeDelivery({ source: 'auto', headers: {}, rawBody: Buffer.from(JSON.stringify(genericEvent)) });
		assert.equal(auto.kind === 'event' && auto.source, 'generic');
		const bigId = normalizeDelivery({ source: 'generic', headers: {}, rawBody: '{"id":820982911946154508,"type":"customer.updated","occurredAt":"2026-01-01T00:00:00Z","customer":{"id":115310627314723954}}' });
		assert.equal(bigId.kind === 'event' && bigId.event.id, '820982911946154508');
		assert.equal(bigId.kind === 'event' && bigId.event.customer?.id, '115310627314723954');
	});

	it('Generic: errors name the field and, for vendor deliveries, the source to choose', () => {
		assert.throws(() => normalizeDelivery({ source: 'generic', headers: {}, rawBody: JSON.stringify({ ...genericEvent, type: 'page.viewed' }) }), inputError('type', /"page.viewed" is not an event type/, /page.visited/));
		assert.throws(() => normalizeDelivery({ source: 'generic', headers: {}, rawBody: '{"id":' }), inputError('body', /at position 6/));
		assert.throws(
			() => normalizeDelivery({ source: 'generic', headers: shopifyHeaders('orders/create'), rawBody: fixtureBytes('shopify-orders-create.json') }),
			inputError('type', /is required/, /Shopify delivery: set the trigger's source to Shopify or Auto/),
		);
	});

	it('a named vendor source without its topic header says what to change', () => {
		assert.throws(
			() => normalizeDelivery({ source: 'shopify', headers: wooHeaders('order.created'), rawBody: fixtureBytes('woocommerce-order-created.json') }),
			inputError('topic', /X-Shopify-Topic header is missing/, /WooCommerce delivery/),
		);
		assert.throws(
			() => normalizeDelivery({ source: 'woocommerce', headers: {}, rawBody: JSON.stringify(genericEvent) }),
			inputError('topic', /X-WC-Webhook-Topic header is missing/),
		);
	});

	it('unsupported vendor topics are UnsupportedTopicErrors', () => {
		assert.throws(() => normalizeDelivery({ source: 'auto', headers: shopifyHeaders('products/update'), rawBody: '{}' }), UnsupportedTopicError);
		assert.throws(() => normalizeDelivery({ source: 'auto', headers: wooHeaders('order.deleted'), rawBody: '{"id":727}' }), UnsupportedTopicError);
	});

	it('an unknown source setting is an InputError', () => {
		assert.throws(() => normalizeDelivery({ source: 'magento' as DeliverySource, headers: {}, rawBody: '{}' }), inputError('source'));
	});

	it('a guest Shopify order delivered twice gives the same event', () => {
		const body = toVendorJson({ ...fixture('shopify-orders-create.json'), customer: null } as Json);
		const first = normalizeDelivery({ source: 'auto', headers: shopifyHeaders('orders/create'), rawBody: body });
		const again = normalizeDelivery({ source: 'auto', headers: { ...shopifyHeaders('orders/create'), 'X-Shopify-Webhook-Id': 'retry-2' }, rawBody: body });
		assert.ok(first.kind === 'event' && again.kind === 'event');
		assert.deepEqual(again.event, first.event);
		assert.equal(first.event.customer?.id, 'email:jon@example.com');
		assert.equal(first.event.order?.id, '820982911946154508');
	});
});
