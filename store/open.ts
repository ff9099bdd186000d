/**
 * Which store a node uses (README.md, "The activity store"), and one open store per location per process:
 * 1. the Dialogue Store credential selected on the node;
 * 2. else the instance-wide default from DIALOGUE_STORE_URL (a postgres:// URL or a file path);
 * 3. else the embedded default: dialogue-activities.sqlite in the n8n user folder.
 * In n8n queue mode a SQLite store is refused (refuseSplitState).
 * Stores stay open for the life of the process and are reused across executions.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError } from '../core/errors';
import type { Store } from '../core/store';
import { PostgresDriver, SSL_MODES, type PostgresOptions, type SslMode } from './postgres/driver';
import { SqlStore } from './sql-store';
import { SqliteDriver } from './sqlite/driver';
import { inspectSqliteFile } from './sqlite/inspect';

export const DEFAULT_STORE_ENV = 'DIALOGUE_STORE_URL';
export const DEFAULT_FILE_NAME = 'dialogue-activities.sqlite';
/** Set to true to use a SQLite store in queue mode: main and every worker on one machine, sharing one file. */
export const ALLOW_SQLITE_IN_QUEUE_ENV = 'DIALOGUE_STORE_ALLOW_SQLITE_IN_QUEUE';

export type StoreLocation = { kind: 'sqlite'; file: string } | ({ kind: 'postgres' } & PostgresOptions);

/** The credential's fields, as the Dialogue Store credential stores them. */
export interface StoreCredential {
	type?: 'sqlite' | 'postgres';
	file?: string;
	host?: string;
	port?: number;
	database?: string;
	user?: string;
	password?: string;
	/** disable: no TLS; require: TLS without certificate check; verify: TLS with a verified certificate and host name (verify-full). */
	ssl?: 'disable' | 'require' | 'verify';
	schema?: string;
}

export function n8nUserFolder(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.N8N_USER_FOLDER || homedir();
	return join(base, '.n8n');
}

export function defaultSqliteFile(env: NodeJS.ProcessEnv = process.env): string {
	return join(n8nUserFolder(env), DEFAULT_FILE_NAME);
}

/** n8n's own SQLite database: DB_SQLITE_DATABASE (default database.sqlite) in the n8n user folder. */
function n8nDatabaseFile(env: NodeJS.ProcessEnv): string {
	return resolve(n8nUserFolder(env), env.DB_SQLITE_DATABASE || 'database.sqlite');
}

/** The path with symbolic links in its existing part resolved, so two spellings of one file compare equal. */
function canonical(path: string): string {
	if (existsSync(path)) return realpathSync(path);
	const parent = dirname(path);
	return parent === path ? path : join(canonical(parent), basename(path));
}

function sameFile(a: string, b: string): boolean {
	if (existsSync(a) && existsSync(b)) {
		const [sa, sb] = [statSync(a), statSync(b)];
		return sa.dev === sb.dev && sa.ino === sb.ino;
	}
	return canonical(a) === canonical(b);
}

/**
 * A SQLite path as given: a relative one inside the n8n user folder (it may not leave it), an
 * absolute one as it is; never n8n's own database.
 */
function sqliteFile(file: string, env: NodeJS.ProcessEnv, field: string): string {
	if (file === ':memory:') return file;
	const folder = n8nUserFolder(env);
	const path = resolve(folder, file);
	if (!isAbsolute(file)) {
		const inside = relative(folder, path);
		if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
			throw new InputError(
				field,
				`"${file}" leads outside the n8n user folder ${folder}`,
				'A relative path is resolved inside the n8n user folder: use a file name such as dialogue-activities.sqlite, or an absolute path for a file elsewhere.',
			);
		}
	}
	if (sameFile(path, n8nDatabaseFile(env))) {
		throw new InputError(
			field,
			`"${file}" is n8n's own database (${path}); the activity store never writes there`,
			'Leave the field empty for dialogue-activities.sqlite in the n8n user folder, or name another file.',
		);
	}
	return path;
}

