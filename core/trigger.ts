/**
 * The Storefront Trigger's decisions, framework-free: who may send, what is recorded, what starts
 * the workflow. The node shell reads its parameters, credential and request, calls
 * receiveDelivery(), and either answers with the returned status and body or starts an execution.
 * The Storefront Event decides an item of n8n's Webhook node the same way, and puts the outcome on
 * its Start or Not Started output.
 *
 * Order of a delivery (each step answers without starting anything when it stops):
 *  0. a body above Max Body Size, by its length alone              -> 413, nothing read or recorded
 *  1. a WooCommerce ping (source Auto or WooCommerce)             -> 200 ping
 *  2. the signature, with the credential's source and secret      -> 401, nothing recorded
 *     no credential: only Generic deliveries, and only when         -> 401, nothing recorded
 *     Accept Unsigned Events is on
 *  3. normalize into the canonical event                          -> 400 (what is wrong), nothing recorded
 *     a vendor topic this package does not read                    -> 200 ignored (vendors disable failing webhooks)
 *  4. record it in the store, one call, before anything starts    -> 200 duplicate when recorded before,
 *                                                                     200 suppressed when it is about a customer
 *                                                                     forgotten after it occurred (nothing recorded)
 *  5. a customer named, event type selected, a placed order that
 *     counts (also by the store's newer state) and every filter met  -> start, else 200 recorded
 *
 * Dedup policy for "order placed": Shopify sends orders/create when an order is created and
 * orders/paid when it is paid; both normalize to order.placed keyed on the order
 * (shopify:order.placed:<order id>, core/events/shopify.ts), so whichever of the two arrives first
 * is the placement and starts the workflow, and the other is answered as a duplicate and records
 * nothing. Subscribing to either topic, or to both, starts the workflow once per order, and a
 * Ledger backfill of the same order agrees.
 */
import type { CanonicalEvent, CustomerEvent, EventType, Line } from './event';
import { EVENT_TYPES, hasCustomer, isCountedOrder, OCCASION_TYPES } from './event';
import { InputError } from './errors';
import {
	UnsupportedTopicError,
	detectSource,
	headerValue,
	isWooCommercePing,
	normalizeDelivery,
	parseJsonBody,
	signatureHeadersOf,
	verifyDeliverySignature,
	type DeliverySource,
	type HeaderMap,
	type WebhookSource,
} from './events';
import { compareAmounts, normalizeCurrency, normalizeDecimal } from './money';
import type { RecordOutcome } from './store';

// ---------------------------------------------------------------- settings

export const TRIGGER_SOURCES: readonly DeliverySource[] = ['auto', 'generic', 'shopify', 'woocommerce'];
export const SIGNED_SOURCES: readonly WebhookSource[] = ['generic', 'shopify', 'woocommerce'];
/** The event-type choice that starts on every event. */
export const ANY_EVENT = '*';
/** Max Body Size (KB) when the option is not set. */
export const DEFAULT_MAX_BODY_KB = 1024;

const SOURCE_NAMES: Record<DeliverySource, string> = {
	auto: 'Auto',
	generic: 'Generic',
	shopify: 'Shopify',
	woocommerce: 'WooCommerce',
};

export type UrlMatch = 'contains' | 'equals' | 'startsWith';

export interface EventFilters {
	/** The order (else cart) total is at least this decimal amount. */
	minimumTotal?: string;
	/** The order (else cart) is in this currency. */
	currency?: string;
	/** Any of these categories (lower case) in the order, cart or product. */
	categories?: string[];
	/** Every condition on the page (else product) URL, compared ignoring case. */
	url?: Array<{ match: UrlMatch; value: string }>;
	/** Any coupon code or promotion ('any'), or one of these (lower case), applied to the order. */
	codes?: 'any' | string[];
}

export interface Signing {
	source: WebhookSource;
	secret: string;
}

