import { after, before } from 'node:test';
import { Client } from 'pg';
import type { Store } from '../../core/store';
import { PostgresDriver } from '../../store/postgres/driver';
import { MIGRATIONS, renderStatement } from '../../store/schema';
import { SqlStore } from '../../store/sql-store';
import { dropSchema, postgresServer, type PgServer } from '../helpers/postgres';
import { storeContract, type StoreFactory } from './contract';
import { ordersContract } from './contract-orders';

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

function storeIn(schema: string): Store {
	const store = new SqlStore(new PostgresDriver({ host: server.host, port: server.port, user: server.user, database: server.database, schema, max: 20 }));
	schemaOf.set(store, schema);
	return store;
}

const factory: StoreFactory = {
	dialect: 'postgres',
	async create() {
		return storeIn(newSchema());
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
	async createAtVersion(version, rows) {
		const schema = newSchema();
		const client = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
		await client.connect();
		try {
			await client.query(`CREATE SCHEMA "${schema}"`);
			await client.query(`SET search_path TO "${schema}"`);
			await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
			for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
				for (const statement of migration.statements) await client.query(renderStatement(statement, 'postgres'));
				await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [migration.version, migration.name]);
			}
			for (const [table, list] of Object.entries(rows)) {
				for (const row of list) {
					const columns = Object.keys(row);
					await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
				}
			}
		} finally {
			await client.end();
		}
		return storeIn(schema);
	},
};

storeContract(factory);
ordersContract(factory);
