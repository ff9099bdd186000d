/**
 * PostgreSQL Record Events, set-based: a batch costs a few multi-row statements (unnest) per
 * round, not a handful of statements per event.
 * Each event goes one round after the last earlier event of the batch that shares its event id,
 * customer, order or cart. So within a round no two events touch the same row, and every row
 * still sees its events in batch order: customer merges, order state updates, cart versions and
 * the outcomes (recorded, duplicate, suppressed, the order's state) are those of recording the
 * events one at a time (sql/customers.ts), each statement conditional as there. Coupon codes are
 * redeemed last, each by the first order of the batch that names it.
 */
import { codeKey } from '../../core/codes';
import type { CanonicalEvent } from '../../core/event';
import { toMinor } from '../../core/money';
import type { Millis, RecordOutcome } from '../../core/store';
import type { Dialect, Querier } from '../driver';
import {
	CART_UPDATE,
	cartValues,
	customerValues,
	orderAmounts,
	orderCodes,
	recordings,
	registeredAtOf,
	stateOf,
	UNCOUNTED,
	type OrderState,
	type Recording,
} from '../sql/customers';

type Value = string | number | null;
type Item = Recording & { n: number };

/** Columns of rows, as one array per column (unnest's arguments). */
function columns(rows: Array<Array<Value | bigint>>, width: number): Value[][] {
	return Array.from({ length: width }, (_, c) => rows.map((row) => (typeof row[c] === 'bigint' ? String(row[c]) : (row[c] as Value))));
}

const orderKey = (source: string, id: string) => JSON.stringify([source, id]);

/** The rows an event touches, as keys: two events that share one are recorded in batch order. */
function keysOf({ event, customerId, isOrder }: Recording): string[] {
	const keys = [`e:${event.id}`];
	if (customerId !== null) keys.push(`c:${customerId}`);
	if (isOrder) keys.push(`o:${orderKey(event.source, event.order!.id)}`);
	if (event.cart && customerId !== null) keys.push(`k:${event.cart.id}`);
	return keys;
}

function inRounds(items: Item[]): Item[][] {
	const last = new Map<string, number>();
	const rounds: Item[][] = [];
	for (const item of items) {
		const keys = keysOf(item);
		const round = 1 + Math.max(-1, ...keys.map((key) => last.get(key) ?? -1));
		for (const key of keys) last.set(key, round);
		(rounds[round] ??= []).push(item);
	}
	return rounds;
}

const INSERT_EVENTS = `INSERT INTO events (id, type, source, customer_id, occurred_at, recorded_at, payload)
	SELECT e.id, e.type, e.source, e.customer_id, e.occurred_at, $1::bigint, e.payload
	FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[])
		AS e (id, type, source, customer_id, occurred_at, payload, h1, h2, h3)
	WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.hash IN (e.h1, e.h2, e.h3) AND s.forgotten_at > e.occurred_at)
	ON CONFLICT (id) DO NOTHING RETURNING id`;

const CUSTOMER_COLUMNS = `$2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::smallint[], $12::bigint[]`;
const CUSTOMER_NAMES = 'id, email, phone, first_name, last_name, birthday, birth_md, timezone, locale, accepts_marketing, registered_at';

const INSERT_CUSTOMERS = `INSERT INTO customers (${CUSTOMER_NAMES}, first_seen_at, updated_at)
	SELECT c.*, $1::bigint, $1::bigint FROM unnest(${CUSTOMER_COLUMNS}) AS c (${CUSTOMER_NAMES})
	ON CONFLICT (id) DO NOTHING RETURNING id`;

const UPDATE_CUSTOMERS = `UPDATE customers SET email = COALESCE(c.email, customers.email), phone = COALESCE(c.phone, customers.phone),
		first_name = COALESCE(c.first_name, customers.first_name), last_name = COALESCE(c.last_name, customers.last_name),
		birthday = COALESCE(c.birthday, customers.birthday), birth_md = COALESCE(c.birth_md, customers.birth_md),
		timezone = COALESCE(c.timezone, customers.timezone), locale = COALESCE(c.locale, customers.locale),
		accepts_marketing = COALESCE(c.accepts_marketing, customers.accepts_marketing),
		registered_at = COALESCE(customers.registered_at, c.registered_at), updated_at = $1
	FROM unnest(${CUSTOMER_COLUMNS}) AS c (${CUSTOMER_NAMES})
	WHERE customers.id = c.id`;