export interface TriggerSettings {
	/** How deliveries are read: the credential's source when there is one, else the node's. */
	source: DeliverySource;
	/** From the Storefront Webhook credential: every delivery must carry this signature. */
	signing?: Signing;
	/** Without a credential: accept unsigned Generic events (from anyone who knows the URL). */
	acceptUnsigned: boolean;
	/** Longer bodies are refused (413) before they are parsed. */
	maxBodyBytes: number;
	/** Event types that start the workflow: 'any', or a set (empty: record only). */
	eventTypes: 'any' | ReadonlySet<string>;
	filters: EventFilters;
	/** Add the vendor's payload to the output item under `raw`. */
	includeRaw: boolean;
	/** Start on a redelivery too (test mode: the same sample may be sent again while building). */
	startDuplicates: boolean;
}

/** The node's parameters and credential as read, unchecked. */
export interface TriggerParameters {
	source?: unknown;
	acceptUnsigned?: unknown;
	events?: unknown;
	filters?: unknown;
	options?: unknown;
	/** The Storefront Webhook credential, when one is selected. */
	credential?: { source?: unknown; secret?: unknown };
	/** The editor's test URL ("Listen for test event"). */
	testMode?: boolean;
}

/** The Storefront Webhook credential, checked: a known source and a non-empty secret. */
export function signingOf(credential: { source?: unknown; secret?: unknown }): Signing {
	const source = typeof credential.source === 'string' ? credential.source.trim().toLowerCase() : '';
	if (!(SIGNED_SOURCES as readonly string[]).includes(source)) {
		throw new InputError(
			'credential.source',
			`${JSON.stringify(credential.source ?? null)} is not a webhook source`,
			'Edit the Storefront Webhook credential and choose Generic, Shopify or WooCommerce.',
		);
	}
	const secret = typeof credential.secret === 'string' ? credential.secret : '';
	if (secret === '') {
		throw new InputError(
			'credential.secret',
			'is empty, so no delivery could be verified',
			'Edit the Storefront Webhook credential and paste the signing secret the storefront shows for this webhook.',
		);
	}
	return { source: source as WebhookSource, secret };
}

/** Checked settings, or an InputError that names the parameter and says what to change. */
export function triggerSettings(parameters: TriggerParameters): TriggerSettings {
	const nodeSource = sourceOf(parameters.source);
	const signing = parameters.credential ? signingOf(parameters.credential) : undefined;
	if (signing && nodeSource !== 'auto' && nodeSource !== signing.source) {
		throw new InputError(
			'source',
			`the node reads ${SOURCE_NAMES[nodeSource]} deliveries but the Storefront Webhook credential is for ${SOURCE_NAMES[signing.source]}`,
			`Set Source to Auto (the credential decides), or select a Storefront Webhook credential for ${SOURCE_NAMES[nodeSource]}.`,
		);
	}
	const options = recordOf(parameters.options, 'options');
	return {
		source: signing ? signing.source : nodeSource,
		...(signing && { signing }),
		acceptUnsigned: parameters.acceptUnsigned === true,
		maxBodyBytes: maxBodyKbOf(options.maxBodySize) * 1024,
		eventTypes: eventTypesOf(parameters.events),
		filters: filtersOf(parameters.filters),
		includeRaw: options.includeRaw === true,
		startDuplicates: parameters.testMode === true,
	};
}

function sourceOf(value: unknown): DeliverySource {
	const source = value === undefined || value === '' ? 'auto' : typeof value === 'string' ? value.trim().toLowerCase() : '';
	if (!(TRIGGER_SOURCES as readonly string[]).includes(source)) {
		throw new InputError('source', `${JSON.stringify(value)} is not a source`, 'Choose Auto, Generic, Shopify or WooCommerce.');
	}
	return source as DeliverySource;
}

function maxBodyKbOf(value: unknown): number {
	if (value === undefined || value === null || value === '') return DEFAULT_MAX_BODY_KB;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
		throw new InputError(
			'options.maxBodySize',
			`${JSON.stringify(value)} is not a whole number of KB above 0`,
			`Enter the largest body to accept in KB, e.g. ${DEFAULT_MAX_BODY_KB}, or remove the option.`,
		);
	}
	return value;
}

function recordOf(value: unknown, field: string): Record<string, unknown> {
	if (value === undefined || value === null) return {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new InputError(field, 'expected a collection of settings', 'Reset the field in the node.');
	}
	return value as Record<string, unknown>;
}

