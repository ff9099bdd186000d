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
 * Load comes from a second process on 127.0.0.1 (this file, forked with --load): BENCH_CONNECTIONS
 * keep-alive connections (default 16), each sending its next request when the last one answered,
 * for BENCH_SECONDS per phase (default 15), at most BENCH_MAX_REQUESTS requests per phase.
 * Phases alternate (bare, equal, exprs, ours, then the reverse; BENCH_ROUNDS rounds, default 2) after a warm-up of
 * BENCH_WARMUP_SECONDS, and the instance drains its executions after each phase, so no phase
 * inherits another's backlog.
 *
 * Then, for BENCH_NO_EXEC_SECONDS each (0 skips them), deliveries answered without an execution:
 *   duplicate: the same signed event again and again (answered "duplicate");
 *   filtered:  new page.visited events, recorded in the store but starting nothing ("recorded");
 *   refused:   unsigned deliveries, refused with 401 before the store is touched;
 *   notFound:  a path no workflow registered, answered 404 by n8n before any node runs.
 *
 * Printed per setting: requests/s (answers over the seconds of load plus the drain after it, since
 * n8n answers a webhook before the execution runs, so executions still running count against their
 * workflow), p50 and p99 latency and isolates per request of each phase, and
 * ours / equal-node baseline; then a summary of every setting against the targets. Exactly-once
 * check: the number of codes the pool handed out equals the number of "started" answers.
 */
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { N8nApi } from '../scripts/n8n/instance';
import { storeAt } from '../store/open';
import { isolatesAcquired } from './prometheus';
import { install, n8n, repoRoot, requireN8n } from '../test/e2e/n8n';

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
const OURS_WEBHOOK_ID = '5e1d0b7a-7c61-4b0e-a0f4-0b3c7d2e9a01';
const CUSTOMERS = 1000;
/** BENCH_SIGNED=0: no Storefront Webhook credential, unsigned Generic deliveries (shows what reading the credential costs). */
const SIGNED = process.env.BENCH_SIGNED !== '0';
/** Extra environment for n8n under every setting, as JSON, e.g. BENCH_N8N_ENV='{"N8N_EXPRESSION_ENGINE_POOL_SIZE":"2"}'. */
const N8N_ENV = JSON.parse(process.env.BENCH_N8N_ENV || '{}') as Record<string, string>;

type Kind = 'bare' | 'equal' | 'exprs' | 'ours' | 'duplicate' | 'filtered' | 'refused' | 'notFound';

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

/** Waits until no execution is running or new (at most 120 s). */
async function drain(api: N8nApi): Promise<void> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const page = await api.request<{ data: unknown[] }>('GET', '/executions?status=running&limit=1');
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
	noExecution: Array<[label: string, result: LoadResult]>;
	/** "started" answers, warm-up and seed included. */
	started: number;
}

/** The bench's workflows, created once in the user folder every setting's n8n starts from. */
async function createWorkflows(api: N8nApi): Promise<string[]> {
	const credential = await api.createCredential({ name: 'Bench storefront', type: 'storefrontWebhookApi', data: { source: 'generic', secret: SECRET } });
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
	];
	return workflows.map((w) => w.id);
}

