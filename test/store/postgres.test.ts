import { after, before } from 'node:test';
import { Client } from 'pg';
import type { Store } from '../../core/store';
import { PostgresDriver } from '../../store/postgres/driver';
import { SqlStore } from '../../store/sql-store';
import { dropSchema, postgresServer, type PgServer } from '../helpers/postgres';
import { boundsContract } from './contract-bounds';
import { storeContract, type StoreFactory } from './contract';

let server: PgServer;
const schemas: string[] = [];
const schemaOf = new WeakMap<Store, string>();

before(async () => {
	server = await postgresServer();
});
after(async () => {
	for (const schema of schemas) await dropSchema(server, schema);
});

const factory: StoreFactory = {
	dialect: 'postgres',
	async create() {
		const schema = `contract_${process.pid}_${schemas.length}`;
		schemas.push(schema);
		const store = new SqlStore(
			new PostgresDriver({ host: server.host, port: server.port, user: server.user, database: server.database, schema, max: 20 }),
		);
		schemaOf.set(store, schema);
		return store;
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
boundsContract(factory);
