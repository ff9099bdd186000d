/**
 * SQLite through node:sqlite (built into Node >= 22.13; no native add-on to install).
 * One connection per database file per process, WAL, BEGIN IMMEDIATE for writes.
 * Work inside a transaction is serialized per connection by a promise queue, because the shared
 * store code awaits between statements.
 *
 * node:sqlite is synchronous: a lock wait inside SQLite would stop n8n's event loop. So SQLite
 * waits a few milliseconds at most (busy_timeout), and whatever meets another process's lock
 * (opening and migrating, BEGIN IMMEDIATE, a statement, COMMIT) is retried on timers with back-off
 * until the lock wait limit, then fails with a StoreError that says the store is locked.
 *
 * Erased rows leave no copy in the files: secure_delete zeroes deleted content (table, index,
 * overflow and freed pages) in the pages written, and scrub() checkpoints the WAL into the file and
 * truncates it, so no frame holds the content as it was before.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { StoreError } from '../../core/errors';
import type { Dialect, Driver, Querier, Row, SqlValue } from '../driver';
import { MIGRATIONS, renderStatement, type Migration } from '../schema';

/** How long SQLite itself may wait for a lock, blocking the event loop. */
const BUSY_TIMEOUT_MS = 5;
/** How long a store call waits for another process's lock, on timers, before it fails. */
const LOCK_WAIT_MS = 10_000;
const RETRY_FIRST_MS = 2;
const RETRY_MAX_MS = 100;
/** How long a transaction may run before it lets the event loop turn (timers, other requests). */
const YIELD_AFTER_MS = 10;

