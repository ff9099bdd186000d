/**
 * One entry point for a webhook delivery: which source sent it, its topic, and the canonical
 * event in it (or a WooCommerce ping). Every failure is an InputError that says
 * what is wrong and what to change; nothing else is thrown for any headers or body.
 *
 * Signatures are not checked here: verify them first with verifyDeliverySignature(), using the
 * source configured in the credential (not the one detectSource() reads from the headers).
 */
import type { CanonicalEvent } from '../event';
import { InputError } from '../errors';
import { hasHeaderPrefix, headerValue, type HeaderMap } from './headers';
import { isRecord } from './fields';
import { parseJsonBody } from './json';
import { normalizeShopify } from './shopify';
import { EVENT_SOURCES, validateEvent } from './validate';
import { normalizeWooCommerce } from './woocommerce';

export type WebhookSource = 'generic' | 'shopify' | 'woocommerce';
export type DeliverySource = 'auto' | WebhookSource;

export const SHOPIFY_TOPIC_HEADER = 'X-Shopify-Topic';
/** Shopify "Events" deliveries (no X- prefix). */
export const SHOPIFY_EVENTS_TOPIC_HEADER = 'shopify-topic';
export const SHOPIFY_EVENT_ID_HEADER = 'X-Shopify-Event-Id';
export const SHOPIFY_EVENTS_EVENT_ID_HEADER = 'shopify-event-id';
export const SHOPIFY_SHOP_DOMAIN_HEADER = 'X-Shopify-Shop-Domain';
export const WOOCOMMERCE_TOPIC_HEADER = 'X-WC-Webhook-Topic';
export const WOOCOMMERCE_SOURCE_HEADER = 'X-WC-Webhook-Source';

const SOURCE_NAMES: Record<WebhookSource, string> = { generic: 'Generic', shopify: 'Shopify', woocommerce: 'WooCommerce' };

/** Which storefront sent a delivery, from its headers: Shopify, WooCommerce, else Generic. */
export function detectSource(headers: HeaderMap): WebhookSource {
	if (headerValue(headers, SHOPIFY_TOPIC_HEADER) !== undefined || headerValue(headers, SHOPIFY_EVENTS_TOPIC_HEADER) !== undefined) {
		return 'shopify';
	}
	if (headerValue(headers, WOOCOMMERCE_TOPIC_HEADER) !== undefined) return 'woocommerce';
	return 'generic';
}

const PING_BODY = /^webhook_id=(\d+)$/;

function bodyText(rawBody: Buffer | Uint8Array | string, limit: number): string {
	if (typeof rawBody === 'string') return rawBody.slice(0, limit);
	return Buffer.from(rawBody.buffer, rawBody.byteOffset, Math.min(rawBody.byteLength, limit)).toString('latin1');
}

/**
 * WooCommerce's ping when a webhook is saved: the form body `webhook_id=<n>`, no X-WC-Webhook-*
 * headers, no signature. It must be answered with a 2xx or the webhook cannot be saved.
 */
export function isWooCommercePing(headers: HeaderMap, rawBody: Buffer | Uint8Array | string): boolean {
	if (hasHeaderPrefix(headers, 'x-wc-webhook-')) return false;
	return PING_BODY.test(bodyText(rawBody, 64).trim());
}

/** The vendor topic of a delivery (orders/create, order.updated); undefined for Generic. */
export function topicOf(source: WebhookSource, headers: HeaderMap): string | undefined {
	switch (source) {
		case 'shopify':
			return headerValue(headers, SHOPIFY_TOPIC_HEADER) ?? headerValue(headers, SHOPIFY_EVENTS_TOPIC_HEADER);
		case 'woocommerce':
			return headerValue(headers, WOOCOMMERCE_TOPIC_HEADER);
		default:
			return undefined;
	}
}

/** X-Shopify-Event-Id: shared by all deliveries of one merchant action (Shopify's dedup key). */
export function shopifyEventIdOf(headers: HeaderMap): string | undefined {
	return headerValue(headers, SHOPIFY_EVENT_ID_HEADER) ?? headerValue(headers, SHOPIFY_EVENTS_EVENT_ID_HEADER);
}

export interface DeliveryInput {
	/** The source configured on the trigger; 'auto' reads it from the headers. */
	source: DeliverySource;
	headers: HeaderMap;
	/** The request body bytes exactly as received. */
	rawBody: Buffer | Uint8Array | string;
	/** When it arrived, epoch ms (see ValidateOptions.now). */
	now?: number;
}

