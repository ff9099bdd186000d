/**
 * What the shared SQL store needs from a database: a transaction that hands out a querier.
 * SQL is written once with $1..$n placeholders; a driver adapts it to its database.
 */

/** Arrays bind as PostgreSQL arrays (set-based statements); SQLite statements bind scalars only. */
export type SqlValue = string | number | bigint | null | ReadonlyArray<string | number | null>;
export type Row = Record<string, unknown>;

export interface Querier {
	all<R extends Row = Row>(sql: string, params?: SqlValue[]): Promise<R[]>;
	get<R extends Row = Row>(sql: string, params?: SqlValue[]): Promise<R | undefined>;
	/** Runs a statement and returns the number of rows it changed. */
	run(sql: string, params?: SqlValue[]): Promise<number>;
}

/** Which SQL a driver speaks; the few dialect-specific statements branch on it. */
export interface Dialect {
	readonly name: 'sqlite' | 'postgres';
}

export interface Driver {
	readonly dialect: Dialect;
	readonly description: string;
	/**
	 * Runs fn in one transaction: committed if it resolves, rolled back if it throws.
	 * `write` transactions take the write lock up front (SQLite BEGIN IMMEDIATE). `read` work may
	 * run as autocommitted statements (PostgreSQL), so it must not need one snapshot across them.
	 */
	transaction<T>(fn: (q: Querier) => Promise<T>, mode: 'read' | 'write'): Promise<T>;
	/**
	 * After an erasure has committed: removes the copies the database keeps outside its rows
	 * (SQLite: old WAL frames). Returns what remains when that could not be done yet.
	 */
	scrub?(): Promise<string | undefined>;
	close(): Promise<void>;
}
