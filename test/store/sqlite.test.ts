import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after } from 'node:test';
import type { Store } from '../../core/store';
import { MIGRATIONS, renderStatement } from '../../store/schema';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
import { storeContract, type StoreFactory } from './contract';
import { ordersContract } from './contract-orders';

const dir = mkdtempSync(join(tmpdir(), 'dialogue-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const files = new WeakMap<Store, string>();
let n = 0;

const factory: StoreFactory = {
	dialect: 'sqlite',
	async create() {
		const file = join(dir, `store-${++n}.sqlite`);
		const store = new SqlStore(new SqliteDriver(file));
		files.set(store, file);
		return store;
	},
	async dump(store) {
		const db = new DatabaseSync(files.get(store)!, { readOnly: true });
		try {
			const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
			return Object.fromEntries(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
		} finally {
			db.close();
		}
	},
	async createAtVersion(version, rows) {
		const file = join(dir, `store-${++n}.sqlite`);
		const db = new DatabaseSync(file);
		try {
			db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
			for (const migration of MIGRATIONS.filter((m) => m.version <= version)) {
				for (const statement of migration.statements) db.exec(renderStatement(statement, 'sqlite'));
				db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, 0);
			}
			for (const [table, list] of Object.entries(rows)) {
				for (const row of list) {
					const columns = Object.keys(row);
					db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...Object.values(row));
				}
			}
		} finally {
			db.close();
		}
		const store = new SqlStore(new SqliteDriver(file));
		files.set(store, file);
		return store;
	},
};

storeContract(factory);
ordersContract(factory);