const INSERT_ORDERS = `INSERT INTO orders (source, id, customer_id, placed_at, currency, total_minor, refunded_minor, status, counted, state_at)
	SELECT o.*, o.placed_at
	FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::smallint[])
		AS o (source, id, customer_id, placed_at, currency, total_minor, refunded_minor, status, counted)
	ON CONFLICT (source, id) DO NOTHING RETURNING source, id, counted, status`;

/** A known order takes this event's state only when it is at least as new, and only for the order's own customer. */
const UPDATE_ORDERS = `UPDATE orders SET status = COALESCE(u.status, orders.status), refunded_minor = COALESCE(u.refunded, orders.refunded_minor),
		state_at = u.at,
		counted = CASE WHEN LOWER(COALESCE(u.status, orders.status)) = ANY($1::text[])
			OR (COALESCE(u.refunded, orders.refunded_minor) > 0 AND COALESCE(u.refunded, orders.refunded_minor) >= orders.total_minor) THEN 0 ELSE 1 END
	FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[]) AS u (source, id, customer_id, at, status, refunded)
	WHERE orders.source = u.source AND orders.id = u.id AND orders.customer_id IS NOT DISTINCT FROM u.customer_id AND orders.state_at <= u.at
	RETURNING orders.source, orders.id, orders.counted, orders.status`;

/** The stored state of each order for this customer; an order of another customer is not counted for this one. */
const ORDER_STATES = `SELECT o.source, o.id, o.counted, o.status
	FROM unnest($1::text[], $2::text[], $3::text[]) AS u (source, id, customer_id)
	JOIN orders o ON o.source = u.source AND o.id = u.id AND o.customer_id IS NOT DISTINCT FROM u.customer_id`;

const RECOMPUTE_LAST_ORDER = `UPDATE customers SET last_order_at = (SELECT MAX(placed_at) FROM orders WHERE customer_id = customers.id AND counted = 1)
	WHERE id = ANY($1::text[])`;

const LAST_ORDER = `UPDATE customers SET last_order_at = CASE WHEN last_order_at IS NULL OR last_order_at < u.at THEN u.at ELSE last_order_at END
	FROM unnest($1::text[], $2::bigint[]) AS u (id, at) WHERE customers.id = u.id`;

const INSERT_LINES = `INSERT INTO order_lines (source, order_id, line_no, customer_id, placed_at, product_id, sku, name, quantity, price_minor)
	SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::bigint[])
	ON CONFLICT DO NOTHING`;

const INSERT_CATEGORIES = `INSERT INTO order_categories (source, order_id, category, customer_id, placed_at)
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) ON CONFLICT DO NOTHING`;

const INSERT_CODES = `INSERT INTO order_codes (source, order_id, kind, code, customer_id, placed_at)
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) ON CONFLICT DO NOTHING`;

const INSERT_CARTS = `INSERT INTO carts (id, customer_id, currency, total_minor, item_count, lines, recovery_url, closed_at, updated_at, version)
	SELECT c.*, 1 FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::integer[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
		AS c (id, customer_id, currency, total_minor, item_count, lines, recovery_url, closed_at, updated_at)
	${CART_UPDATE}`;

/** Each code is redeemed by the first order of the batch that names it (n: its place in the batch). */
const REDEEM = `UPDATE coupon_codes SET redeemed_at = r.at, redeemed_order = r.order_id
	FROM (SELECT DISTINCT ON (key) key, at, order_id FROM unnest($1::text[], $2::bigint[], $3::text[], $4::integer[]) AS u (key, at, order_id, n) ORDER BY key, n) AS r
	WHERE coupon_codes.code_key = r.key AND coupon_codes.redeemed_at IS NULL`;

interface Redemption {
	key: string;
	at: Millis;
	orderId: string;
	/** The order's event's place in the batch. */
	n: number;
}

