/**
 * PostgreSQL through pg: one pool per credential per process, in a schema of its own (default
 * `dialogue`) so it can share the server n8n itself uses. Required for n8n queue mode.
 * The pool is closed after IDLE_POOL_MS unused and opened again on next use; every connection
 * carries a statement_timeout and a lock_timeout, so a stuck server or lock fails a call instead
 * of hanging it.
 */
import { createHash } from 'node:crypto';
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import { StoreError } from '../../core/errors';
import type { Dialect, Driver, Querier, Row, SqlValue } from '../driver';
import { MIGRATIONS, renderStatement, type Migration } from '../schema';

/** The libpq sslmodes pg can honour (allow and prefer need a fallback pg does not do). */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

export interface PostgresOptions {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	/** As in libpq (default disable); see sslConfig. */
	sslmode?: SslMode;
	schema: string;
	/** Connections in the pool (default 10). */
	max?: number;
	/** A statement running longer is cancelled (default STATEMENT_TIMEOUT_MS). */
	statementTimeoutMs?: number;
	/** A statement waiting longer for a lock is cancelled (default LOCK_TIMEOUT_MS). */
	lockTimeoutMs?: number;
	/** The pool is closed after this long without a call, and opened again on the next (default IDLE_POOL_MS). */
	idlePoolMs?: number;
}

export const STATEMENT_TIMEOUT_MS = 60_000;
export const LOCK_TIMEOUT_MS = 10_000;
/** As n8n's own Postgres node: a pool unused for 5 minutes is closed. */
export const IDLE_POOL_MS = 5 * 60_000;

/**
 * What each sslmode means for pg's TLS options:
 * disable: no TLS; require: TLS, the certificate is not checked; verify-ca: TLS, the certificate
 * must chain to a trusted CA (Node's, plus NODE_EXTRA_CA_CERTS), the host name is not checked;
 * verify-full: TLS, the certificate chain and the host name are checked.
 */
export function sslConfig(mode: SslMode = 'disable'): PoolConfig['ssl'] {
	switch (mode) {
		case 'disable':
			return false;
		case 'require':
			return { rejectUnauthorized: false };
		case 'verify-ca':
			return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
		case 'verify-full':
			return { rejectUnauthorized: true };
		default:
			throw new StoreError(`sslmode: "${String(mode)}" is not one of ${SSL_MODES.join(', ')}.`);
	}
}

const INT8 = 20;
/** BIGINT columns hold epoch milliseconds and minor units, well inside Number's exact range. */
const typeParsers = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === INT8 ? (value: string) => Number(value) : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
};