/** The URL with its password replaced by ***, for messages. */
export function maskUrl(url: string): string {
	return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/]*:).*@/i, '$1***@').replace(/([?&]password=)[^&]*/gi, '$1***');
}

function sslModeOf(value: string | null, field: string): SslMode {
	if (value === null) return 'disable';
	if ((SSL_MODES as readonly string[]).includes(value)) return value as SslMode;
	if (value === 'allow' || value === 'prefer') {
		throw new InputError(
			field,
			`sslmode=${value} falls back between TLS and a plain connection, which the pg client cannot do`,
			'Say what you need: sslmode=require (TLS, certificate not checked), verify-ca or verify-full (TLS, certificate checked), or disable (no TLS).',
		);
	}
	throw new InputError(field, `sslmode=${value} is not a PostgreSQL sslmode`, `Use one of ${SSL_MODES.join(', ')}.`);
}

/** Parses postgres://user:pass@host:port/db?schema=x&sslmode=require into options. Messages never quote the password. */
export function parsePostgresUrl(url: string, field = DEFAULT_STORE_ENV): PostgresOptions {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new InputError(
			field,
			`"${maskUrl(url)}" is not a URL`,
			'Use postgres://user:password@host:5432/database?schema=dialogue (characters such as @ : / in the password percent-encoded), or a SQLite file path.',
		);
	}
	return {
		host: decodeURIComponent(parsed.hostname) || 'localhost',
		port: parsed.port ? Number(parsed.port) : 5432,
		database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
		user: decodeURIComponent(parsed.username) || 'postgres',
		password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
		sslmode: sslModeOf(parsed.searchParams.get('sslmode'), field),
		schema: parsed.searchParams.get('schema') || 'dialogue',
	};
}

const CREDENTIAL_SSL: Record<string, SslMode> = { disable: 'disable', require: 'require', verify: 'verify-full' };

function credentialSsl(ssl: string | undefined): SslMode {
	const mode = CREDENTIAL_SSL[ssl || 'disable'];
	if (!mode) throw new InputError('ssl', `"${ssl}" is not an SSL setting`, 'Edit the Dialogue Store credential and choose Disable, Require or Verify Certificate.');
	return mode;
}