class Batch {
	readonly outcomes: RecordOutcome[];
	readonly redemptions: Redemption[] = [];

	constructor(
		private readonly q: Querier,
		private readonly now: Millis,
		size: number,
	) {
		this.outcomes = new Array<RecordOutcome>(size);
	}

	async round(items: Item[]): Promise<void> {
		const { q, now } = this;
		const inserted = new Set(
			(
				await q.all(INSERT_EVENTS, [
					now,
					...columns(
						items.map(({ event, customerId, occurredAt, checked }) => [event.id, event.type, event.source, customerId, occurredAt, JSON.stringify(event), ...checked]),
						9,
					),
				])
			).map((row) => String(row.id)),
		);
		const recorded = items.filter((item) => inserted.has(item.event.id));
		const others = items.filter((item) => !inserted.has(item.event.id));
		const known = new Set<string>();
		if (others.length > 0) {
			for (const row of await q.all('SELECT id FROM events WHERE id = ANY($1::text[])', [others.map((item) => item.event.id)])) known.add(String(row.id));
		}
		const newCustomers = await this.customers(recorded);
		const states = await this.orders(recorded.filter((item) => item.isOrder));
		const unsettled = [...recorded, ...others.filter((item) => known.has(item.event.id))].filter(
			(item) => item.isOrder && !states.has(orderKey(item.event.source, item.event.order!.id)),
		);
		if (unsettled.length > 0) {
			const rows = await q.all(ORDER_STATES, columns(unsettled.map(({ event, customerId }) => [event.source, event.order!.id, customerId]), 3));
			for (const row of rows) states.set(orderKey(String(row.source), String(row.id)), stateOf(row));
		}
		await this.carts(recorded);
		const stateOfItem = ({ event, isOrder }: Item): OrderState | undefined =>
			isOrder ? (states.get(orderKey(event.source, event.order!.id)) ?? { counted: false }) : undefined;
		for (const item of items) {
			const id = item.event.id;
			const order = stateOfItem(item);
			if (inserted.has(id)) {
				this.outcomes[item.n] = { id, recorded: true, newCustomer: newCustomers.has(id), ...(order && { order }) };
			} else if (known.has(id)) {
				this.outcomes[item.n] = { id, recorded: false, newCustomer: false, ...(order && { order }) };
			} else {
				this.outcomes[item.n] = { id, recorded: false, newCustomer: false, suppressed: true };
			}
		}
	}

	/** Inserts the customers never seen, merges the others; returns the ids of the events that brought a new customer. */
	private async customers(recorded: Item[]): Promise<Set<string>> {
		const named = recorded.filter((item) => item.event.customer);
		if (named.length === 0) return new Set();
		const values = (items: Item[]) => [this.now, ...columns(items.map(({ event, occurredAt }) => customerValues(event.customer!, registeredAtOf(event, occurredAt))), 11)];
		const inserted = new Set((await this.q.all(INSERT_CUSTOMERS, values(named))).map((row) => String(row.id)));
		const merged = named.filter((item) => !inserted.has(item.customerId!));
		if (merged.length > 0) await this.q.run(UPDATE_CUSTOMERS, values(merged));
		return new Set(named.filter((item) => inserted.has(item.customerId!)).map((item) => item.event.id));
	}

