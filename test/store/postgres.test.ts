import { after, before } from 'node:test';
import { Client } from 'pg';
import type { Store } from '../../core/store';
import { PostgresDriver } from '../../store/postgres/driver';
import { MIGRATIONS } from '../../store/schema';
import { SqlStore } from '../../store/sql-store';
import { dropSchema, postgresServer, type PgServer } from '../helpers/postgres';
import { storeContract, type StoreFactory } from './contract';
import { segGuardContract } from './contract-segguard';
import { boundsContract } from './contract-bounds';
import { ordersContract } from './contract-orders';
import { couponsContract } from './contract-coupons';

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
