/**
 * SQLite while another process holds the write lock: node:sqlite is synchronous, so the store must
 * wait for the lock on timers, never inside SQLite, or n8n's event loop (webhooks, timers, every
 * other workflow) stands still for as long as the other process writes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from '@jest/globals';
import { StoreError } from '../../core/errors';
import { MIGRATIONS } from '../../store/schema';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
import { compiledTest } from '../helpers/paths';

const HOLD_MS = 2000;
const dir = mkdtempSync(join(tmpdir(), 'dialogue-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the other process; resolves once it holds the lock, with a promise of the instant it began to release it. */
async function holdLock(file: string, holdMs = HOLD_MS): Promise<{ released: Promise<number> }> {
	const child = spawn(process.execPath, [compiledTest('store', 'lock-child.js'), file, String(holdMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
	let output = '';
	let onLocked: () => void;
	const locked = new Promise<void>((resolve) => (onLocked = resolve));
	const released = new Promise<number>((resolve, reject) => {
		child.on('error', reject);
		child.on('exit', (code) => (code === 0 ? undefined : reject(new Error(`the lock holder exited with ${code}`))));
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			if (output.includes('locked\n')) onLocked();
			const releasing = /releasing (\d+)\n/.exec(output);
			if (releasing) resolve(Number(releasing[1]));
		});
	});
	await Promise.race([locked, released]);
	return { released };
}

/** Counts the ticks of a 100 ms timer while `work` runs. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ result: T; ticks: number; doneAt: number }> {
	let ticks = 0;
	const timer = setInterval(() => ticks++, 100);
	try {
		const result = await work();
		return { result, ticks, doneAt: Date.now() };
	} finally {
		clearInterval(timer);
	}
}

describe('sqlite: another process holds the write lock for 2 s', () => {
	it('a write waits without blocking the event loop, and completes once the lock is released', async () => {
		const file = join(dir, 'write.sqlite');
		const store = new SqlStore(new SqliteDriver(file));
		try {
			await store.ensurePools(['before'], Date.now());
			const { released } = await holdLock(file);
			const { ticks, doneAt } = await ticksDuring(() => store.ensurePools(['during'], Date.now()));
			assert.ok(ticks >= 15, `a 100 ms timer ticked ${ticks} times while the write waited`);
			assert.ok(doneAt >= (await released), 'the write completed after the other process released the lock');
			assert.deepEqual((await store.listPools()).map((p) => p.name).sort(), ['before', 'during']);
		} finally {
			await store.close();
		}
	});

	it('opening (migrating) a new store waits without blocking the event loop too', async () => {
		const file = join(dir, 'open.sqlite');
		const { released } = await holdLock(file);
		const { result: store, ticks, doneAt } = await ticksDuring(async () => {
			const opened = new SqlStore(new SqliteDriver(file));
			assert.equal(await opened.schemaVersion(), MIGRATIONS[MIGRATIONS.length - 1].version);
			return opened;
		});
		try {
			assert.ok(ticks >= 15, `a 100 ms timer ticked ${ticks} times while the store opened`);
			assert.ok(doneAt >= (await released));
		} finally {
			await store.close();
		}
	});

	it('past the wait limit, the write fails with an error that says the store is locked by another process', async () => {
		const file = join(dir, 'deadline.sqlite');
		const store = new SqlStore(new SqliteDriver(file, { lockWaitMs: 300 }));
		try {
			await store.ensurePools(['before'], Date.now());
			const { released } = await holdLock(file);
			const started = Date.now();
			await assert.rejects(store.ensurePools(['during'], Date.now()), (error: unknown) => {
				assert.ok(error instanceof StoreError, String(error));
				assert.match(error.message, /locked by another process/);
				assert.match(error.message, new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
				return true;
			});
			assert.ok(Date.now() - started < HOLD_MS, 'it gave up at the limit, before the lock was released');
			await released;
			await store.ensurePools(['after'], Date.now());
			assert.deepEqual((await store.listPools()).map((p) => p.name).sort(), ['after', 'before'], 'nothing of the failed write, later writes work');
		} finally {
			await store.close();
		}
	});
});
