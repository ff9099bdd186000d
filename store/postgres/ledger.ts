/**
 * PostgreSQL Record Events, set-based: a batch costs a few multi-row statements (unnest), not a
 * handful of statements per event. The outcomes and the rows written are those of recording the
 * events one at a time in batch order (sql/customers.ts), each statement conditional as there:
 * 1. events, in rounds by event id (an id seen again in the batch goes to the next round): the
 *    insert that records an event unless recorded before or suppressed;
 * 2. customers of the recorded events, once each: their profiles merged in batch order (a later
 *    value replaces an earlier one, the first registration time stays), inserted or merged into
 *    the stored profile; the first recorded event of a customer never seen is its new customer;
 * 3. orders and carts, in rounds by order and cart (each round touches a row once, rows see their
 *    events in batch order): new orders with their lines, categories and codes, newer states of
 *    known orders, the state each order event reports, carts;
 * 4. last orders: a customer whose order changed state gets the newest order still counted, any
 *    other customer with a new counted order the newest of it and the stored one (the result of
 *    either in any order); coupon codes, each redeemed by the first order of the batch naming it.
 */
import { codeKey } from '../../core/codes';
import type { CanonicalEvent } from '../../core/event';
import { toMinor } from '../../core/money';
import type { Millis, RecordOutcome } from '../../core/store';
import type { Dialect, Querier } from '../driver';
import { productOf, recordProducts } from '../sql/products';
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
const orderKeyOf = ({ event }: Item) => orderKey(event.source, event.order!.id);

/** Each item one round after the last earlier item that shares a key with it. */
function inRounds(items: Item[], keysOf: (item: Item) => string[]): Item[][] {
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

/** Recorded unless recorded before, or about someone forgotten after it occurred (h1..h3: the identity hashes, NULL matches nothing). */
const INSERT_EVENTS = `INSERT INTO events (id, type, source, customer_id, occurred_at, recorded_at, payload)
	SELECT e.id, e.type, e.source, e.customer_id, e.occurred_at, $1::bigint, e.payload
	FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::text[])
		AS e (id, type, source, customer_id, occurred_at, payload, h1, h2, h3)
	WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.hash IN (e.h1, e.h2, e.h3) AND s.forgotten_at > e.occurred_at)
	ON CONFLICT (id) DO NOTHING RETURNING id`;

/** The same when no event has an identity hash to check (the store has no suppression). */
const INSERT_UNCHECKED_EVENTS = `INSERT INTO events (id, type, source, customer_id, occurred_at, recorded_at, payload)
	SELECT e.id, e.type, e.source, e.customer_id, e.occurred_at, $1::bigint, e.payload
	FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) AS e (id, type, source, customer_id, occurred_at, payload)
	ON CONFLICT (id) DO NOTHING RETURNING id`;

const CUSTOMER_COLUMNS = `$2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::smallint[], $12::bigint[]`;
const CUSTOMER_NAMES = 'id, email, phone, first_name, last_name, birthday, birth_md, timezone, locale, accepts_marketing, registered_at';

// registered_known_at: when the store learned of the registration ($1, the store clock; NULL without one).
const INSERT_CUSTOMERS = `INSERT INTO customers (${CUSTOMER_NAMES}, first_seen_at, updated_at, registered_known_at)
	SELECT c.*, $1::bigint, $1::bigint, CASE WHEN c.registered_at IS NULL THEN NULL ELSE $1::bigint END FROM unnest(${CUSTOMER_COLUMNS}) AS c (${CUSTOMER_NAMES})
	ON CONFLICT (id) DO NOTHING RETURNING id`;

const UPDATE_CUSTOMERS = `UPDATE customers SET email = COALESCE(c.email, customers.email), phone = COALESCE(c.phone, customers.phone),
		first_name = COALESCE(c.first_name, customers.first_name), last_name = COALESCE(c.last_name, customers.last_name),
		birthday = COALESCE(c.birthday, customers.birthday), birth_md = COALESCE(c.birth_md, customers.birth_md),
		timezone = COALESCE(c.timezone, customers.timezone), locale = COALESCE(c.locale, customers.locale),
		accepts_marketing = COALESCE(c.accepts_marketing, customers.accepts_marketing),
		registered_at = COALESCE(customers.registered_at, c.registered_at), updated_at = $1,
		registered_known_at = CASE WHEN customers.registered_at IS NULL AND c.registered_at IS NOT NULL THEN $1::bigint ELSE customers.registered_known_at END
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

/** A change of last_order_at is learned of at $2 (the store clock). */
const NEWEST_COUNTED = '(SELECT MAX(placed_at) FROM orders WHERE customer_id = customers.id AND counted = 1)';
const RECOMPUTE_LAST_ORDER = `UPDATE customers SET last_order_at = ${NEWEST_COUNTED},
		last_order_known_at = CASE WHEN last_order_at IS NOT DISTINCT FROM ${NEWEST_COUNTED} THEN last_order_known_at ELSE $2::bigint END
	WHERE id = ANY($1::text[])`;

const LAST_ORDER = `UPDATE customers SET last_order_at = CASE WHEN last_order_at IS NULL OR last_order_at < u.at THEN u.at ELSE last_order_at END,
		last_order_known_at = CASE WHEN last_order_at IS NULL OR last_order_at < u.at THEN $3::bigint ELSE last_order_known_at END
	FROM unnest($1::text[], $2::bigint[]) AS u (id, at) WHERE customers.id = u.id`;

const INSERT_LINES = `INSERT INTO order_lines (source, order_id, line_no, customer_id, placed_at, product_id, sku, name, quantity, price_minor)
	SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::bigint[])
	ON CONFLICT DO NOTHING`;

const INSERT_CATEGORIES = `INSERT INTO order_categories (source, order_id, category, customer_id, placed_at)
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) ON CONFLICT DO NOTHING`;

const INSERT_CODES = `INSERT INTO order_codes (source, order_id, kind, code, customer_id, placed_at)
	SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) ON CONFLICT DO NOTHING`;

/** known_at: when the store learned of this version ($10, the store clock). */
const INSERT_CARTS = `INSERT INTO carts (id, customer_id, currency, total_minor, item_count, lines, recovery_url, closed_at, updated_at, version, known_at)
	SELECT c.*, 1, $10::bigint FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::integer[], $6::text[], $7::text[], $8::bigint[], $9::bigint[])
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

