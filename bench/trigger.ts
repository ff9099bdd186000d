/**
 * npm run bench:trigger — what the Storefront Trigger path costs in a real n8n, against n8n's own
 * webhook path in the same instance (the baseline).
 *
 * One n8n (the pinned version, the packed package installed as a user install, the store in a
 * SQLite file of a temp folder) runs two active workflows:
 *   bare:  Webhook -> NoOp                                                   (n8n's floor)
 *   exprs: Webhook -> Edit Fields (the 5 expressions our Guard and Coupon evaluate) -> NoOp
 *   ours:  Storefront Trigger (signed Generic, order.placed) -> Repeatability Guard (repeatable)
 *          -> Coupon (a new code per event, from a pool filled beforehand) -> NoOp
 * Load comes from a second process on 127.0.0.1 (this file, forked with --load): BENCH_CONNECTIONS
 * keep-alive connections (default 16), each sending its next request when the last one answered,
 * for BENCH_SECONDS per phase (default 15), at most BENCH_MAX_REQUESTS requests per phase.
 * Phases alternate (bare, exprs, ours; BENCH_ROUNDS rounds, default 2) after a warm-up, and
 * the instance drains its executions between phases, so neither side inherits the other's backlog.
 *
 * Then the no-execution path, against the same bare figures: deliveries the Storefront Trigger
 * answers inside webhook() without creating an execution:
 *   duplicate: the same signed event again and again (answered "duplicate");
 *   filtered:  new page.visited events, recorded in the store but starting nothing ("recorded").
 * and what n8n's webhook path costs by itself:
 *   refused:   unsigned deliveries, refused with 401 before the store is touched;
 *   notFound:  a path no workflow registered, answered 404 by n8n before any node runs.
 *
 * Printed: requests/s, p50 and p99 latency of each, and the ratios. Exactly-once check: the number
 * of codes the pool handed out equals the number of "started" answers of the ours phases.
 */
import { fork } from 'node:child_process';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { N8nApi, N8nHandle } from '../scripts/n8n/instance';
import { storeAt } from '../store/open';
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
const EXPRS_PATH = 'bench-expressions';
const OURS_WEBHOOK_ID = '5e1d0b7a-7c61-4b0e-a0f4-0b3c7d2e9a01';
const CUSTOMERS = 1000;
/** BENCH_SIGNED=0: no Storefront Webhook credential, unsigned Generic deliveries (shows what reading the credential costs). */
const SIGNED = process.env.BENCH_SIGNED !== '0';
/** Extra environment for n8n as JSON, e.g. BENCH_N8N_ENV='{"N8N_EXPRESSION_ENGINE":"legacy"}'. */
const N8N_ENV = JSON.parse(process.env.BENCH_N8N_ENV || '{}') as Record<string, string>;

type Kind = 'bare' | 'exprs' | 'ours' | 'duplicate' | 'filtered' | 'refused' | 'notFound';

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
	if (config.kind === 'bare' || config.kind === 'exprs' || config.kind === 'notFound') {
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
		event = { id: 'bench-duplicate-event', type: 'order.placed', occurredAt: '2026-01-01T00:00:00.000Z', customer: { id: 'bench-customer-0' }, order: { id: 'bench-duplicate-order', total: '10.00', currency: 'EUR', lines: [] } };
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
const rate = (r: LoadResult) => r.ok / r.seconds;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until no execution is running or new (at most 120 s). */
async function drain(api: N8nApi): Promise<void> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const page = await api.request<{ data: unknown[] }>('GET', '/executions?status=running&limit=1');
		if (page.data.length === 0) return;
		if (Date.now() > deadline) throw new Error('executions still running 120 s after the load stopped');
		await sleep(250);
	}
}

function merge(results: LoadResult[]): LoadResult {
	const out: LoadResult = { kind: results[0].kind, seconds: 0, requests: 0, ok: 0, statuses: {}, answers: {}, latencies: [], errors: [] };
	for (const r of results) {
		out.seconds += r.seconds;
		out.requests += r.requests;
		out.ok += r.ok;
		for (const [k, v] of Object.entries(r.statuses)) out.statuses[k] = (out.statuses[k] ?? 0) + v;
		for (const [k, v] of Object.entries(r.answers)) out.answers[k] = (out.answers[k] ?? 0) + v;
		out.latencies.push(...r.latencies);
		out.errors.push(...r.errors);
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
		`${label.padEnd(44)} ${rate(r).toFixed(1).padStart(9)} req/s   p50 ${percentile(r.latencies, 50).toFixed(1).padStart(7)} ms   ` +
		`p99 ${percentile(r.latencies, 99).toFixed(1).padStart(7)} ms   (${r.ok}/${r.requests} in ${r.seconds.toFixed(1)} s; ${statuses}; ${answers})`
	);
}

