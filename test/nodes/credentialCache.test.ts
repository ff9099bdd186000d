/**
 * The webhook credential cache (nodes/shared/credentials.ts) on its own: what a read returns,
 * when it reads again, and that entries of nodes never deactivated here do not pile up.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { ICredentialDataDecryptedObject, IWebhookFunctions } from 'n8n-workflow';
import { ManualClock, systemClock } from '../../core/clock';
import { cachedCredentialCount, cachedCredentials, CREDENTIAL_CACHE_MS, forgetCredentials } from '../../nodes/shared/credentials';
import { setNodeClock } from '../../nodes/shared/store';

const clock = new ManualClock('2026-05-01T09:00:00Z');
beforeAll(() => setNodeClock(clock));
afterAll(() => setNodeClock(systemClock));

function contextFor(workflowId: string, credentialId: string | undefined, read: () => Promise<ICredentialDataDecryptedObject>) {
	return {
		getWorkflow: () => ({ id: workflowId }),
		getNode: () => ({ id: 'node-1', credentials: credentialId ? { someApi: { id: credentialId, name: 'x' } } : undefined }),
		getCredentials: read,
	} as unknown as IWebhookFunctions;
}

describe('credential cache', () => {
	it('returns the read, cached until the cache time has passed, and reads again on request (maxAgeMs)', async () => {
		let reads = 0;
		const ctx = contextFor('wf-a', 'cred-a', async () => ({ secret: `read-${++reads}` }));
		assert.deepEqual(await cachedCredentials(ctx, 'someApi'), { cached: false, value: { secret: 'read-1' } });
		assert.deepEqual(await cachedCredentials(ctx, 'someApi'), { cached: true, value: { secret: 'read-1' } });
		clock.advance(999);
		assert.deepEqual(await cachedCredentials(ctx, 'someApi', { maxAgeMs: 1000 }), { cached: true, value: { secret: 'read-1' } });
		clock.advance(1);
		assert.deepEqual(await cachedCredentials(ctx, 'someApi', { maxAgeMs: 1000 }), { cached: false, value: { secret: 'read-2' } });
		assert.deepEqual(await cachedCredentials(ctx, 'someApi', { maxAgeMs: 0 }), { cached: false, value: { secret: 'read-3' } });
		clock.advance(CREDENTIAL_CACHE_MS - 1);
		assert.equal((await cachedCredentials(ctx, 'someApi')).cached, true);
		clock.advance(1);
		assert.deepEqual(await cachedCredentials(ctx, 'someApi'), { cached: false, value: { secret: 'read-4' } });
		clock.advance(-5000); // the clock set back: read again rather than keep the entry longer
		assert.deepEqual(await cachedCredentials(ctx, 'someApi'), { cached: false, value: { secret: 'read-5' } });
		forgetCredentials(ctx);
	});

	it('a node without the credential selected reads through, uncached', async () => {
		let reads = 0;
		const ctx = contextFor('wf-b', undefined, async () => ({ n: ++reads }));
		await cachedCredentials(ctx, 'someApi');
		assert.deepEqual(await cachedCredentials(ctx, 'someApi'), { cached: false, value: { n: 2 } });
	});

	it('entries of nodes never deactivated here are swept once they expire', async () => {
		forgetCredentials(contextFor('wf-a', 'cred-a', async () => ({})));
		const start = cachedCredentialCount();
		for (let n = 0; n < 300; n++) await cachedCredentials(contextFor(`wf-sweep-${n}`, 'cred', async () => ({ n })), 'someApi');
		assert.equal(cachedCredentialCount(), start + 300, 'nothing expired yet: all kept');
		clock.advance(CREDENTIAL_CACHE_MS);
		await cachedCredentials(contextFor('wf-sweep-new', 'cred', async () => ({})), 'someApi');
		assert.equal(cachedCredentialCount(), 1, 'the expired ones were swept');
	});
});
