/**
 * npm run bench:trigger — what the Storefront Trigger path costs in a real n8n, against n8n's own
 * webhook path in the same instance, with what n8n itself spends per request counted apart.
 *
 * n8n 2.41 builds an expression isolate for every execution and, for every webhook request to any
 * trigger but its own n8n-nodes-base.webhook (live-webhooks.js, webhookPhaseNeedsIsolate), one more
 * before the trigger's webhook() runs. An isolate costs more CPU than the rest of a request, so
 * comparing a Storefront Trigger with a bare Webhook mostly measures n8n. This bench therefore
 * starts n8n with N8N_METRICS=true and reads the counter n8n_expression_pool_acquired_total from
 * /metrics before and after every phase: each figure comes with the isolates n8n acquired per
 * request. And it runs n8n once per expression-engine setting (BENCH_SETTINGS, default all three):
 *   default: n8n's defaults;
 *   noskip:  N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP=false: the Webhook node pays the
 *            webhook-phase isolate too, so both sides pay the same isolates;
 *   lazy:    N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true: an isolate only when an expression is evaluated.
 *
 * Workflows (the same user folder and store for every setting; the store is a SQLite file of a temp folder):
 *   bare:  Webhook -> NoOp                                                         (n8n's floor)
 *   equal: Webhook -> Edit Fields (constant values) -> NoOp -> NoOp                (as many nodes as ours)
 *   exprs: Webhook -> Edit Fields (the 5 expressions Guard and Coupon read) -> NoOp -> NoOp
 *   ours:  Storefront Trigger (signed Generic, order.placed) -> Repeatability Guard (repeatable)
 *          -> Coupon (a new code per event, from a pool filled beforehand) -> NoOp
 *   webhook: the other front door: n8n's Webhook (Raw Body, answering at once) -> Storefront Event
 *          (its Start output) -> the same Guard, Coupon and NoOp
 *   builtin: what a user builds from n8n's own nodes for the same job (bench/builtin-front-door.json):
 *          Webhook (Raw Body, answering at once) -> Crypto (HMAC-SHA256 of the body) -> IF (equals the
 *          signature header) -> Postgres (INSERT INTO events ... ON CONFLICT DO NOTHING RETURNING)
 *          -> IF (new?) -> Postgres (claim a code, FOR UPDATE SKIP LOCKED) -> NoOp, on a PostgreSQL
 *          the bench starts as the tests do (test/helpers/postgres.ts)
 * Load comes from a second process on 127.0.0.1 (this file, forked with --load): BENCH_CONNECTIONS
 * keep-alive connections (default 16), each sending its next request when the last one answered,
 * for BENCH_SECONDS per phase (default 15), at most BENCH_MAX_REQUESTS requests per phase.
 * Phases alternate (bare, equal, exprs, ours, webhook, builtin, then the reverse; BENCH_ROUNDS rounds, default 2) after a warm-up of
 * BENCH_WARMUP_SECONDS, and the instance drains its executions after each phase, so no phase
 * inherits another's backlog.
 *
 * Then, for BENCH_NO_EXEC_SECONDS each (0 skips them), deliveries answered without an execution:
 *   duplicate: the same signed event again and again (answered "duplicate"); also sent to the
 *              webhook and builtin front doors, where each is an execution that hands out nothing;
 *   filtered:  new page.visited events, recorded in the store but starting nothing ("recorded");
 *   refused:   unsigned deliveries, refused with 401 before the store is touched;
 *   notFound:  a path no workflow registered, answered 404 by n8n before any node runs.
 *
 * Then bursts: BENCH_BURST (default 200) deliveries at once, each on its own connection, to each
 * front door, first of new events, then copies of one new event (one code, exactly once). During
 * each burst and its executions, n8n's /metrics (N8N_METRICS_INCLUDE_DEFAULT_METRICS=true) and
 * /healthz/readiness are polled every 200 ms: the highest event-loop delay of the main process
 * (n8n_nodejs_eventloop_lag_max_seconds, and _p99_, each since the previous scrape) and the
 * readiness statuses are printed.
 *
 * Printed per setting: requests/s (answers over the seconds of load plus the drain after it, since
 * n8n answers a webhook before the execution runs, so executions still running count against their
 * workflow), p50 and p99 latency and isolates per request of each phase, and
 * ours / equal-node baseline, both front doors / built-ins on started events and on duplicates; then
 * a summary of every setting against the targets. Exactly-once checks: the codes our pool handed
 * out equal the trigger's "started" answers plus the new events the Webhook front door accepted;
 * the built-ins' codes equal the new events they accepted and recorded, none twice for one event;
 * a burst of copies of one event hands out one code at every front door.
 */
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { N8nApi } from '../scripts/n8n/instance';
import { Client } from 'pg';
import { storeAt } from '../store/open';
import { eventLoopLag, isolatesAcquired } from './prometheus';
import { install, n8n, repoRoot, requireN8n } from '../test/e2e/n8n';
import { postgresServer, type PgServer } from '../test/helpers/postgres';

const PACKAGE = 'n8n-nodes-dialogue-activities';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const NO_EXEC_SECONDS = Number(process.env.BENCH_NO_EXEC_SECONDS ?? 10);
const MAX_REQUESTS = Number(process.env.BENCH_MAX_REQUESTS ?? 500_000);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const SECRET = 'bench-generic-signing-secret';
const POOL = 'bench-trigger';
const BARE_PATH = 'bench-bare';
const EQUAL_PATH = 'bench-equal-nodes';
const EXPRS_PATH = 'bench-expressions';
const WEBHOOK_DOOR_PATH = 'bench-storefront-event';
/** The built-ins' workflow, kept as n8n exports it; its credentials are set when it is created. */
const BUILTIN_WORKFLOW = path.join(repoRoot, 'bench', 'builtin-front-door.json');
const BUILTIN_PATH = 'bench-builtin';
/** Concurrent deliveries of a burst (each on its own connection). */
const BURST = Number(process.env.BENCH_BURST ?? 200);
const OURS_WEBHOOK_ID = '5e1d0b7a-7c61-4b0e-a0f4-0b3c7d2e9a01';
const CUSTOMERS = 1000;
/** BENCH_SIGNED=0: no Storefront Webhook credential, unsigned Generic deliveries (shows what reading the credential costs). */
const SIGNED = process.env.BENCH_SIGNED !== '0';
/** Extra environment for n8n under every setting, as JSON, e.g. BENCH_N8N_ENV='{"N8N_EXPRESSION_ENGINE_POOL_SIZE":"2"}'. */
const N8N_ENV = JSON.parse(process.env.BENCH_N8N_ENV || '{}') as Record<string, string>;