async function bench(): Promise<void> {
	const { n8nBin } = await requireN8n((l) => console.log(l));
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-bench-trigger-'));
	const storeFile = path.join(userFolder, 'store', 'dialogue-activities.sqlite');
	fs.mkdirSync(path.dirname(storeFile), { recursive: true });
	let instance: N8nHandle | undefined;
	const store = storeAt({ kind: 'sqlite', file: storeFile });
	try {
		n8n.installPackage(userFolder, repoRoot, { log: (l) => console.log(l) });
		// A pool for every request the ours phases could make.
		const poolSize = Math.min(MAX_REQUESTS * ROUNDS, Math.max(20_000, Math.ceil(ROUNDS * SECONDS * 200 + WARMUP_SECONDS * 200)));
		await store.ensurePools([POOL], Date.now());
		for (let from = 0; from < poolSize; from += 10_000) {
			const codes = Array.from({ length: Math.min(10_000, poolSize - from) }, (_, i) => ({ code: `BENCH-${String(from + i).padStart(7, '0')}`, discountKind: 'percent' as const, discountValue: '10' }));
			await store.addCodes(POOL, codes, Date.now());
		}

		instance = await n8n.startN8n({ userFolder, n8nBin, env: { DIALOGUE_STORE_URL: storeFile, ...N8N_ENV }, log: (l) => console.log(l) });
		const cookie = await n8n.setupOwner(instance.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-Local-1' });
		const api = new n8n.N8nApi(instance.baseUrl, await n8n.createApiKey(instance.baseUrl, cookie, { label: 'bench' }));
		const credential = await api.createCredential({ name: 'Bench storefront', type: 'storefrontWebhookApi', data: { source: 'generic', secret: SECRET } });

		const noOp = (id: string, x: number) => ({ id, name: 'NoOp', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [x, 0] as [number, number], parameters: {} });
		const bare = await api.createWorkflow({
			name: 'Bench: bare webhook',
			nodes: [
				{ id: 'a0000000-0000-4000-8000-000000000001', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'a0000000-0000-4000-8000-0000000000aa', parameters: { httpMethod: 'POST', path: BARE_PATH, options: {} } },
				noOp('a0000000-0000-4000-8000-000000000002', 240),
			],
			connections: { Webhook: { main: [[{ node: 'NoOp', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		// The same five expressions our Guard and Coupon read (activity, customer and entry key; customer
		// and assignment key), in n8n's own Edit Fields node: what n8n's expression engine costs alone.
		const field = (name: string, value: string) => ({ id: `f-${name}`, name, value, type: 'string' });
		const exprs = await api.createWorkflow({
			name: 'Bench: Webhook -> Edit Fields (5 expressions)',
			nodes: [
				{ id: 'c0000000-0000-4000-8000-000000000001', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'c0000000-0000-4000-8000-0000000000cc', parameters: { httpMethod: 'POST', path: EXPRS_PATH, options: {} } },
				{
					id: 'c0000000-0000-4000-8000-000000000002',
					name: 'Edit Fields',
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					position: [240, 0],
					parameters: {
						assignments: {
							assignments: [
								field('activity', '={{ $workflow.id }}'),
								field('customer', '={{ $json.body.customer.id }}'),
								field('entryKey', '={{ $json.body.id }}'),
								field('couponCustomer', '={{ $json.body.customer.id }}'),
								field('assignmentKey', '={{ $json.body.id }}'),
							],
						},
						options: {},
					},
				},
				noOp('c0000000-0000-4000-8000-000000000003', 480),
			],
			connections: { Webhook: { main: [[{ node: 'Edit Fields', type: 'main', index: 0 }]] }, 'Edit Fields': { main: [[{ node: 'NoOp', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		});
		const ours = await api.createWorkflow({
			name: 'Bench: Storefront Trigger, guard, coupon',
			nodes: [
				{
					id: 'b0000000-0000-4000-8000-000000000001',
					name: 'Storefront Trigger',
					type: `${PACKAGE}.storefrontTrigger`,
					typeVersion: 1.2,
					position: [0, 0],
					webhookId: OURS_WEBHOOK_ID,
					...(SIGNED && { credentials: { storefrontWebhookApi: { id: credential.id, name: credential.name } } }),
					parameters: { source: 'auto', acceptUnsigned: !SIGNED, events: ['order.placed'], filters: {}, options: {} },
				},
				{
					id: 'b0000000-0000-4000-8000-000000000002',
					name: 'Repeatability Guard',
					type: `${PACKAGE}.repeatabilityGuard`,
					typeVersion: 1,
					position: [240, 0],
					parameters: { operation: 'check', activity: 'bench', policy: 'always' },
				},
				{
					id: 'b0000000-0000-4000-8000-000000000003',
					name: 'Coupon',
					type: `${PACKAGE}.coupon`,
					typeVersion: 1,
					position: [480, 0],
					parameters: { operation: 'assign', pool: { __rl: true, mode: 'name', value: POOL }, assignment: 'each' },
				},
				noOp('b0000000-0000-4000-8000-000000000004', 720),
			],
			connections: {
				'Storefront Trigger': { main: [[{ node: 'Repeatability Guard', type: 'main', index: 0 }]] },
				'Repeatability Guard': { main: [[{ node: 'Coupon', type: 'main', index: 0 }], []] },
				Coupon: { main: [[{ node: 'NoOp', type: 'main', index: 0 }], []] },
			},
			settings: { executionOrder: 'v1' },
		});
		await api.activateWorkflow(bare.id);
		await api.activateWorkflow(exprs.id);
		await api.activateWorkflow(ours.id);
		const bareUrl = `${instance.baseUrl}/webhook/${BARE_PATH}`;
		const exprsUrl = `${instance.baseUrl}/webhook/${EXPRS_PATH}`;
		const oursUrl = `${instance.baseUrl}/webhook/${OURS_WEBHOOK_ID}/storefront`;
		const probe = await n8n.waitForWebhook(bareUrl, { body: { probe: true } });
		await n8n.waitForWebhook(exprsUrl, { body: { id: 'probe', customer: { id: 'probe' } } });
		const probeOurs = await n8n.waitForWebhook(oursUrl, { body: '{}', headers: signed('{}') });
		if (probe.status !== 200) throw new Error(`the bare webhook answered ${probe.status}: ${JSON.stringify(probe.body)}`);
		if (probeOurs.status !== 400) throw new Error(`the Storefront Trigger should refuse an empty event (400), answered ${probeOurs.status}: ${JSON.stringify(probeOurs.body)}`);

		// What an execution's first expression costs depends on these n8n settings (see the README,
		// "Webhook throughput"): with "vm" every non-Webhook trigger takes an isolate before webhook().
		const engineName = N8N_ENV.N8N_EXPRESSION_ENGINE ?? process.env.N8N_EXPRESSION_ENGINE ?? 'vm';
		const lazy = (N8N_ENV.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE ?? process.env.N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE) === 'true';
		const engine =
			engineName === 'legacy'
				? 'legacy (no isolates)'
				: `${engineName}, isolates acquired ${lazy ? 'lazily, at the first expression (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true)' : "eagerly, one per execution and one per non-Webhook trigger request (n8n's default)"}`;
		const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
		const phase = (kind: Kind, url: string, seconds: number, run: string) =>
			loadFromSecondProcess({ kind, url, connections: CONNECTIONS, seconds, maxRequests: MAX_REQUESTS, run });

		console.log(`\nWarm-up: ${WARMUP_SECONDS} s each`);
		await phase('bare', bareUrl, WARMUP_SECONDS, 'warm-bare');
		await drain(api);
		await phase('exprs', exprsUrl, WARMUP_SECONDS, 'warm-exprs');
		await drain(api);
		const warmOurs = await phase('ours', oursUrl, WARMUP_SECONDS, 'warm-ours');
		await drain(api);

		const bares: LoadResult[] = [];
		const exprses: LoadResult[] = [];
		const ourses: LoadResult[] = [];
		for (let round = 1; round <= ROUNDS; round++) {
			const b = await phase('bare', bareUrl, SECONDS, `bare-${round}`);
			await drain(api);
			console.log(line(`round ${round}: bare Webhook -> NoOp`, b));
			bares.push(b);
			const e = await phase('exprs', exprsUrl, SECONDS, `exprs-${round}`);
			await drain(api);
			console.log(line(`round ${round}: Webhook -> Edit Fields (5 expr.)`, e));
			exprses.push(e);
			const o = await phase('ours', oursUrl, SECONDS, `ours-${round}`);
			await drain(api);
			console.log(line(`round ${round}: Storefront Trigger -> Guard -> Coupon`, o));
			ourses.push(o);
		}
		// The event the duplicate phase repeats is delivered once first (and starts one execution).
		const first = bodyFor({ kind: 'duplicate', url: oursUrl, connections: 1, seconds: 0, maxRequests: 1, run: 'seed' }, 0);
		const seeded = await n8n.waitForWebhook(oursUrl, { body: first.body, headers: first.headers });
		if ((seeded.body as { status?: string }).status !== 'started') throw new Error(`the first delivery should start: ${JSON.stringify(seeded.body)}`);
		await drain(api);
		const duplicate = await phase('duplicate', oursUrl, NO_EXEC_SECONDS, 'duplicate');
		const filtered = await phase('filtered', oursUrl, NO_EXEC_SECONDS, 'filtered');
		await drain(api);
		// What n8n's webhook path costs before and around any node: the trigger's cheapest answer,
		// and a path no workflow registered (n8n answers 404 itself).
		const refused = await phase('refused', oursUrl, NO_EXEC_SECONDS, 'refused');
		const notFound = await phase('notFound', `${instance.baseUrl}/webhook/bench-not-registered`, NO_EXEC_SECONDS, 'not-found');

		const bareAll = merge(bares);
		const oursAll = merge(ourses);
		const exprsAll = merge(exprses);
		const started = (warmOurs.answers.started ?? 0) + (oursAll.answers.started ?? 0) + 1;
		const handedOut = (await store.poolStatus(POOL, Date.now())).assigned;
		const cpus = os.cpus();

		console.log('\n' + '='.repeat(100));
		console.log(`n8n ${install.N8N_VERSION} on Node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}), ${CONNECTIONS} connections,`);
		console.log(`${ROUNDS} x ${SECONDS} s per side (alternating), no-execution phases ${NO_EXEC_SECONDS} s, load from a second process on 127.0.0.1`);
		console.log(`Storefront deliveries ${SIGNED ? 'signed (Storefront Webhook credential)' : 'unsigned Generic (no credential)'}${Object.keys(N8N_ENV).length ? `; n8n env ${JSON.stringify(N8N_ENV)}` : ''}; load average before: ${loadBefore}`);
		console.log(`n8n expression engine: ${engine}`);
		console.log('-'.repeat(100));
		console.log(line('bare Webhook -> NoOp (baseline)', bareAll));
		console.log(line('Webhook -> Edit Fields (5 expressions) -> NoOp', exprsAll));
		console.log(line('Storefront Trigger -> Guard -> Coupon -> NoOp', oursAll));
		console.log(line('no execution: duplicate deliveries', duplicate));
		console.log(line('no execution: filtered out (recorded only)', filtered));
		console.log(line('no execution: unsigned, refused (401, no store)', refused));
		console.log(line('n8n alone: unregistered webhook path (404)', notFound));
		console.log('-'.repeat(100));
		console.log(`ours / bare (requests/s):            ${(rate(oursAll) / rate(bareAll)).toFixed(3)}x   (target >= 0.9x)`);
		console.log(`ours / Edit Fields with the same expressions (requests/s): ${(rate(oursAll) / rate(exprsAll)).toFixed(3)}x`);
		console.log(`ours / bare (p50 latency):           ${(percentile(oursAll.latencies, 50) / percentile(bareAll.latencies, 50)).toFixed(3)}x`);
		console.log(`duplicates / bare (requests/s):      ${(rate(duplicate) / rate(bareAll)).toFixed(1)}x   (target >= 25x)`);
		console.log(`filtered out / bare (requests/s):    ${(rate(filtered) / rate(bareAll)).toFixed(1)}x   (target >= 25x)`);
		console.log(`duplicates / refused (requests/s):   ${(rate(duplicate) / rate(refused)).toFixed(2)}x   (what recording and deduplicating cost on top of n8n's webhook path)`);
		console.log(`exactly once: ${started} deliveries started an execution, ${handedOut} codes were handed out` + (started === handedOut ? ' (equal)' : ' (DIFFERENT)'));
		const errors = [...bareAll.errors, ...exprsAll.errors, ...oursAll.errors, ...duplicate.errors, ...filtered.errors, ...refused.errors, ...notFound.errors];
		if (errors.length) console.log(`first errors:\n  ${errors.slice(0, 8).join('\n  ')}`);
		console.log('='.repeat(100));
		if (started !== handedOut) process.exitCode = 1;
	} finally {
		await instance?.stop();
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
