/**
 * The event layer: parse, verify and normalize storefront webhook deliveries into canonical
 * events. Framework-free: nothing here imports n8n-workflow, nodes/ or store/.
 */
export { MAX_JSON_DEPTH, parseJsonBody } from './json';
export { validateEvent, EVENT_SOURCES, type ValidateOptions } from './validate';
export { normalizeShopify, SHOPIFY_TOPICS, isShopifyTopic, type ShopifyTopic } from './shopify';
export { normalizeWooCommerce, WOOCOMMERCE_TOPICS, isWooCommerceTopic, type WooCommerceTopic } from './woocommerce';
export {
	GENERIC_SIGNATURE_HEADER,
	SHOPIFY_EVENTS_SIGNATURE_HEADER,
	SHOPIFY_SIGNATURE_HEADER,
	WOOCOMMERCE_SIGNATURE_HEADER,
	decodeWooCommerceSecret,
	hmacSha256Base64,
	signatureHeadersOf,
	verifyDeliverySignature,
	verifySignature,
	type SignedSource,
} from './signature';
export {
	SHOPIFY_EVENT_ID_HEADER,
	SHOPIFY_EVENTS_EVENT_ID_HEADER,
	SHOPIFY_EVENTS_TOPIC_HEADER,
	SHOPIFY_SHOP_DOMAIN_HEADER,
	SHOPIFY_TOPIC_HEADER,
	WOOCOMMERCE_SOURCE_HEADER,
	WOOCOMMERCE_TOPIC_HEADER,
	detectSource,
	isWooCommercePing,
	normalizeDelivery,
	shopifyEventIdOf,
	topicOf,
	type DeliveryInput,
	type DeliverySource,
	type NormalizedDelivery,
	type WebhookSource,
} from './source';
export { headerValue, type HeaderMap } from './headers';
export { decodeHtmlEntities, wpSpecialcharsDecode } from './html';
export { UnsupportedTopicError } from './unsupported';
