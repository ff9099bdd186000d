/**
 * What a SQLite file holds, read without writing anything: the credential test reports it, and no
 * store is opened in a file that holds n8n's own database.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../../core/errors';
import { loadSqlite } from './driver';

const BUSY_TIMEOUT_MS = 10_000;

/** Tables of n8n's own database; a file holding any of them is n8n's, whatever its name. */
export const N8N_TABLES = ['workflow_entity', 'credentials_entity', 'execution_entity'];

export interface SqliteFileState {
	exists: boolean;
	/** The store's schema version; 0 when the file holds no store yet. */
	schemaVersion: number;
}

function refuseN8nTables(file: string, tables: string[]): void {
	if (tables.length === 0) return;
	throw new StoreError(
		`SQLite ${file} is n8n's own database (it holds ${tables.join(', ')}): the activity store never writes there. Choose another file, e.g. dialogue-activities.sqlite in the n8n user folder (the default).`,
	);
}

/** The nearest folder that exists must be writable, or the file cannot be created. */
function checkCreatable(file: string): void {
	let folder = dirname(file);
	while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
	try {
		accessSync(folder, constants.W_OK);
	} catch {
		throw new StoreError(`SQLite ${file} cannot be created: ${folder} is not writable by n8n. Choose a file in a folder n8n can write to.`);
	}
}

/**
 * Reads a SQLite file read-only: whether it exists and its store's schema version. A file that
 * holds n8n's tables is refused; a missing file is checked to be creatable, and not created.
 */
export function inspectSqliteFile(file: string): SqliteFileState {
	if (file === ':memory:') return { exists: false, schemaVersion: 0 };
	if (!existsSync(file)) {
		checkCreatable(file);
		return { exists: false, schemaVersion: 0 };
	}
	const { DatabaseSync } = loadSqlite();
	// Only reads are made either way. A read-only connection to a WAL file that nobody has open
	// would leave -wal and -shm files behind; a read-write one removes them when it closes.
	const inUse = existsSync(`${file}-wal`);
	let db;
	try {
		db = new DatabaseSync(file, { readOnly: inUse });
		// Another process may be migrating the file: wait for its lock as the store does.
		db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
	} catch (error) {
		throw new StoreError(`Cannot read the SQLite file ${file}: ${(error as Error).message}`, { cause: error });
	}
	try {
		const tables = (
			db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${N8N_TABLES.map(() => '?').join(', ')}) ORDER BY name`).all(...N8N_TABLES) as Array<{
				name: string;
			}>
		).map((r) => r.name);
		refuseN8nTables(file, tables);
		const migrations = db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
		const version = migrations ? (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v : 0;
		return { exists: true, schemaVersion: Number(version ?? 0) };
	} catch (error) {
		if (error instanceof StoreError) throw error;
		throw new StoreError(`Cannot read the SQLite file ${file}: ${(error as Error).message}. Is it a SQLite database?`, { cause: error });
	} finally {
		db.close();
	}
}
