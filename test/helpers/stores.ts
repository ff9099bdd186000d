/**
 * Node tests: a fresh SQLite store per test, in files of one temp folder per test file. Calling
 * sqliteTestStores() at the top of a test file also pins the node clock to the file's clock for
 * its tests, and at the end closes every store and removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { systemClock, type Clock } from '../../core/clock';
import type { Store } from '../../core/store';
import { setNodeClock } from '../../nodes/shared/store';
import { closeAllStores, storeFor, type StoreCredential } from '../../store/open';
import type { CredentialsByType } from './workflow';

export interface TestStore {
	file: string;
	/** The Dialogue Store credential that makes a node use this store. */
	credential: StoreCredential;
	/** The same, as runWorkflow's credentials. */
	credentials: CredentialsByType;
	store: Store;
}

/** Returns newStore(): each call a new, empty store. */
export function sqliteTestStores(name: string, clock: Clock): () => TestStore {
	const dir = mkdtempSync(join(tmpdir(), `dialogue-${name}-`));
	beforeAll(() => setNodeClock(clock));
	afterAll(async () => {
		setNodeClock(systemClock);
		await closeAllStores();
		rmSync(dir, { recursive: true, force: true });
	});
	let files = 0;
	return () => {
		const file = join(dir, `store-${++files}.sqlite`);
		const credential: StoreCredential = { type: 'sqlite', file };
		return { file, credential, credentials: { dialogueStoreApi: credential as unknown as ICredentialDataDecryptedObject }, store: storeFor(credential) };
	};
}
