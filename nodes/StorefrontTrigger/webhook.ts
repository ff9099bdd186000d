/**
 * The Storefront Trigger's n8n side: reads parameters, credential and request, hands the delivery
 * to core/trigger.ts, and answers. Every delivery that starts nothing (ping, refused, invalid,
 * ignored, duplicate, filtered out) is answered here without an execution; only a delivery that
 * starts the workflow returns workflowData.
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { receiveDelivery, tooLarge, triggerSettings, type TriggerOutcome, type TriggerSettings } from '../../core/trigger';
import { cachedCredentials, RECHECK_MS } from '../shared/credentials';
import { nodeError } from '../shared/errors';
import { nodeClock, openStore } from '../shared/store';
import { WEBHOOK_CREDENTIAL } from './description';

type TriggerContext = IWebhookFunctions | IHookFunctions;

/**
 * How the node's credentials are read: fresh (activation, test runs), through the cache, or
 * rechecked (read again unless read within the last second: after a refused signature).
 */
type CredentialMode = 'fresh' | 'cached' | 'recheck';
const MAX_AGE: Record<CredentialMode, number | undefined> = { fresh: 0, cached: undefined, recheck: RECHECK_MS };

/** The node's settings, checked; a misconfigured node is a NodeOperationError naming the field. */
export async function readSettings(ctx: TriggerContext, testMode: boolean, mode: CredentialMode = 'fresh'): Promise<TriggerSettings & { credentialCached: boolean }> {
	const node = ctx.getNode();
	try {
		const read = node.credentials?.[WEBHOOK_CREDENTIAL] ? await cachedCredentials(ctx, WEBHOOK_CREDENTIAL, { maxAgeMs: MAX_AGE[mode] }) : undefined;
		const settings = triggerSettings({
			source: ctx.getNodeParameter('source', 'auto'),
			acceptUnsigned: ctx.getNodeParameter('acceptUnsigned', false),
			events: ctx.getNodeParameter('events', []),
			filters: ctx.getNodeParameter('filters', {}),
			options: ctx.getNodeParameter('options', {}),
			credential: read?.value,
			testMode,
		});
		return { ...settings, credentialCached: read?.cached ?? false };
	} catch (error) {
		throw nodeError(ctx, error);
	}
}

/**
 * The body bytes as received. n8n 2.x reads them into req.rawBody while parsing the body (for
 * every content type it parses); otherwise req.readRawBody() reads them on demand.
 */
async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer | undefined> {
	const req = ctx.getRequestObject();
	if (req.rawBody === undefined && typeof req.readRawBody === 'function') {
		try {
			await req.readRawBody();
		} catch {
			return undefined;
		}
	}
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
}

export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	// Test runs read the credential as it is now; an active workflow reads it through the cache.
	const testMode = this.getMode() === 'manual';
	const settings = await readSettings(this, testMode, testMode ? 'fresh' : 'cached');
	const res = this.getResponseObject();
	const answer = (outcome: Extract<TriggerOutcome, { kind: 'respond' }>): IWebhookResponseData => {
		res.status(outcome.status).json(outcome.body);
		return { noWebhookResponse: true };
	};
	// A body declared too large is refused before it is read.
	const declared = this.getHeaderData()['content-length'];
	const oversized = typeof declared === 'string' && /^\d+$/.test(declared) ? tooLarge(Number(declared), settings) : undefined;
	if (oversized?.kind === 'respond') return answer(oversized);
	const rawBody = await rawBodyOf(this);
	if (rawBody === undefined) {
		res.status(400).json({
			status: 'invalid',
			field: 'body',
			message: 'body: could not be read',
			hint: 'Send the event as JSON in the request body, with Content-Type: application/json.',
		});
		return { noWebhookResponse: true };
	}
	const headers = this.getHeaderData();
	let outcome: TriggerOutcome;
	try {
		const store = await openStore(this, async (type) => (await cachedCredentials(this, type, { maxAgeMs: testMode ? 0 : undefined })).value);
		// Starts are claimed per trigger: workflow id + node id (stable across renames).
		const consumer = `trigger:${this.getWorkflow().id ?? ''}:${this.getNode().id}`;
		const deliver = async (using: TriggerSettings) =>
			await receiveDelivery(
				{ headers, rawBody, now: nodeClock().now() },
				using,
				async (event) => (await store.recordEvents([event], nodeClock().now()))[0],
				async (event) =>
					(await store.claimOccasions([{ consumer, kind: 'trigger.start', customerId: event.customer.id, occurrence: event.id }], nodeClock().now()))[0],
			);
		outcome = await deliver(settings);
		// Refused with a cached secret: the secret may have been rotated since it was read. A refusal
		// records nothing, so reading the credential again and deciding again is safe.
		if (outcome.kind === 'respond' && outcome.status === 401 && settings.credentialCached) {
			const rechecked = await readSettings(this, testMode, 'recheck');
			if (!rechecked.credentialCached) outcome = await deliver(rechecked);
		}
	} catch (error) {
		// The store could not be reached: n8n answers 500 and the storefront retries later.
		throw nodeError(this, error);
	}
	if (outcome.kind === 'start') {
		return { workflowData: [[{ json: outcome.item as unknown as IDataObject }]], webhookResponse: outcome.body };
	}
	return answer(outcome);
}
