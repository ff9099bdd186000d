/**
 * The Storefront Trigger's n8n side: reads parameters, credential and request, hands the delivery
 * to core/trigger.ts, and answers. Every delivery that starts nothing (ping, refused, invalid,
 * ignored, duplicate, filtered out) is answered here without an execution; only a delivery that
 * starts the workflow returns workflowData.
 */
import type { IDataObject, IHookFunctions, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { tooLarge, type TriggerOutcome, type TriggerSettings } from '../../core/trigger';
import { cachedCredentials, RECHECK_MS } from '../shared/credentials';
import { deliver, deliverySettings, workflowStart } from '../shared/delivery';
import { WEBHOOK_CREDENTIAL } from '../shared/deliveryFields';
import { nodeError } from '../shared/errors';
import { openStore } from '../shared/store';
import { signingCredential } from './registration';

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
		const selected = node.credentials?.[WEBHOOK_CREDENTIAL] ? await cachedCredentials(ctx, WEBHOOK_CREDENTIAL, { maxAgeMs: MAX_AGE[mode] }) : undefined;
		// A trigger that registers its webhooks verifies with the secret they are signed with (registration.ts).
		const read = await signingCredential(ctx, selected, MAX_AGE[mode]);
		const settings = deliverySettings((name, fallback) => ctx.getNodeParameter(name, fallback), read?.value, testMode);
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
		// The workflow's start, and this trigger's own (workflow id + node id, stable across renames):
		// the claim starts were made under before they were claimed per workflow.
		const workflowId = this.getWorkflow().id;
		const consumers = [workflowStart(workflowId), `trigger:${workflowId ?? ''}:${this.getNode().id}`];
		const decide = async (using: TriggerSettings) => await deliver(store, { headers, rawBody }, using, consumers);
		outcome = await decide(settings);
		// Refused with a cached secret: the secret may have been rotated since it was read. A refusal
		// records nothing, so reading the credential again and deciding again is safe.
		if (outcome.kind === 'respond' && outcome.status === 401 && settings.credentialCached) {
			const rechecked = await readSettings(this, testMode, 'recheck');
			if (!rechecked.credentialCached) outcome = await decide(rechecked);
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
