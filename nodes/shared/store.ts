/**
 * Which store a node uses, and the clock it reads: the only place node shells touch either.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodeCredentialTestResult,
	INodeExecutionData,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { systemClock, type Clock } from '../../core/clock';
import { InputError } from '../../core/errors';
import type { Store } from '../../core/store';
import { probeStore, storeFor, usableLocation, type StoreCredential } from '../../store/open';
import { nodeError } from './errors';

export const STORE_CREDENTIAL = 'dialogueStoreApi';

type NodeContext = IExecuteFunctions | ILoadOptionsFunctions | IWebhookFunctions | IPollFunctions | IHookFunctions;
type ReadCredential = (type: string) => Promise<ICredentialDataDecryptedObject>;

async function storeCredential(ctx: NodeContext, read: ReadCredential): Promise<StoreCredential | undefined> {
	const selected = ctx.getNode().credentials?.[STORE_CREDENTIAL];
	return selected ? ((await read(STORE_CREDENTIAL)) as unknown as StoreCredential) : undefined;
}

/**
 * The credential selected on the node, else the instance default, else the embedded SQLite file;
 * a store that cannot be used (a bad path, SQLite in queue mode) is a NodeOperationError.
 * `read` reads the credential (a webhook passes its cached read, nodes/shared/credentials.ts).
 */
export async function openStore(
	ctx: NodeContext,
	read: ReadCredential = async (type) => await ctx.getCredentials(type),
): Promise<Store> {
	try {
		return storeFor(await storeCredential(ctx, read));
	} catch (error) {
		throw nodeError(ctx, error);
	}
}

/** Checks, without opening it, that the node's store can be used (trigger activation); `read` as for openStore. */
export async function checkStoreLocation(ctx: NodeContext, read: ReadCredential): Promise<void> {
	try {
		usableLocation(await storeCredential(ctx, read));
	} catch (error) {
		throw nodeError(ctx, error);
	}
}

let clock: Clock = systemClock;

/** The one clock every node reads. */
export function nodeClock(): Clock {
	return clock;
}

/** Tests pin or move time for every node at once. */
export function setNodeClock(next: Clock): void {
	clock = next;
}

/** Credential test (nodes list it as `testedBy: 'dialogueStoreTest'`): creates no file and keeps no store open. */
export async function dialogueStoreTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		return { status: 'OK', message: await probeStore(credential.data as unknown as StoreCredential) };
	} catch (error) {
		const message = (error as Error).message;
		return { status: 'Error', message: error instanceof InputError && error.hint ? `${message}. ${error.hint}` : message };
	}
}

/**
 * A trigger and a check that use different stores silently disagree: when a node meets customers
 * its store has never seen, it says which store it used.
 */
export async function hintUnknownCustomers(ctx: IExecuteFunctions, store: Store, customerIds: string[]): Promise<void> {
	if (customerIds.length === 0) return;
	const known = await store.knownCustomers(customerIds);
	const unknown = [...new Set(customerIds.filter((id) => !known.has(id)))];
	if (unknown.length === 0) return;
	const sample = unknown.slice(0, 3).join(', ');
	ctx.addExecutionHints({
		message: `${unknown.length} customer(s) (${sample}${unknown.length > 3 ? ', …' : ''}) are not in the store this node used: ${store.description}. If a Storefront Trigger recorded them, make sure both nodes use the same Dialogue Store credential.`,
		location: 'outputPane',
	});
}

/** Labelled in the editor, so a node with two credentials (the Storefront Trigger) does not show "Credential" twice. */
export const storeCredentials = [{ name: STORE_CREDENTIAL, required: false, displayName: 'Activity Store', testedBy: 'dialogueStoreTest' }];

export type Outputs = INodeExecutionData[][];
