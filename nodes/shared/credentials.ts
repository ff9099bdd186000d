/**
 * Credentials a webhook reads, kept per activated trigger instead of read on every request.
 *
 * Why: outside an execution (a trigger's webhook()), n8n 2.x resolves a credential in a fresh
 * Workflow with its own expression sandbox, an isolated-vm isolate built for that one read. That
 * costs more than everything else a delivery answered without an execution does (bench/trigger.ts).
 *
 * Rules that keep it safe:
 *  - an entry is keyed on workflow id, node id, credential type and credential id, so selecting
 *    another credential, or another node, never sees it;
 *  - it lives at most CREDENTIAL_CACHE_MS, so an edited credential takes effect within that time;
 *  - activating or deactivating the workflow drops the node's entries (forgetCredentials);
 *  - a caller that finds a cached value wrong (a signature that does not match) reads it again
 *    with { maxAgeMs: RECHECK_MS }, so a rotated secret takes effect on its first delivery, while
 *    a flood of forged deliveries reads it at most once a second;
 *  - a failed read is not kept.
 * Concurrent requests share one read (the promise is cached).
 */
import type { ICredentialDataDecryptedObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';
import { nodeClock } from './store';

export const CREDENTIAL_CACHE_MS = 60_000;
/** The youngest read a caller that doubts the cached value re-reads (see receive() of the Storefront Trigger). */
export const RECHECK_MS = 1_000;

type WebhookContext = IWebhookFunctions | IHookFunctions;

interface Entry {
	readAt: number;
	value: Promise<ICredentialDataDecryptedObject>;
}

const entries = new Map<string, Entry>();

/** Entries of nodes that were never deactivated here (a workflow deleted on another main) are swept once there are this many. */
const SWEEP_AT = 256;

function sweep(now: number): void {
	for (const [key, entry] of entries) {
		const age = now - entry.readAt;
		if (age < 0 || age >= CREDENTIAL_CACHE_MS) entries.delete(key);
	}
}

function nodePrefix(ctx: WebhookContext): string {
	return `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().id}\u0000`;
}

export interface CredentialRead {
	/** The value came from the cache (a caller may re-read it when it turns out wrong). */
	cached: boolean;
	value: ICredentialDataDecryptedObject;
}

/**
 * The node's credential of this type, from the cache when it was read less than `maxAgeMs` ago
 * (default CREDENTIAL_CACHE_MS; 0 always reads).
 */
export async function cachedCredentials(ctx: WebhookContext, type: string, options: { maxAgeMs?: number } = {}): Promise<CredentialRead> {
	const maxAgeMs = Math.min(options.maxAgeMs ?? CREDENTIAL_CACHE_MS, CREDENTIAL_CACHE_MS);
	const selected = ctx.getNode().credentials?.[type];
	if (!selected) return { cached: false, value: await ctx.getCredentials(type) };
	const key = `${nodePrefix(ctx)}${type}\u0000${selected.id ?? selected.name}`;
	const now = nodeClock().now();
	const hit = entries.get(key);
	// A clock set back makes the age negative: read again rather than keep the entry longer.
	const age = hit ? now - hit.readAt : -1;
	if (hit && age >= 0 && age < maxAgeMs) return { cached: true, value: await hit.value };
	const value = ctx.getCredentials(type);
	const entry = { readAt: now, value };
	if (entries.size >= SWEEP_AT) sweep(now);
	entries.set(key, entry);
	// Registered before the caller awaits, so a failed read is dropped before anyone sees it fail.
	value.catch(() => {
		if (entries.get(key) === entry) entries.delete(key);
	});
	return { cached: false, value: await value };
}

/** Drops every credential cached for this node (on activation and deactivation). */
export function forgetCredentials(ctx: WebhookContext): void {
	const prefix = nodePrefix(ctx);
	for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
}

/** How many reads are cached (tests). */
export function cachedCredentialCount(): number {
	return entries.size;
}