function eventTypesOf(value: unknown): 'any' | ReadonlySet<string> {
	const list = value === undefined || value === null ? [] : Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
	if (list === null) {
		throw new InputError('events', 'expected a list of event types', `Choose event types such as order.placed, or ${ANY_EVENT} for any.`);
	}
	const types = new Set<string>();
	for (const entry of list) {
		const name = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
		if (name === '') continue;
		if (name === ANY_EVENT) return 'any';
		if (!(EVENT_TYPES as readonly string[]).includes(name)) {
			throw new InputError('events', `${JSON.stringify(entry)} is not an event type`, `Use any of: ${EVENT_TYPES.join(', ')}.`);
		}
		types.add(name);
	}
	return types;
}

/** Comma-separated labels, trimmed, lower case, blanks dropped. */
function labels(value: unknown, field: string): string[] {
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null;
	if (list === null) throw new InputError(field, 'expected a comma-separated list', 'Write values separated by commas, e.g. Shoes, Bags.');
	const out: string[] = [];
	for (const entry of list) {
		if (typeof entry !== 'string' && typeof entry !== 'number') {
			throw new InputError(field, 'expected a comma-separated list', 'Write values separated by commas, e.g. Shoes, Bags.');
		}
		const label = String(entry).trim().toLowerCase();
		if (label !== '' && !out.includes(label)) out.push(label);
	}
	return out;
}

function blank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const URL_FILTERS: ReadonlyArray<[string, UrlMatch]> = [
	['urlContains', 'contains'],
	['urlEquals', 'equals'],
	['urlStartsWith', 'startsWith'],
];

/** The Filters collection: a filter left blank is no filter, except the code filter (blank = any code). */
export function filtersOf(value: unknown): EventFilters {
	const raw = recordOf(value, 'filters');
	const filters: EventFilters = {};
	if (!blank(raw.minimumTotal)) {
		const amount = normalizeDecimal(raw.minimumTotal, 'filters.minimumTotal');
		if (amount.startsWith('-')) {
			throw new InputError('filters.minimumTotal', `${amount} is below zero`, 'Use an amount of 0 or more, e.g. 50.');
		}
		filters.minimumTotal = amount;
	}
	if (!blank(raw.currency)) filters.currency = normalizeCurrency(raw.currency, 'filters.currency');
	if (!blank(raw.categories)) {
		const categories = labels(raw.categories, 'filters.categories');
		if (categories.length > 0) filters.categories = categories;
	}
	for (const [key, match] of URL_FILTERS) {
		const text = raw[key];
		if (blank(text)) continue;
		if (typeof text !== 'string') {
			throw new InputError(`filters.${key}`, 'expected text', 'Write part of a URL, e.g. /sale/.');
		}
		(filters.url ??= []).push({ match, value: text.trim().toLowerCase() });
	}
	if (Object.prototype.hasOwnProperty.call(raw, 'codeApplied')) {
		const codes = blank(raw.codeApplied) ? [] : labels(raw.codeApplied, 'filters.codeApplied');
		filters.codes = codes.length === 0 ? 'any' : codes;
	}
	return filters;
}

// ---------------------------------------------------------------- decisions

/** The order, else the cart: what the money and currency filters look at. */
function basketOf(event: CanonicalEvent): { total: string; currency: string } | undefined {
	return event.order ?? event.cart;
}

function categoriesOf(event: CanonicalEvent): Set<string> {
	const found = new Set<string>();
	const lines = [...(event.order?.lines ?? []), ...(event.cart?.lines ?? [])];
	for (const line of lines) for (const category of line.categories) found.add(category.trim().toLowerCase());
	for (const category of event.product?.categories ?? []) found.add(category.trim().toLowerCase());
	return found;
}

function urlMatches(url: string, condition: { match: UrlMatch; value: string }): boolean {
	const text = url.toLowerCase();
	switch (condition.match) {
		case 'equals':
			return text === condition.value;
		case 'startsWith':
			return text.startsWith(condition.value);
		default:
			return text.includes(condition.value);
	}
}

/**
 * The first filter the event does not meet (a label for the response), or undefined when it
 * meets them all. An event without the part a filter looks at does not meet it: a minimum order
 * total lets only orders and carts through, a URL filter only page visits and product views.
 */
