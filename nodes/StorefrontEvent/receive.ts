/**
 * The Storefront Event's n8n side: each input item is a delivery as n8n's Webhook node received it
 * (json.headers, the raw body as binary `data` when Raw Body is on), decided by core/trigger.ts
 * exactly as the Storefront Trigger decides one (nodes/shared/delivery.ts). Start: the canonical
 * event. Not Started: why, with the status code and body the Storefront Trigger would have
 * answered, for a Respond to Webhook node.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { InputError } from '../../core/errors';
import { isRecord } from '../../core/events/fields';
import type { HeaderMap } from '../../core/events';
import type { TriggerOutcome, TriggerSettings } from '../../core/trigger';
import { deliver, deliverySettings, workflowStart } from '../shared/delivery';
import { WEBHOOK_CREDENTIAL } from '../shared/deliveryFields';
import { errorItem, nodeError } from '../shared/errors';
import { gate } from '../shared/outputs';
import { openStore } from '../shared/store';

/** The binary field n8n's Webhook node puts the raw body in. */
const RAW_BODY = 'data';

interface Received {
	headers: HeaderMap;
	rawBody: Buffer;
	settings: TriggerSettings;
}

async function readItem(ctx: IExecuteFunctions, item: INodeExecutionData, itemIndex: number, credential: ICredentialDataDecryptedObject | undefined): Promise<Received> {
	const testMode = ctx.getMode() === 'manual';
	const settings = deliverySettings((name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback), credential, testMode);
	if (!isRecord(item.json.headers)) {
		throw new InputError('headers', 'the item holds no request headers', "Connect this node to the output of n8n's Webhook node, which gives each request its headers.");
	}
	if (!item.binary?.[RAW_BODY]) {
		throw new InputError(
			'body',
			'the item holds no raw body, and a signature cannot be verified on JSON that n8n parsed and wrote again',
			"In n8n's Webhook node, turn on Options › Raw Body.",
		);
	}
	return { headers: item.json.headers as HeaderMap, rawBody: await ctx.helpers.getBinaryDataBuffer(itemIndex, RAW_BODY), settings };
}

/** A failed item on Not Started: fail closed, so a Respond to Webhook node answers 500 and the shop retries. */
function failedItem(error: unknown, itemIndex: number): INodeExecutionData {
	const item = errorItem(error, itemIndex);
	return { ...item, json: { ...item.json, statusCode: 500, body: { status: 'error', message: item.json.error } } };
}

function outputOf(outcome: TriggerOutcome, itemIndex: number): { item: INodeExecutionData; pass: boolean } {
	const pairedItem = { item: itemIndex };
	if (outcome.kind === 'start') return { item: { json: outcome.item as unknown as IDataObject, pairedItem }, pass: true };
	const json = { reason: outcome.body.status, statusCode: outcome.status, body: outcome.body as unknown as IDataObject };
	return { item: { json, pairedItem }, pass: false };
}

export async function receiveItems(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const failed: INodeExecutionData[] = [];
	const fail = (error: unknown, itemIndex: number) => {
		if (!this.continueOnFail()) throw nodeError(this, error, itemIndex);
		failed.push(failedItem(error, itemIndex));
	};
	// Every item is read and checked before anything is recorded.
	let credential: ICredentialDataDecryptedObject | undefined;
	try {
		credential = this.getNode().credentials?.[WEBHOOK_CREDENTIAL] ? await this.getCredentials<ICredentialDataDecryptedObject>(WEBHOOK_CREDENTIAL) : undefined;
	} catch (error) {
		throw nodeError(this, error);
	}
	const received: Array<{ itemIndex: number; value: Received }> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			received.push({ itemIndex, value: await readItem(this, items[itemIndex], itemIndex, credential) });
		} catch (error) {
			fail(error, itemIndex);
		}
	}
	const decided: Array<{ item: INodeExecutionData; pass: boolean }> = [];
	if (received.length > 0) {
		const store = await openStore(this).catch((error: unknown) => {
			throw nodeError(this, error);
		});
		const consumers = [workflowStart(this.getWorkflow().id)];
		for (const { itemIndex, value } of received) {
			try {
				decided.push(outputOf(await deliver(store, value, value.settings, consumers), itemIndex));
			} catch (error) {
				fail(error, itemIndex);
			}
		}
	}
	return gate(this, decided, failed);
}