/** Errors worth retrying the whole transaction for: deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const postgresDialect: Dialect = { name: 'postgres' };

/** Statement names: each connection prepares a statement once and reuses its plan. */
const statementNames = new Map<string, string>();
function statementName(sql: string): string {
	let name = statementNames.get(sql);
	if (!name) {
		name = `dialogue_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
		statementNames.set(sql, name);
	}
	return name;
}

function querierFor(client: PoolClient): Querier {
	const query = (sql: string, values: SqlValue[]) =>
		client.query({
			name: statementName(sql),
			text: sql,
			values: values.map((v) => (typeof v === 'bigint' ? v.toString() : v)),
			types: typeParsers,
		});
	return {
		all: async <R extends Row>(sql: string, values: SqlValue[] = []) => (await query(sql, values)).rows as R[],
		get: async <R extends Row>(sql: string, values: SqlValue[] = []) => (await query(sql, values)).rows[0] as R | undefined,
		run: async (sql: string, values: SqlValue[] = []) => (await query(sql, values)).rowCount ?? 0,
	};
}

/** The password, wherever a message quotes it, as ***. */
function redact(message: string, password: string | undefined): string {
	return password ? message.split(password).join('***') : message;
}

export class PostgresDriver implements Driver {
	readonly dialect = postgresDialect;
	readonly description: string;
	private readonly config: PoolConfig;
	private readonly idlePoolMs: number;
	private pool: Pool | undefined;
	/** Calls holding the pool; it is closed only when none does. */
	private users = 0;
	private idleTimer: NodeJS.Timeout | undefined;
	private ending: Promise<void> = Promise.resolve();
	private closed = false;
	/** The migration run or running; undefined after it failed, so the next call tries again. */
	private ready: Promise<void> | undefined;

	/** `migrations`: the schema to bring the database up to (all of them, unless a test opens an older one). */
	constructor(
		readonly options: PostgresOptions,
		private readonly migrations: Migration[] = MIGRATIONS,
	) {
		if (!SCHEMA_NAME.test(options.schema)) {
			throw new StoreError(
				`schema: "${options.schema}" is not a plain PostgreSQL schema name. Use lower-case letters, digits and underscores, e.g. dialogue.`,
			);
		}
		this.description = `PostgreSQL ${options.user}@${options.host}:${options.port}/${options.database} schema ${options.schema}`;
		this.config = {
			host: options.host,
			port: options.port,
			database: options.database,
			user: options.user,
			password: options.password,
			ssl: sslConfig(options.sslmode),
			max: options.max ?? 10,
			idleTimeoutMillis: 30_000,
			connectionTimeoutMillis: 10_000,
			statement_timeout: options.statementTimeoutMs ?? STATEMENT_TIMEOUT_MS,
			lock_timeout: options.lockTimeoutMs ?? LOCK_TIMEOUT_MS,
			options: `-c search_path=${options.schema}`,
			application_name: 'n8n-nodes-dialogue-activities',
		};
		this.idlePoolMs = options.idlePoolMs ?? IDLE_POOL_MS;
		void this.migrated().catch(() => undefined);
	}

	private migrated(): Promise<void> {
		if (!this.ready) {
			const ready = this.migrate();
			this.ready = ready;
			// Let the next call try again (the server may have come up meanwhile).
			ready.catch(() => {
				if (this.ready === ready) this.ready = undefined;
			});
		}
		return this.ready;
	}

	/** A connection from the pool, opened again if it was closed for being idle. */
	private async connect(): Promise<PoolClient> {
		if (this.closed) throw new StoreError(`${this.description} is closed.`);
		clearTimeout(this.idleTimer);
		this.idleTimer = undefined;
		if (!this.pool) {
			this.pool = new Pool(this.config);
			// An idle client's error (server restart) must not crash n8n; the next query reconnects.
			this.pool.on('error', () => undefined);
		}
		const pool = this.pool;
		this.users++;
		try {
			return await pool.connect();
		} catch (error) {
			this.release();
			throw new StoreError(`Cannot connect to ${this.description}: ${redact((error as Error).message, this.options.password)}`, { cause: error });
		}
	}

	/** Gives a connection back (destroyed when it is broken) and closes the pool once it has been idle for idlePoolMs. */
	private release(client?: PoolClient, broken?: Error | boolean): void {
		client?.release(broken);
		if (--this.users > 0 || this.closed) return;
		this.idleTimer = setTimeout(() => {
			this.idleTimer = undefined;
			const pool = this.pool;
			this.pool = undefined;
			if (pool) this.ending = pool.end().catch(() => undefined);
		}, this.idlePoolMs);
		this.idleTimer.unref();
	}

	/** A timeout the server applied, as an error that names it; any other error as it is. */
	private explain(error: unknown): unknown {
		const { code, message } = error as { code?: string; message?: string };
		if (code === '57014' && /statement timeout/i.test(message ?? '')) {
			return new StoreError(
				`A statement on ${this.description} ran longer than its statement_timeout (${this.config.statement_timeout} ms) and was cancelled; nothing of this call was written. The server is overloaded or the call is too large: retry later or with fewer items.`,
				{ cause: error },
			);
		}
		if (code === '55P03' && /lock timeout/i.test(message ?? '')) {
			return new StoreError(
				`A statement on ${this.description} waited longer than its lock_timeout (${this.config.lock_timeout} ms) for a lock and was cancelled; nothing of this call was written. Another session holds the lock: retry later, or end the session that holds it.`,
				{ cause: error },
			);
		}
		return error;
	}

	private async migrate(): Promise<void> {
		const client = await this.connect();
		const schema = this.options.schema;
		try {
			// A migration may wait for another process's migration and rewrite large tables: this
			// session is not bounded, and it is closed afterwards so the pool never sees these settings.
			await client.query("SELECT set_config('statement_timeout', '0', false), set_config('lock_timeout', '0', false)");
			// A session lock: two processes starting at once migrate one after the other.
			await client.query('SELECT pg_advisory_lock(hashtext($1))', [`dialogue-activities:migrate:${schema}`]);
			try {
				await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
				await client.query(
					`CREATE TABLE IF NOT EXISTS "${schema}".schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
				);
				const { rows } = await client.query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations`);
				const applied = new Set(rows.map((r) => r.version));
				for (const migration of this.migrations) {
					if (applied.has(migration.version)) continue;
					await client.query('BEGIN');
					try {
						for (const step of migration.statements) {
							if (typeof step === 'string') await client.query(renderStatement(step, 'postgres'));
							else for (const params of step.params((await client.query(step.select)).rows)) await client.query(step.update, params);
						}
						await client.query(`INSERT INTO "${schema}".schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [
							migration.version,
							migration.name,
							Date.now(),
						]);
						await client.query('COMMIT');
					} catch (error) {
						await client.query('ROLLBACK');
						throw error;
					}
				}
			} finally {
				await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`dialogue-activities:migrate:${schema}`]);
			}
		} catch (error) {
			throw new StoreError(`Cannot migrate ${this.description}: ${redact((error as Error).message, this.options.password)}`, { cause: error });
		} finally {
			this.release(client, true);
		}
	}

	async transaction<T>(fn: (q: Querier) => Promise<T>, mode: 'read' | 'write'): Promise<T> {
		await this.migrated();
		for (let attempt = 1; ; attempt++) {
			const client = await this.connect();
			// A connection whose ROLLBACK failed may still be inside the failed transaction: it is destroyed, not reused.
			let broken: Error | undefined;
			try {
				// Reads run as autocommitted statements: no BEGIN/COMMIT round trips on the hot path.
				if (mode === 'write') await client.query('BEGIN');
				const result = await fn(querierFor(client));
				if (mode === 'write') await client.query('COMMIT');
				return result;
			} catch (error) {
				if (mode === 'write') {
					await client.query('ROLLBACK').catch((rollbackError: Error) => {
						broken = rollbackError;
					});
				}
				const code = (error as { code?: string }).code;
				if (!broken && code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
				throw this.explain(error);
			} finally {
				this.release(client, broken);
			}
		}
	}

	async close(): Promise<void> {
		await this.ready?.catch(() => undefined);
		this.closed = true;
		clearTimeout(this.idleTimer);
		this.idleTimer = undefined;
		const pool = this.pool;
		this.pool = undefined;
		await Promise.all([this.ending, pool?.end()]);
	}
}