/** SQLITE_BUSY, with any extended code: another connection holds a lock this one needs. */
function isBusy(error: unknown): boolean {
	const code = (error as { errcode?: unknown } | null)?.errcode;
	return typeof code === 'number' && (code & 0xff) === 5;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface SqliteOptions {
	/** How long a store call waits for another process's write lock. Default 10 s. */
	lockWaitMs?: number;
	/** The schema to bring the file up to: all migrations, unless a test opens an older one. */
	migrations?: Migration[];
}

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
	private readonly lockWaitMs: number;
	private readonly migrations: Migration[];
	private opening?: Promise<void>;
	private queue: Promise<unknown> = Promise.resolve();
	private readonly querier: Querier;
	/** A scrub that another connection's reader blocked: tried again after the next write and at close. */
	private scrubPending = false;

	constructor(
		readonly file: string,
		options: SqliteOptions = {},
	) {
		this.migrations = options.migrations ?? MIGRATIONS;
		this.description = file === ':memory:' ? 'SQLite (in memory)' : `SQLite ${file}`;
		this.lockWaitMs = options.lockWaitMs ?? LOCK_WAIT_MS;
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		const { DatabaseSync } = loadSqlite();
		try {
			this.db = new DatabaseSync(file);
			this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
			this.db.exec('PRAGMA secure_delete = ON');
		} catch (error) {
			throw new StoreError(`Cannot open the SQLite store at ${file}: ${(error as Error).message}`, { cause: error });
		}
		const prepare = (sql: string) => this.prepare(sql);
		this.querier = {
			all: async <R extends Row>(sql: string, params: SqlValue[] = []) => prepare(sql).all(...scalars(params)) as R[],
			get: async <R extends Row>(sql: string, params: SqlValue[] = []) => prepare(sql).get(...scalars(params)) as R | undefined,
			run: async (sql: string, params: SqlValue[] = []) => Number(prepare(sql).run(...scalars(params)).changes),
		};
		// Opening starts at once; a failed opening (e.g. locked past the limit) is tried again by the next call.
		this.queue = this.open().catch(() => undefined);
	}

	private prepare(sql: string): StatementSync {
		let statement = this.statements.get(sql);
		if (!statement) {
			// Shared SQL uses $1..$n; SQLite's numbered parameters are ?1..?n. When each appears once, in
			// order, plain ? binds the same: node:sqlite binds ?NNN in time growing with their count.
			const numbers = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
			const inOrder = numbers.every((n, i) => n === i + 1);
			statement = this.db.prepare(sql.replace(/\$(\d+)/g, inOrder ? '?' : '?$1'));
			this.statements.set(sql, statement);
		}
		return statement;
	}

	/** WAL and the migrations, once; every transaction waits for it. */
	private open(): Promise<void> {
		this.opening ??= (async () => {
			const deadline = Date.now() + this.lockWaitMs;
			await this.whileLocked(deadline, () => this.db.exec('PRAGMA journal_mode = WAL'));
			this.db.exec('PRAGMA synchronous = NORMAL');
			// BEGIN IMMEDIATE takes the write lock, so two processes opening a new file migrate one after the other.
			await this.whileLocked(deadline, () => this.db.exec('BEGIN IMMEDIATE'));
			this.migrate();
		})().catch((error: unknown) => {
			this.opening = undefined;
			throw error;
		});
		return this.opening;
	}

	/** Inside BEGIN IMMEDIATE: applies the migrations not applied yet, and commits. */
	private migrate(): void {
		try {
			this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
			const applied = new Set(
				(this.db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version),
			);
			for (const migration of this.migrations) {
				if (applied.has(migration.version)) continue;
				for (const step of migration.statements) {
					if (typeof step === 'string') this.db.exec(renderStatement(step, 'sqlite'));
					else {
						const update = this.prepare(step.update);
						for (const params of step.params(this.prepare(step.select).all() as Row[])) update.run(...scalars(params));
					}
				}
				this.db
					.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
					.run(migration.version, migration.name, Date.now());
			}
			this.db.exec('COMMIT');
		} catch (error) {
			if (this.db.isTransaction) this.db.exec('ROLLBACK');
			throw new StoreError(`Cannot migrate the SQLite store at ${this.file}: ${(error as Error).message}`, { cause: error });
		}
	}

	/** Runs `attempt` until it does not meet another connection's lock, waiting on timers in between, until `deadline`. */
	private async whileLocked<T>(deadline: number, attempt: () => T | Promise<T>): Promise<T> {
		for (let wait = RETRY_FIRST_MS; ; wait = Math.min(wait * 2, RETRY_MAX_MS)) {
			try {
				return await attempt();
			} catch (error) {
				if (!isBusy(error)) throw error;
				if (Date.now() + wait > deadline) {
					throw new StoreError(
						`The SQLite store at ${this.file} is locked by another process (waited ${this.lockWaitMs / 1000} s). ` +
							'Another n8n instance or program is writing to this file: stop it or let it finish. For several n8n instances or workers, use a PostgreSQL Dialogue Store.',
						{ cause: error },
					);
				}
				await sleep(wait);
			}
		}
	}

	transaction<T>(fn: (q: Querier) => Promise<T>, mode: 'read' | 'write'): Promise<T> {
		// Statements run synchronously and the awaits between them are microtasks, so a long transaction
		// would hold the event loop to its end: after YIELD_AFTER_MS it waits for one turn of the loop
		// (setImmediate). Other work on this store still queues behind it, and the write lock is kept.
		let yieldedAt = 0;
		const turn = async () => {
			if (performance.now() - yieldedAt < YIELD_AFTER_MS) return;
			await new Promise((resolve) => setImmediate(resolve));
			yieldedAt = performance.now();
		};
		const querier: Querier = {
			all: async <R extends Row>(sql: string, params?: SqlValue[]) => {
				await turn();
				return await this.querier.all<R>(sql, params);
			},
			get: async <R extends Row>(sql: string, params?: SqlValue[]) => {
				await turn();
				return await this.querier.get<R>(sql, params);
			},
			run: async (sql: string, params?: SqlValue[]) => {
				await turn();
				return await this.querier.run(sql, params);
			},
		};
		const run = async (): Promise<T> => {
			await this.open();
			const deadline = Date.now() + this.lockWaitMs;
			// A statement that meets a lock rolls back the whole attempt, which is then run again.
			return this.whileLocked(deadline, async () => {
				this.db.exec(mode === 'write' ? 'BEGIN IMMEDIATE' : 'BEGIN');
				yieldedAt = performance.now();
				let result: T;
				try {
					result = await fn(querier);
				} catch (error) {
					if (this.db.isTransaction) this.db.exec('ROLLBACK');
					throw error;
				}
				// A COMMIT that meets a lock leaves the transaction open: commit again, never run fn twice.
				await this.whileLocked(deadline, () => this.db.exec('COMMIT')).catch((error: unknown) => {
					if (this.db.isTransaction) this.db.exec('ROLLBACK');
					throw error;
				});
				if (this.scrubPending && mode === 'write') this.checkpoint();
				return result;
			});
		};
		const result = this.queue.then(run, run);
		this.queue = result.catch(() => undefined);
		return result;
	}

	/**
	 * Copies every WAL frame into the database file and truncates the WAL. A reader of another
	 * connection still using old frames blocks it: then the frames stay until a later try succeeds.
	 */
	private checkpoint(): string | undefined {
		if (this.file === ':memory:') return undefined;
		let busy: boolean;
		try {
			busy = Number((this.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number }).busy) !== 0;
		} catch (error) {
			if (!isBusy(error)) throw error;
			busy = true;
		}
		this.scrubPending = busy;
		return busy
			? `The erased rows are gone, but old copies remain in ${this.file}-wal while another connection reads the store; they are removed after a later write or when the store closes.`
			: undefined;
	}

	scrub(): Promise<string | undefined> {
		const run = async () => {
			await this.open();
			return this.checkpoint();
		};
		const result = this.queue.then(run, run);
		this.queue = result.catch(() => undefined);
		return result;
	}

	async close(): Promise<void> {
		await this.queue;
		if (this.scrubPending && this.db.isOpen) this.checkpoint();
		this.statements.clear();
		if (this.db.isOpen) this.db.close();
	}
}
