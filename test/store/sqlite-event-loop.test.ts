/**
 * node:sqlite is synchronous and the store's awaits between statements resolve as microtasks, so
 * a long transaction would hold n8n's event loop for its whole length. The SQLite driver yields to
 * the event loop inside a transaction, so recording the largest delivery the trigger accepts
 * (Max Body Size 1024 KB, as many lines as an order may have) never blocks it for long.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, it } from '@jest/globals';
import { MAX_LINES } from '../../core/limits';
import { DEFAULT_MAX_BODY_KB, receiveDelivery, triggerSettings } from '../../core/trigger';
import { SqlStore } from '../../store/sql-store';
import { SqliteDriver } from '../../store/sqlite/driver';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const BOUND_MS = 100;

/** A Generic order of MAX_LINES lines whose body is just under the default Max Body Size. */
function largestOrder(id: string): Buffer {
	const limit = DEFAULT_MAX_BODY_KB * 1024;
	const event = (pad: number) =>
		JSON.stringify({
			id,
			type: 'order.placed',
			occurredAt: '2026-03-01T09:00:00Z',
			customer: { id: 'c-big', email: 'big@example.com' },
			order: {
				id: `o-${id}`,
				total: '50.00',
				currency: 'EUR',
				lines: Array.from({ length: MAX_LINES }, (_, n) => ({
					productId: `p-${n}`,
					sku: `SKU-${n}`,
					name: `Item ${n} ${'x'.repeat(pad)}`,
					categories: [`cat-${n % 50}`],
					quantity: 1,
					price: '0.01',
				})),
			},
		});
	const pad = Math.floor((limit - Buffer.byteLength(event(0))) / MAX_LINES);
	return Buffer.from(event(pad));
}

/** How long `work` took, and the longest stretch in it in which a 1 ms timer could not run (ms). */
async function blocking(work: () => Promise<void>): Promise<{ total: number; longest: number }> {
	const ticks: number[] = [];
	const timer = setInterval(() => ticks.push(performance.now()), 1);
	await new Promise((resolve) => setTimeout(resolve, 5));
	const start = performance.now();
	await work();
	const end = performance.now();
	clearInterval(timer);
	const points = [start, ...ticks.filter((t) => t > start && t < end), end];
	return { total: end - start, longest: Math.max(...points.slice(1).map((t, i) => t - points[i])) };
}

describe('SQLite: the event loop while a large delivery is recorded', () => {
	const dir = mkdtempSync(join(tmpdir(), 'dialogue-event-loop-'));
	const file = join(dir, 'store.sqlite');
	const store = new SqlStore(new SqliteDriver(file));
	afterAll(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it(`recording a ${DEFAULT_MAX_BODY_KB} KB order of ${MAX_LINES} lines takes many turns of the event loop, none of ${BOUND_MS} ms or more`, async () => {
		await store.knownCustomers(['nobody']); // opens and migrates the store
		const settings = triggerSettings({ events: ['order.placed'], acceptUnsigned: true });
		/** Delivers the order, and measures parsing and the longest block while it is recorded. */
		const deliver = async (id: string) => {
			const rawBody = largestOrder(id);
			assert.ok(rawBody.length <= settings.maxBodyBytes && rawBody.length > settings.maxBodyBytes - 4096, `${rawBody.length} bytes`);
			let parsed = 0;
			let recording = { total: 0, longest: 0 };
			const started = performance.now();
			const outcome = await receiveDelivery({ headers: {}, rawBody, now: T0 }, settings, async (event) => {
				parsed = performance.now() - started;
				// Recording starts on a turn of its own, so only the store's work is measured.
				await new Promise((resolve) => setImmediate(resolve));
				let result;
				recording = await blocking(async () => {
					[result] = await store.recordEvents([event], T0);
				});
				return result!;
			});
			assert.equal(outcome.kind, 'start');
			return { bytes: rawBody.length, parsed, recording };
		};
		// Three deliveries: a machine shared with other work may pause this process at any moment, so
		// the delivery whose longest block was the shortest is held to the bounds.
		const runs = [await deliver('evt-1'), await deliver('evt-2'), await deliver('evt-3')];
		const db = new DatabaseSync(file, { readOnly: true });
		const lines = (db.prepare("SELECT COUNT(*) AS n FROM order_lines WHERE order_id = 'o-evt-3'").get() as { n: number }).n;
		db.close();
		assert.equal(lines, MAX_LINES, 'every line recorded');
		if (process.env.EVENT_LOOP_DEBUG) console.log(JSON.stringify(runs));
		const best = runs.map(({ recording }) => recording).reduce((a, b) => (b.longest < a.longest ? b : a));
		// However slow the machine, recording takes several turns of the event loop, not one.
		assert.ok(best.longest < best.total / 2, `one block of ${best.longest.toFixed(1)} ms in ${best.total.toFixed(1)} ms of recording`);
		assert.ok(best.longest < BOUND_MS, `the longest block while recording was ${best.longest.toFixed(1)} ms`);
	});
});
