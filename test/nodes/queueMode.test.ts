/**
 * n8n queue mode (EXECUTIONS_MODE=queue) through the real n8n engine: a node whose store would be
 * SQLite (one file per worker, a split ledger) fails with what to set instead and creates no file;
 * DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE=true lets a one-machine setup share one file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, it } from '@jest/globals';
import type { ExecutionError, IDataObject } from 'n8n-workflow';

import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { closeAllStores } from '../../store/open';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, testNodeType, type CredentialsByType } from '../helpers/workflow';

const nodeTypes = nodeTypesOf(new ItemsSource(), new PurchaseCheck());
const root = mkdtempSync(join(tmpdir(), 'dialogue-queue-'));
const ENV = ['EXECUTIONS_MODE', 'DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE', 'DIALOGUE_STORE_URL', 'N8N_USER_FOLDER'] as const;
const saved = Object.fromEntries(ENV.map((name) => [name, process.env[name]]));

beforeEach(() => {
	for (const name of ENV) delete process.env[name];
	process.env.N8N_USER_FOLDER = root;
	process.env.EXECUTIONS_MODE = 'queue';
});
afterEach(() => {
	for (const name of ENV) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
});
afterAll(async () => {
	await closeAllStores();
	rmSync(root, { recursive: true, force: true });
});

async function purchaseCheck(credentials?: CredentialsByType) {
	const items: IDataObject[] = [{ customer: { id: 'q-ann' } }];
	const result = await runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Purchase Check', type: packageNodeType('purchaseCheck'), parameters: {} },
		],
		connections: connect(['Source', 'Purchase Check']),
		nodeTypes,
		credentials,
	});
	return { result, error: result.ran('Purchase Check') ? result.nodeError('Purchase Check') : undefined };
}

function assertRefused(error: ExecutionError | undefined, field: string) {
	assert.equal(error?.name, 'NodeOperationError', String(error));
	assert.match(error.message, new RegExp(`^${field}: n8n runs in queue mode \\(EXECUTIONS_MODE=queue\\).*split the ledger`));
	assert.match(String(error.description), /PostgreSQL Dialogue Store.*DIALOGUE_STORE_URL=postgres:\/\/.*DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE=true/);
}

describe('queue mode: no SQLite store per worker', () => {
	it('a node with a SQLite Dialogue Store credential fails, saying to use PostgreSQL, and creates no file', async () => {
		const file = join(root, 'credential.sqlite');
		const { result, error } = await purchaseCheck({ dialogueStoreApi: { type: 'sqlite', file } });
		assert.equal(result.status, 'error');
		assertRefused(error, 'type');
		assert.equal(existsSync(file), false);
	});

	it('a node with no credential and no DIALOGUE_STORE_URL (the embedded file) fails the same way', async () => {
		const { result, error } = await purchaseCheck();
		assert.equal(result.status, 'error');
		assertRefused(error, 'DIALOGUE_STORE_URL');
		assert.equal(existsSync(join(root, '.n8n', 'dialogue-activities.sqlite')), false);
	});

	it('DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE=true uses the SQLite file', async () => {
		process.env.DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE = 'true';
		const file = join(root, 'shared.sqlite');
		const { result, error } = await purchaseCheck({ dialogueStoreApi: { type: 'sqlite', file } });
		assert.equal(result.status, 'success', error?.message);
		assert.deepEqual(result.outputItems('Purchase Check', 1).map((item) => (item.json.customer as IDataObject).id), ['q-ann']);
		assert.equal(existsSync(file), true);
	});
});
