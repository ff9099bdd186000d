/**
 * Which store a location names (store/open.ts): SQLite paths stay in the n8n user folder unless
 * absolute and never reach n8n's own database; postgres:// URLs honour sslmode as libpq means it
 * and never quote the password back.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, it } from '@jest/globals';
import { InputError, StoreError } from '../../core/errors';
import { sslConfig } from '../../store/postgres/driver';
import { closeAllStores, locationFromCredential, parsePostgresUrl, probeStore, storeAt, storeFor, storeKey, usableLocation, type StoreLocation } from '../../store/open';

const root = mkdtempSync(join(tmpdir(), 'dialogue-open-'));
const folder = join(root, '.n8n');
mkdirSync(folder);
const env = { N8N_USER_FOLDER: root };
afterAll(async () => {
	await closeAllStores();
	rmSync(root, { recursive: true, force: true });
});

const sqlite = (file: string) => locationFromCredential({ type: 'sqlite', file }, env);
const fromEnv = (value: string) => locationFromCredential(undefined, { ...env, DIALOGUE_STORE_URL: value });

function inputError(field: string, pattern: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof InputError, String(error));
		assert.equal(error.field, field);
		assert.match(error.message, pattern);
		return true;
	};
}

describe('SQLite paths', () => {
	it('a relative path is inside the n8n user folder; an absolute path is taken as it is', () => {
		assert.deepEqual(sqlite('stores/client-a.sqlite'), { kind: 'sqlite', file: join(folder, 'stores', 'client-a.sqlite') });
		assert.deepEqual(sqlite('/var/lib/dialogue/store.sqlite'), { kind: 'sqlite', file: '/var/lib/dialogue/store.sqlite' });
		assert.deepEqual(sqlite(join(root, 'elsewhere.sqlite')), { kind: 'sqlite', file: join(root, 'elsewhere.sqlite') });
	});

	it('a relative path that leaves the n8n user folder is refused', () => {
		for (const file of ['../x.sqlite', 'stores/../../x.sqlite', '..', '.']) {
			assert.throws(() => sqlite(file), inputError('file', /leads outside the n8n user folder/), file);
		}
		assert.throws(() => fromEnv('../x.sqlite'), inputError('DIALOGUE_STORE_URL', /leads outside the n8n user folder/));
	});

	it("n8n's own database is refused, however the path is spelled", () => {
		symlinkSync(folder, join(root, 'link'));
		const spellings = [
			'database.sqlite',
			'./database.sqlite',
			'stores/../database.sqlite',
			join(folder, 'database.sqlite'),
			`${folder}//database.sqlite`,
			join(root, 'link', 'database.sqlite'),
		];
		for (const file of spellings) assert.throws(() => sqlite(file), inputError('file', /n8n's own database/), file);
		assert.throws(() => fromEnv('sqlite://database.sqlite'), inputError('DIALOGUE_STORE_URL', /n8n's own database/));
		assert.throws(
			() => locationFromCredential({ type: 'sqlite', file: 'n8n.db' }, { ...env, DB_SQLITE_DATABASE: 'n8n.db' }),
			inputError('file', /n8n's own database/),
		);
		assert.equal(existsSync(join(folder, 'database.sqlite')), false);
	});

	it("a file that holds n8n's tables is not opened as a store, and is left as it was", () => {
		const file = join(root, 'renamed-n8n.sqlite');
		const n8n = new DatabaseSync(file);
		n8n.exec('CREATE TABLE workflow_entity (id TEXT PRIMARY KEY, name TEXT)');
		n8n.exec("INSERT INTO workflow_entity VALUES ('w1', 'Orders')");
		n8n.close();
		assert.throws(
			() => storeAt({ kind: 'sqlite', file }),
			(error: unknown) => error instanceof StoreError && /n8n's own database \(it holds workflow_entity\)/.test(error.message),
		);
		const after = new DatabaseSync(file, { readOnly: true });
		try {
			const tables = after.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
			assert.deepEqual(tables.map((t) => t.name), ['workflow_entity']);
			assert.equal(after.prepare('PRAGMA journal_mode').get()?.journal_mode, 'delete');
		} finally {
			after.close();
		}
	});
});

describe('postgres:// URLs', () => {
	const url = (query: string) => `postgres://app:s3cret@db.example:5433/shop${query}`;

	it('each sslmode means what libpq means', () => {
		assert.equal(parsePostgresUrl(url('')).sslmode, 'disable');
		for (const mode of ['disable', 'require', 'verify-ca', 'verify-full'] as const) {
			assert.equal(parsePostgresUrl(url(`?sslmode=${mode}`)).sslmode, mode);
		}
		assert.equal(sslConfig('disable'), false);
		assert.deepEqual(sslConfig('require'), { rejectUnauthorized: false });
		assert.deepEqual(sslConfig('verify-full'), { rejectUnauthorized: true });
		const verifyCa = sslConfig('verify-ca') as { rejectUnauthorized: boolean; checkServerIdentity: (host: string, cert: unknown) => Error | undefined };
		assert.equal(verifyCa.rejectUnauthorized, true);
		assert.equal(verifyCa.checkServerIdentity('db.example', { subject: { CN: 'other.example' } }), undefined);
	});

	it('allow and prefer (pg cannot fall back) and unknown sslmodes are refused, saying what to use', () => {
		for (const mode of ['allow', 'prefer']) {
			assert.throws(() => parsePostgresUrl(url(`?sslmode=${mode}`)), inputError('DIALOGUE_STORE_URL', /cannot do/));
			assert.throws(() => parsePostgresUrl(url(`?sslmode=${mode}`)), (e: InputError) => /sslmode=require/.test(e.hint ?? ''));
		}
		for (const mode of ['verify_full', 'true', '']) {
			assert.throws(() => parsePostgresUrl(url(`?sslmode=${mode}`)), inputError('DIALOGUE_STORE_URL', /is not a PostgreSQL sslmode/), mode);
		}
		assert.throws(() => locationFromCredential({ type: 'postgres', ssl: 'verify-ca' as 'verify' }, env), inputError('ssl', /is not an SSL setting/));
	});

	it('a URL that cannot be read is refused without quoting its password', () => {
		for (const bad of ['postgres://app:s3cret@db.example:notaport/shop', 'postgres://app:s3cret/with@slash@db.example:x/shop', 'postgres://app:s3cret@[db/shop?password=s3cret']) {
			assert.throws(
				() => fromEnv(bad),
				(error: unknown) => {
					assert.ok(error instanceof InputError);
					assert.equal(error.field, 'DIALOGUE_STORE_URL');
					assert.doesNotMatch(error.message, /s3cret/);
					assert.match(error.message, /app:\*\*\*@/);
					return true;
				},
				bad,
			);
		}
		assert.throws(() => fromEnv('mysql://app:s3cret@db.example/shop'), (error: unknown) => error instanceof InputError && /mysql:\/\/app:\*\*\*@db\.example/.test(error.message) && !/s3cret/.test(error.message));
	});

	it('an open store is found by a hash of its settings, never by the password itself', () => {
		const location = fromEnv(url('')) as StoreLocation & { kind: 'postgres' };
		assert.equal(location.password, 's3cret');
		const key = storeKey(location);
		assert.doesNotMatch(key, /s3cret/);
		assert.notEqual(storeKey({ ...location, password: 'other' }), key);
		assert.notEqual(storeKey({ ...location, sslmode: 'verify-ca' }), storeKey({ ...location, sslmode: 'verify-full' }));
		assert.equal(storeKey({ ...location }), key);
	});
});

describe('queue mode: a SQLite store would split the ledger', () => {
	const queue = { ...env, EXECUTIONS_MODE: 'queue' };
	const postgres = 'postgres://app:s3cret@db.example:5432/shop?schema=dialogue';
	const refused = (field: string) =>
		(error: unknown) => {
			assert.ok(error instanceof InputError, String(error));
			assert.equal(error.field, field);
			assert.match(error.message, /queue mode \(EXECUTIONS_MODE=queue\).*split the ledger/);
			assert.match(String(error.hint), /PostgreSQL Dialogue Store/);
			assert.match(String(error.hint), /DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE=true/);
			return true;
		};

	it('the embedded default, a SQLite DIALOGUE_STORE_URL and a SQLite credential are refused in queue mode', () => {
		assert.throws(() => usableLocation(undefined, queue), refused('DIALOGUE_STORE_URL'));
		assert.throws(() => usableLocation(undefined, { ...queue, DIALOGUE_STORE_URL: 'shared.sqlite' }), refused('DIALOGUE_STORE_URL'));
		assert.throws(() => usableLocation({ type: 'sqlite', file: 'client-a.sqlite' }, queue), refused('type'));
		assert.throws(() => usableLocation({ type: 'sqlite' }, { ...queue, DIALOGUE_STORE_URL: postgres }), refused('type'));
	});

	it('PostgreSQL is used in queue mode, from the credential or DIALOGUE_STORE_URL', () => {
		assert.equal(usableLocation({ type: 'postgres', host: 'db.example' }, queue).kind, 'postgres');
		assert.equal(usableLocation(undefined, { ...queue, DIALOGUE_STORE_URL: postgres }).kind, 'postgres');
	});

	it('outside queue mode, or with DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE=true, SQLite is used', () => {
		assert.deepEqual(usableLocation(undefined, env), { kind: 'sqlite', file: join(folder, 'dialogue-activities.sqlite') });
		assert.deepEqual(usableLocation(undefined, { ...env, EXECUTIONS_MODE: 'regular' }), { kind: 'sqlite', file: join(folder, 'dialogue-activities.sqlite') });
		const allowed = { ...queue, DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE: 'true' };
		assert.deepEqual(usableLocation({ type: 'sqlite', file: 'one-machine.sqlite' }, allowed), { kind: 'sqlite', file: join(folder, 'one-machine.sqlite') });
		for (const value of ['false', '1', '']) {
			assert.throws(() => usableLocation(undefined, { ...queue, DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE: value }), refused('DIALOGUE_STORE_URL'), value);
		}
	});

	it('a refused store is neither opened nor created, and the credential test says so', async () => {
		const file = join(folder, 'queue-refused.sqlite');
		assert.throws(() => storeFor({ type: 'sqlite', file }, queue), refused('type'));
		await assert.rejects(probeStore({ type: 'sqlite', file }, queue), refused('type'));
		assert.equal(existsSync(file), false);
	});
});
