import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Client, type Pool, type PoolClient } from 'pg';
import { StoreError } from '../../core/errors';
import type { Store } from '../../core/store';
import { closeAllStores, locationFromCredential, storeAt } from '../../store/open';
import { PostgresDriver, type PostgresOptions } from '../../store/postgres/driver';
import { MIGRATIONS } from '../../store/schema';
import { SqlStore } from '../../store/sql-store';
import { dropSchema, postgresServer, type PgServer } from '../helpers/postgres';
import { storeContract, type StoreFactory } from './contract';
import { segGuardContract } from './contract-segguard';
import { boundsContract } from './contract-bounds';
import { ordersContract } from './contract-orders';
import { couponsContract } from './contract-coupons';
import { hostileContract } from './contract-hostile';
import { erasureContract } from './contract-erasure';
import { reportContract } from './contract-report';
import { knownContract } from './contract-known';
import { catalogContract } from './contract-catalog';

let server: PgServer;
const schemas: string[] = [];
const schemaOf = new WeakMap<Store, string>();

beforeAll(async () => {
	server = await postgresServer();
});
afterAll(async () => {
	for (const schema of schemas) await dropSchema(server, schema);
});

function newSchema(): string {
	const schema = `contract_${process.pid}_${schemas.length}`;
	schemas.push(schema);
	return schema;
}

function openStore(schema: string, migrations = MIGRATIONS): Store {
	const store = new SqlStore(
		new PostgresDriver({ host: server.host, port: server.port, user: server.user, database: server.database, schema, max: 20 }, migrations),
	);
	schemaOf.set(store, schema);
	return store;
}

async function withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** A client of its own on the schema, outside any store. */
async function schemaClient(schema: string): Promise<Client> {
	const c = new Client({ host: server.host, port: server.port, user: server.user, database: server.database, options: `-c search_path=${schema}` });
	await c.connect();
	return c;
}

const factory: StoreFactory = {
	dialect: 'postgres',
	async create() {
		return openStore(newSchema());
	},
	async createAt(version, seed) {
		const schema = newSchema();
		const old = openStore(
			schema,
			MIGRATIONS.filter((m) => m.version <= version),
		);
		await old.schemaVersion();
		await old.close();
		await withClient(async (client) => {
			await client.query(`SET search_path = "${schema}"`);
			for (const statement of seed) await client.query(statement);
		});
		return openStore(schema);
	},
	async connect(store) {
		const c = await schemaClient(schemaOf.get(store)!);
		return { query: async (sql, params) => (await c.query(sql, params)).rows, close: () => c.end() };
	},
	async dump(store) {
		const schema = schemaOf.get(store)!;
		return withClient(async (client) => {
			const { rows } = await client.query<{ table_name: string }>(
				'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
				[schema],
			);
			const out: Record<string, unknown[]> = {};
			for (const { table_name } of rows) out[table_name] = (await client.query(`SELECT * FROM "${schema}"."${table_name}"`)).rows;
			return out;
		});
	},
};

storeContract(factory);
segGuardContract(factory);
boundsContract(factory);
ordersContract(factory);
couponsContract(factory);
hostileContract(factory);
erasureContract(factory);
reportContract(factory);
knownContract(factory);
catalogContract(factory);

