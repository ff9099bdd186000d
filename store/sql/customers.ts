import { isCountedOrder, ORDER_EVENT_TYPES, type CanonicalEvent, type Customer, type Line } from '../../core/event';
import { toMinor } from '../../core/money';
import type { CartRow, CustomerRow, ForgetReport, Millis, RecordOutcome } from '../../core/store';
import type { Querier, Row } from '../driver';
import { nil, opt, str } from './util';


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

async function upsertCustomer(q: Querier, customer: Customer, registeredAt: Millis | undefined, now: Millis): Promise<boolean> {
	const birthday = customer.birthday ?? null;
	const values = [
		customer.id,
		nil(customer.email),
		nil(customer.phone),
		nil(customer.firstName),
		nil(customer.lastName),
		birthday,
		birthday ? birthday.slice(-5) : null,
		nil(customer.timezone),
		nil(customer.locale),
		customer.acceptsMarketing === undefined ? null : customer.acceptsMarketing ? 1 : 0,
		nil(registeredAt),
		now,
	];
	const inserted = await q.get(
		`INSERT INTO customers (id, email, phone, first_name, last_name, birthday, birth_md, timezone, locale,
			accepts_marketing, registered_at, first_seen_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
		ON CONFLICT (id) DO NOTHING RETURNING id`,
		values,
	);
	if (inserted) return true;
	await q.run(
		`UPDATE customers SET email = COALESCE($2, email), phone = COALESCE($3, phone),
			first_name = COALESCE($4, first_name), last_name = COALESCE($5, last_name),
			birthday = COALESCE($6, birthday), birth_md = COALESCE($7, birth_md), timezone = COALESCE($8, timezone),
			locale = COALESCE($9, locale), accepts_marketing = COALESCE($10, accepts_marketing),
			registered_at = COALESCE(registered_at, $11), updated_at = $12
		WHERE id = $1`,
		values,
	);
	return false;
}

function lineRows(lines: Line[], currency: string) {
	return lines.map((line, index) => ({ line, index, priceMinor: toMinor(line.price, currency, `lines[${index}].price`) }));
}

async function recordOrder(q: Querier, event: CanonicalEvent, occurredAt: Millis): Promise<void> {
	const order = event.order!;
	const customerId = event.customer.id;
	const counted = isCountedOrder(order) ? 1 : 0;
	const inserted = await q.get(
		`INSERT INTO orders (id, customer_id, placed_at, currency, total_minor, status, counted)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
		[order.id, customerId, occurredAt, order.currency, toMinor(order.total, order.currency, 'order.total'), nil(order.status), counted],
	);
	if (!inserted) {
		// A later event about a known order (paid, cancelled, refunded): only its status changes.
		if (order.status) {
			await q.run('UPDATE orders SET status = $2, counted = $3 WHERE id = $1', [order.id, order.status, counted]);
		}
		return;
	}
	for (const { line, index, priceMinor } of lineRows(order.lines, order.currency)) {
		await q.run(
			`INSERT INTO order_lines (order_id, line_no, customer_id, placed_at, product_id, sku, name, quantity, price_minor)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
			[order.id, index, customerId, occurredAt, line.productId, nil(line.sku), nil(line.name), line.quantity, priceMinor],
		);
	}
	const categories = new Set(order.lines.flatMap((line) => line.categories));
	for (const category of categories) {
		await q.run(
			`INSERT INTO order_categories (order_id, category, customer_id, placed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
			[order.id, category, customerId, occurredAt],
		);
	}
	const codes = [
		...order.couponCodes.map((code) => ['coupon', code.trim().toUpperCase()]),
		...order.promotions.map((name) => ['promotion', name]),
	];
	for (const [kind, code] of codes) {
		await q.run(
			`INSERT INTO order_codes (order_id, kind, code, customer_id, placed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			[order.id, kind, code, customerId, occurredAt],
		);
		if (kind === 'coupon') {
			await q.run('UPDATE coupon_codes SET redeemed_at = $1, redeemed_order = $2 WHERE code = $3 AND redeemed_at IS NULL', [
				occurredAt,
				order.id,
				code,
			]);
		}
	}
	if (counted) {
		await q.run(
			`UPDATE customers SET last_order_at = CASE WHEN last_order_at IS NULL OR last_order_at < $2 THEN $2 ELSE last_order_at END
			WHERE id = $1`,
			[customerId, occurredAt],
		);
		// An order closes the customer's carts that were last touched before it.
		await q.run('UPDATE carts SET closed_at = $2 WHERE customer_id = $1 AND closed_at IS NULL AND updated_at <= $2', [
			customerId,
			occurredAt,
		]);
	}
}

async function recordCart(q: Querier, event: CanonicalEvent, occurredAt: Millis): Promise<void> {
	const cart = event.cart!;
	const itemCount = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
	await q.run(
		`INSERT INTO carts (id, customer_id, currency, total_minor, item_count, lines, recovery_url, updated_at, version, closed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)
		ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, currency = excluded.currency,
			total_minor = excluded.total_minor, item_count = excluded.item_count, lines = excluded.lines,
			recovery_url = COALESCE(excluded.recovery_url, carts.recovery_url), updated_at = excluded.updated_at,
			version = carts.version + 1, closed_at = excluded.closed_at
		WHERE carts.updated_at <= excluded.updated_at`,
		[
			cart.id,
			event.customer.id,
			cart.currency,
			toMinor(cart.total, cart.currency, 'cart.total'),
			itemCount,
			JSON.stringify(cart.lines),
			nil(cart.recoveryUrl),
			occurredAt,
			itemCount === 0 ? occurredAt : null,
		],
	);
}

export async function recordEvents(q: Querier, events: CanonicalEvent[], now: Millis): Promise<RecordOutcome[]> {
	const outcomes: RecordOutcome[] = [];
	for (const event of events) {
		const occurredAt = Date.parse(event.occurredAt);
		const inserted = await q.get(
			`INSERT INTO events (id, type, source, customer_id, occurred_at, recorded_at, payload)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id`,
			[event.id, event.type, event.source, event.customer.id, occurredAt, now, JSON.stringify(event)],
		);
		if (!inserted) {
			outcomes.push({ id: event.id, recorded: false, newCustomer: false });
			continue;
		}
		const registeredAt =
			event.customer.registeredAt !== undefined
				? Date.parse(event.customer.registeredAt)
				: event.type === 'customer.registered'
					? occurredAt
					: undefined;
		const newCustomer = await upsertCustomer(q, event.customer, registeredAt, now);
		// Only order events record a purchase; an order on e.g. checkout.promotion_applied is context.
		if (event.order && ORDER_EVENT_TYPES.has(event.type)) await recordOrder(q, event, occurredAt);
		if (event.cart) await recordCart(q, event, occurredAt);
		outcomes.push({ id: event.id, recorded: true, newCustomer });
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

export async function forgetCustomer(q: Querier, id: string): Promise<ForgetReport> {
	const removed: Record<string, number> = {};
	for (const table of CUSTOMER_TABLES) {
		removed[table] = await q.run(`DELETE FROM ${table} WHERE customer_id = $1`, [id]);
	}
	// Codes already handed out stay used (never handed out again) but no longer name the customer.
	removed.coupon_codes = await q.run(
		`UPDATE coupon_codes SET assigned_to = '(erased)', assignment_key = NULL WHERE assigned_to = $1`,
		[id],
	);
	removed.customers = await q.run('DELETE FROM customers WHERE id = $1', [id]);
	return { customerId: id, removed };
}
