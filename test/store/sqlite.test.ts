import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll } from '@jest/globals';
import type { Store } from '../../core/store';
import { MIGRATIONS } from '../../store/schema';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';
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

const dir = mkdtempSync(join(tmpdir(), 'dialogue-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = new WeakMap<Store, string>();
let n = 0;

function open(file: string): Store {
	const store = new SqlStore(new SqliteDriver(file));
	files.set(store, file);
	return store;
}

const factory: StoreFactory = {
	dialect: 'sqlite',
	async create() {
		return open(join(dir, `store-${++n}.sqlite`));
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
	async createAt(version, seed) {
		const file = join(dir, `store-${++n}.sqlite`);
		await new SqlStore(new SqliteDriver(file, { migrations: MIGRATIONS.filter((m) => m.version <= version) })).close();
		const db = new DatabaseSync(file);
		try {
			for (const statement of seed) db.exec(statement);
		} finally {
			db.close();
		}
		return open(file);
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