type Kind = 'bare' | 'equal' | 'exprs' | 'ours' | 'webhook' | 'builtin' | 'duplicate' | 'filtered' | 'refused' | 'notFound';
/** The three ways in for a shop's delivery. */
type Door = 'ours' | 'webhook' | 'builtin';
const DOORS: Door[] = ['ours', 'webhook', 'builtin'];

interface LoadConfig {
	kind: Kind;
	url: string;
	connections: number;
	seconds: number;
	maxRequests: number;
	/** Prefix of generated event ids, unique per phase. */
	run: string;
}

interface LoadResult {
	kind: Kind;
	seconds: number;
	requests: number;
	ok: number;
	statuses: Record<string, number>;
	answers: Record<string, number>;
	/** Latencies of the 2xx answers, ms, sorted. */
	latencies: number[];
	errors: string[];
	/** Expression isolates n8n acquired during the phase and its drain (undefined: n8n does not count them). */
	isolates?: number;
	/** Seconds n8n took after the load to finish the executions it had started (answers come before the execution runs). */
	drainSeconds?: number;
}

/** What each kind of request is answered with, when not 2xx. */
const EXPECTED: Partial<Record<Kind, number>> = { refused: 401, notFound: 404 };

// ---------------------------------------------------------------------------------------------
// The load generator (second process)

function signed(body: string): Record<string, string> {
	return {
		'content-type': 'application/json',
		'content-length': String(Buffer.byteLength(body)),
		...(SIGNED && { 'x-dialogue-signature': createHmac('sha256', SECRET).update(body).digest('base64') }),
	};
}

function bodyFor(config: LoadConfig, n: number): { body: string; headers: Record<string, string> } {
	if (config.kind === 'bare' || config.kind === 'equal' || config.kind === 'exprs' || config.kind === 'notFound') {
		const body = JSON.stringify({ id: `${config.run}-${n}`, customer: { id: `bench-customer-${n % CUSTOMERS}` } });
		return { body, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } };
	}
	const customer = { id: `bench-customer-${n % CUSTOMERS}`, email: `c${n % CUSTOMERS}@example.test` };
	const occurredAt = new Date().toISOString();
	let event: Record<string, unknown>;
	if (config.kind === 'refused') {
		// Unsigned: refused with 401 before the store is touched (the cheapest answer the trigger gives).
		const body = JSON.stringify({ id: `${config.run}-${n}`, type: 'order.placed', occurredAt, customer });
		return { body, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } };
	}
	if (config.kind === 'duplicate') {
		event = { id: `${config.run}-event`, type: 'order.placed', occurredAt: '2026-01-01T00:00:00.000Z', customer: { id: 'bench-customer-0' }, order: { id: `${config.run}-order`, total: '10.00', currency: 'EUR', lines: [] } };
	} else if (config.kind === 'filtered') {
		event = { id: `${config.run}-${n}`, type: 'page.visited', occurredAt, customer, page: { url: `https://shop.example.com/p/${n % 50}` } };
	} else {
		event = {
			id: `${config.run}-${n}`,
			type: 'order.placed',
			occurredAt,
			customer,
			order: { id: `${config.run}-order-${n}`, total: '49.90', currency: 'EUR', lines: [{ productId: `p${n % 20}`, quantity: 1, price: '49.90', categories: ['Shoes'] }] },
		};
	}
	const body = JSON.stringify(event);
	return { body, headers: signed(body) };
}

async function runLoad(config: LoadConfig): Promise<LoadResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: config.connections });
	const url = new URL(config.url);
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	const answers: Record<string, number> = {};
	const errors: string[] = [];
	let sent = 0;
	let ok = 0;
	const started = process.hrtime.bigint();
	const deadline = Date.now() + config.seconds * 1000;

	const one = (n: number) =>
		new Promise<void>((resolve) => {
			const { body, headers } = bodyFor(config, n);
			const t0 = process.hrtime.bigint();
			const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, timeout: 60_000 }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					const ms = Number(process.hrtime.bigint() - t0) / 1e6;
					const status = res.statusCode ?? 0;
					statuses[status] = (statuses[status] ?? 0) + 1;
					const expected = EXPECTED[config.kind];
					if (expected ? status === expected : status >= 200 && status < 300) {
						ok++;
						latencies.push(ms);
						let answer = 'other';
						try {
							const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status?: string; message?: string };
							answer = String(parsed.status ?? parsed.message ?? 'other').slice(0, 32);
						} catch {
							/* not JSON */
						}
						answers[answer] = (answers[answer] ?? 0) + 1;
					} else if (errors.length < 5) {
						errors.push(`${status}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`);
					}
					resolve();
				});
			});
			req.on('timeout', () => req.destroy(new Error('timed out after 60 s')));
			req.on('error', (err) => {
				statuses.error = (statuses.error ?? 0) + 1;
				if (errors.length < 5) errors.push(err.message);
				resolve();
			});
			req.end(body);
		});

	const worker = async () => {
		while (Date.now() < deadline && sent < config.maxRequests) {
			await one(sent++);
		}
	};
	await Promise.all(Array.from({ length: config.connections }, worker));
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	agent.destroy();
	latencies.sort((a, b) => a - b);
	return { kind: config.kind, seconds, requests: sent, ok, statuses, answers, latencies, errors };
}

/** Runs one phase in a second process and returns what it measured. */
function loadFromSecondProcess(config: LoadConfig): Promise<LoadResult> {
	return new Promise((resolve, reject) => {
		const child = fork(__filename, ['--load'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		let result: LoadResult | undefined;
		child.on('message', (message) => {
			result = message as LoadResult;
		});
		child.on('error', reject);
		child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`load generator exited with ${code} and no result`))));
		child.send(config);
	});
}

