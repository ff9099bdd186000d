/**
 * Crash safety on every dialect: a process killed with SIGKILL in the middle of a batch leaves all
 * of each committed batch and none of the one it was writing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from '@jest/globals';
import { closeAllStores, storeAt, type StoreLocation } from '../../store/open';
import { dropSchema, postgresServer } from '../helpers/postgres';
import { compiledTest } from '../helpers/paths';


/** Starts the writer, kills it with SIGKILL after `commits` batches plus a random slice of the next. */
async function killMidBatch(location: StoreLocation, commits: number, BATCH: number): Promise<void> {
	const child = spawn(process.execPath, [compiledTest('store', 'crash-child.js'), JSON.stringify(location), String(BATCH)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let seen = 0;
	await new Promise<void>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited early: ${code}`))));
		child.stdout.on('data', (chunk: Buffer) => {
			seen += chunk.toString().split('\n').filter((line) => line.startsWith('committed')).length;
			if (seen === commits) setTimeout(() => child.kill('SIGKILL'), 5 + Math.random() * 20);
		});
	});
}

/** Customers written by the child: each batch writes BATCH new ones. */
async function countCustomers(location: StoreLocation, BATCH: number): Promise<number> {
	const store = storeAt(location);
	const known = await store.knownCustomers(
		Array.from({ length: 10 }, (_, batch) => Array.from({ length: BATCH }, (_, i) => `crash-customer-${batch}-${i}`)).flat(),
	);
	return known.size;
}

describe('crash safety: SIGKILL in the middle of a batch', () => {
	afterAll(() => closeAllStores());

	it('sqlite: all or none of each batch', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'dialogue-crash-'));
		try {
			const location: StoreLocation = { kind: 'sqlite', file: join(dir, 'crash.sqlite') };
			const BATCH = 2000;
			await killMidBatch(location, 3, BATCH);
			const count = await countCustomers(location, BATCH);
			assert.ok(count >= 3 * BATCH, `the three reported batches are there (${count})`);
			assert.equal(count % BATCH, 0, `no half batch (${count} rows)`);
		} finally {
			await closeAllStores();
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('postgres: all or none of each batch', async () => {
		const server = await postgresServer();
		const schema = `crash_${process.pid}`;
		const location: StoreLocation = { kind: 'postgres', host: server.host, port: server.port, user: server.user, database: server.database, schema };
		try {
			const BATCH = 300;
			await killMidBatch(location, 3, BATCH);
			const count = await countCustomers(location, BATCH);
			assert.ok(count >= 3 * BATCH, `the three reported batches are there (${count})`);
			assert.equal(count % BATCH, 0, `no half batch (${count} rows)`);
		} finally {
			await closeAllStores();
			await dropSchema(server, schema);
		}
	});
});