export function unmetFilter(event: CanonicalEvent, filters: EventFilters): string | undefined {
	const basket = basketOf(event);
	if (filters.currency !== undefined && basket?.currency !== filters.currency) return 'currency';
	if (filters.minimumTotal !== undefined) {
		if (!basket || compareAmounts(basket.total, filters.minimumTotal, basket.currency) < 0) return 'minimum order total';
	}
	if (filters.categories) {
		const found = categoriesOf(event);
		if (!filters.categories.some((category) => found.has(category))) return 'categories';
	}
	if (filters.url) {
		const url = event.page?.url ?? event.product?.url;
		if (url === undefined || !filters.url.every((condition) => urlMatches(url, condition))) return 'URL';
	}
	if (filters.codes !== undefined) {
		const applied = [...(event.order?.couponCodes ?? []), ...(event.order?.promotions ?? [])].map((code) => code.trim().toLowerCase());
		const wanted = filters.codes;
		if (wanted === 'any' ? applied.length === 0 : !applied.some((code) => wanted.includes(code))) return 'promotion or coupon code';
	}
	return undefined;
}

export type StartDecision = { start: true } | { start: false; reason: string };

/**
 * Whether a recorded event starts the workflow: its type is selected, a placed order counts (by
 * its own status, and by its state in the store when `recorded` tells it), and it meets every filter.
 */
export function startDecision(
	event: CanonicalEvent,
	settings: Pick<TriggerSettings, 'eventTypes' | 'filters'>,
	recorded?: Pick<RecordOutcome, 'order'>,
): StartDecision {
	if (settings.eventTypes !== 'any') {
		if (settings.eventTypes.size === 0) return { start: false, reason: 'no event type is selected to start on (record only)' };
		if (!settings.eventTypes.has(event.type)) return { start: false, reason: `event type ${event.type} is not selected` };
	}
	if (event.type === 'order.placed' && event.order && !isCountedOrder(event.order)) {
		return { start: false, reason: `the order is ${event.order.status}` };
	}
	const stored = recorded?.order;
	if (event.type === 'order.placed' && stored && !stored.counted) {
		// E.g. the cancellation arrived before the order itself.
		const status = stored.status;
		return {
			start: false,
			reason: status !== undefined && !isCountedOrder({ status }) ? `the order is ${status}` : 'the order is not counted: refunded in full, or recorded for another customer',
		};
	}
	const unmet = unmetFilter(event, settings.filters);
	return unmet === undefined ? { start: true } : { start: false, reason: `filter not met: ${unmet}` };
}

// ---------------------------------------------------------------- one delivery

export interface Delivery {
	headers: HeaderMap;
	/** The request body bytes exactly as received. */
	rawBody: Buffer | Uint8Array | string;
	/** When it arrived, epoch ms: events dated more than a day later are refused. Default: the system clock. */
	now?: number;
}

export type TriggerStatus = 'started' | 'recorded' | 'duplicate' | 'suppressed' | 'ignored' | 'ping' | 'unauthorized' | 'invalid' | 'too_large';

/** The JSON body of every answer. */
export interface TriggerResponseBody {
	status: TriggerStatus;
	message?: string;
	eventId?: string;
	type?: EventType | string;
	/** Why a recorded event started nothing. */
	reason?: string;
	/** The bad field of an invalid delivery, and what to change. */
	field?: string;
	hint?: string;
	topic?: string;
	/** Test mode started on a redelivery. */
	duplicate?: boolean;
}

export type TriggerOutcome =
	| { kind: 'respond'; status: 200 | 400 | 401 | 413; body: TriggerResponseBody }
	| { kind: 'start'; event: CanonicalEvent; item: CanonicalEvent & { raw?: unknown }; body: TriggerResponseBody };

/** Records one event in the store (one call, one transaction); the shell opens the store before the signature check. */
export type RecordEvent = (event: CanonicalEvent) => Promise<RecordOutcome>;

/**
 * Claims "this workflow starts for this event" in the store, atomically: true for the first claim
 * only. An event is recorded once per store, but every workflow that listens to it starts once.
 */
export type ClaimStart = (event: CustomerEvent) => Promise<boolean>;

/** The categories the store's product catalog holds for these product ids, by id (products without any left out). */
export type CatalogLookup = (productIds: string[]) => Promise<Record<string, string[]>>;

