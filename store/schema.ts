/**
 * Versioned migrations, one list for both dialects. `${ID}` is the dialect's auto-increment key.
 * A migration is applied once, in its own transaction, recorded in schema_migrations.
 */
import { randomBytes } from 'node:crypto';
import { codeKey } from '../core/codes';
import type { Row, SqlValue } from './driver';

/** Values SQL cannot compute alike on both dialects: rows read, parameters computed in JS, one update per row. */
export interface Backfill {
	select: string;
	update: string;
	params(rows: Row[]): SqlValue[][];
}

export interface Migration {
	version: number;
	name: string;
	/** SQL statements and backfills, in order. */
	statements: Array<string | Backfill>;
}

/**
 * coupon_codes.code_key from the code (codeKey). A code whose key an earlier code of its pool
 * already has (a twin that differs only by invisible or compatibility characters) keeps its row,
 * with a key no look-up produces (codeKey never yields U+200B).
 */
const codeKeys: Backfill = {
	select: 'SELECT id, pool_id, code FROM coupon_codes ORDER BY id',
	update: 'UPDATE coupon_codes SET code_key = $1 WHERE id = $2',
	params(rows) {
		const taken = new Set<string>();
		return rows.map((row) => {
			const key = codeKey(String(row.code));
			const unique = taken.has(`${row.pool_id}:${key}`) ? `${key}\u200b${row.id}` : key;
			taken.add(`${row.pool_id}:${key}`);
			return [unique, Number(row.id)];
		});
	},
};

/** A random HMAC key for the suppression hashes, one per store. */
const suppressionKey: Backfill = {
	select: 'SELECT COUNT(*) AS n FROM store_secrets',
	update: `INSERT INTO store_secrets (name, value) VALUES ('suppression_key', $1)`,
	params: () => [[randomBytes(32).toString('hex')]],
};

