/**
 * What the shared SQL store needs from a database: a transaction that hands out a querier.
 * SQL is written once with $1..$n placeholders; a driver adapts it to its database.
 */

export type SqlValue = string | number | bigint | null;
export type Row = Record<string, unknown>;

export interface Querier {
	all<R extends Row = Row>(sql: string, params?: SqlValue[]): Promise<R[]>;
	get<R extends Row = Row>(sql: string, params?: SqlValue[]): Promise<R | undefined>;
	/** Runs a statement and returns the number of rows it changed. */
	run(sql: string, params?: SqlValue[]): Promise<number>;
}

/** The few places where SQLite and PostgreSQL SQL differ. */
export interface Dialect {
	readonly name: 'sqlite' | 'postgres';
	/** Appended to the SELECT that picks a free coupon code: row locks that skip busy rows. */
	readonly skipLocked: string;
	/** Serializes concurrent work on one key inside a transaction (no-op where writers are serialized). */
	lockKey(q: Querier, scope: string, key: string): Promise<void>;
}

export interface Driver {
	readonly dialect: Dialect;
	readonly description: string;
	/**
	 * Runs fn in one transaction: committed if it resolves, rolled back if it throws.
	 * `write` transactions take the write lock up front (SQLite BEGIN IMMEDIATE).
	 */
	transaction<T>(fn: (q: Querier) => Promise<T>, mode: 'read' | 'write'): Promise<T>;
	close(): Promise<void>;
}