/** The ids of the products an event names: its order and cart lines, and its product. */
export function productIdsOf(event: CanonicalEvent): string[] {
	const lines = [...(event.order?.lines ?? []), ...(event.cart?.lines ?? [])];
	return [...new Set([...lines.map((line) => line.productId), ...(event.product ? [event.product.id] : [])])];
}

/**
 * The event with each line (and its product) also in the categories the catalog holds for its
 * product: a shop's order lines carry product ids only, and the filters and the workflow see the
 * same categories Purchase Check does.
 */
export function withCatalog<T extends CanonicalEvent>(event: T, catalog: Record<string, string[]>): T {
	const more = (id: string, categories: string[] = []) => {
		const extra = Object.hasOwn(catalog, id) ? catalog[id] : [];
		return extra.length === 0 ? categories : [...new Set([...categories, ...extra])];
	};
	const lines = (list: Line[]) => list.map((line) => ({ ...line, categories: more(line.productId, line.categories) }));
	return {
		...event,
		...(event.order && { order: { ...event.order, lines: lines(event.order.lines) } }),
		...(event.cart && { cart: { ...event.cart, lines: lines(event.cart.lines) } }),
		...(event.product && { product: { ...event.product, categories: more(event.product.id, event.product.categories) } }),
	};
}

/** Why an event without a customer starts nothing. */
export const NO_CUSTOMER_REASON = 'the event names no customer (no customer id, email or phone): recorded, but there is nobody to start for';

const respond = (status: 200 | 400 | 401 | 413, body: TriggerResponseBody): TriggerOutcome => ({ kind: 'respond', status, body });

/** A refusal names the signature header the delivery lacks or got wrong, as its field. */
type Admission = { ok: true; source: WebhookSource } | { ok: false; field: string; message: string; hint: string };

/**
 * Step 0: a body longer than the limit is answered 413 by its length alone, before it is
 * verified or parsed. The node also calls this with the Content-Length it was sent, before it
 * reads the body.
 */
export function tooLarge(bytes: number, settings: Pick<TriggerSettings, 'maxBodyBytes'>): TriggerOutcome | undefined {
	if (bytes <= settings.maxBodyBytes) return undefined;
	const kb = (n: number) => `${Math.ceil(n / 1024)} KB`;
	return respond(413, {
		status: 'too_large',
		field: 'body',
		message: `body: is ${kb(bytes)}, above this trigger's limit of ${kb(settings.maxBodyBytes)}`,
		hint: "Send smaller events, or raise Max Body Size (KB) in the trigger's options.",
	});
}

/**
 * Step 2: the signature when a credential is set; without one, only Generic deliveries, and only
 * when Accept Unsigned Events is on.
 */
export function admit(delivery: Delivery, settings: Pick<TriggerSettings, 'source' | 'signing'> & { acceptUnsigned?: boolean }): Admission {
	const { headers, rawBody } = delivery;
	const { signing } = settings;
	if (signing) {
		const names = signatureHeadersOf(signing.source);
		const hint = `Sign deliveries with the secret of the Storefront Webhook credential (${SOURCE_NAMES[signing.source]}), or select the credential that holds this sender's secret.`;
		const field = names[0];
		if (!names.some((name) => headerValue(headers, name) !== undefined)) {
			return { ok: false, field, message: `the ${names[0]} signature header is missing`, hint };
		}
		if (!verifyDeliverySignature({ source: signing.source, secret: signing.secret, headers, rawBody })) {
			return { ok: false, field, message: `the ${names[0]} signature does not match the body`, hint };
		}
		return { ok: true, source: signing.source };
	}
	const source = settings.source === 'auto' ? detectSource(headers) : settings.source;
	const field = signatureHeadersOf(source)[0];
	if (source === 'generic') {
		if (settings.acceptUnsigned) return { ok: true, source };
		return {
			ok: false,
			field,
			message: 'unsigned deliveries are refused: this trigger has no Storefront Webhook credential',
			hint: 'Select a Storefront Webhook credential with the signing secret of the sender, or turn on Accept Unsigned Events to accept Generic events from anyone who knows the URL.',
		};
	}
	return {
		ok: false,
		field,
		message: `unsigned ${SOURCE_NAMES[source]} deliveries are refused: this trigger has no Storefront Webhook credential`,
		hint: `Select a Storefront Webhook credential with source ${SOURCE_NAMES[source]} and the webhook's signing secret.`,
	};
}