// ---------------------------------------------------------------------------------------------
// The bench (first process)

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
/** Answers per second of load and drain: a workflow's executions count until they have finished. */
const rate = (r: LoadResult) => r.ok / (r.seconds + (r.drainSeconds ?? 0));
/** Isolates acquired per request sent, NaN when n8n does not count them. */
const isolatesPer = (r: LoadResult) => (r.isolates === undefined || r.requests === 0 ? NaN : r.isolates / r.requests);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls n8n again while it answers 503 (for at most 60 s): a loaded n8n answers every request but
 * its health checks with 503 "Database is not ready" when its own database check timed out.
 */
async function past503<T>(call: () => Promise<T>): Promise<T> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			return await call();
		} catch (err) {
			const unavailable = (err as { status?: number }).status === 503 || (err instanceof Error && / answered 503 /.test(err.message));
			if (!unavailable || Date.now() > deadline) throw err;
			await sleep(200);
		}
	}
}

/** Waits until no execution is running or new (at most 120 s). */
async function drain(api: N8nApi): Promise<void> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const page = await past503(() => api.request<{ data: unknown[] }>('GET', '/executions?status=running&limit=1'));
		if (page.data.length === 0) return;
		if (Date.now() > deadline) throw new Error('executions still running 120 s after the load stopped');
		await sleep(100);
	}
}

function merge(results: LoadResult[]): LoadResult {
	const out: LoadResult = { kind: results[0].kind, seconds: 0, requests: 0, ok: 0, statuses: {}, answers: {}, latencies: [], errors: [], isolates: 0, drainSeconds: 0 };
	for (const r of results) {
		out.seconds += r.seconds;
		out.drainSeconds = (out.drainSeconds ?? 0) + (r.drainSeconds ?? 0);
		out.requests += r.requests;
		out.ok += r.ok;
		for (const [k, v] of Object.entries(r.statuses)) out.statuses[k] = (out.statuses[k] ?? 0) + v;
		for (const [k, v] of Object.entries(r.answers)) out.answers[k] = (out.answers[k] ?? 0) + v;
		out.latencies.push(...r.latencies);
		out.errors.push(...r.errors);
		out.isolates = out.isolates === undefined || r.isolates === undefined ? undefined : out.isolates + r.isolates;
	}
	out.latencies.sort((a, b) => a - b);
	return out;
}

function line(label: string, r: LoadResult): string {
	const statuses = Object.entries(r.statuses)
		.map(([k, v]) => `${k}:${v}`)
		.join(' ');
	const answers = Object.entries(r.answers)
		.map(([k, v]) => `${k}:${v}`)
		.join(' ');
	return (
		`${label.padEnd(48)} ${rate(r).toFixed(1).padStart(8)} req/s   p50 ${percentile(r.latencies, 50).toFixed(1).padStart(6)} ms   ` +
		`p99 ${percentile(r.latencies, 99).toFixed(1).padStart(6)} ms   ${isolatesPer(r).toFixed(3).padStart(6)} isolates/req   ` +
		`(${r.ok}/${r.requests} in ${r.seconds.toFixed(1)} s + ${(r.drainSeconds ?? 0).toFixed(1)} s drain; ${statuses}; ${answers})`
	);
}

interface Setting {
	name: string;
	/** The n8n environment that makes it. */
	env: Record<string, string>;
}

