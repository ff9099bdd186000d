/**
 * npm run bench:store — the activity store's speed, against the raw INSERT rate of the same
 * database in the same run (the baseline), on SQLite and PostgreSQL.
 *
 * Ledger: BENCH_CUSTOMERS customers (default 1,000,000) with BENCH_ORDERS_PER_CUSTOMER orders each
 * (default 10), each order with one line and one category, loaded with set-based SQL.
 * Then: guard and claim items/s batched per execution (BENCH_BATCH items per store call, default
 * 1,000), Import Codes of 100,000 codes in one call, purchase-stats latency p50/p99 per customer,
 * Record Events of 10,000 orders in one call (on the empty ledger before the load, and on the
 * loaded one), the Activity Report over BENCH_REPORT_ENTRIES entries (default 100,000),
 * and PostgreSQL claims/s with 8 concurrent clients, checked for duplicates. BENCH_DIALECTS=sqlite,postgres picks dialects.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCodes } from '../core/coupons';
import { activityReports } from '../core/report';
import type { CanonicalEvent } from '../core/event';
import type { Store } from '../core/store';
import type { Driver } from '../store/driver';
import { PostgresDriver } from '../store/postgres/driver';
import { SqlStore } from '../store/sql-store';
import { SqliteDriver } from '../store/sqlite/driver';
import { postgresServer } from '../test/helpers/postgres';

const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ORDERS_PER_CUSTOMER = Number(process.env.BENCH_ORDERS_PER_CUSTOMER ?? 10);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',');
const T0 = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Set-based ledger load: the bench's own SQL, so loading 10M orders takes minutes, not hours. */
async function loadLedger(driver: Driver): Promise<void> {
	const pg = driver.dialect.name === 'postgres';
	const series = (n: string) =>
		pg ? `SELECT g AS i FROM generate_series(0, ${n} - 1) AS g` : `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ${n}) SELECT i FROM s`;
	const cast = (expr: string) => (pg ? `(${expr})::text` : `CAST(${expr} AS TEXT)`);
	const idiv = (a: string, b: number) => (pg ? `(${a}) / ${b}` : `(${a}) / ${b}`);
	const chunk = 1_000_000;
	const started = process.hrtime.bigint();
	for (let from = 0; from < CUSTOMERS; from += chunk) {
		const n = Math.min(chunk, CUSTOMERS - from);
		await driver.transaction(async (q) => {
			await q.run(
				`INSERT INTO customers (id, email, registered_at, first_seen_at, updated_at, last_order_at)
				SELECT 'c' || ${cast(`i + ${from}`)}, 'c' || ${cast(`i + ${from}`)} || '@example.com', ${T0}, ${T0}, ${T0}, ${T0 + (ORDERS_PER_CUSTOMER - 1) * DAY}
				FROM (${series(String(n))}) AS t`,
			);
		}, 'write');
	}
	const orders = CUSTOMERS * ORDERS_PER_CUSTOMER;
	for (let from = 0; from < orders; from += chunk) {
		const n = Math.min(chunk, orders - from);
		const o = `(i + ${from})`;
		const customer = `'c' || ${cast(idiv(o, ORDERS_PER_CUSTOMER))}`;
		const placed = `${T0} + (${o} % ${ORDERS_PER_CUSTOMER}) * ${DAY}`;
		await driver.transaction(async (q) => {
			await q.run(
				`INSERT INTO orders (source, id, customer_id, placed_at, currency, total_minor, status, counted, state_at)
				SELECT 'shopify', 'o' || ${cast(o)}, ${customer}, ${placed}, 'EUR', 1000 + (${o} % 50000), 'paid', 1, ${placed} FROM (${series(String(n))}) AS t`,
			);
			await q.run(
				`INSERT INTO order_lines (source, order_id, line_no, customer_id, placed_at, product_id, sku, name, quantity, price_minor)
				SELECT 'shopify', 'o' || ${cast(o)}, 0, ${customer}, ${placed}, 'p' || ${cast(`${o} % 5000`)}, 'SKU' || ${cast(`${o} % 5000`)}, 'Product', 1, 1000
				FROM (${series(String(n))}) AS t`,
			);
			await q.run(
				`INSERT INTO order_categories (source, order_id, category, customer_id, placed_at)
				SELECT 'shopify', 'o' || ${cast(o)}, 'Category ' || ${cast(`${o} % 40`)}, ${customer}, ${placed} FROM (${series(String(n))}) AS t`,
			);
		}, 'write');
		process.stdout.write(`\r  loaded ${fmt(from + n)} / ${fmt(orders)} orders`);
	}
	if (pg) await driver.transaction(async (q) => void (await q.run('ANALYZE')), 'write');
	console.log(`\n  ledger: ${fmt(CUSTOMERS)} customers, ${fmt(orders)} orders (+ lines, categories) in ${seconds(started).toFixed(0)} s`);
}