/** customerValues columns a later event replaces when it names them (id and registered_at excepted). */
const MERGED = [1, 2, 3, 4, 5, 6, 7, 8, 9];
const REGISTERED_AT = 10;

class Batch {
	private readonly status: Array<'recorded' | 'duplicate' | 'suppressed'> = [];
	private readonly newCustomer = new Set<number>();
	private readonly states = new Map<number, OrderState>();
	/** Customers with a new counted order: the newest such order. */
	private readonly newest = new Map<string, Millis>();
	/** Customers with an order whose state changed. */
	private readonly changed = new Set<string>();
	private readonly redemptions: Redemption[] = [];

	constructor(
		private readonly q: Querier,
		private readonly now: Millis,
		private readonly items: Item[],
	) {}

	recorded(item: Item): boolean {
		return this.status[item.n] === 'recorded';
	}

	async events(round: Item[]): Promise<void> {
		const { q, now } = this;
		const unchecked = round.every((item) => item.checked.every((hash) => hash === null));
		const rows = columns(
			round.map(({ event, customerId, occurredAt, checked }) => [event.id, event.type, event.source, customerId, occurredAt, JSON.stringify(event), ...checked]),
			unchecked ? 6 : 9,
		);
		const inserted = new Set((await q.all(unchecked ? INSERT_UNCHECKED_EVENTS : INSERT_EVENTS, [now, ...rows])).map((row) => String(row.id)));
		const others = round.filter((item) => !inserted.has(item.event.id));
		const known = new Set<string>();
		if (others.length > 0) {
			for (const row of await q.all('SELECT id FROM events WHERE id = ANY($1::text[])', [others.map((item) => item.event.id)])) known.add(String(row.id));
		}
		for (const { event, n } of round) this.status[n] = inserted.has(event.id) ? 'recorded' : known.has(event.id) ? 'duplicate' : 'suppressed';
	}

	async customers(): Promise<void> {
		const profiles = new Map<string, { values: Value[]; n: number }>();
		for (const item of this.items) {
			const { event, occurredAt, customerId, n } = item;
			if (!this.recorded(item) || customerId === null) continue;
			const values = customerValues(event.customer!, registeredAtOf(event, occurredAt));
			const profile = profiles.get(customerId);
			if (!profile) {
				profiles.set(customerId, { values, n });
				continue;
			}
			for (const c of MERGED) if (values[c] !== null) profile.values[c] = values[c];
			profile.values[REGISTERED_AT] ??= values[REGISTERED_AT];
		}
		if (profiles.size === 0) return;
		// In id order, as the last orders below: concurrent batches lock customers in one order.
		const list = [...profiles.values()].sort((a, b) => (String(a.values[0]) < String(b.values[0]) ? -1 : 1));
		const params = (rows: typeof list) => [this.now, ...columns(rows.map((p) => p.values), 11)];
		const inserted = new Set((await this.q.all(INSERT_CUSTOMERS, params(list))).map((row) => String(row.id)));
		const merged = list.filter((p) => !inserted.has(String(p.values[0])));
		if (merged.length > 0) await this.q.run(UPDATE_CUSTOMERS, params(merged));
		for (const p of list) if (inserted.has(String(p.values[0]))) this.newCustomer.add(p.n);
	}

	/** Product versions of recorded product.updated events, each written only when no newer one is stored. */
	async products(): Promise<void> {
		const products = this.items.flatMap((item) => {
			const product = this.recorded(item) ? productOf(item.event, item.occurredAt) : undefined;
			return product ? [product] : [];
		});
		if (products.length > 0) await recordProducts(this.q, products, this.now);
	}