const SETTINGS: Setting[] = [
	{ name: 'default', env: {} },
	{ name: 'noskip', env: { N8N_EXPRESSION_ENGINE_ALLOW_WEBHOOK_ISOLATE_SKIP: 'false' } },
	{ name: 'lazy', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
];
const CHOSEN = (process.env.BENCH_SETTINGS ?? SETTINGS.map((s) => s.name).join(','))
	.split(',')
	.map((name) => name.trim())
	.filter((name) => name !== '');
for (const name of CHOSEN) {
	if (!SETTINGS.some((s) => s.name === name)) throw new Error(`BENCH_SETTINGS: "${name}" is not a setting; use any of ${SETTINGS.map((s) => s.name).join(', ')}`);
}
const describeSetting = (setting: Setting) =>
	Object.keys(setting.env).length ? Object.entries(setting.env).map(([k, v]) => `${k}=${v}`).join(' ') : "n8n's defaults";

/** What one setting measured. */
interface SettingResult {
	setting: Setting;
	bare: LoadResult;
	equal: LoadResult;
	exprs: LoadResult;
	ours: LoadResult;
	webhook: LoadResult;
	builtin: LoadResult;
	noExecution: Array<[label: string, result: LoadResult]>;
	/** Repeated deliveries of one event, per front door (absent with BENCH_NO_EXEC_SECONDS=0). */
	duplicates?: Record<Door, LoadResult>;
	bursts: Burst[];
	/** Codes each front door should have handed out: one per new event it accepted (warm-up, seeds and bursts included). */
	expectedCodes: Record<Door, number>;
	/** Deliveries of new events that got no answer (timed out): each may have started or not. */
	unanswered: Record<Door, number>;
}

/** What n8n's main process did while a burst of concurrent deliveries was answered and executed. */
interface Watched {
	/** The highest event-loop delay, and the highest 99th percentile of one scrape interval, in ms. */
	lagMaxMs: number;
	lagP99Ms: number;
	scrapes: number;
	/** Statuses of /healthz/readiness, polled every 200 ms ("timeout": no answer in 5 s). */
	readiness: Record<string, number>;
}

interface Burst {
	door: Door;
	/** new: BURST different new events; same: BURST copies of one new event. */
	events: 'new' | 'same';
	result: LoadResult;
	watched: Watched;
	/** Codes handed out by the burst's executions. */
	codes: number;
}

/** The bench's workflows, created once in the user folder every setting's n8n starts from. */
async function createWorkflows(api: N8nApi, pg: PgServer): Promise<string[]> {
	const credential = await api.createCredential({ name: 'Bench storefront', type: 'storefrontWebhookApi', data: { source: 'generic', secret: SECRET } });
	const crypto = await api.createCredential({ name: 'Bench HMAC secret', type: 'crypto', data: { hmacSecret: SECRET } });
	const postgres = await api.createCredential({
		name: 'Bench Postgres',
		type: 'postgres',
		data: { host: pg.host, port: pg.port, database: pg.database, user: pg.user, password: '', ssl: 'disable' },
	});
	const builtin = fs
		.readFileSync(BUILTIN_WORKFLOW, 'utf8')
		.replaceAll('CRYPTO_CREDENTIAL', crypto.id)
		.replaceAll('POSTGRES_CREDENTIAL', postgres.id);
	const node = (prefix: string, n: number, name: string, type: string, typeVersion: number, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
		id: `${prefix}0000000-0000-4000-8000-00000000000${n}`,
		name,
		type,
		typeVersion,
		position: [240 * (n - 1), 0] as [number, number],
		parameters,
		...extra,
	});
	const webhook = (prefix: string, path: string) =>
		node(prefix, 1, 'Webhook', 'n8n-nodes-base.webhook', 2, { httpMethod: 'POST', path, options: {} }, { webhookId: `${prefix}0000000-0000-4000-8000-0000000000aa` });
	const noOp = (prefix: string, n: number, name = 'NoOp') => node(prefix, n, name, 'n8n-nodes-base.noOp', 1, {});
	const field = (name: string, value: string) => ({ id: `f-${name}`, name, value, type: 'string' });
	const editFields = (prefix: string, fields: Array<ReturnType<typeof field>>) =>
		node(prefix, 2, 'Edit Fields', 'n8n-nodes-base.set', 3.4, { assignments: { assignments: fields }, options: {} });
	const chain = (...names: string[]) =>
		Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
	const settings = { executionOrder: 'v1' };
	const workflows = [
		await api.createWorkflow({
			name: 'Bench: bare webhook',
			nodes: [webhook('a', BARE_PATH), noOp('a', 2)],
			connections: chain('Webhook', 'NoOp'),
			settings,
		}),
		// As many nodes as ours, every parameter a constant: what n8n's webhook path and four nodes cost.
		await api.createWorkflow({
			name: 'Bench: Webhook -> Edit Fields (constants) -> NoOp -> NoOp',
			nodes: [webhook('d', EQUAL_PATH), editFields('d', [field('activity', 'bench'), field('pool', POOL), field('policy', 'always')]), noOp('d', 3), noOp('d', 4, 'NoOp1')],
			connections: chain('Webhook', 'Edit Fields', 'NoOp', 'NoOp1'),
			settings,
		}),
		// The same five expressions our Guard and Coupon read (activity, customer and entry key; customer
		// and assignment key), in n8n's own Edit Fields node: what n8n's expression engine costs alone.
		await api.createWorkflow({
			name: 'Bench: Webhook -> Edit Fields (5 expressions) -> NoOp -> NoOp',
			nodes: [
				webhook('c', EXPRS_PATH),
				editFields('c', [
					field('activity', '={{ $workflow.id }}'),
					field('customer', '={{ $json.body.customer.id }}'),
					field('entryKey', '={{ $json.body.id }}'),
					field('couponCustomer', '={{ $json.body.customer.id }}'),
					field('assignmentKey', '={{ $json.body.id }}'),
				]),
				noOp('c', 3),
				noOp('c', 4, 'NoOp1'),
			],
			connections: chain('Webhook', 'Edit Fields', 'NoOp', 'NoOp1'),
			settings,
		}),
		await api.createWorkflow({
			name: 'Bench: Storefront Trigger, guard, coupon',
			nodes: [
				node('b', 1, 'Storefront Trigger', `${PACKAGE}.storefrontTrigger`, 1.2, { source: 'auto', acceptUnsigned: !SIGNED, events: ['order.placed'], filters: {}, options: {} }, {
					webhookId: OURS_WEBHOOK_ID,
					...(SIGNED && { credentials: { storefrontWebhookApi: { id: credential.id, name: credential.name } } }),
				}),
				node('b', 2, 'Repeatability Guard', `${PACKAGE}.repeatabilityGuard`, 1, { operation: 'check', activity: 'bench', policy: 'always' }),
				node('b', 3, 'Coupon', `${PACKAGE}.coupon`, 1, { operation: 'assign', pool: { __rl: true, mode: 'name', value: POOL }, assignment: 'each' }),
				noOp('b', 4),
			],
			connections: {
				'Storefront Trigger': { main: [[{ node: 'Repeatability Guard', type: 'main', index: 0 }]] },
				'Repeatability Guard': { main: [[{ node: 'Coupon', type: 'main', index: 0 }], []] },
				Coupon: { main: [[{ node: 'NoOp', type: 'main', index: 0 }], []] },
			},
			settings,
		}),
		// The Webhook front door: n8n's Webhook (Raw Body, answering at once) -> Storefront Event (its Start output) -> the same nodes.
		await api.createWorkflow({
			name: 'Bench: Webhook, Storefront Event, guard, coupon',
			nodes: [
				node('f', 1, 'Webhook', 'n8n-nodes-base.webhook', 2.1, { httpMethod: 'POST', path: WEBHOOK_DOOR_PATH, options: { rawBody: true } }, { webhookId: 'f0000000-0000-4000-8000-0000000000aa' }),
				node('f', 2, 'Storefront Event', `${PACKAGE}.storefrontEvent`, 1, { source: 'auto', acceptUnsigned: !SIGNED, events: ['order.placed'], filters: {}, options: {} }, {
					...(SIGNED && { credentials: { storefrontWebhookApi: { id: credential.id, name: credential.name } } }),
				}),
				node('f', 3, 'Repeatability Guard', `${PACKAGE}.repeatabilityGuard`, 1, { operation: 'check', activity: 'bench', policy: 'always' }),
				node('f', 4, 'Coupon', `${PACKAGE}.coupon`, 1, { operation: 'assign', pool: { __rl: true, mode: 'name', value: POOL }, assignment: 'each' }),
				noOp('f', 5),
			],
			connections: {
				Webhook: { main: [[{ node: 'Storefront Event', type: 'main', index: 0 }]] },
				'Storefront Event': { main: [[{ node: 'Repeatability Guard', type: 'main', index: 0 }], []] },
				'Repeatability Guard': { main: [[{ node: 'Coupon', type: 'main', index: 0 }], []] },
				Coupon: { main: [[{ node: 'NoOp', type: 'main', index: 0 }], []] },
			},
			settings,
		}),
		await api.createWorkflow(JSON.parse(builtin) as Parameters<N8nApi['createWorkflow']>[0]),
	];
	return workflows.map((w) => w.id);
}