/**
 * One delivery, start to end. Only `record` (and `claimStart`, for a delivery that would start)
 * touch the store, and only for a delivery that is admitted and normalized; a rejected delivery
 * records nothing. Store failures are thrown (the
 * node turns them into a 500, so the storefront retries later).
 */
export async function receiveDelivery(
	delivery: Delivery,
	settings: TriggerSettings,
	record: RecordEvent,
	claimStart?: ClaimStart,
	catalog?: CatalogLookup,
): Promise<TriggerOutcome> {
	const { headers, rawBody } = delivery;
	const oversized = tooLarge(typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : rawBody.byteLength, settings);
	if (oversized) return oversized;
	if ((settings.source === 'auto' || settings.source === 'woocommerce') && isWooCommercePing(headers, rawBody)) {
		return respond(200, { status: 'ping', message: 'WooCommerce webhook ping received' });
	}

	const admission = admit(delivery, settings);
	if (!admission.ok) return respond(401, { status: 'unauthorized', field: admission.field, message: admission.message, hint: admission.hint });

	let event: CanonicalEvent;
	try {
		const normalized = normalizeDelivery({ source: admission.source, headers, rawBody, now: delivery.now });
		if (normalized.kind === 'ping') return respond(200, { status: 'ping', message: 'WooCommerce webhook ping received' });
		event = normalized.event;
		if ((OCCASION_TYPES as readonly string[]).includes(event.type)) {
			// Occasions are found in the store, never posted: a posted cart.abandoned would make a new
			// cart version, due again, for ever.
			throw new InputError('type', `"${event.type}" is an occasion, found by the Storefront Occasion Trigger, not sent as an event`, `Send one of: ${EVENT_TYPES.join(', ')}.`);
		}
	} catch (error) {
		if (error instanceof UnsupportedTopicError) {
			return respond(200, { status: 'ignored', topic: error.topic, message: error.message, hint: error.hint });
		}
		if (error instanceof InputError) return respond(400, invalid(error));
		throw error;
	}

	let outcome: RecordOutcome;
	try {
		outcome = await record(event);
	} catch (error) {
		// The store refused the event's content (nothing was written): the sender's mistake.
		if (error instanceof InputError) return respond(400, invalid(error));
		throw error;
	}
	const ids = { eventId: event.id, type: event.type };
	if (outcome.suppressed) {
		return respond(200, { status: 'suppressed', ...ids, message: 'This event is about a customer who was forgotten after it occurred: it is not recorded and starts nothing' });
	}
	const duplicate = () => respond(200, { status: 'duplicate', ...ids, message: 'This event was received before; it starts nothing again' });
	const notStarted = (reason: string) => (outcome.recorded ? respond(200, { status: 'recorded', ...ids, reason }) : duplicate());
	if (!hasCustomer(event)) return notStarted(NO_CUSTOMER_REASON);
	const products = catalog ? productIdsOf(event) : [];
	const judged = catalog && products.length > 0 ? withCatalog(event, await catalog(products)) : event;
	const decision = startDecision(judged, settings, outcome);
	if (!decision.start) return notStarted(decision.reason);
	// Test mode starts again on a redelivery and claims nothing, so testing never uses up a start.
	// Otherwise the start is claimed per workflow: another workflow's trigger that recorded the event
	// first does not stop this one, and a redelivery to this workflow starts nothing.
	// Without a claimer, the first recording is the start.
	if (!settings.startDuplicates && !(claimStart ? await claimStart(judged) : outcome.recorded)) return duplicate();

	const item: CanonicalEvent & { raw?: unknown } = settings.includeRaw ? { ...judged, raw: parseJsonBody(rawBody) } : judged;
	return { kind: 'start', event: judged, item, body: { status: 'started', ...ids, ...(!outcome.recorded && { duplicate: true }) } };
}

function invalid(error: InputError): TriggerResponseBody {
	return { status: 'invalid', field: error.field, message: error.message, ...(error.hint !== undefined && { hint: error.hint }) };
}
