/**
 * The Dialogue Store credential's test (the nodes' `dialogueStoreTest`): it connects, migrates on
 * first use and reports where the store is and its schema version; a store it cannot reach is an
 * error that says why.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';
import { dialogueStoreTest } from '../../nodes/shared/store';
import { closeAllStores } from '../../store/open';
import { SCHEMA_VERSION } from '../../store/schema';
import { dropSchema, postgresServer } from '../helpers/postgres';

const test = (data: Record<string, unknown>) =>
	dialogueStoreTest.call({} as ICredentialTestFunctions, { id: 'x', name: 'Store', type: 'dialogueStoreApi', data } as ICredentialsDecrypted);

describe('Dialogue Store credential test', () => {
	const dir = mkdtempSync(join(tmpdir(), 'dialogue-cred-'));
	after(async () => {
		await closeAllStores();
		rmSync(dir, { recursive: true, force: true });
	});

	it('SQLite: creates the file and reports the schema version', async () => {
		const file = join(dir, 'client-a.sqlite');
		const result = await test({ type: 'sqlite', file });
		assert.equal(result.status, 'OK', result.message);
		assert.equal(result.message, `Connected to SQLite ${file}, schema version ${SCHEMA_VERSION}`);
	});

	it('PostgreSQL: connects, creates its schema and reports the version', async () => {
		const server = await postgresServer();
		const schema = `cred_${process.pid}`;
		try {
			const result = await test({ type: 'postgres', host: server.host, port: server.port, user: server.user, database: server.database, schema, ssl: 'disable' });
			assert.equal(result.status, 'OK', result.message);
			assert.match(result.message, new RegExp(`schema ${schema}, schema version ${SCHEMA_VERSION}$`));
		} finally {
			await closeAllStores();
			await dropSchema(server, schema);
		}
	});

	it('an unreachable server or a bad schema name is an error that says why', async () => {
		const closed = await new Promise<number>((resolve) => {
			const s = createServer().listen(0, '127.0.0.1', () => {
				const { port } = s.address() as { port: number };
				s.close(() => resolve(port));
			});
		});
		const down = await test({ type: 'postgres', host: '127.0.0.1', port: closed, user: 'postgres', database: 'postgres', schema: 'dialogue' });
		assert.equal(down.status, 'Error');
		assert.match(down.message, /Cannot connect to PostgreSQL .*ECONNREFUSED/);
		const bad = await test({ type: 'postgres', host: '127.0.0.1', port: closed, user: 'postgres', database: 'postgres', schema: 'Robert"); DROP' });
		assert.equal(bad.status, 'Error');
		assert.match(bad.message, /schema: .* is not a plain PostgreSQL schema name/);
	});
});