/** n8n's /healthz/readiness status, "timeout" when it gives none in 5 s. */
async function readiness(baseUrl: string): Promise<string> {
	try {
		const res = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(5000) });
		await res.text();
		return String(res.status);
	} catch (err) {
		return err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'error';
	}
}

/** Polls n8n's event-loop delay and readiness every 200 ms until the returned function is called. */
async function watchN8n(baseUrl: string): Promise<() => Promise<Watched>> {
	await past503(() => eventLoopLag(baseUrl)); // resets the delay histogram: what follows is the burst's alone
	const watched: Watched = { lagMaxMs: 0, lagP99Ms: 0, scrapes: 0, readiness: {} };
	let stopped = false;
	const polling = (async () => {
		while (!stopped) {
			const tick = sleep(200);
			const [lag, ready] = await Promise.all([eventLoopLag(baseUrl).catch(() => undefined), readiness(baseUrl)]);
			if (lag) {
				watched.scrapes++;
				watched.lagMaxMs = Math.max(watched.lagMaxMs, lag.max * 1000);
				watched.lagP99Ms = Math.max(watched.lagP99Ms, lag.p99 * 1000);
			}
			watched.readiness[ready] = (watched.readiness[ready] ?? 0) + 1;
			await tick;
		}
	})();
	return async () => {
		stopped = true;
		await polling;
		const lag = await past503(() => eventLoopLag(baseUrl));
		if (lag) {
			watched.scrapes++;
			watched.lagMaxMs = Math.max(watched.lagMaxMs, lag.max * 1000);
			watched.lagP99Ms = Math.max(watched.lagP99Ms, lag.p99 * 1000);
		}
		return watched;
	};
}

const watchedLine = (w: Watched) =>
	`event-loop delay max ${w.lagMaxMs.toFixed(0)} ms, p99 ${w.lagP99Ms.toFixed(0)} ms (${w.scrapes} scrapes); readiness ${Object.entries(w.readiness)
		.map(([k, v]) => `${k}:${v}`)
		.join(' ')}`;

/** How each front door hands out codes: our pool in the SQLite store, the built-ins' table in PostgreSQL. */
type CodesOut = Record<Door, () => Promise<number>>;