export type NormalizedDelivery =
	| { kind: 'event'; source: WebhookSource; event: CanonicalEvent; topic?: string }
	| { kind: 'ping'; source: 'woocommerce'; webhookId: string };

const SOURCES: readonly DeliverySource[] = ['auto', 'generic', 'shopify', 'woocommerce'];

/**
 * Parse and normalize one delivery: a WooCommerce ping, or the canonical event (validated by
 * validateEvent) with its topic. Redeliveries are recognized by the event id alone.
 */
export function normalizeDelivery(input: DeliveryInput): NormalizedDelivery {
	const { headers, rawBody, now } = input;
	if (!SOURCES.includes(input.source)) {
		throw new InputError('source', `"${input.source}" is not a webhook source`, `Use one of: ${SOURCES.join(', ')}.`);
	}
	if (input.source === 'auto' || input.source === 'woocommerce') {
		if (isWooCommercePing(headers, rawBody)) {
			const webhookId = PING_BODY.exec(bodyText(rawBody, 64).trim())?.[1] ?? '';
			return { kind: 'ping', source: 'woocommerce', webhookId };
		}
	}
	const source = input.source === 'auto' ? detectSource(headers) : input.source;

	if (source === 'generic') {
		let event: CanonicalEvent;
		try {
			const body = parseJsonBody(rawBody);
			// The body's own source, whatever it says, is not read: the trigger admitted a Generic delivery.
			event = validateEvent(isRecord(body) ? { ...body, source: 'generic' } : body, { defaultSource: 'generic', now });
		} catch (error) {
			throw withVendorHint(error, headers);
		}
		return { kind: 'event', source, event: ownId(event) };
	}

	const topic = topicOf(source, headers);
	if (topic === undefined) {
		const header = source === 'shopify' ? SHOPIFY_TOPIC_HEADER : WOOCOMMERCE_TOPIC_HEADER;
		const detected = detectSource(headers);
		throw new InputError(
			'topic',
			`the ${header} header is missing, so this is not a ${SOURCE_NAMES[source]} webhook delivery`,
			detected !== source
				? `The headers look like a ${SOURCE_NAMES[detected]} delivery: set the trigger's source to ${SOURCE_NAMES[detected]} or Auto.`
				: `Point a ${SOURCE_NAMES[source]} webhook at this URL, or set the trigger's source to match the sender.`,
		);
	}
	const body = parseJsonBody(rawBody);
	const event = source === 'shopify' ? normalizeShopify(topic, body, headers, now) : normalizeWooCommerce(topic, body, headers, now);
	return { kind: 'event', source, event: validateEvent(event, { defaultSource: source, now }), topic };
}

/** Event ids that begin with another source's name (shopify:, woocommerce:, ledger:, occasion:). */
const RESERVED_ID = new RegExp(`^(${EVENT_SOURCES.filter((name) => name !== 'generic').join('|')}):`, 'i');

/**
 * A Generic event speaks for the Generic sender only: its id cannot be one of another source's
 * (the Shopify and WooCommerce normalizers', the Ledger's, the Occasion Trigger's), where it would
 * take the place of the real event and make the real delivery a duplicate. Such an id is refused
 * rather than renamed, so the sender learns of it and the id recorded is the id sent.
 */
function ownId(event: CanonicalEvent): CanonicalEvent {
	const reserved = RESERVED_ID.exec(event.id);
	if (reserved) {
		throw new InputError(
			'id',
			`${JSON.stringify(event.id)} begins with "${reserved[0]}", which only ${reserved[1].toLowerCase()} events use`,
			'Give your events ids of your own, e.g. "shop-a:order-1001"; Shopify and WooCommerce deliveries go to a trigger with their own Storefront Webhook credential.',
		);
	}
	return event;
}

/** A Generic delivery that carries vendor headers: say so in the hint. */
function withVendorHint(error: unknown, headers: HeaderMap): unknown {
	if (!(error instanceof InputError)) return error;
	const detected = detectSource(headers);
	if (detected === 'generic' && !isWooCommercePingLike(headers)) return error;
	const vendor = detected === 'generic' ? 'WooCommerce' : SOURCE_NAMES[detected];
	const hint = `This looks like a ${vendor} delivery: set the trigger's source to ${vendor} or Auto.`;
	const rewritten = new InputError(error.field, error.message.slice(error.field.length + 2), hint);
	return rewritten;
}

function isWooCommercePingLike(headers: HeaderMap): boolean {
	return hasHeaderPrefix(headers, 'x-wc-webhook-') || /woocommerce/i.test(headerValue(headers, 'user-agent') ?? '');
}