/** Baseline: plain single-row INSERT statements in one transaction, the same round-trip shape as our operations. */
async function rawInsertRate(driver: Driver, rows: number): Promise<number> {
	await driver.transaction(async (q) => void (await q.run('CREATE TABLE IF NOT EXISTS bench_raw (k TEXT PRIMARY KEY, v BIGINT NOT NULL)')), 'write');
	const started = process.hrtime.bigint();
	await driver.transaction(async (q) => {
		for (let i = 0; i < rows; i++) await q.run('INSERT INTO bench_raw (k, v) VALUES ($1, $2)', [`raw-${i}`, i]);
	}, 'write');
	return rows / seconds(started);
}

async function guardRate(store: Store, items: number): Promise<number> {
	const started = process.hrtime.bigint();
	for (let from = 0; from < items; from += BATCH) {
		const batch = Array.from({ length: Math.min(BATCH, items - from) }, (_, i) => ({
			activity: 'bench',
			customerId: `c${(from + i) % CUSTOMERS}`,
			key: `evt-${from + i}`,
			policy: { kind: 'once' } as const,
		}));
		await store.guardEnter(batch, T0);
	}
	return items / seconds(started);
}

async function fillPool(store: Store, pool: string, codes: number): Promise<void> {
	await store.ensurePools([pool], T0);
	for (let from = 0; from < codes; from += 10_000) {
		await store.addCodes(pool, Array.from({ length: Math.min(10_000, codes - from) }, (_, i) => ({ code: `${pool}-${from + i}` })), T0);
	}
}

async function claimRate(store: Store, items: number): Promise<number> {
	await fillPool(store, 'bench-claims', items);
	const started = process.hrtime.bigint();
	for (let from = 0; from < items; from += BATCH) {
		const batch = Array.from({ length: Math.min(BATCH, items - from) }, (_, i) => ({ customerId: `c${from + i}`, key: `claim-${from + i}` }));
		await store.claimCodes('bench-claims', batch, T0);
	}
	return items / seconds(started);
}

/** Import Codes: `codes` codes in one call, as the node imports a pasted list or a file of items. */
async function importRate(store: Store, codes: number): Promise<number> {
	const list = Array.from({ length: codes }, (_, i) => `IMPORT-${i}`);
	const started = process.hrtime.bigint();
	const { added } = await importCodes(store, T0, { pool: 'bench-import', codes: list, createPool: true });
	if (added !== codes) throw new Error(`imported ${added} of ${codes} codes`);
	return codes / seconds(started);
}

