import { isCountedOrder, ORDER_EVENT_TYPES, UNCOUNTED_ORDER_STATUSES, type CanonicalEvent, type Customer, type Line } from '../../core/event';
import { codeKey } from '../../core/codes';
import { toMinor } from '../../core/money';
import { phoneId } from '../../core/events/guest';
import { InputError } from '../../core/errors';
import type { CartRow, CustomerRow, ForgetReport, ForgetRequest, Millis, RecordOutcome } from '../../core/store';
import type { Dialect, Querier, Row, SqlValue } from '../driver';
import { productOf, recordProducts } from './products';
import { CHECKED_IDENTITIES, emailIdentity, guestEmail, idIdentity, identitiesOf, suppress, suppressionHasher } from './suppression';
import { nil, opt, placeholders, str } from './util';


export function toCustomer(row: Row): CustomerRow {
	return {
		id: String(row.id),
		email: str(row.email),
		phone: str(row.phone),
		firstName: str(row.first_name),
		lastName: str(row.last_name),
		birthday: str(row.birthday),
		timezone: str(row.timezone),
		locale: str(row.locale),
		acceptsMarketing: row.accepts_marketing === null || row.accepts_marketing === undefined ? undefined : Number(row.accepts_marketing) === 1,
		registeredAt: opt(row.registered_at),
		firstSeenAt: Number(row.first_seen_at),
		updatedAt: Number(row.updated_at),
		lastOrderAt: opt(row.last_order_at),
	};
}

export function toCart(row: Row, prefix = ''): CartRow {
	const total = row[`${prefix}total_minor`];
	return {
		id: String(row[`${prefix}id`]),
		customerId: String(row[`${prefix}customer_id`]),
		currency: str(row[`${prefix}currency`]),
		totalMinor: total === null || total === undefined ? undefined : BigInt(total as number),
		lines: JSON.parse(String(row[`${prefix}lines`] ?? '[]')) as unknown[],
		recoveryUrl: str(row[`${prefix}recovery_url`]),
		updatedAt: Number(row[`${prefix}updated_at`]),
		version: Number(row[`${prefix}version`]),
	};
}

/**
 * A customer's columns id, email, phone, first_name, last_name, birthday, birth_md, timezone,
 * locale, accepts_marketing, registered_at; NULL where the event says nothing.
 */
export function customerValues(customer: Customer, registeredAt: Millis | undefined): Array<string | number | null> {
	const birthday = customer.birthday ?? null;
	return [
		customer.id,
		customer.email ?? null,
		customer.phone ?? null,
		customer.firstName ?? null,
		customer.lastName ?? null,
		birthday,
		birthday ? birthday.slice(-5) : null,
		customer.timezone ?? null,
		customer.locale ?? null,
		customer.acceptsMarketing === undefined ? null : customer.acceptsMarketing ? 1 : 0,
		registeredAt ?? null,
	];
}

async function upsertCustomer(q: Querier, customer: Customer, registeredAt: Millis | undefined, now: Millis): Promise<boolean> {
	// registered_known_at: when the store learned of the registration ($13, NULL without one).
	const values = [...customerValues(customer, registeredAt), now, registeredAt === undefined ? null : now];
	const inserted = await q.get(
		`INSERT INTO customers (id, email, phone, first_name, last_name, birthday, birth_md, timezone, locale,
			accepts_marketing, registered_at, first_seen_at, updated_at, registered_known_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)
		ON CONFLICT (id) DO NOTHING RETURNING id`,
		values,
	);
	if (inserted) return true;
	await q.run(
		`UPDATE customers SET email = COALESCE($2, email), phone = COALESCE($3, phone),
			first_name = COALESCE($4, first_name), last_name = COALESCE($5, last_name),
			birthday = COALESCE($6, birthday), birth_md = COALESCE($7, birth_md), timezone = COALESCE($8, timezone),
			locale = COALESCE($9, locale), accepts_marketing = COALESCE($10, accepts_marketing),
			registered_at = COALESCE(registered_at, $11), updated_at = $12,
			registered_known_at = CASE WHEN registered_at IS NULL THEN $13 ELSE registered_known_at END
		WHERE id = $1`,
		values,
	);
	return false;
}

