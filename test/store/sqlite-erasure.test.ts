import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, it } from '@jest/globals';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
import { orderEvent, registerEvent } from './contract';

const dir = mkdtempSync(join(tmpdir(), 'dialogue-erasure-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.parse('2026-03-01T10:00:00Z');

/** The raw bytes of the database file and its WAL, as text in which to look for traces. */
function rawBytes(file: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const path of [file, `${file}-wal`]) out[path] = existsSync(path) ? readFileSync(path).toString('latin1') : '';
	return out;
}

describe('SQLite erasure leaves no copy in the files', () => {
	it('after a forget neither the database file nor its WAL holds the customer\'s email, name or id', async () => {
		const file = join(dir, 'erase.sqlite');
		const store = new SqlStore(new SqliteDriver(file));
		const id = 'cust-zq81x';
		const email = `${id}@example.com`;
		const name = 'Wilhelmina';
		// Others around them, so the customer's rows share pages with rows that stay.
		const others = Array.from({ length: 30 }, (_, i) => registerEvent(`other-${i}`, T0));
		await store.recordEvents([...others, registerEvent(id, T0, { firstName: name, lastName: 'Quaxley', phone: '+491701234567' })], T0);
		await store.recordEvents(Array.from({ length: 5 }, () => orderEvent(id, T0, '12.00', { categories: ['Boys'] })), T0);
		await store.ensurePools(['p'], T0);
		await store.addCodes('p', [{ code: 'ZQ1' }], T0);
		await store.claimCodes('p', [{ customerId: id, key: 'k' }], T0);
		await store.guardEnter([{ activity: 'a', customerId: id, key: 'k', policy: { kind: 'once' } }], T0);
		const before = Object.values(rawBytes(file)).join('');
		assert.ok(before.includes(email), 'the test finds the email while the customer is stored');

		const report = await store.forgetCustomer(id);
		assert.equal(report.removed.customers, 1);
		for (const [path, bytes] of Object.entries(rawBytes(file))) {
			for (const trace of [email, name, 'Quaxley', id, '491701234567']) {
				assert.ok(!bytes.includes(trace), `${path} still holds ${trace}`);
			}
		}
		assert.ok(Object.values(rawBytes(file)).join('').includes('other-7@example.com'), 'the other customers stay');
		await store.close();
	});

	it('a reader that blocks the checkpoint is reported, and the WAL is cleared at the next write', async () => {
		const file = join(dir, 'reader.sqlite');
		const store = new SqlStore(new SqliteDriver(file));
		const email = 'held-b7@example.com';
		await store.recordEvents([registerEvent('held-b7', T0)], T0);
		const reader = new DatabaseSync(file, { readOnly: true });
		reader.exec('BEGIN');
		reader.prepare('SELECT COUNT(*) FROM customers').get();
		const report = await store.forgetCustomer('held-b7');
		assert.match(report.remains ?? '', /WAL|-wal/, 'the report says a copy remains');
		assert.ok(rawBytes(file)[`${file}-wal`].includes(email), 'the reader keeps the old frames');
		reader.exec('COMMIT');
		reader.close();
		await store.recordEvents([registerEvent('next-b7', T0)], T0);
		assert.ok(!Object.values(rawBytes(file)).join('').includes(email), 'the next write clears them');
		await store.close();
	});
});
