/**
 * SQLite across processes (n8n main plus a manual `n8n execute`, or two instances on one file):
 * each process has its own connection; BEGIN IMMEDIATE and the single-statement decisions keep
 * the guarantees the contract suite checks within one process.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { closeAllStores, storeAt } from '../../store/open';
import { compiledTest } from '../helpers/paths';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'dialogue-race-'));
const file = join(dir, 'race.sqlite');

async function race(op: 'guard' | 'claim', processes: number): Promise<unknown[]> {
	const child = compiledTest('store', 'race-child.js');
	const outputs = await Promise.all(
		Array.from({ length: processes }, (_, i) => run(process.execPath, [child, file, op, `p${i}`])),
	);
	return outputs.map(({ stdout }) => JSON.parse(stdout) as unknown);
}

describe('sqlite: four processes racing on one file', () => {
	beforeAll(async () => {
		const store = storeAt({ kind: 'sqlite', file });
		await store.ensurePools(['race'], Date.now());
		await store.addCodes('race', Array.from({ length: 600 }, (_, i) => ({ code: `RACE${i}` })), Date.now());
		await closeAllStores();
	});
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	it('at most 3 guard entries in all, across processes', async () => {
		const entered = (await race('guard', 4)) as number[];
		assert.equal(entered.reduce((a, b) => a + b, 0), 3);
	});

	it('1,000 claims from 4 processes on a pool of 600: 600 distinct codes, 400 pool empty', async () => {
		const codes = ((await race('claim', 4)) as Array<Array<string | null>>).flat();
		const handed = codes.filter((c): c is string => c !== null);
		assert.equal(handed.length, 600);
		assert.equal(new Set(handed).size, 600);
		assert.equal(codes.length - handed.length, 400);
	});
});