describe('PostgreSQL connections', () => {
	const opened: PostgresDriver[] = [];
	function driver(options: Partial<PostgresOptions> = {}): PostgresDriver {
		const schema = `conn_${process.pid}_${schemas.length}`;
		schemas.push(schema);
		const created = new PostgresDriver({ host: server.host, port: server.port, user: server.user, database: server.database, schema, ...options });
		opened.push(created);
		return created;
	}
	afterAll(async () => {
		await Promise.all(opened.map((d) => d.close()));
		await closeAllStores();
	});

	it('sslmode=verify-ca and verify-full never fall back to a plain connection', async () => {
		// The test server speaks no TLS: a mode that demands TLS must fail rather than connect in the clear.
		for (const mode of ['verify-ca', 'verify-full', 'require']) {
			const store = storeAt(locationFromCredential(undefined, { DIALOGUE_STORE_URL: `${server.url}?schema=tls_${process.pid}&sslmode=${mode}` }));
			await assert.rejects(store.schemaVersion(), /does not support SSL/, mode);
		}
		const plain = storeAt(locationFromCredential(undefined, { DIALOGUE_STORE_URL: `${server.url}?schema=tls_${process.pid}&sslmode=disable` }));
		schemas.push(`tls_${process.pid}`);
		assert.equal(await plain.schemaVersion(), MIGRATIONS.at(-1)!.version);
	});

	/** Holds an exclusive lock on schema_migrations in another session while fn runs. */
	async function whileLocked<T>(d: PostgresDriver, fn: () => Promise<T>): Promise<T> {
		await d.transaction(async (q) => await q.get('SELECT 1 AS ready'), 'read');
		return await withClient(async (client) => {
			await client.query('BEGIN');
			await client.query(`LOCK TABLE "${d.options.schema}".schema_migrations IN ACCESS EXCLUSIVE MODE`);
			try {
				return await fn();
			} finally {
				await client.query('ROLLBACK');
			}
		});
	}

	it('a statement waiting for a lock longer than lock_timeout fails with an error that names it', async () => {
		const d = driver({ lockTimeoutMs: 200 });
		const started = Date.now();
		await whileLocked(d, () =>
			assert.rejects(d.transaction(async (q) => await q.get('SELECT MAX(version) AS v FROM schema_migrations'), 'write'), (error: Error) => {
				assert.ok(error instanceof StoreError, String(error));
				assert.match(error.message, /lock_timeout \(200 ms\)/);
				return true;
			}),
		);
		assert.ok(Date.now() - started < 5_000);
		// The connection is usable afterwards.
		assert.deepEqual(await d.transaction(async (q) => await q.get('SELECT 1 AS one'), 'write'), { one: 1 });
	});

	it('a statement running longer than statement_timeout fails with an error that names it', async () => {
		const d = driver({ statementTimeoutMs: 200, lockTimeoutMs: 0 });
		await whileLocked(d, () =>
			assert.rejects(d.transaction(async (q) => await q.get('SELECT MAX(version) AS v FROM schema_migrations'), 'read'), (error: Error) => {
				assert.ok(error instanceof StoreError, String(error));
				assert.match(error.message, /statement_timeout \(200 ms\)/);
				return true;
			}),
		);
	});

	it('a connection whose ROLLBACK failed is not given to the next call', async () => {
		const d = driver({ max: 1 });
		let loseRollback = false;
		// Every connection of the driver's pool loses its next ROLLBACK when asked to.
		(d as unknown as { pool: Pool }).pool.on('connect', (client: PoolClient) => {
			const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
			(client as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
				if (args[0] === 'ROLLBACK' && loseRollback) {
					loseRollback = false;
					return Promise.reject(new Error('connection lost during ROLLBACK'));
				}
				return query(...args);
			};
		});
		await d.transaction(async (q) => await q.get('SELECT 1 AS ready'), 'read');
		loseRollback = true;
		await assert.rejects(d.transaction(async (q) => await q.get('SELECT 1 / 0 AS boom'), 'write'), /division by zero/);
		assert.equal(loseRollback, false, 'the ROLLBACK was attempted');
		assert.deepEqual(await d.transaction(async (q) => await q.get('SELECT 1 AS one'), 'write'), { one: 1 });
	});

	it('a pool unused for idlePoolMs is closed, and opened again on the next call', async () => {
		const d = driver({ idlePoolMs: 500 });
		const backend = async () => Number((await d.transaction(async (q) => await q.get('SELECT pg_backend_pid() AS pid'), 'read'))!.pid);
		await withClient(async (client) => {
			const alive = async (pid: number) => (await client.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 1;
			const first = await backend();
			assert.equal(await alive(first), true, 'the connection stays open while the pool is in use');
			let closed = false;
			for (let waited = 0; waited < 5_000 && !closed; waited += 50) {
				await new Promise((resolve) => setTimeout(resolve, 50));
				closed = !(await alive(first));
			}
			assert.equal(closed, true, 'the idle connection was closed');
			const second = await backend();
			assert.notEqual(second, first);
			assert.equal(await alive(second), true);
		});
	});
});