	/** Inserts new orders with their lines, categories and codes, updates known ones; returns the states written, by order key. */
	private async orders(items: Item[]): Promise<Map<string, OrderState>> {
		const states = new Map<string, OrderState>();
		if (items.length === 0) return states;
		const { q } = this;
		const amounts = new Map(items.map((item) => [item, orderAmounts(item.event.order!)]));
		const rows = await q.all(
			INSERT_ORDERS,
			columns(
				items.map((item) => {
					const { event, customerId, occurredAt } = item;
					const { total, refunded, counted } = amounts.get(item)!;
					const order = event.order!;
					return [event.source, order.id, customerId, occurredAt, order.currency, total, refunded ?? 0n, order.status ?? null, counted ? 1 : 0];
				}),
				9,
			),
		);
		for (const row of rows) states.set(orderKey(String(row.source), String(row.id)), stateOf(row));
		const isNew = (item: Item) => states.has(orderKey(item.event.source, item.event.order!.id));
		const added = items.filter(isNew);
		const known = items.filter((item) => !isNew(item));
		if (known.length > 0) {
			const updated = await q.all(UPDATE_ORDERS, [
				UNCOUNTED,
				...columns(
					known.map((item) => [item.event.source, item.event.order!.id, item.customerId, item.occurredAt, item.event.order!.status ?? null, amounts.get(item)!.refunded ?? null]),
					6,
				),
			]);
			for (const row of updated) states.set(orderKey(String(row.source), String(row.id)), stateOf(row));
			const recompute = known.filter((item) => item.customerId !== null && states.has(orderKey(item.event.source, item.event.order!.id)));
			if (recompute.length > 0) await q.run(RECOMPUTE_LAST_ORDER, [recompute.map((item) => item.customerId)]);
		}
		if (added.length > 0) await this.orderRows(added, amounts);
		return states;
	}

	private async orderRows(added: Item[], amounts: Map<Item, { counted: boolean }>): Promise<void> {
		const { q } = this;
		const lines = added.flatMap(({ event, customerId, occurredAt }) => {
			const order = event.order!;
			return order.lines.map((line, index) => [
				event.source,
				order.id,
				index,
				customerId,
				occurredAt,
				line.productId,
				line.sku ?? null,
				line.name ?? null,
				line.quantity,
				toMinor(line.price, order.currency, `lines[${index}].price`),
			]);
		});
		if (lines.length > 0) await q.run(INSERT_LINES, columns(lines, 10));
		const categories = added.flatMap(({ event, customerId, occurredAt }) =>
			[...new Set(event.order!.lines.flatMap((line) => line.categories))].map((category) => [event.source, event.order!.id, category, customerId, occurredAt]),
		);
		if (categories.length > 0) await q.run(INSERT_CATEGORIES, columns(categories, 5));
		const codes = added.flatMap(({ event, customerId, occurredAt }) =>
			orderCodes(event.order!).map(([kind, code]) => [event.source, event.order!.id, kind, code, customerId, occurredAt]),
		);
		if (codes.length > 0) await q.run(INSERT_CODES, columns(codes, 6));
		for (const { event, occurredAt, n } of added) {
			for (const [kind, code] of orderCodes(event.order!)) {
				if (kind === 'coupon') this.redemptions.push({ key: codeKey(code), at: occurredAt, orderId: event.order!.id, n });
			}
		}
		const counted = added.filter((item) => amounts.get(item)!.counted && item.customerId !== null);
		if (counted.length > 0) await q.run(LAST_ORDER, columns(counted.map(({ customerId, occurredAt }) => [customerId, occurredAt]), 2));
	}

	/** A cart nobody is named for cannot be recovered: only its event is kept. */
	private async carts(recorded: Item[]): Promise<void> {
		const carts = recorded.filter(({ event }) => event.cart && event.customer);
		if (carts.length === 0) return;
		await this.q.run(
			INSERT_CARTS,
			columns(
				carts.map(({ event, customerId, occurredAt }) => [event.cart!.id, customerId, ...cartValues(event.cart!, occurredAt), occurredAt]),
				9,
			),
		);
	}

	async redeem(): Promise<void> {
		if (this.redemptions.length === 0) return;
		// In batch order (a stable sort keeps an order's codes in their order), as the first order to name a code takes it.
		const redemptions = [...this.redemptions].sort((a, b) => a.n - b.n);
		await this.q.run(REDEEM, [redemptions.map((r) => r.key), redemptions.map((r) => r.at), redemptions.map((r) => r.orderId), redemptions.map((_, n) => n)]);
	}
}

export async function recordEvents(q: Querier, dialect: Dialect, events: CanonicalEvent[], now: Millis): Promise<RecordOutcome[]> {
	const items = (await recordings(q, dialect, events)).map((recording, n) => ({ ...recording, n }));
	const batch = new Batch(q, now, items.length);
	for (const round of inRounds(items)) await batch.round(round);
	await batch.redeem();
	return batch.outcomes;
}