/** One n8n started with the setting, every phase measured, n8n stopped. */
async function runSetting(setting: Setting, userFolder: string, n8nBin: string, storeFile: string, first: boolean): Promise<SettingResult> {
	const instance = await n8n.startN8n({
		userFolder,
		n8nBin,
		env: { DIALOGUE_STORE_URL: storeFile, N8N_METRICS: 'true', ...N8N_ENV, ...setting.env },
		log: (l) => console.log(l),
	});
	try {
		if (first) {
			const cookie = await n8n.setupOwner(instance.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-Local-1' });
			apiKey = await n8n.createApiKey(instance.baseUrl, cookie, { label: 'bench' });
		}
		const api = new n8n.N8nApi(instance.baseUrl, apiKey);
		if (first) for (const id of await createWorkflows(api)) await api.activateWorkflow(id);

		const url = {
			bare: `${instance.baseUrl}/webhook/${BARE_PATH}`,
			equal: `${instance.baseUrl}/webhook/${EQUAL_PATH}`,
			exprs: `${instance.baseUrl}/webhook/${EXPRS_PATH}`,
			ours: `${instance.baseUrl}/webhook/${OURS_WEBHOOK_ID}/storefront`,
		};
		const probe = await n8n.waitForWebhook(url.bare, { body: { probe: true } });
		await n8n.waitForWebhook(url.equal, { body: { probe: true } });
		await n8n.waitForWebhook(url.exprs, { body: { id: 'probe', customer: { id: 'probe' } } });
		const probeOurs = await n8n.waitForWebhook(url.ours, { body: '{}', headers: signed('{}') });
		if (probe.status !== 200) throw new Error(`the bare webhook answered ${probe.status}: ${JSON.stringify(probe.body)}`);
		if (probeOurs.status !== 400) throw new Error(`the Storefront Trigger should refuse an empty event (400), answered ${probeOurs.status}: ${JSON.stringify(probeOurs.body)}`);
		if ((await isolatesAcquired(instance.baseUrl)) === undefined) console.log('n8n reports no n8n_expression_pool_acquired_total (engine legacy?): isolates are shown as NaN');

		// Each phase: the isolates counter read before and after the load and the drain that follows it.
		const phase = async (kind: Kind, phaseUrl: string, seconds: number, run: string): Promise<LoadResult> => {
			const before = await isolatesAcquired(instance.baseUrl);
			const result = await loadFromSecondProcess({ kind, url: phaseUrl, connections: CONNECTIONS, seconds, maxRequests: MAX_REQUESTS, run: `${setting.name}-${run}` });
			const drained = Date.now();
			await drain(api);
			const drainSeconds = (Date.now() - drained) / 1000;
			const after = await isolatesAcquired(instance.baseUrl);
			return { ...result, drainSeconds, isolates: before === undefined || after === undefined ? undefined : after - before };
		};
		const MAIN = ['bare', 'equal', 'exprs', 'ours'] as const;
		const LABELS: Record<(typeof MAIN)[number], string> = {
			bare: 'bare Webhook -> NoOp',
			equal: 'Webhook -> Edit Fields (constants) -> 2 NoOp',
			exprs: 'Webhook -> Edit Fields (5 expressions) -> 2 NoOp',
			ours: 'Storefront Trigger -> Guard -> Coupon -> NoOp',
		};

		console.log(`\n[${setting.name}] ${describeSetting(setting)}: warm-up ${WARMUP_SECONDS} s each`);
		let started = 0;
		for (const kind of MAIN) {
			const warm = await phase(kind, url[kind], WARMUP_SECONDS, `warm-${kind}`);
			if (kind === 'ours') started += warm.answers.started ?? 0;
		}
		const runs: Record<(typeof MAIN)[number], LoadResult[]> = { bare: [], equal: [], exprs: [], ours: [] };
		// Every other round in reverse order, so a load that rises or falls on the machine during the
		// rounds weighs on every workflow alike.
		for (let round = 1; round <= ROUNDS; round++) {
			for (const kind of round % 2 === 1 ? MAIN : [...MAIN].reverse()) {
				const r = await phase(kind, url[kind], SECONDS, `${kind}-${round}`);
				console.log(line(`[${setting.name}] round ${round}: ${LABELS[kind]}`, r));
				runs[kind].push(r);
			}
		}
		const ours = merge(runs.ours);
		started += ours.answers.started ?? 0;

		const noExecution: SettingResult['noExecution'] = [];
		if (NO_EXEC_SECONDS > 0) {
			// The event the duplicate phase repeats is delivered once first (and starts one execution).
			const first = bodyFor({ kind: 'duplicate', url: url.ours, connections: 1, seconds: 0, maxRequests: 1, run: `${setting.name}-duplicate` }, 0);
			const seeded = await n8n.waitForWebhook(url.ours, { body: first.body, headers: first.headers });
			if ((seeded.body as { status?: string }).status !== 'started') throw new Error(`the first delivery should start: ${JSON.stringify(seeded.body)}`);
			started++;
			await drain(api);
			noExecution.push(['no execution: duplicate deliveries', await phase('duplicate', url.ours, NO_EXEC_SECONDS, 'duplicate')]);
			noExecution.push(['no execution: filtered out (recorded only)', await phase('filtered', url.ours, NO_EXEC_SECONDS, 'filtered')]);
			noExecution.push(['no execution: unsigned, refused (401, no store)', await phase('refused', url.ours, NO_EXEC_SECONDS, 'refused')]);
			noExecution.push(['n8n alone: unregistered webhook path (404)', await phase('notFound', `${instance.baseUrl}/webhook/bench-not-registered`, NO_EXEC_SECONDS, 'not-found')]);
		}
		const result: SettingResult = { setting, bare: merge(runs.bare), equal: merge(runs.equal), exprs: merge(runs.exprs), ours, noExecution, started };

		console.log('\n' + '-'.repeat(100));
		console.log(`[${setting.name}] ${describeSetting(setting)}`);
		for (const kind of MAIN) console.log(line(LABELS[kind], result[kind]));
		for (const [label, r] of noExecution) console.log(line(label, r));
		console.log(`ours / equal-node baseline (requests/s): ${(rate(ours) / rate(result.equal)).toFixed(3)}x at ${isolatesPer(ours).toFixed(2)} vs ${isolatesPer(result.equal).toFixed(2)} isolates/req`);
		console.log(`ours / Edit Fields with the same expressions (requests/s): ${(rate(ours) / rate(result.exprs)).toFixed(3)}x`);
		console.log('-'.repeat(100));
		return result;
	} finally {
		await instance.stop();
	}
}

let apiKey = '';

async function bench(): Promise<void> {
	const { n8nBin } = await requireN8n((l) => console.log(l));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-bench-trigger-'));
	const storeFile = path.join(userFolder, 'store', 'dialogue-activities.sqlite');
	fs.mkdirSync(path.dirname(storeFile), { recursive: true });
	const store = storeAt({ kind: 'sqlite', file: storeFile });
	try {
		n8n.installPackage(userFolder, repoRoot, { log: (l) => console.log(l) });
		// A pool for every request the ours phases could make.
		const perSetting = Math.ceil(ROUNDS * SECONDS * 200 + WARMUP_SECONDS * 200);
		const poolSize = Math.min(MAX_REQUESTS * (ROUNDS + 1) * CHOSEN.length, Math.max(20_000, perSetting * CHOSEN.length));
		await store.ensurePools([POOL], Date.now());
		for (let from = 0; from < poolSize; from += 10_000) {
			const codes = Array.from({ length: Math.min(10_000, poolSize - from) }, (_, i) => ({ code: `BENCH-${String(from + i).padStart(7, '0')}`, discountKind: 'percent' as const, discountValue: '10' }));
			await store.addCodes(POOL, codes, Date.now());
		}
		const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');

		const results: SettingResult[] = [];
		for (const name of CHOSEN) results.push(await runSetting(SETTINGS.find((s) => s.name === name)!, userFolder, n8nBin, storeFile, results.length === 0));

		const started = results.reduce((sum, r) => sum + r.started, 0);
		const handedOut = (await store.poolStatus(POOL, Date.now())).assigned;
		const cpus = os.cpus();
		const x = (a: number, b: number) => `${(a / b).toFixed(3)}x`;
		const iso = (r: LoadResult) => isolatesPer(r).toFixed(2);

		console.log('\n' + '='.repeat(100));
		console.log(`n8n ${install.N8N_VERSION} on Node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), ${CONNECTIONS} connections,`);
		console.log(`${ROUNDS} x ${SECONDS} s per workflow and setting (alternating), no-execution phases ${NO_EXEC_SECONDS} s, load from a second process on 127.0.0.1`);
		console.log(`Storefront deliveries ${SIGNED ? 'signed (Storefront Webhook credential)' : 'unsigned Generic (no credential)'}${Object.keys(N8N_ENV).length ? `; n8n env ${JSON.stringify(N8N_ENV)}` : ''}; load average before: ${loadBefore}`);
		console.log('Isolates per request (n8n_expression_pool_acquired_total):');
		console.log(`${'setting'.padEnd(8)} ${'bare'.padStart(6)} ${'equal'.padStart(6)} ${'exprs'.padStart(6)} ${'ours'.padStart(6)} ${'dupl.'.padStart(6)} ${'filt.'.padStart(6)} ${'401'.padStart(6)} ${'404'.padStart(6)}`);
		for (const r of results) {
			const cells = [r.bare, r.equal, r.exprs, r.ours, ...r.noExecution.map(([, n]) => n)].map((n) => iso(n).padStart(6));
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
		const extra = (name: string) => {
			const r = results.find((s) => s.setting.name === name);
			return r ? (isolatesPer(r.ours) - isolatesPer(r.bare)).toFixed(2) : 'not run';
		};
		const lazy = results.find((s) => s.setting.name === 'lazy');
		console.log(`isolates/req, ours minus bare under n8n's defaults: ${extra('default')} (target 1: the webhook phase's isolate, which n8n skips only for its own Webhook node)`);
		console.log(`isolates/req of ours under lazy acquisition: ${lazy ? iso(lazy.ours) : 'not run'} (target 0)`);
		console.log(`exactly once: ${started} deliveries started an execution, ${handedOut} codes were handed out` + (started === handedOut ? ' (equal)' : ' (DIFFERENT)'));
		const errors = results.flatMap((r) => [r.bare, r.equal, r.exprs, r.ours, ...r.noExecution.map(([, n]) => n)].flatMap((n) => n.errors));
		if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 8).join('\n  ')}`);
		console.log('='.repeat(100));
		if (started !== handedOut) process.exitCode = 1;
	} finally {
		await store.close();
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
