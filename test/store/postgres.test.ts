import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { Client, type Pool, type PoolClient } from 'pg';
import { StoreError } from '../../core/errors';
import type { Store } from '../../core/store';
import type { Driver, Querier } from '../../store/driver';
import { closeAllStores, locationFromCredential, storeAt } from '../../store/open';
import { PostgresDriver, type PostgresOptions } from '../../store/postgres/driver';
import { MIGRATIONS } from '../../store/schema';
import { PURCHASES_SQL } from '../../store/sql/purchases';
import { SqlStore } from '../../store/sql-store';
import { dropSchema, postgresServer, type PgServer } from '../helpers/postgres';
import { orderEvent, storeContract, type StoreFactory } from './contract';
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

describe('PostgreSQL Record Events', () => {
	/** The store over a driver that counts the statements its calls run. */
	function countingStore(): { store: Store; statements: () => number } {
		const inner = new PostgresDriver({ host: server.host, port: server.port, user: server.user, database: server.database, schema: newSchema() });
		let statements = 0;
		const counted = (q: Querier): Querier => ({
			all: (sql, params) => (statements++, q.all(sql, params)),
			get: (sql, params) => (statements++, q.get(sql, params)),
			run: (sql, params) => (statements++, q.run(sql, params)),
		});
		const driver: Driver = {
			dialect: inner.dialect,
			description: inner.description,
			transaction: (fn, mode) => inner.transaction((q) => fn(counted(q)), mode),
			close: () => inner.close(),
		};
		return { store: new SqlStore(driver), statements: () => statements };
	}

	it('a batch is recorded set-based: 1,000 orders of 100 customers take a few statements, not several per event', async () => {
		const { store, statements } = countingStore();
		try {
			const T0 = Date.parse('2026-03-01T10:00:00Z');
			await store.schemaVersion();
			const before = statements();
			const events = Array.from({ length: 1000 }, (_, n) => orderEvent(`set-${n % 100}`, T0 + n * 60_000, '10.00', { orderId: `set-${n}`, categories: ['Shoes'] }));
			const outcomes = await store.recordEvents(events, T0 + 1000 * 60_000);
			const used = statements() - before;
			assert.deepEqual(
				outcomes.map((o) => [o.recorded, o.newCustomer]),
				events.map((_, n) => [true, n < 100]),
			);
			// The key and the suppression check, then events, customers, orders, lines, categories, last orders.
			assert.equal(used, 8, `${used} statements for 1,000 events`);
			const [stats] = await store.purchases([{ customerId: 'set-7' }]);
			assert.deepEqual(stats.totals, [{ currency: 'EUR', orders: 10, amountMinor: 10_000n }]);
			assert.deepEqual(stats.categories, ['Shoes']);
			assert.equal((await store.getCustomer('set-7'))?.lastOrderAt, T0 + 907 * 60_000);
		} finally {
			await store.close();
		}
	});
});

describe('PostgreSQL purchase stats', () => {
	interface PlanNode {
		'Relation Name'?: string;
		'Actual Loops'?: number;
		Plans?: PlanNode[];
	}
	const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

	it('one statement reads the customer\'s orders once, not once per line and category', async () => {
		const schema = newSchema();
		const store = openStore(schema);
		const T0 = Date.parse('2026-01-01T00:00:00Z');
		await store.schemaVersion();
		const c = await schemaClient(schema);
		try {
			// 5,000 customers with ten orders each, one line and one category per order.
			const customer = "'p' || (g / 10)::text";
			const placed = `${T0} + (g % 10) * 86400000`;
			await c.query(`INSERT INTO orders (source, id, customer_id, placed_at, currency, total_minor, status, counted, state_at)
				SELECT 'shopify', 'o' || g::text, ${customer}, ${placed}, 'EUR', 1000, 'paid', 1, ${placed} FROM generate_series(0, 49999) AS g`);
			await c.query(`INSERT INTO order_lines (source, order_id, line_no, customer_id, placed_at, product_id, sku, name, quantity, price_minor)
				SELECT 'shopify', 'o' || g::text, 0, ${customer}, ${placed}, 'p' || (g % 50)::text, NULL, 'Product', 1, 1000 FROM generate_series(0, 49999) AS g`);
			await c.query(`INSERT INTO order_categories (source, order_id, category, customer_id, placed_at)
				SELECT 'shopify', 'o' || g::text, 'Category ' || (g % 4)::text, ${customer}, ${placed} FROM generate_series(0, 49999) AS g`);
			await c.query('ANALYZE');
			const [plan] = (await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${PURCHASES_SQL.replace(/\$1/g, "'p77'").replace(/\$2/g, String(T0)).replace(/\$3/g, String(T0 + 10 * 86400000))}`)).rows[0]['QUERY PLAN'] as Array<{ Plan: PlanNode }>;
			const ordersRead = nodes(plan.Plan).filter((node) => node['Relation Name'] === 'orders');
			assert.deepEqual(
				ordersRead.map((node) => node['Actual Loops']),
				[1],
				'orders is scanned once',
			);
			const [stats] = await store.purchases([{ customerId: 'p77', from: T0 }]);
			assert.deepEqual(stats.totals, [{ currency: 'EUR', orders: 10, amountMinor: 10_000n }]);
			assert.deepEqual(stats.categories, ['Category 0', 'Category 1', 'Category 2', 'Category 3']);
			assert.equal(stats.products.length, 10);
		} finally {
			await c.end();
			await store.close();
		}
	});
});