function lineRows(lines: Line[], currency: string) {
	return lines.map((line, index) => ({ line, index, priceMinor: toMinor(line.price, currency, `lines[${index}].price`) }));
}

export type OrderState = NonNullable<RecordOutcome['order']>;

export const UNCOUNTED = [...UNCOUNTED_ORDER_STATUSES];
export const stateOf = (row: Row): OrderState => ({ counted: Number(row.counted) === 1, ...(row.status !== null && row.status !== undefined && { status: String(row.status) }) });

/** An order's amounts in minor units; counted unless its status says otherwise or it is refunded in full. */
export function orderAmounts(order: NonNullable<CanonicalEvent['order']>): { total: bigint; refunded: bigint | undefined; counted: boolean } {
	const total = toMinor(order.total, order.currency, 'order.total');
	const refunded = order.refunded === undefined ? undefined : toMinor(order.refunded, order.currency, 'order.refunded');
	return { total, refunded, counted: isCountedOrder(order) && !(refunded !== undefined && refunded > 0n && refunded >= total) };
}

/** An order's coupon codes (trimmed) and promotions, as order_codes rows (kind, code). */
export const orderCodes = (order: NonNullable<CanonicalEvent['order']>): Array<[string, string]> => [
	...order.couponCodes.map((code): [string, string] => ['coupon', code.trim()]),
	...order.promotions.map((name): [string, string] => ['promotion', name]),
];

/** The registration time an event gives its customer: the one it names, else its own time for a registration. */
export function registeredAtOf(event: CanonicalEvent, occurredAt: Millis): Millis | undefined {
	if (event.customer?.registeredAt !== undefined) return Date.parse(event.customer.registeredAt);
	return event.type === 'customer.registered' ? occurredAt : undefined;
}

/** An event as recording reads it: its time, whether it records a purchase, the identity hashes its suppression check compares. */
export interface Recording {
	event: CanonicalEvent;
	occurredAt: Millis;
	customerId: string | null;
	/** Only order events record a purchase; an order on e.g. checkout.promotion_applied is context. */
	isOrder: boolean;
	/** CHECKED_IDENTITIES hashes, padded with NULL. */
	checked: Array<string | null>;
}

/** Reads the suppression key (with the lock that orders recordings and forgets) and prepares the events. */
export async function recordings(q: Querier, dialect: Dialect, events: CanonicalEvent[]): Promise<Recording[]> {
	const hash = await suppressionHasher(q, dialect, 'share');
	// Taken after the key's lock: no forget can add a suppression before this transaction ends.
	const anySuppressed = (await q.get('SELECT 1 AS found FROM suppressions LIMIT 1')) !== undefined;
	return events.map((event) => {
		const hashes = anySuppressed ? identitiesOf(event.customer).map(hash) : [];
		return {
			event,
			occurredAt: Date.parse(event.occurredAt),
			customerId: event.customer?.id ?? null,
			isOrder: event.order !== undefined && ORDER_EVENT_TYPES.has(event.type),
			checked: Array.from({ length: CHECKED_IDENTITIES }, (_, i) => hashes[i] ?? null),
		};
	});
}

/** The order's key and its customer ($1 source, $2 id, $3 customer or NULL): every statement on an order names all three. */
const THIS_ORDER = 'source = $1 AND id = $2 AND customer_id IS NOT DISTINCT FROM $3';