	/** The order and cart work of events (recorded ones, and redeliveries of order events, which report their order's state). */
	needsOrderRound(item: Item): boolean {
		return item.isOrder ? this.status[item.n] !== 'suppressed' : this.recorded(item) && item.event.cart !== undefined && item.customerId !== null;
	}

	orderRoundKeys(item: Item): string[] {
		const keys = item.isOrder ? [`o:${orderKeyOf(item)}`] : [];
		if (this.recorded(item) && item.event.cart && item.customerId !== null) keys.push(`k:${item.event.cart.id}`);
		return keys;
	}

	async ordersAndCarts(round: Item[]): Promise<void> {
		const orders = round.filter((item) => item.isOrder);
		const written = await this.orders(orders.filter((item) => this.recorded(item)));
		const unsettled = orders.filter((item) => !written.has(orderKeyOf(item)));
		if (unsettled.length > 0) {
			const rows = await this.q.all(ORDER_STATES, columns(unsettled.map(({ event, customerId }) => [event.source, event.order!.id, customerId]), 3));
			for (const row of rows) written.set(orderKey(String(row.source), String(row.id)), stateOf(row));
		}
		for (const item of orders) this.states.set(item.n, written.get(orderKeyOf(item)) ?? { counted: false });
		await this.carts(round.filter((item) => this.recorded(item) && item.event.cart && item.customerId !== null));
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
		const added = items.filter((item) => states.has(orderKeyOf(item)));
		const known = items.filter((item) => !states.has(orderKeyOf(item)));
		if (known.length > 0) {
			const updated = await q.all(UPDATE_ORDERS, [
				UNCOUNTED,
				...columns(
					known.map((item) => [item.event.source, item.event.order!.id, item.customerId, item.occurredAt, item.event.order!.status ?? null, amounts.get(item)!.refunded ?? null]),
					6,
				),
			]);
			for (const row of updated) states.set(orderKey(String(row.source), String(row.id)), stateOf(row));
			for (const item of known) if (item.customerId !== null && states.has(orderKeyOf(item))) this.changed.add(item.customerId);
		}
		if (added.length > 0) await this.orderRows(added);
		for (const item of added) {
			if (!amounts.get(item)!.counted || item.customerId === null) continue;
			this.newest.set(item.customerId, Math.max(this.newest.get(item.customerId) ?? item.occurredAt, item.occurredAt));
		}
		return states;
	}

	private async orderRows(added: Item[]): Promise<void> {
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
	}

	/** A cart nobody is named for cannot be recovered: only its event is kept. */
	private async carts(carts: Item[]): Promise<void> {
		if (carts.length === 0) return;
		const rows = carts.map(({ event, customerId, occurredAt }) => [event.cart!.id, customerId, ...cartValues(event.cart!, occurredAt), occurredAt]);
		await this.q.run(INSERT_CARTS, [...columns(rows, 9), this.now]);
	}

	/**
	 * Recording one at a time keeps last_order_at the newest counted order once any of the
	 * customer's orders changed state (each change recomputes it, each new counted order can only
	 * raise it), else raises it to the newest new counted order: so is it set here, once.
	 */
	async lastOrders(): Promise<void> {
		const raised = [...this.newest].filter(([customerId]) => !this.changed.has(customerId)).sort(([a], [b]) => (a < b ? -1 : 1));
		if (raised.length > 0) await this.q.run(LAST_ORDER, [...columns(raised, 2), this.now]);
		if (this.changed.size > 0) await this.q.run(RECOMPUTE_LAST_ORDER, [[...this.changed], this.now]);
	}

	async redeem(): Promise<void> {
		if (this.redemptions.length === 0) return;
		// In batch order (a stable sort keeps an order's codes in their order), as the first order to name a code takes it.
		const redemptions = [...this.redemptions].sort((a, b) => a.n - b.n);
		await this.q.run(REDEEM, [redemptions.map((r) => r.key), redemptions.map((r) => r.at), redemptions.map((r) => r.orderId), redemptions.map((_, n) => n)]);
	}

	outcomes(): RecordOutcome[] {
		return this.items.map(({ event, n }) => {
			const order = this.states.get(n);
			if (this.status[n] === 'suppressed') return { id: event.id, recorded: false, newCustomer: false, suppressed: true };
			return { id: event.id, recorded: this.status[n] === 'recorded', newCustomer: this.newCustomer.has(n), ...(order && { order }) };
		});
	}
}

export async function recordEvents(q: Querier, dialect: Dialect, events: CanonicalEvent[], now: Millis): Promise<RecordOutcome[]> {
	const items = (await recordings(q, dialect, events)).map((recording, n) => ({ ...recording, n }));
	const batch = new Batch(q, now, items);
	for (const round of inRounds(items, (item) => [item.event.id])) await batch.events(round);
	await batch.customers();
	await batch.products();
	const ordered = items.filter((item) => batch.needsOrderRound(item));
	for (const round of inRounds(ordered, (item) => batch.orderRoundKeys(item))) await batch.ordersAndCarts(round);
	await batch.lastOrders();
	await batch.redeem();
	return batch.outcomes();
}
