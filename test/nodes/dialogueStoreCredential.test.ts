/**
 * The Dialogue Store credential's test (the nodes' `dialogueStoreTest`): it reports where the store
 * is and its schema version, and leaves nothing behind: a SQLite file is read, never created; a
 * PostgreSQL store is connected to, checked and closed. A store it cannot use is an error that
 * says why.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, it } from '@jest/globals';
import type { ICredentialTestFunctions, ICredentialsDecrypted } from 'n8n-workflow';
import { Client } from 'pg';
import { dialogueStoreTest } from '../../nodes/shared/store';
import { closeAllStores, storeFor } from '../../store/open';
import { MIGRATIONS } from '../../store/schema';
import { dropSchema, postgresServer } from '../helpers/postgres';

const test = (data: Record<string, unknown>) =>
	dialogueStoreTest.call({} as ICredentialTestFunctions, { id: 'x', name: 'Store', type: 'dialogueStoreApi', data } as ICredentialsDecrypted);

describe('Dialogue Store credential test', () => {
	const dir = mkdtempSync(join(tmpdir(), 'dialogue-cred-'));
	afterAll(async () => {
		await closeAllStores();
		rmSync(dir, { recursive: true, force: true });
	});

	const latest = MIGRATIONS.at(-1)!.version;

	it('SQLite: a file not there yet is reported, and neither it nor its folder is created', async () => {
		const file = join(dir, 'clients', 'client-a.sqlite');
		const result = await test({ type: 'sqlite', file });
		assert.equal(result.status, 'OK', result.message);
		assert.equal(result.message, `SQLite ${file} does not exist yet; it is created on first use`);
		assert.equal(existsSync(join(dir, 'clients')), false);
	});

	it('SQLite: an existing store reports its schema version, and no file is left behind', async () => {
		const file = join(dir, 'client-b.sqlite');
		const store = storeFor({ type: 'sqlite', file });
		await store.schemaVersion();
		await closeAllStores();
		const result = await test({ type: 'sqlite', file });
		assert.equal(result.status, 'OK', result.message);
		assert.equal(result.message, `SQLite ${file}, schema version ${latest}`);
		// No connection is left open, so no -wal or -shm file stays next to it.
		rmSync(file);
		assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('client-b')), []);
	});

	it("SQLite: n8n's own database and paths leaving the n8n user folder are errors that say what to change", async () => {
		const previous = process.env.N8N_USER_FOLDER;
		process.env.N8N_USER_FOLDER = dir;
		try {
			mkdirSync(join(dir, '.n8n'));
			const own = await test({ type: 'sqlite', file: 'database.sqlite' });
			assert.equal(own.status, 'Error');
			assert.match(own.message, /^file: "database.sqlite" is n8n's own database .* Leave the field empty/);
			const outside = await test({ type: 'sqlite', file: '../x.sqlite' });
			assert.equal(outside.status, 'Error');
			assert.match(outside.message, /^file: "\.\.\/x\.sqlite" leads outside the n8n user folder/);
			const renamed = join(dir, 'n8n-copy.sqlite');
			const db = new DatabaseSync(renamed);
			db.exec('CREATE TABLE workflow_entity (id TEXT PRIMARY KEY)');
			db.close();
			const copy = await test({ type: 'sqlite', file: renamed });
			assert.equal(copy.status, 'Error');
			assert.match(copy.message, /is n8n's own database \(it holds workflow_entity\)/);
			assert.deepEqual(readdirSync(join(dir, '.n8n')), []);
		} finally {
			if (previous === undefined) delete process.env.N8N_USER_FOLDER;
			else process.env.N8N_USER_FOLDER = previous;
		}
	});

	it('PostgreSQL: connects, creates its schema, reports the version and keeps no connection open', async () => {
		const server = await postgresServer();
		const schema = `cred_${process.pid}`;
		const connections = async () => {
			const client = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
			await client.connect();
			try {
				const { rows } = await client.query<{ n: number }>(
					"SELECT COUNT(*)::int AS n FROM pg_stat_activity WHERE application_name = 'n8n-nodes-dialogue-activities'",
				);
				return rows[0].n;
			} finally {
				await client.end();
			}
		};
		try {
			const result = await test({ type: 'postgres', host: server.host, port: server.port, user: server.user, database: server.database, schema, ssl: 'disable' });
			assert.equal(result.status, 'OK', result.message);
			assert.match(result.message, new RegExp(`schema ${schema}, schema version ${latest}$`));
			let open = await connections();
			for (let waited = 0; open > 0 && waited < 2_000; waited += 50) {
				await new Promise((resolve) => setTimeout(resolve, 50));
				open = await connections();
			}
			assert.equal(open, 0, 'connections left open by the credential test');
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
