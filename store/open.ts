/**
 * Which store a node uses (DESIGN.md section 1), and one open store per location per process:
 * 1. the Dialogue Store credential selected on the node;
 * 2. else the instance-wide default from DIALOGUE_STORE_URL (a postgres:// URL or a file path);
 * 3. else the embedded default: dialogue-activities.sqlite in the n8n user folder.
 * Stores stay open for the life of the process and are reused across executions.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../core/errors';
import type { Store } from '../core/store';
import { PostgresDriver, type PostgresOptions } from './postgres/driver';
import { SqlStore } from './sql-store';
import { SqliteDriver } from './sqlite/driver';

export const DEFAULT_STORE_ENV = 'DIALOGUE_STORE_URL';
export const DEFAULT_FILE_NAME = 'dialogue-activities.sqlite';

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
	/** disable: no TLS; require: TLS without certificate check; verify: TLS with a verified certificate. */
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

function sqliteFile(file: string, env: NodeJS.ProcessEnv): string {
	if (file === ':memory:') return file;
	return isAbsolute(file) ? file : resolve(n8nUserFolder(env), file);
}

/** Parses postgres://user:pass@host:port/db?schema=x&sslmode=require into options. */
export function parsePostgresUrl(url: string, field = DEFAULT_STORE_ENV): PostgresOptions {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new InputError(field, `"${url}" is not a URL`, 'Use postgres://user:password@host:5432/database?schema=dialogue, or a SQLite file path.');
	}
	const sslmode = parsed.searchParams.get('sslmode');
	return {
		host: decodeURIComponent(parsed.hostname) || 'localhost',
		port: parsed.port ? Number(parsed.port) : 5432,
		database: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'postgres',
		user: decodeURIComponent(parsed.username) || 'postgres',
		password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
		ssl: sslmode === 'require' ? { rejectUnauthorized: false } : sslmode === 'verify-full' ? { rejectUnauthorized: true } : undefined,
		schema: parsed.searchParams.get('schema') || 'dialogue',
	};
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
				ssl:
					credential.ssl === 'verify'
						? { rejectUnauthorized: true }
						: credential.ssl === 'require'
							? { rejectUnauthorized: false }
							: undefined,
				schema: credential.schema || 'dialogue',
			};
		}
		return { kind: 'sqlite', file: credential.file ? sqliteFile(credential.file, env) : defaultSqliteFile(env) };
	}
	const fromEnv = env[DEFAULT_STORE_ENV]?.trim();
	if (fromEnv) {
		if (/^postgres(ql)?:\/\//i.test(fromEnv)) return { kind: 'postgres', ...parsePostgresUrl(fromEnv) };
		return { kind: 'sqlite', file: sqliteFile(fromEnv.replace(/^(sqlite|file):(\/\/)?/i, ''), env) };
	}
	return { kind: 'sqlite', file: defaultSqliteFile(env) };
}

function cacheKey(location: StoreLocation): string {
	if (location.kind === 'sqlite') return `sqlite:${location.file}`;
	const { host, port, database, user, password, schema, ssl } = location;
	return `postgres:${JSON.stringify([host, port, database, user, password, schema, ssl])}`;
}

const open = new Map<string, Store>();

/** The process-wide store for a location, opened (and migrated) on first use. */
export function storeAt(location: StoreLocation): Store {
	const key = cacheKey(location);
	let store = open.get(key);
	if (!store) {
		store = new SqlStore(location.kind === 'sqlite' ? new SqliteDriver(location.file) : new PostgresDriver(location));
		open.set(key, store);
	}
	return store;
}

export function storeFor(credential: StoreCredential | undefined, env: NodeJS.ProcessEnv = process.env): Store {
	return storeAt(locationFromCredential(credential, env));
}

/** Closes every open store (tests, shutdown). */
export async function closeAllStores(): Promise<void> {
	const stores = [...open.values()];
	open.clear();
	await Promise.all(stores.map((s) => s.close()));
}
