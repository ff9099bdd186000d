import { after, before } from 'node:test';
import { Client } from 'pg';
import type { Store } from '../../core/store';
import { PostgresDriver } from '../../store/postgres/driver';
import { SqlStore } from '../../store/sql-store';
import { dropSchema, postgresServer, type PgServer } from '../helpers/postgres';
import { storeContract, type StoreFactory } from './contract';
import { couponsContract } from './contract-coupons';
import { migrationsUpTo } from './legacy';

let server: PgServer;
const schemas: string[] = [];
const schemaOf = new WeakMap<Store, string>();

before(async () => {
	server = await postgresServer();
});
after(async () => {
	for (const schema of schemas) await dropSchema(server, schema);
});

function newSchema(): string {
	const schema = `contract_${process.pid}_${schemas.length}`;
	schemas.push(schema);
	return schema;
}

function open(schema: string): Store {
	const store = new SqlStore(
		new PostgresDriver({ host: server.host, port: server.port, user: server.user, database: server.database, schema, max: 20 }),
	);
	schemaOf.set(store, schema);
	return store;
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
		return open(newSchema());
	},
	async createAt(version, seed) {
		const schema = newSchema();
		const c = await schemaClient(schema);
		try {
			await c.query(`CREATE SCHEMA "${schema}"`);
			await c.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
			for (const migration of migrationsUpTo(version, 'postgres')) {
				for (const statement of migration.statements) await c.query(statement);
				await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [migration.version, migration.name]);
			}
			for (const statement of seed) await c.query(statement);
		} finally {
			await c.end();
		}
		return open(schema);
	},
	async connect(store) {
		const c = await schemaClient(schemaOf.get(store)!);
		return { query: async (sql, params) => (await c.query(sql, params)).rows, close: () => c.end() };
	},
	async dump(store) {
		const schema = schemaOf.get(store)!;
		const client = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
		await client.connect();
		try {
			const { rows } = await client.query<{ table_name: string }>(
				'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
				[schema],
			);
			const out: Record<string, unknown[]> = {};
			for (const { table_name } of rows) out[table_name] = (await client.query(`SELECT * FROM "${schema}"."${table_name}"`)).rows;
			return out;
		} finally {
			await client.end();
		}
	},
};

storeContract(factory);
couponsContract(factory);