export const MIGRATIONS: Migration[] = [
	{
		version: 1,
		name: 'activity store',
		statements: [
			`CREATE TABLE customers (
				id TEXT PRIMARY KEY,
				email TEXT,
				phone TEXT,
				first_name TEXT,
				last_name TEXT,
				birthday TEXT,
				birth_md TEXT,
				timezone TEXT,
				locale TEXT,
				accepts_marketing SMALLINT,
				registered_at BIGINT,
				first_seen_at BIGINT NOT NULL,
				updated_at BIGINT NOT NULL,
				last_order_at BIGINT
			)`,
			`CREATE INDEX customers_birth_md ON customers (birth_md)`,
			`CREATE INDEX customers_registered_no_order ON customers (registered_at) WHERE last_order_at IS NULL`,
			`CREATE INDEX customers_last_order ON customers (last_order_at)`,

			`CREATE TABLE events (
				id TEXT PRIMARY KEY,
				type TEXT NOT NULL,
				source TEXT NOT NULL,
				customer_id TEXT NOT NULL,
				occurred_at BIGINT NOT NULL,
				recorded_at BIGINT NOT NULL,
				payload TEXT NOT NULL
			)`,
			`CREATE INDEX events_customer ON events (customer_id, occurred_at)`,

			`CREATE TABLE orders (
				id TEXT PRIMARY KEY,
				customer_id TEXT NOT NULL,
				placed_at BIGINT NOT NULL,
				currency TEXT NOT NULL,
				total_minor BIGINT NOT NULL,
				status TEXT,
				counted SMALLINT NOT NULL DEFAULT 1
			)`,
			`CREATE INDEX orders_customer ON orders (customer_id, placed_at)`,
			`CREATE TABLE order_lines (
				order_id TEXT NOT NULL,
				line_no INTEGER NOT NULL,
				customer_id TEXT NOT NULL,
				placed_at BIGINT NOT NULL,
				product_id TEXT NOT NULL,
				sku TEXT,
				name TEXT,
				quantity INTEGER NOT NULL,
				price_minor BIGINT NOT NULL,
				PRIMARY KEY (order_id, line_no)
			)`,
			`CREATE INDEX order_lines_customer ON order_lines (customer_id, placed_at)`,
			`CREATE TABLE order_categories (
				order_id TEXT NOT NULL,
				category TEXT NOT NULL,
				customer_id TEXT NOT NULL,
				placed_at BIGINT NOT NULL,
				PRIMARY KEY (order_id, category)
			)`,
			`CREATE INDEX order_categories_customer ON order_categories (customer_id, placed_at)`,
			`CREATE TABLE order_codes (
				order_id TEXT NOT NULL,
				kind TEXT NOT NULL,
				code TEXT NOT NULL,
				customer_id TEXT NOT NULL,
				placed_at BIGINT NOT NULL,
				PRIMARY KEY (order_id, kind, code)
			)`,
			`CREATE INDEX order_codes_customer ON order_codes (customer_id, placed_at)`,

			`CREATE TABLE carts (
				id TEXT PRIMARY KEY,
				customer_id TEXT NOT NULL,
				currency TEXT,
				total_minor BIGINT,
				item_count INTEGER NOT NULL,
				lines TEXT NOT NULL,
				recovery_url TEXT,
				updated_at BIGINT NOT NULL,
				version INTEGER NOT NULL,
				closed_at BIGINT
			)`,
			`CREATE INDEX carts_open ON carts (updated_at) WHERE closed_at IS NULL`,
			`CREATE INDEX carts_customer ON carts (customer_id)`,

			`CREATE TABLE segments (
				id \${ID},
				name TEXT NOT NULL UNIQUE,
				created_at BIGINT NOT NULL
			)`,
			`CREATE TABLE segment_members (
				segment_id BIGINT NOT NULL,
				customer_id TEXT NOT NULL,
				added_at BIGINT NOT NULL,
				expires_at BIGINT,
				PRIMARY KEY (segment_id, customer_id)
			)`,
			`CREATE INDEX segment_members_customer ON segment_members (customer_id)`,

			`CREATE TABLE coupon_pools (
				id \${ID},
				name TEXT NOT NULL UNIQUE,
				created_at BIGINT NOT NULL
			)`,
			`CREATE TABLE coupon_codes (
				id \${ID},
				pool_id BIGINT NOT NULL,
				code TEXT NOT NULL,
				discount_kind TEXT,
				discount_value TEXT,
				currency TEXT,
				minimum_order TEXT,
				valid_until BIGINT,
				added_at BIGINT NOT NULL,
				assigned_to TEXT,
				assignment_key TEXT,
				assigned_at BIGINT,
				expires_at BIGINT,
				redeemed_at BIGINT,
				redeemed_order TEXT,
				UNIQUE (pool_id, code),
				UNIQUE (pool_id, assignment_key)
			)`,
			`CREATE INDEX coupon_codes_free ON coupon_codes (pool_id, id) WHERE assigned_to IS NULL`,
			`CREATE INDEX coupon_codes_holder ON coupon_codes (assigned_to)`,
			`CREATE INDEX coupon_codes_code ON coupon_codes (code)`,

			`CREATE TABLE guard_counters (
				activity TEXT NOT NULL,
				customer_id TEXT NOT NULL,
				entries INTEGER NOT NULL,
				first_at BIGINT NOT NULL,
				last_at BIGINT NOT NULL,
				PRIMARY KEY (activity, customer_id)
			)`,
			`CREATE INDEX guard_counters_customer ON guard_counters (customer_id)`,
			`CREATE TABLE guard_entries (
				activity TEXT NOT NULL,
				customer_id TEXT NOT NULL,
				entry_key TEXT NOT NULL,
				entered_at BIGINT NOT NULL,
				PRIMARY KEY (activity, customer_id, entry_key)
			)`,
			`CREATE INDEX guard_entries_customer ON guard_entries (customer_id, entered_at)`,
			`CREATE INDEX guard_entries_activity ON guard_entries (activity, entered_at)`,

			`CREATE TABLE occasion_claims (
				consumer TEXT NOT NULL,
				kind TEXT NOT NULL,
				customer_id TEXT NOT NULL,
				occurrence TEXT NOT NULL,
				claimed_at BIGINT NOT NULL,
				PRIMARY KEY (consumer, kind, customer_id, occurrence)
			)`,
			`CREATE INDEX occasion_claims_customer ON occasion_claims (customer_id)`,
		],
	},
	{
		version: 2,
		name: 'orders keyed by source, with state time and refunds; events and orders without a customer',
		statements: [
			// Events: customer_id may be NULL (an anonymous order).
			`CREATE TABLE events_v2 (
				id TEXT PRIMARY KEY,
				type TEXT NOT NULL,
				source TEXT NOT NULL,
				customer_id TEXT,
				occurred_at BIGINT NOT NULL,
				recorded_at BIGINT NOT NULL,
				payload TEXT NOT NULL
			)`,
			`INSERT INTO events_v2 (id, type, source, customer_id, occurred_at, recorded_at, payload)
				SELECT id, type, source, customer_id, occurred_at, recorded_at, payload FROM events`,
			`DROP TABLE events`,
			`ALTER TABLE events_v2 RENAME TO events`,
			`CREATE INDEX events_customer ON events (customer_id, occurred_at)`,

			// Orders: keyed by (source, id). A version-1 order takes the source of the order event
			// that recorded it (same customer, same instant).
			`CREATE TABLE orders_v2 (
				source TEXT NOT NULL,
				id TEXT NOT NULL,
				customer_id TEXT,
				placed_at BIGINT NOT NULL,
				currency TEXT NOT NULL,
				total_minor BIGINT NOT NULL,
				refunded_minor BIGINT NOT NULL DEFAULT 0,
				status TEXT,
				counted SMALLINT NOT NULL DEFAULT 1,
				state_at BIGINT NOT NULL,
				PRIMARY KEY (source, id)
			)`,
			`INSERT INTO orders_v2 (source, id, customer_id, placed_at, currency, total_minor, status, counted, state_at)
				SELECT COALESCE(
					(SELECT e.source FROM events e
					WHERE e.customer_id = o.customer_id AND e.occurred_at = o.placed_at AND e.type IN ('order.placed', 'order.updated')
					ORDER BY e.recorded_at, e.id LIMIT 1),
					'generic'), o.id, o.customer_id, o.placed_at, o.currency, o.total_minor, o.status, o.counted, o.placed_at
				FROM orders o`,
			`CREATE TABLE order_lines_v2 (
				source TEXT NOT NULL,
				order_id TEXT NOT NULL,
				line_no INTEGER NOT NULL,
				customer_id TEXT,
				placed_at BIGINT NOT NULL,
				product_id TEXT NOT NULL,
				sku TEXT,
				name TEXT,
				quantity INTEGER NOT NULL,
				price_minor BIGINT NOT NULL,
				PRIMARY KEY (source, order_id, line_no)
			)`,
			`INSERT INTO order_lines_v2 (source, order_id, line_no, customer_id, placed_at, product_id, sku, name, quantity, price_minor)
				SELECT o.source, l.order_id, l.line_no, l.customer_id, l.placed_at, l.product_id, l.sku, l.name, l.quantity, l.price_minor
				FROM order_lines l JOIN orders_v2 o ON o.id = l.order_id`,
			`CREATE TABLE order_categories_v2 (
				source TEXT NOT NULL,
				order_id TEXT NOT NULL,
				category TEXT NOT NULL,
				customer_id TEXT,
				placed_at BIGINT NOT NULL,
				PRIMARY KEY (source, order_id, category)
			)`,
			`INSERT INTO order_categories_v2 (source, order_id, category, customer_id, placed_at)
				SELECT o.source, x.order_id, x.category, x.customer_id, x.placed_at FROM order_categories x JOIN orders_v2 o ON o.id = x.order_id`,
			`CREATE TABLE order_codes_v2 (
				source TEXT NOT NULL,
				order_id TEXT NOT NULL,
				kind TEXT NOT NULL,
				code TEXT NOT NULL,
				customer_id TEXT,
				placed_at BIGINT NOT NULL,
				PRIMARY KEY (source, order_id, kind, code)
			)`,
			`INSERT INTO order_codes_v2 (source, order_id, kind, code, customer_id, placed_at)
				SELECT o.source, x.order_id, x.kind, x.code, x.customer_id, x.placed_at FROM order_codes x JOIN orders_v2 o ON o.id = x.order_id`,
			`DROP TABLE order_lines`,
			`DROP TABLE order_categories`,
			`DROP TABLE order_codes`,
			`DROP TABLE orders`,
			`ALTER TABLE orders_v2 RENAME TO orders`,
			`ALTER TABLE order_lines_v2 RENAME TO order_lines`,
			`ALTER TABLE order_categories_v2 RENAME TO order_categories`,
			`ALTER TABLE order_codes_v2 RENAME TO order_codes`,
			`CREATE INDEX orders_customer ON orders (customer_id, placed_at)`,
			`CREATE INDEX order_lines_customer ON order_lines (customer_id, placed_at)`,
			`CREATE INDEX order_categories_customer ON order_categories (customer_id, placed_at)`,
			`CREATE INDEX order_codes_customer ON order_codes (customer_id, placed_at)`,

			// What derives from counted orders is recomputed: the last order, and carts, which are now
			// closed by an order when a counted order exists at or after their last update (occasions.ts).
			`UPDATE customers SET last_order_at =
				(SELECT MAX(o.placed_at) FROM orders o WHERE o.customer_id = customers.id AND o.counted = 1)`,
			`UPDATE carts SET closed_at = NULL WHERE item_count > 0 AND closed_at IS NOT NULL`,
		],
	},
	{
		version: 3,
		name: 'coupon codes kept as given, compared by key; assignment keys per customer',
		statements: [
			`ALTER TABLE coupon_codes ADD COLUMN code_key TEXT`,
			codeKeys,
			// Rebuilt (SQLite cannot drop a constraint): the key is unique per pool, the assignment key per customer.
			`CREATE TABLE coupon_codes_v3 (
				id \${ID},
				pool_id BIGINT NOT NULL,
				code TEXT NOT NULL,
				code_key TEXT NOT NULL,
				discount_kind TEXT,
				discount_value TEXT,
				currency TEXT,
				minimum_order TEXT,
				valid_until BIGINT,
				added_at BIGINT NOT NULL,
				assigned_to TEXT,
				assignment_key TEXT,
				assigned_at BIGINT,
				expires_at BIGINT,
				redeemed_at BIGINT,
				redeemed_order TEXT,
				CONSTRAINT coupon_codes_pool_key UNIQUE (pool_id, code_key),
				CONSTRAINT coupon_codes_assignment UNIQUE (pool_id, assigned_to, assignment_key)
			)`,
			`INSERT INTO coupon_codes_v3 (pool_id, code, code_key, discount_kind, discount_value, currency, minimum_order, valid_until, added_at,
				assigned_to, assignment_key, assigned_at, expires_at, redeemed_at, redeemed_order)
			SELECT pool_id, code, code_key, discount_kind, discount_value, currency, minimum_order, valid_until, added_at,
				assigned_to, assignment_key, assigned_at, expires_at, redeemed_at, redeemed_order
			FROM coupon_codes ORDER BY id`,
			`DROP TABLE coupon_codes`,
			`ALTER TABLE coupon_codes_v3 RENAME TO coupon_codes`,
			`CREATE INDEX coupon_codes_free ON coupon_codes (pool_id, id) WHERE assigned_to IS NULL`,
			`CREATE INDEX coupon_codes_holder ON coupon_codes (assigned_to)`,
			`CREATE INDEX coupon_codes_key ON coupon_codes (code_key)`,
		],
	},
	{
		version: 4,
		name: 'guard entries record skips',
		// A skipped attempt keeps its key with entered = 0, so a retry gets Skip back; every row so far is an entry.
		statements: [`ALTER TABLE guard_entries ADD COLUMN entered SMALLINT NOT NULL DEFAULT 1`],
	},
	{
		version: 5,
		name: 'suppressions of forgotten customers',
		statements: [
			// Secrets of this store, made here: the key of the suppression hashes.
			`CREATE TABLE store_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
			suppressionKey,
			// Who was forgotten, as keyed hashes only (sql/suppression.ts), and when.
			`CREATE TABLE suppressions (hash TEXT PRIMARY KEY, forgotten_at BIGINT NOT NULL)`,
		],
	},
	{
		version: 6,
		name: 'when the store learned of each cart version, registration and last order',
		statements: [
			// The store's clock at the write (sql/customers.ts): an occasion already due when a trigger
			// was activated is still new to it when the store learned of it later (occasions.ts).
			`ALTER TABLE carts ADD COLUMN known_at BIGINT`,
			`ALTER TABLE customers ADD COLUMN registered_known_at BIGINT`,
			`ALTER TABLE customers ADD COLUMN last_order_known_at BIGINT`,
			// Rows from before: the true instant is not kept, so an instant no later than it, and so no
			// occasion the store already knew of passes for new. A cart version: its update (a cart
			// updated after an activation was not due at it either). A registration and a last order:
			// when the customer was first seen.
			`UPDATE carts SET known_at = updated_at`,
			`UPDATE customers SET
				registered_known_at = CASE WHEN registered_at IS NULL THEN NULL ELSE first_seen_at END,
				last_order_known_at = CASE WHEN last_order_at IS NULL THEN NULL ELSE first_seen_at END`,
			`CREATE INDEX carts_open_known ON carts (known_at, id) WHERE closed_at IS NULL`,
			`CREATE INDEX customers_registered_known ON customers (last_order_at, registered_known_at, id) WHERE last_order_at IS NULL`,
			`CREATE INDEX customers_last_order_known ON customers (last_order_known_at, id)`,
		],
	},
	{
		version: 8,
		name: 'guard entries of a control group',
		// A held-out entry counts for the policy but the customer did not enter; every row so far entered or was skipped.
		statements: [`ALTER TABLE guard_entries ADD COLUMN held_out SMALLINT NOT NULL DEFAULT 0`],
	},
	{
		version: 9,
		name: 'coupon codes created in the shop',
		statements: [
			// NULL: a code of this store only. 'pending': to be created in the shop, 'created' there
			// (shop_id), 'refused' by it (shop_error); only NULL and 'created' codes are handed out.
			// shop_discount: the shop's discount the code belongs to. Every code so far stays as it was.
			`ALTER TABLE coupon_codes ADD COLUMN shop_state TEXT`,
			`ALTER TABLE coupon_codes ADD COLUMN shop_id TEXT`,
			`ALTER TABLE coupon_codes ADD COLUMN shop_discount TEXT`,
			`ALTER TABLE coupon_codes ADD COLUMN shop_error TEXT`,
			`CREATE INDEX coupon_codes_shop_pending ON coupon_codes (pool_id, id) WHERE shop_state = 'pending'`,
		],
	},
	{
		version: 10,
		name: 'product catalog',
		statements: [
			// The shop's products by the id order lines carry (sql/products.ts); updated_at orders the
			// versions of a product, so an older one recorded late changes nothing.
			`CREATE TABLE products (
				id TEXT PRIMARY KEY,
				title TEXT,
				updated_at BIGINT NOT NULL,
				recorded_at BIGINT NOT NULL
			)`,
			// Every category of a product now. Orders read them at read time, by product id (sql/purchases.ts).
			`CREATE TABLE product_categories (
				product_id TEXT NOT NULL,
				category TEXT NOT NULL,
				PRIMARY KEY (product_id, category)
			)`,
		],
	},
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function renderStatement(sql: string, dialect: 'sqlite' | 'postgres'): string {
	return sql.replace(
		/\$\{ID\}/g,
		dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY',
	);
}