/** Ledger Record Events: orders (one line, one category each) recorded in one store call, as a backfill does. */
async function recordRate(store: Store, orders: number, run: string): Promise<number> {
	const base = Date.UTC(2025, 0, 1);
	const events: CanonicalEvent[] = Array.from({ length: orders }, (_, n) => ({
		id: `bench-ledger-${run}:order.placed:${n}`,
		type: 'order.placed',
		source: 'shopify',
		occurredAt: new Date(base + n * 60_000).toISOString(),
		customer: { id: `bench-ledger-${run}-${n % 1000}`, email: `l${n % 1000}-${run}@example.test` },
		order: { id: `bench-ledger-${run}-${n}`, total: '49.90', currency: 'EUR', couponCodes: [], promotions: [], lines: [{ productId: `p${n % 20}`, quantity: 1, price: '49.90', categories: ['Shoes'] }] },
	}));
	const started = performance.now();
	const outcomes = await store.recordEvents(events, Date.now());
	const seconds = (performance.now() - started) / 1000;
	if (outcomes.filter((o) => o.recorded).length !== orders) throw new Error('recordRate: not every order was recorded');
	return orders / seconds;
}

async function purchaseLatency(store: Store, samples: number): Promise<{ p50: number; p99: number }> {
	const times: number[] = [];
	for (let i = 0; i < samples; i++) {
		const customerId = `c${Math.floor(Math.random() * CUSTOMERS)}`;
		const started = process.hrtime.bigint();
		const [stats] = await store.purchases([{ customerId, from: T0 + DAY }]);
		times.push(seconds(started) * 1000);
		if (i === 0 && stats.totals[0]?.orders !== ORDERS_PER_CUSTOMER - 1) throw new Error(`unexpected stats ${JSON.stringify(stats.totals)}`);
	}
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/**
 * Activity Report over the loaded ledger: REPORT_ENTRIES guard entries of one activity (every
 * tenth customer, one in ten held out, spread over 7 days), set-based like the ledger; then the
 * report with a 14-day order window, three times, the median time.
 */
const REPORT_ENTRIES = Number(process.env.BENCH_REPORT_ENTRIES ?? 100_000);
async function reportTime(driver: Driver, store: Store): Promise<{ seconds: number; entered: number; converted: number }> {
	const pg = driver.dialect.name === 'postgres';
	const n = Math.min(REPORT_ENTRIES, CUSTOMERS);
	const step = Math.max(1, Math.floor(CUSTOMERS / n));
	const series = pg ? `SELECT g AS i FROM generate_series(0, ${n} - 1) AS g` : `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i + 1 < ${n}) SELECT i FROM s`;
	const cast = (expr: string) => (pg ? `(${expr})::text` : `CAST(${expr} AS TEXT)`);
	await driver.transaction(async (q) => {
		await q.run(
			`INSERT INTO guard_entries (activity, customer_id, entry_key, entered_at, entered, held_out)
			SELECT 'bench-report', 'c' || ${cast(`i * ${step}`)}, 'r' || ${cast('i')}, ${T0} + (i % 7) * ${DAY}, 1, CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END FROM (${series}) AS t`,
		);
		if (pg) await q.run('ANALYZE guard_entries');
	}, 'write');
	const query = { activity: 'bench-report', from: T0, to: T0 + 7 * DAY, windowMs: 14 * DAY };
	const times: number[] = [];
	let report;
	for (let run = 0; run < 3; run++) {
		const started = process.hrtime.bigint();
		[report] = await activityReports(store, [query]);
		times.push(seconds(started));
	}
	times.sort((a, b) => a - b);
	const entered = report!.enteredGroup.customers + report!.controlGroup.customers;
	if (entered !== n) throw new Error(`report counted ${entered} customers, expected ${n}`);
	return { seconds: times[1], entered, converted: report!.enteredGroup.converted + report!.controlGroup.converted };
}

async function concurrentClaims(makeStore: () => Store, clients: number, perClient: number): Promise<{ rate: number; duplicates: number; empty: number }> {
	const setup = makeStore();
	await fillPool(setup, 'bench-rush', clients * perClient);
	const stores = Array.from({ length: clients }, makeStore);
	const started = process.hrtime.bigint();
	const results = await Promise.all(
		stores.map(async (store, c) => {
			const codes: string[] = [];
			for (let from = 0; from < perClient; from += 100) {
				const batch = Array.from({ length: Math.min(100, perClient - from) }, (_, i) => ({ customerId: `r${c}-${from + i}`, key: `rush-${c}-${from + i}` }));
				for (const outcome of await store.claimCodes('bench-rush', batch, T0)) codes.push(outcome.assigned ? outcome.code : '');
			}
			return codes;
		}),
	);
	const rate = (clients * perClient) / seconds(started);
	const all = results.flat();
	const handed = all.filter(Boolean);
	await Promise.all([setup, ...stores].map((s) => s.close()));
	return { rate, duplicates: handed.length - new Set(handed).size, empty: all.length - handed.length };
}

async function benchDialect(name: string, makeDriver: () => Driver): Promise<void> {
	console.log(`\n== ${name}`);
	const driver = makeDriver();
	const store = new SqlStore(driver);
	await store.schemaVersion();
	const recordedEmpty = await recordRate(store, 10_000, 'empty');
	console.log(`  ledger record on an empty ledger, 10,000 orders in one call: ${fmt(recordedEmpty)} orders/s`);
	await loadLedger(driver);
	const raw = await rawInsertRate(driver, name === 'sqlite' ? 200_000 : 50_000);
	console.log(`  baseline raw INSERT: ${fmt(raw)} rows/s (single-row statements, one transaction)`);
	const items = name === 'sqlite' ? 100_000 : 20_000;
	const guard = await guardRate(store, items);
	console.log(`  guard enter, ${BATCH} per execution: ${fmt(guard)} items/s = ${(guard / raw).toFixed(2)}x raw INSERT`);
	const claim = await claimRate(store, items);
	console.log(`  coupon claim, ${BATCH} per execution: ${fmt(claim)} items/s = ${(claim / raw).toFixed(2)}x raw INSERT`);
	const imported = await importRate(store, 100_000);
	console.log(`  import codes, 100,000 in one call: ${fmt(imported)} codes/s = ${(imported / raw).toFixed(2)}x raw INSERT (${(100_000 / imported).toFixed(2)} s)`);
	const latency = await purchaseLatency(store, 10_000);
	console.log(`  purchase stats per customer (10,000 random customers): p50 ${latency.p50.toFixed(3)} ms, p99 ${latency.p99.toFixed(3)} ms`);
	const recorded = await recordRate(store, 10_000, 'full');
	console.log(`  ledger record, 10,000 orders in one call (a backfill): ${fmt(recorded)} orders/s = ${(recorded / raw).toFixed(2)}x raw INSERT (about 6 rows each)`);
	const report = await reportTime(driver, store);
	console.log(
		`  activity report, ${fmt(report.entered)} customers entered (10 % held out) over the ledger: ${report.seconds.toFixed(2)} s (median of 3; ${fmt(report.converted)} ordered within 14 days)`,
	);
	await store.close();
	if (name === 'postgres') {
		const rush = await concurrentClaims(() => new SqlStore(makeDriver()), 8, 2_000);
		console.log(`  claims with 8 concurrent clients (100 per execution): ${fmt(rush.rate)} claims/s, duplicates ${rush.duplicates}, pool empty ${rush.empty}`);
	}
}

async function main() {
	console.log(`bench:store — ${fmt(CUSTOMERS)} customers x ${ORDERS_PER_CUSTOMER} orders, Node ${process.version}`);
	const dir = mkdtempSync(join(tmpdir(), 'dialogue-bench-'));
	try {
		if (DIALECTS.includes('sqlite')) await benchDialect('sqlite', () => new SqliteDriver(join(dir, 'bench.sqlite')));
		if (DIALECTS.includes('postgres')) {
			const server = await postgresServer();
			const schema = `bench_${Date.now()}`;
			await benchDialect('postgres', () => new PostgresDriver({ host: server.host, port: server.port, user: server.user, database: server.database, schema, max: 4 }));
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