export function locationFromCredential(credential: StoreCredential | undefined, env: NodeJS.ProcessEnv = process.env): StoreLocation {
	if (credential) {
		if (credential.type === 'postgres') {
			return {
				kind: 'postgres',
				host: credential.host || 'localhost',
				port: Number(credential.port) || 5432,
				database: credential.database || 'postgres',
				user: credential.user || 'postgres',
				password: credential.password || undefined,
				sslmode: credentialSsl(credential.ssl),
				schema: credential.schema || 'dialogue',
			};
		}
		return { kind: 'sqlite', file: credential.file?.trim() ? sqliteFile(credential.file.trim(), env, 'file') : defaultSqliteFile(env) };
	}
	const fromEnv = env[DEFAULT_STORE_ENV]?.trim();
	if (fromEnv) {
		if (/^postgres(ql)?:\/\//i.test(fromEnv)) return { kind: 'postgres', ...parsePostgresUrl(fromEnv) };
		if (/^(?!(sqlite|file):)[a-z][a-z0-9+.-]*:\/\//i.test(fromEnv)) {
			throw new InputError(
				DEFAULT_STORE_ENV,
				`"${maskUrl(fromEnv)}" is neither a postgres:// URL nor a SQLite file path`,
				'Use postgres://user:password@host:5432/database?schema=dialogue, or a SQLite file path.',
			);
		}
		return { kind: 'sqlite', file: sqliteFile(fromEnv.replace(/^(sqlite|file):(\/\/)?/i, ''), env, DEFAULT_STORE_ENV) };
	}
	return { kind: 'sqlite', file: defaultSqliteFile(env) };
}

/**
 * In queue mode (EXECUTIONS_MODE=queue) executions run on workers, each with its own SQLite file
 * unless they share one machine: a SQLite store would split the ledger, so a duplicate delivery,
 * a coupon handed out or a guard entry on one worker would be unknown to the others. Refused,
 * unless ALLOW_SQLITE_IN_QUEUE_ENV=true says every process shares the one file.
 */
export function refuseSplitState(location: StoreLocation, credential: StoreCredential | undefined, env: NodeJS.ProcessEnv = process.env): void {
	if (location.kind !== 'sqlite' || env.EXECUTIONS_MODE?.trim().toLowerCase() !== 'queue') return;
	if (env[ALLOW_SQLITE_IN_QUEUE_ENV]?.trim().toLowerCase() === 'true') return;
	throw new InputError(
		credential ? 'type' : DEFAULT_STORE_ENV,
		`n8n runs in queue mode (EXECUTIONS_MODE=queue), where the SQLite store ${location.file} would be one file per worker and split the ledger: what one worker records, the others never see`,
		`Use a PostgreSQL Dialogue Store: select a Dialogue Store credential of type PostgreSQL on the node, or set ${DEFAULT_STORE_ENV}=postgres://user:password@host:5432/database?schema=dialogue for n8n main and every worker. Only when main and every worker run on one machine and share this one file, set ${ALLOW_SQLITE_IN_QUEUE_ENV}=true.`,
	);
}

/** The location a node's store is at, refused when it would split the ledger (refuseSplitState). */
export function usableLocation(credential: StoreCredential | undefined, env: NodeJS.ProcessEnv = process.env): StoreLocation {
	const location = locationFromCredential(credential, env);
	refuseSplitState(location, credential, env);
	return location;
}

/** Which open store a location uses; a PostgreSQL key is a hash, so the password is never kept in plain text. */
export function storeKey(location: StoreLocation): string {
	if (location.kind === 'sqlite') return `sqlite:${location.file}`;
	const { host, port, database, user, password, schema, sslmode } = location;
	return `postgres:${createHash('sha256').update(JSON.stringify([host, port, database, user, password ?? null, schema, sslmode ?? 'disable'])).digest('hex')}`;
}

const open = new Map<string, Store>();

function openStoreAt(location: StoreLocation): Store {
	if (location.kind === 'postgres') return new SqlStore(new PostgresDriver(location));
	inspectSqliteFile(location.file);
	return new SqlStore(new SqliteDriver(location.file));
}

/** The process-wide store for a location, opened (and migrated) on first use. */
export function storeAt(location: StoreLocation): Store {
	const key = storeKey(location);
	let store = open.get(key);
	if (!store) {
		store = openStoreAt(location);
		open.set(key, store);
	}
	return store;
}

/**
 * What a credential test reports about a store, leaving nothing behind: a SQLite file is read,
 * never created; a PostgreSQL store not yet open in this process is opened, checked and closed.
 */
export async function probeStore(credential: StoreCredential | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
	const location = usableLocation(credential, env);
	const cached = open.get(storeKey(location));
	if (cached) return `Connected to ${cached.description}, schema version ${await cached.schemaVersion()}`;
	if (location.kind === 'sqlite') {
		const state = inspectSqliteFile(location.file);
		if (!state.exists) return `SQLite ${location.file} does not exist yet; it is created on first use`;
		return `SQLite ${location.file}, schema version ${state.schemaVersion}${state.schemaVersion === 0 ? ' (its tables are created on first use)' : ''}`;
	}
	const store = openStoreAt(location);
	try {
		return `Connected to ${store.description}, schema version ${await store.schemaVersion()}`;
	} finally {
		await store.close();
	}
}

export function storeFor(credential: StoreCredential | undefined, env: NodeJS.ProcessEnv = process.env): Store {
	return storeAt(usableLocation(credential, env));
}

/** Closes every open store (tests, shutdown). */
export async function closeAllStores(): Promise<void> {
	const stores = [...open.values()];
	open.clear();
	await Promise.all(stores.map((s) => s.close()));
}
