/**
 * SQLite through node:sqlite (built into Node >= 22.13; no native add-on to install).
 * One connection per database file per process, WAL, a busy timeout, BEGIN IMMEDIATE for writes.
 * Work inside a transaction is serialized per connection by a promise queue, because the shared
 * store code awaits between statements.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { StoreError } from '../../core/errors';
import type { Dialect, Driver, Querier, Row, SqlValue } from '../driver';
import { MIGRATIONS, renderStatement } from '../schema';

const BUSY_TIMEOUT_MS = 10_000;

type Scalar = string | number | bigint | null;
function scalars(params: SqlValue[]): Scalar[] {
	if (params.some((p) => Array.isArray(p))) throw new Error('SQLite statements take scalar parameters only');
	return params as Scalar[];
}

const sqliteDialect: Dialect = { name: 'sqlite' };

export function loadSqlite(): typeof import('node:sqlite') {
	try {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		return require('node:sqlite') as typeof import('node:sqlite');
	} catch (error) {
		throw new StoreError(
			`The embedded SQLite store needs Node.js 22.13 or newer with node:sqlite (this is ${process.version}). Upgrade Node.js, or select a PostgreSQL Dialogue Store credential.`,
			{ cause: error },
		);
	}
}

export class SqliteDriver implements Driver {
	readonly dialect = sqliteDialect;
	readonly description: string;
	private readonly db: DatabaseSync;
	private readonly statements = new Map<string, StatementSync>();
	private queue: Promise<unknown> = Promise.resolve();
	private readonly querier: Querier;

	constructor(readonly file: string) {
		this.description = file === ':memory:' ? 'SQLite (in memory)' : `SQLite ${file}`;
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		const { DatabaseSync } = loadSqlite();
		try {
			this.db = new DatabaseSync(file);
			this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
			this.db.exec('PRAGMA journal_mode = WAL');
			this.db.exec('PRAGMA synchronous = NORMAL');
		} catch (error) {
			throw new StoreError(`Cannot open the SQLite store at ${file}: ${(error as Error).message}`, { cause: error });
		}
		const prepare = (sql: string) => this.prepare(sql);
		this.querier = {
			all: async <R extends Row>(sql: string, params: SqlValue[] = []) => prepare(sql).all(...scalars(params)) as R[],
			get: async <R extends Row>(sql: string, params: SqlValue[] = []) => prepare(sql).get(...scalars(params)) as R | undefined,
			run: async (sql: string, params: SqlValue[] = []) => Number(prepare(sql).run(...scalars(params)).changes),
		};
		this.migrate();
	}

	private prepare(sql: string): StatementSync {
		let statement = this.statements.get(sql);
		if (!statement) {
			// Shared SQL uses $1..$n; SQLite's numbered parameters are ?1..?n.
			statement = this.db.prepare(sql.replace(/\$(\d+)/g, '?$1'));
			this.statements.set(sql, statement);
		}
		return statement;
	}

	private migrate(): void {
		// BEGIN IMMEDIATE takes the write lock, so two processes opening a new file migrate one after the other.
		this.db.exec('BEGIN IMMEDIATE');
		try {
			this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
			const applied = new Set(
				(this.db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version),
			);
			for (const migration of MIGRATIONS) {
				if (applied.has(migration.version)) continue;
				for (const statement of migration.statements) this.db.exec(renderStatement(statement, 'sqlite'));
				this.db
					.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
					.run(migration.version, migration.name, Date.now());
			}
			this.db.exec('COMMIT');
		} catch (error) {
			this.db.exec('ROLLBACK');
			throw new StoreError(`Cannot migrate the SQLite store at ${this.file}: ${(error as Error).message}`, { cause: error });
		}
	}

	transaction<T>(fn: (q: Querier) => Promise<T>, mode: 'read' | 'write'): Promise<T> {
		const run = async (): Promise<T> => {
			this.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
			try {
				const result = await fn(this.querier);
				this.db.exec('COMMIT');
				return result;
			} catch (error) {
				if (this.db.isTransaction) this.db.exec('ROLLBACK');
				throw error;
			}
		};
		const result = this.queue.then(run, run);
		this.queue = result.catch(() => undefined);
		return result;
	}

	async close(): Promise<void> {
		await this.queue;
		this.statements.clear();
		if (this.db.isOpen) this.db.close();
	}
}