/** One n8n started with the setting, every phase measured, n8n stopped. */
async function runSetting(setting: Setting, userFolder: string, n8nBin: string, storeFile: string, first: boolean, pg: PgServer, codesOut: CodesOut): Promise<SettingResult> {
	const instance = await n8n.startN8n({
		userFolder,
		n8nBin,
		env: { DIALOGUE_STORE_URL: storeFile, N8N_METRICS: 'true', N8N_METRICS_INCLUDE_DEFAULT_METRICS: 'true', ...N8N_ENV, ...setting.env },
		log: (l) => console.log(l),
	});
	try {
		if (first) {
			const cookie = await n8n.setupOwner(instance.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-Local-1' });
			apiKey = await n8n.createApiKey(instance.baseUrl, cookie, { label: 'bench' });
		}
		const api = new n8n.N8nApi(instance.baseUrl, apiKey);
		if (first) for (const id of await createWorkflows(api, pg)) await api.activateWorkflow(id);

		const url = {
			bare: `${instance.baseUrl}/webhook/${BARE_PATH}`,
			equal: `${instance.baseUrl}/webhook/${EQUAL_PATH}`,
			exprs: `${instance.baseUrl}/webhook/${EXPRS_PATH}`,
			ours: `${instance.baseUrl}/webhook/${OURS_WEBHOOK_ID}/storefront`,
			webhook: `${instance.baseUrl}/webhook/${WEBHOOK_DOOR_PATH}`,
			builtin: `${instance.baseUrl}/webhook/${BUILTIN_PATH}`,
		};
		const probe = await n8n.waitForWebhook(url.bare, { body: { probe: true } });
		await n8n.waitForWebhook(url.equal, { body: { probe: true } });
		await n8n.waitForWebhook(url.exprs, { body: { id: 'probe', customer: { id: 'probe' } } });
		const probeOurs = await n8n.waitForWebhook(url.ours, { body: '{}', headers: signed('{}') });
		if (probe.status !== 200) throw new Error(`the bare webhook answered ${probe.status}: ${JSON.stringify(probe.body)}`);
		if (probeOurs.status !== 400) throw new Error(`the Storefront Trigger should refuse an empty event (400), answered ${probeOurs.status}: ${JSON.stringify(probeOurs.body)}`);
		// Probes that hand out no code: an empty event (Not Started), an unsigned delivery (Signed? false).
		for (const door of ['webhook', 'builtin'] as const) {
			const probed = await n8n.waitForWebhook(url[door], { body: '{}', headers: { 'content-type': 'application/json' } });
			if (probed.status !== 200) throw new Error(`the ${door} front door answered ${probed.status}: ${JSON.stringify(probed.body)}`);
		}
		if ((await isolatesAcquired(instance.baseUrl)) === undefined) console.log('n8n reports no n8n_expression_pool_acquired_total (engine legacy?): isolates are shown as NaN');
		if ((await eventLoopLag(instance.baseUrl)) === undefined) console.log('n8n reports no n8n_nodejs_eventloop_lag_*: event-loop delay is shown as 0');

		// Each phase: the isolates counter read before and after the load and the drain that follows it.
		const phase = async (kind: Kind, phaseUrl: string, seconds: number, run: string, connections = CONNECTIONS, maxRequests = MAX_REQUESTS): Promise<LoadResult> => {
			const before = await past503(() => isolatesAcquired(instance.baseUrl));
			const result = await loadFromSecondProcess({ kind, url: phaseUrl, connections, seconds, maxRequests, run: `${setting.name}-${run}` });
			const drained = Date.now();
			await drain(api);
			const drainSeconds = (Date.now() - drained) / 1000;
			const after = await past503(() => isolatesAcquired(instance.baseUrl));
			return { ...result, drainSeconds, isolates: before === undefined || after === undefined ? undefined : after - before };
		};
		const MAIN = ['bare', 'equal', 'exprs', 'ours', 'webhook', 'builtin'] as const;
		const LABELS: Record<(typeof MAIN)[number], string> = {
			bare: 'bare Webhook -> NoOp',
			equal: 'Webhook -> Edit Fields (constants) -> 2 NoOp',
			exprs: 'Webhook -> Edit Fields (5 expressions) -> 2 NoOp',
			ours: 'Storefront Trigger -> Guard -> Coupon -> NoOp',
			webhook: 'Webhook -> Storefront Event -> Guard -> Coupon',
			builtin: 'built-ins: Webhook, Crypto, IF, Postgres x2',
		};
		// "started" answers of the trigger; every accepted delivery of a new event at the two others (they answer before the execution).
		const accepted = (door: Door, r: LoadResult) => (door === 'ours' ? (r.answers.started ?? 0) : r.ok);
		const expectedCodes: Record<Door, number> = { ours: 0, webhook: 0, builtin: 0 };
		const unanswered: Record<Door, number> = { ours: 0, webhook: 0, builtin: 0 };
		const tally = (door: Door, r: LoadResult) => {
			expectedCodes[door] += accepted(door, r);
			unanswered[door] += r.statuses.error ?? 0;
		};

		console.log(`\n[${setting.name}] ${describeSetting(setting)}: warm-up ${WARMUP_SECONDS} s each`);
		for (const kind of MAIN) {
			const warm = await phase(kind, url[kind], WARMUP_SECONDS, `warm-${kind}`);
			if (kind === 'ours' || kind === 'webhook' || kind === 'builtin') tally(kind, warm);
		}
		const runs: Record<(typeof MAIN)[number], LoadResult[]> = { bare: [], equal: [], exprs: [], ours: [], webhook: [], builtin: [] };
		// Every other round in reverse order, so a load that rises or falls on the machine during the
		// rounds weighs on every workflow alike.
		for (let round = 1; round <= ROUNDS; round++) {
			for (const kind of round % 2 === 1 ? MAIN : [...MAIN].reverse()) {
				const r = await phase(kind, url[kind], SECONDS, `${kind}-${round}`);
				console.log(line(`[${setting.name}] round ${round}: ${LABELS[kind]}`, r));
				runs[kind].push(r);
			}
		}
		const merged = { bare: merge(runs.bare), equal: merge(runs.equal), exprs: merge(runs.exprs), ours: merge(runs.ours), webhook: merge(runs.webhook), builtin: merge(runs.builtin) };
		for (const door of DOORS) tally(door, merged[door]);

		const noExecution: SettingResult['noExecution'] = [];
		let duplicates: SettingResult['duplicates'];
		if (NO_EXEC_SECONDS > 0) {
			// Per front door: one event delivered once (it starts, one code), then again and again.
			const repeated: Partial<Record<Door, LoadResult>> = {};
			for (const door of DOORS) {
				const first = bodyFor({ kind: 'duplicate', url: url[door], connections: 1, seconds: 0, maxRequests: 1, run: `${setting.name}-duplicate-${door}` }, 0);
				const seeded = await n8n.waitForWebhook(url[door], { body: first.body, headers: first.headers });
				if (door === 'ours' ? (seeded.body as { status?: string }).status !== 'started' : seeded.status !== 200) throw new Error(`the first delivery to ${door} should start: ${JSON.stringify(seeded.body)}`);
				expectedCodes[door]++;
				await drain(api);
				repeated[door] = await phase('duplicate', url[door], NO_EXEC_SECONDS, `duplicate-${door}`);
			}
			duplicates = repeated as Record<Door, LoadResult>;
			noExecution.push(['no execution: duplicate deliveries', duplicates.ours]);
			noExecution.push(['no execution: filtered out (recorded only)', await phase('filtered', url.ours, NO_EXEC_SECONDS, 'filtered')]);
			noExecution.push(['no execution: unsigned, refused (401, no store)', await phase('refused', url.ours, NO_EXEC_SECONDS, 'refused')]);
			noExecution.push(['n8n alone: unregistered webhook path (404)', await phase('notFound', `${instance.baseUrl}/webhook/bench-not-registered`, NO_EXEC_SECONDS, 'not-found')]);
		}

		// Bursts: BURST deliveries at once, each on its own connection, per front door: new events, then copies of one new event.
		const bursts: Burst[] = [];
		for (const events of ['new', 'same'] as const) {
			for (const door of DOORS) {
				const codesBefore = await codesOut[door]();
				const stop = await watchN8n(instance.baseUrl);
				const result = await phase(events === 'new' ? door : 'duplicate', url[door], 120, `burst-${events}-${door}`, BURST, BURST);
				const watched = await stop();
				const codes = (await codesOut[door]()) - codesBefore;
				if (events === 'new') tally(door, result);
				else expectedCodes[door] += Math.min(1, accepted(door, result));
				bursts.push({ door, events, result, watched, codes });
			}
		}

		const result: SettingResult = { setting, ...merged, noExecution, duplicates, bursts, expectedCodes, unanswered };
		console.log('\n' + '-'.repeat(100));
		console.log(`[${setting.name}] ${describeSetting(setting)}`);
		for (const kind of MAIN) console.log(line(LABELS[kind], result[kind]));
		for (const [label, r] of noExecution) console.log(line(label, r));
		if (duplicates) for (const door of ['webhook', 'builtin'] as const) console.log(line(`duplicate deliveries: ${LABELS[door]}`, duplicates[door]));
		for (const b of bursts) {
			console.log(line(`burst of ${BURST}, ${b.events === 'new' ? 'new events' : 'one event'}: ${LABELS[b.door]}`, b.result));
			console.log(`    ${watchedLine(b.watched)}; ${b.codes} codes handed out`);
		}
		console.log(`ours / equal-node baseline (requests/s): ${(rate(result.ours) / rate(result.equal)).toFixed(3)}x at ${isolatesPer(result.ours).toFixed(2)} vs ${isolatesPer(result.equal).toFixed(2)} isolates/req`);
		console.log(`ours / Edit Fields with the same expressions (requests/s): ${(rate(result.ours) / rate(result.exprs)).toFixed(3)}x`);
		console.log(frontDoorRatios(result));
		console.log('-'.repeat(100));
		return result;
	} finally {
		await instance.stop();
	}
}

/** Both front doors against the built-ins, on started events and on duplicate deliveries (requests/s). */
function frontDoorRatios(r: SettingResult): string {
	const x = (a: LoadResult, b: LoadResult) => `${(rate(a) / rate(b)).toFixed(3)}x`;
	const started = `started: Webhook+Storefront Event / built-ins ${x(r.webhook, r.builtin)}, Storefront Trigger / built-ins ${x(r.ours, r.builtin)}`;
	const duplicates = r.duplicates
		? `duplicates: Webhook+Storefront Event / built-ins ${x(r.duplicates.webhook, r.duplicates.builtin)}, Storefront Trigger / built-ins ${x(r.duplicates.ours, r.duplicates.builtin)}`
		: 'duplicates: not run';
	return `[${r.setting.name}] ${started}; ${duplicates}`;
}

let apiKey = '';

/**
 * The built-ins' tables in the bench's own PostgreSQL: the events seen, and a pool of codes.
 * (Bench set-up, not the package's store: the built-in workflow is what a user would write.)
 */
async function builtinTables(pg: PgServer, codes: number): Promise<Client> {
	const client = new Client({ host: pg.host, port: pg.port, user: pg.user, database: pg.database });
	await client.connect();
	await client.query('CREATE TABLE events (id text PRIMARY KEY)');
	await client.query('CREATE TABLE codes (id serial PRIMARY KEY, code text NOT NULL UNIQUE, assigned_to text)');
	await client.query("INSERT INTO codes (code) SELECT 'BUILTIN-' || lpad(n::text, 7, '0') FROM generate_series(1, $1::int) AS n", [codes]);
	return client;
}

const count = async (client: Client, sql: string) => Number((await client.query<{ n: string }>(sql)).rows[0].n);

async function bench(): Promise<void> {
	const { n8nBin } = await requireN8n((l) => console.log(l));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-bench-trigger-'));
	const storeFile = path.join(userFolder, 'store', 'dialogue-activities.sqlite');
	fs.mkdirSync(path.dirname(storeFile), { recursive: true });
	const store = storeAt({ kind: 'sqlite', file: storeFile });
	const pg = await postgresServer();
	// Codes for every request the started-event phases of a front door could make.
	const perSetting = Math.ceil(ROUNDS * SECONDS * 200 + WARMUP_SECONDS * 200 + 2 * BURST + 2);
	const poolSize = Math.min(MAX_REQUESTS * (ROUNDS + 1) * CHOSEN.length, Math.max(20_000, perSetting * CHOSEN.length));
	const client = await builtinTables(pg, poolSize);
	try {
		n8n.installPackage(userFolder, repoRoot, { log: (l) => console.log(l) });
		await store.ensurePools([POOL], Date.now());
		// The trigger and the Webhook front door share the pool: twice the codes.
		for (let from = 0; from < 2 * poolSize; from += 10_000) {
			const codes = Array.from({ length: Math.min(10_000, 2 * poolSize - from) }, (_, i) => ({ code: `BENCH-${String(from + i).padStart(7, '0')}`, discountKind: 'percent' as const, discountValue: '10' }));
			await store.addCodes(POOL, codes, Date.now());
		}
		const ourCodes = async () => (await store.poolStatus(POOL, Date.now())).assigned;
		const builtinCodes = () => count(client, 'SELECT count(*) AS n FROM codes WHERE assigned_to IS NOT NULL');
		const codesOut: CodesOut = { ours: ourCodes, webhook: ourCodes, builtin: builtinCodes };
		const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');

		const results: SettingResult[] = [];
		for (const name of CHOSEN) results.push(await runSetting(SETTINGS.find((s) => s.name === name)!, userFolder, n8nBin, storeFile, results.length === 0, pg, codesOut));

		const expected = (door: Door) => results.reduce((sum, r) => sum + r.expectedCodes[door], 0);
		const unanswered = (door: Door) => results.reduce((sum, r) => sum + r.unanswered[door], 0);
		// A delivery that timed out at the client may still have started: it may add one code.
		const within = (codes: number, least: number, most: number) =>
			least === most ? (codes === least ? ' (equal)' : ' (DIFFERENT)') : codes >= least && codes <= most ? ` (within ${least}..${most})` : ` (NOT within ${least}..${most})`;
		const handedOut = await ourCodes();
		const builtinHandedOut = await builtinCodes();
		const builtinEvents = await count(client, 'SELECT count(*) AS n FROM events');
		const builtinTwice = await count(client, 'SELECT count(*) AS n FROM (SELECT assigned_to FROM codes WHERE assigned_to IS NOT NULL GROUP BY assigned_to HAVING count(*) > 1) AS twice');
		const cpus = os.cpus();
		const x = (a: number, b: number) => `${(a / b).toFixed(3)}x`;
		const iso = (r: LoadResult) => isolatesPer(r).toFixed(2);

		console.log('\n' + '='.repeat(100));
		console.log(`n8n ${install.N8N_VERSION} on Node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), ${CONNECTIONS} connections,`);
		console.log(`${ROUNDS} x ${SECONDS} s per workflow and setting (alternating), no-execution phases ${NO_EXEC_SECONDS} s, bursts of ${BURST}, load from a second process on 127.0.0.1`);
		console.log(`Storefront deliveries ${SIGNED ? 'signed (Storefront Webhook credential)' : 'unsigned Generic (no credential)'}${Object.keys(N8N_ENV).length ? `; n8n env ${JSON.stringify(N8N_ENV)}` : ''}; load average before: ${loadBefore}, after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
		console.log('Isolates per request (n8n_expression_pool_acquired_total):');
		console.log(
			`${'setting'.padEnd(8)} ${'bare'.padStart(6)} ${'equal'.padStart(6)} ${'exprs'.padStart(6)} ${'ours'.padStart(6)} ${'dupl.'.padStart(6)} ${'filt.'.padStart(6)} ${'401'.padStart(6)} ${'404'.padStart(6)}` +
				` ${'wh+SE'.padStart(6)} ${'dupl.'.padStart(6)} ${'built'.padStart(6)} ${'dupl.'.padStart(6)}`,
		);
		for (const r of results) {
			const doors = [r.webhook, ...(r.duplicates ? [r.duplicates.webhook] : []), r.builtin, ...(r.duplicates ? [r.duplicates.builtin] : [])];
			const cells = [r.bare, r.equal, r.exprs, r.ours, ...r.noExecution.map(([, n]) => n), ...doors].map((n) => iso(n).padStart(6));
			console.log(`${r.setting.name.padEnd(8)} ${cells.join(' ')}`);
		}
		console.log('Requests/s, ours against the equal-node baseline (Webhook -> Edit Fields (constants) -> 2 NoOp):');
		for (const r of results) {
			const equalIsolates = Math.abs(isolatesPer(r.ours) - isolatesPer(r.equal)) < 0.05;
			console.log(
				`${r.setting.name.padEnd(8)} ours ${rate(r.ours).toFixed(1).padStart(7)}   equal ${rate(r.equal).toFixed(1).padStart(7)}   ours/equal ${x(rate(r.ours), rate(r.equal))}` +
					`   (isolates/req ${iso(r.ours)} vs ${iso(r.equal)}${equalIsolates ? ', equal: target >= 0.95x' : ''})   ours/bare ${x(rate(r.ours), rate(r.bare))}   ours/exprs ${x(rate(r.ours), rate(r.exprs))}`,
			);
		}
		console.log('Front doors, requests/s (isolates/req) on started events | duplicate deliveries; ratios against the built-ins:');
		for (const r of results) {
			const cell = (n: LoadResult | undefined) => (n ? `${rate(n).toFixed(1).padStart(7)} (${iso(n)})` : '    not run');
			console.log(
				`${r.setting.name.padEnd(8)} trigger ${cell(r.ours)} | ${cell(r.duplicates?.ours)}   webhook+SE ${cell(r.webhook)} | ${cell(r.duplicates?.webhook)}   built-ins ${cell(r.builtin)} | ${cell(r.duplicates?.builtin)}`,
			);
			console.log(`         ${frontDoorRatios(r)}`);
		}
		console.log(`Bursts of ${BURST} concurrent deliveries, n8n's main process (answers and executions):`);
		for (const r of results) {
			for (const b of r.bursts) {
				console.log(
					`${r.setting.name.padEnd(8)} ${b.door.padEnd(8)} ${b.events.padEnd(4)} ${b.result.ok}/${b.result.requests} answered in ${b.result.seconds.toFixed(1)} s + ${(b.result.drainSeconds ?? 0).toFixed(1)} s drain; ` +
						`${watchedLine(b.watched)}; ${b.codes} codes${b.events === 'same' ? (b.codes === 1 ? ' (1: exactly once)' : ' (NOT 1)') : ''}`,
				);
			}
		}
		const extra = (name: string) => {
			const r = results.find((s) => s.setting.name === name);
			return r ? (isolatesPer(r.ours) - isolatesPer(r.bare)).toFixed(2) : 'not run';
		};
		const lazy = results.find((s) => s.setting.name === 'lazy');
		console.log(`isolates/req, ours minus bare under n8n's defaults: ${extra('default')} (target 1: the webhook phase's isolate, which n8n skips only for its own Webhook node)`);
		console.log(`isolates/req of ours under lazy acquisition: ${lazy ? iso(lazy.ours) : 'not run'} (target 0)`);
		const ourLeast = expected('ours') + expected('webhook');
		const ourMost = ourLeast + unanswered('ours') + unanswered('webhook');
		console.log(
			`exactly once, our store: ${expected('ours')} deliveries to the trigger started an execution and ${expected('webhook')} new events were accepted by Webhook + Storefront Event ` +
				`(${unanswered('ours') + unanswered('webhook')} unanswered); ${handedOut} codes were handed out` + within(handedOut, ourLeast, ourMost),
		);
		const builtinMost = expected('builtin') + unanswered('builtin');
		const builtinOnce = builtinHandedOut >= expected('builtin') && builtinHandedOut <= builtinMost && builtinEvents === builtinHandedOut && builtinTwice === 0;
		console.log(
			`exactly once, built-ins: ${expected('builtin')} new events accepted (${unanswered('builtin')} unanswered), ${builtinEvents} recorded, ${builtinHandedOut} codes handed out, ` +
				`${builtinTwice} events with more than one code` + (builtinOnce ? within(builtinHandedOut, expected('builtin'), builtinMost) : ' (DIFFERENT)'),
		);
		const sameBurstsOnce = results.every((r) => r.bursts.every((b) => b.events !== 'same' || b.codes === 1));
		const errors = results.flatMap((r) =>
			[r.bare, r.equal, r.exprs, r.ours, r.webhook, r.builtin, ...r.noExecution.map(([, n]) => n), ...(r.duplicates ? [r.duplicates.webhook, r.duplicates.builtin] : []), ...r.bursts.map((b) => b.result)].flatMap((n) => n.errors),
		);
		if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 8).join('\n  ')}`);
		console.log('='.repeat(100));
		if (handedOut < ourLeast || handedOut > ourMost || !builtinOnce || !sameBurstsOnce) process.exitCode = 1;
	} finally {
		await client.end();
		await store.close();
		pg.stop();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
}

if (process.argv.includes('--load')) {
	process.once('message', (config) => {
		runLoad(config as LoadConfig).then(
			(result) => process.send!(result, () => process.exit(0)),
			(err: unknown) => {
				console.error(err);
				process.exit(1);
			},
		);
	});
} else {
	bench().catch((err: unknown) => {
		console.error(err instanceof Error ? (err.stack ?? err.message) : err);
		process.exit(1);
	});
}
