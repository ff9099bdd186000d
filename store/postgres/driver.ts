/**
 * PostgreSQL through pg: one pool per credential per process, in a schema of its own (default
 * `dialogue`) so it can share the server n8n itself uses. Required for n8n queue mode.
 */
import { createHash } from 'node:crypto';
import { Pool, types, type PoolClient, type PoolConfig } from 'pg';
import { StoreError } from '../../core/errors';
import type { Dialect, Driver, Querier, Row, SqlValue } from '../driver';
import { MIGRATIONS, renderStatement, type Migration } from '../schema';

export interface PostgresOptions {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	ssl?: boolean | { rejectUnauthorized: boolean };
	schema: string;
	/** Connections in the pool (default 10). */
	max?: number;
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

export class PostgresDriver implements Driver {
	readonly dialect = postgresDialect;
	readonly description: string;
	private readonly pool: Pool;
	private ready: Promise<void>;

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
		const config: PoolConfig = {
			host: options.host,
			port: options.port,
			database: options.database,
			user: options.user,
			password: options.password,
			ssl: options.ssl,
			max: options.max ?? 10,
			idleTimeoutMillis: 30_000,
			connectionTimeoutMillis: 10_000,
			options: `-c search_path=${options.schema}`,
			application_name: 'n8n-nodes-dialogue-activities',
		};
		this.pool = new Pool(config);
		// An idle client's error (server restart) must not crash n8n; the next query reconnects.
		this.pool.on('error', () => undefined);
		this.ready = this.migrate();
		this.ready.catch(() => undefined);
	}

	private async migrate(): Promise<void> {
		let client: PoolClient;
		try {
			client = await this.pool.connect();
		} catch (error) {
			throw new StoreError(`Cannot connect to ${this.description}: ${(error as Error).message}`, { cause: error });
		}
		const schema = this.options.schema;
		try {
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
			throw new StoreError(`Cannot migrate ${this.description}: ${(error as Error).message}`, { cause: error });
		} finally {
			client.release();
		}
	}

	async transaction<T>(fn: (q: Querier) => Promise<T>, mode: 'read' | 'write'): Promise<T> {
		try {
			await this.ready;
		} catch (error) {
			// Let the next call try again (the server may have come up meanwhile).
			this.ready = this.migrate();
			this.ready.catch(() => undefined);
			throw error;
		}
		for (let attempt = 1; ; attempt++) {
			const client = await this.pool.connect();
			try {
				// Reads run as autocommitted statements: no BEGIN/COMMIT round trips on the hot path.
				if (mode === 'write') await client.query('BEGIN');
				const result = await fn(querierFor(client));
				if (mode === 'write') await client.query('COMMIT');
				return result;
			} catch (error) {
				if (mode === 'write') await client.query('ROLLBACK').catch(() => undefined);
				const code = (error as { code?: string }).code;
				if (code && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
				throw error;
			} finally {
				client.release();
			}
		}
	}

	async close(): Promise<void> {
		await this.ready.catch(() => undefined);
		await this.pool.end();
	}
}