async function recordOrder(q: Querier, event: CanonicalEvent, occurredAt: Millis, now: Millis): Promise<OrderState> {
	const order = event.order!;
	const customerId = event.customer?.id ?? null;
	const key = [event.source, order.id, customerId];
	const { total, refunded, counted } = orderAmounts(order);
	const inserted = await q.get(
		`INSERT INTO orders (source, id, customer_id, placed_at, currency, total_minor, refunded_minor, status, counted, state_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4) ON CONFLICT (source, id) DO NOTHING RETURNING counted, status`,
		[...key, occurredAt, order.currency, total, refunded ?? 0n, nil(order.status), counted ? 1 : 0],
	);
	if (!inserted) {
		// A known order: this event's state (status, refunds) replaces the stored one only when it is
		// at least as new, and only for the order's own customer.
		const updated = await q.get(
			`UPDATE orders SET status = COALESCE($5, status), refunded_minor = COALESCE($6, refunded_minor), state_at = $4,
				counted = CASE WHEN LOWER(COALESCE($5, status)) IN (${placeholders(7, UNCOUNTED.length)})
					OR (COALESCE($6, refunded_minor) > 0 AND COALESCE($6, refunded_minor) >= total_minor) THEN 0 ELSE 1 END
			WHERE ${THIS_ORDER} AND state_at <= $4 RETURNING counted, status`,
			[...key, occurredAt, nil(order.status), nil(refunded), ...UNCOUNTED],
		);
		if (updated) {
			if (customerId !== null) await recomputeLastOrder(q, customerId, now);
			return stateOf(updated);
		}
		return currentState(q, key);
	}
	for (const { line, index, priceMinor } of lineRows(order.lines, order.currency)) {
		await q.run(
			`INSERT INTO order_lines (source, order_id, line_no, customer_id, placed_at, product_id, sku, name, quantity, price_minor)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
			[event.source, order.id, index, customerId, occurredAt, line.productId, nil(line.sku), nil(line.name), line.quantity, priceMinor],
		);
	}
	const categories = new Set(order.lines.flatMap((line) => line.categories));
	for (const category of categories) {
		await q.run(
			`INSERT INTO order_categories (source, order_id, category, customer_id, placed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			[event.source, order.id, category, customerId, occurredAt],
		);
	}
	for (const [kind, code] of orderCodes(order)) {
		await q.run(
			`INSERT INTO order_codes (source, order_id, kind, code, customer_id, placed_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
			[event.source, order.id, kind, code, customerId, occurredAt],
		);
		if (kind === 'coupon') {
			await q.run('UPDATE coupon_codes SET redeemed_at = $1, redeemed_order = $2 WHERE code_key = $3 AND redeemed_at IS NULL', [
				occurredAt,
				order.id,
				codeKey(code),
			]);
		}
	}
	if (counted && customerId !== null) {
		await q.run(
			`UPDATE customers SET last_order_at = CASE WHEN last_order_at IS NULL OR last_order_at < $2 THEN $2 ELSE last_order_at END,
				last_order_known_at = CASE WHEN last_order_at IS NULL OR last_order_at < $2 THEN $3 ELSE last_order_known_at END
			WHERE id = $1`,
			[customerId, occurredAt, now],
		);
	}
	return stateOf(inserted);
}

/** The stored state of an order for this customer; an order of another customer is not counted for this one. */
async function currentState(q: Querier, key: SqlValue[]): Promise<OrderState> {
	const row = await q.get(`SELECT counted, status FROM orders WHERE ${THIS_ORDER}`, key);
	return row ? stateOf(row) : { counted: false };
}

/** The customer's last order is their newest order still counted (none: NULL); a change is learned of `now`. */
async function recomputeLastOrder(q: Querier, customerId: string, now: Millis): Promise<void> {
	const newest = '(SELECT MAX(placed_at) FROM orders WHERE customer_id = $1 AND counted = 1)';
	await q.run(
		`UPDATE customers SET last_order_at = ${newest},
			last_order_known_at = CASE WHEN last_order_at IS NOT DISTINCT FROM ${newest} THEN last_order_known_at ELSE $2 END
		WHERE id = $1`,
		[customerId, now],
	);
}

/**
 * A cart's columns currency, total_minor, item_count, lines, recovery_url, closed_at. closed_at
 * marks an emptied cart; a cart is also closed by a counted order placed after its last update (occasions.ts).
 */
export function cartValues(cart: NonNullable<CanonicalEvent['cart']>, occurredAt: Millis): Array<string | number | bigint | null> {
	const itemCount = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
	return [
		cart.currency,
		toMinor(cart.total, cart.currency, 'cart.total'),
		itemCount,
		JSON.stringify(cart.lines),
		cart.recoveryUrl ?? null,
		itemCount === 0 ? occurredAt : null,
	];
}

/** A newer cart state replaces the stored one; each replacement counts a version, learned of at its known_at. */
export const CART_UPDATE = `ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, currency = excluded.currency,
			total_minor = excluded.total_minor, item_count = excluded.item_count, lines = excluded.lines,
			recovery_url = COALESCE(excluded.recovery_url, carts.recovery_url), updated_at = excluded.updated_at,
			version = carts.version + 1, closed_at = excluded.closed_at, known_at = excluded.known_at
		WHERE carts.updated_at <= excluded.updated_at`;

async function recordCart(q: Querier, event: CanonicalEvent, customerId: string, occurredAt: Millis, now: Millis): Promise<void> {
	const cart = event.cart!;
	await q.run(
		`INSERT INTO carts (id, customer_id, currency, total_minor, item_count, lines, recovery_url, closed_at, updated_at, version, known_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)
		${CART_UPDATE}`,
		[cart.id, customerId, ...cartValues(cart, occurredAt), occurredAt, now],
	);
}

/** Records events one at a time, in batch order (SQLite; PostgreSQL records a batch set-based, postgres/ledger.ts). */
export async function recordEvents(q: Querier, dialect: Dialect, events: CanonicalEvent[], now: Millis): Promise<RecordOutcome[]> {
	const outcomes: RecordOutcome[] = [];
	for (const { event, occurredAt, customerId, isOrder, checked } of await recordings(q, dialect, events)) {
		// Recorded unless recorded before, or about someone forgotten after it occurred.
		const inserted = await q.get(
			`INSERT INTO events (id, type, source, customer_id, occurred_at, recorded_at, payload)
			SELECT $1, $2, $3, $4, CAST($5 AS BIGINT), CAST($6 AS BIGINT), $7
			WHERE NOT EXISTS (SELECT 1 FROM suppressions WHERE hash IN ($8, $9, $10) AND forgotten_at > CAST($5 AS BIGINT))
			ON CONFLICT (id) DO NOTHING RETURNING id`,
			[event.id, event.type, event.source, customerId, occurredAt, now, JSON.stringify(event), ...checked],
		);
		if (!inserted && !(await q.get('SELECT 1 AS known FROM events WHERE id = $1', [event.id]))) {
			outcomes.push({ id: event.id, recorded: false, newCustomer: false, suppressed: true });
			continue;
		}
		if (!inserted) {
			const order = isOrder ? await currentState(q, [event.source, event.order!.id, customerId]) : undefined;
			outcomes.push({ id: event.id, recorded: false, newCustomer: false, ...(order && { order }) });
			continue;
		}
		const newCustomer = event.customer ? await upsertCustomer(q, event.customer, registeredAtOf(event, occurredAt), now) : false;
		const order = isOrder ? await recordOrder(q, event, occurredAt, now) : undefined;
		const product = productOf(event, occurredAt);
		if (product) await recordProducts(q, [product], now);
		// A cart nobody is named for cannot be recovered: only its event is kept.
		if (event.cart && event.customer) await recordCart(q, event, event.customer.id, occurredAt, now);
		outcomes.push({ id: event.id, recorded: true, newCustomer, ...(order && { order }) });
	}
	return outcomes;
}

export async function knownCustomers(q: Querier, ids: string[]): Promise<Set<string>> {
	const known = new Set<string>();
	const unique = [...new Set(ids)];
	for (let i = 0; i < unique.length; i += 500) {
		const chunk = unique.slice(i, i + 500);
		const rows = await q.all<{ id: string }>(
			`SELECT id FROM customers WHERE id IN (${chunk.map((_, j) => `$${j + 1}`).join(', ')})`,
			chunk,
		);
		for (const row of rows) known.add(String(row.id));
	}
	return known;
}

export async function getCustomer(q: Querier, id: string): Promise<CustomerRow | undefined> {
	const row = await q.get('SELECT * FROM customers WHERE id = $1', [id]);
	return row ? toCustomer(row) : undefined;
}

/** Tables whose rows name a customer in customer_id, erased outright. */
const CUSTOMER_TABLES = [
	'events',
	'order_lines',
	'order_categories',
	'order_codes',
	'orders',
	'carts',
	'segment_members',
	'guard_entries',
	'guard_counters',
	'occasion_claims',
];

/** The ids a request names: the customer id, its guest ids, every id with the email asked for or its stored email. */
async function idsToForget(q: Querier, request: ForgetRequest): Promise<{ ids: Set<string>; emails: Set<string> }> {
	const ids = new Set<string>();
	const emails = new Set<string>();
	if (request.customerId !== undefined) {
		const id = request.customerId;
		ids.add(id);
		const row = await q.get('SELECT email, phone FROM customers WHERE id = $1', [id]);
		const email = str(row?.email) ?? guestEmail(id);
		if (email !== undefined) emails.add(email.trim().toLowerCase());
		if (request.guests && email !== undefined) for (const guest of [email, email.trim().toLowerCase()]) ids.add(`email:${guest}`);
		const phone = request.guests ? phoneId(str(row?.phone)) : undefined;
		if (phone !== undefined) ids.add(phone);
	}
	const sameEmail = request.email !== undefined ? [request.email.trim().toLowerCase()] : request.sameEmail ? [...emails] : [];
	for (const email of sameEmail) {
		emails.add(email);
		ids.add(`email:${email}`);
		const rows = await q.all('SELECT id FROM customers WHERE LOWER(email) = $1 OR LOWER(id) = $2', [email, `email:${email}`]);
		for (const row of rows) ids.add(String(row.id));
	}
	return { ids, emails };
}

/**
 * Erases every id each request names, in the caller's one transaction, and keeps their suppression
 * record: the keyed hashes of the ids and emails with the time of the forget, nothing that names
 * them. Every request is checked before anything is erased.
 */
export async function forgetCustomers(q: Querier, dialect: Dialect, requests: ForgetRequest[], now: Millis): Promise<ForgetReport[]> {
	const asked = requests.map((request) => {
		const name = request.customerId ?? request.email;
		if (name === undefined || name.trim() === '') {
			throw new InputError('customerId', 'is empty: there is nobody to forget', 'Give the customer ID, or the email address to forget.');
		}
		return name;
	});
	const hash = await suppressionHasher(q, dialect, 'update');
	const reports: ForgetReport[] = [];
	for (const [i, request] of requests.entries()) {
		const { ids, emails } = await idsToForget(q, request);
		const removed: Record<string, number> = {};
		const customerIds: string[] = [];
		for (const id of ids) {
			let count = 0;
			for (const table of CUSTOMER_TABLES) {
				const n = await q.run(`DELETE FROM ${table} WHERE customer_id = $1`, [id]);
				removed[table] = (removed[table] ?? 0) + n;
				count += n;
			}
			// Codes already handed out stay used (never handed out again) but no longer name the customer.
			const codes = await q.run(`UPDATE coupon_codes SET assigned_to = '(erased)', assignment_key = NULL WHERE assigned_to = $1`, [id]);
			const customer = await q.run('DELETE FROM customers WHERE id = $1', [id]);
			removed.coupon_codes = (removed.coupon_codes ?? 0) + codes;
			removed.customers = (removed.customers ?? 0) + customer;
			if (count + codes + customer > 0) customerIds.push(id);
		}
		await suppress(q, [...[...ids].map(idIdentity), ...[...emails].map(emailIdentity)].map(hash), now);
		reports.push({ customerId: asked[i], customerIds, removed });
	}
	return reports;
}
