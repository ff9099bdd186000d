/**
 * npm run bench:queue — the package in n8n queue mode under increasing load, against the same
 * workflow in regular mode, with the CPU each process spends per event.
 *
 * Setups (test/e2e/queue-cluster.ts, the packed package installed as users do, PostgreSQL holding
 * n8n's database and the Dialogue Store, the SMTP catcher in this process):
 *   regular:          one n8n, EXECUTIONS_MODE=regular: takes the webhooks and runs the executions (the baseline);
 *   queue, 2 workers: main, `n8n webhook` processor, two `n8n worker`s, Redis;
 *   queue, 1 worker:  the same cluster with the second worker stopped.
 * Workflow (thankYouWorkflow): Storefront Trigger (signed Shopify orders/create) -> Repeatability
 * Guard (Once) -> Coupon (assign, from a pool big enough for every event) -> Send Email -> Repeatability Guard (Always).
 *
 * Each setup is first measured at rest for 10 s, then takes BENCH_QUEUE_WARMUP events (default 50, 4 connections, not reported); then,
 * for each load of BENCH_QUEUE_STEPS (default 4,16,32 concurrent keep-alive connections), BENCH_QUEUE_EVENTS
 * (default 300) orders of as many distinct customers. Printed per step: events/s end to end (first
 * POST sent to last mail caught), p50/p99 latency from a POST sent to its customer's mail caught, the
 * ratio queue / regular at the same load, and the CPU each process spent per event: utime+stime of
 * the process and its children (n8n's task runner; PostgreSQL's postmaster and every backend; Redis)
 * from /proc, before the first POST and once every execution is saved. The sum is checked against
 * wall time x cores (and the whole machine's busy cores, which other work on the machine adds to).
 * A step counts only if every delivery was answered "started", every execution succeeded, every
 * customer got exactly one mail with a code of their own, and the pool handed out one code per event;
 * otherwise the bench stops with the reason.
 *
 * Then a paper estimate from the per-event costs of the 2-worker step at the highest load: the events/s
 * of k worker machines of c cores (one worker per core) with the other roles on one c-core machine
 * each, and which process saturates first.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import type { Credential, Mail, N8nHandle } from '../scripts/n8n/instance';
import { SECRETS, shopifyOrderCreated, type Delivery } from '../test/e2e/e2e-storefront';
import { sleep } from '../test/e2e/e2e-templates';
import { install, n8n } from '../test/e2e/n8n';
import { startQueueCluster, thankYouWorkflow, type QueueCluster } from '../test/e2e/queue-cluster';

const EVENTS = Number(process.env.BENCH_QUEUE_EVENTS ?? 300);
const STEPS = (process.env.BENCH_QUEUE_STEPS ?? '4,16,32').split(',').map(Number);
const WARMUP = Number(process.env.BENCH_QUEUE_WARMUP ?? 50);
const REST_SECONDS = 10;
/** How long a step may take to deliver every mail and save every execution. */
const STEP_TIMEOUT_MS = Math.max(120_000, EVENTS * 1_000);
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

// ---------------------------------------------------------------------------------------------
// CPU from /proc

interface Proc {
	ppid: number;
	/** utime + stime + cutime + cstime (children it has waited for), in clock ticks. */
	ticks: number;
}

function processTable(): Map<number, Proc> {
	const table = new Map<number, Proc>();
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			// Fields after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
			const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			table.set(Number(name), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) });
		} catch {
			/* exited meanwhile */
		}
	}
	return table;
}

/** CPU ms of a process and all its live descendants; children that exited are in their parent's cutime/cstime. */
function treeCpuMs(table: Map<number, Proc>, root: number | undefined): number {
	if (root === undefined || !table.has(root)) return 0;
	const children = new Map<number, number[]>();
	for (const [pid, p] of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
	let ticks = 0;
	const todo = [root];
	while (todo.length) {
		const pid = todo.pop()!;
		ticks += table.get(pid)?.ticks ?? 0;
		todo.push(...(children.get(pid) ?? []));
	}
	return (ticks * 1000) / CLK_TCK;
}

/** The postmaster of the PostgreSQL server listening on port (started with -p <port>), from /proc. */
function postmasterPid(port: number): number | undefined {
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const args = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
			if (!/postgres$/.test(args[0])) continue;
			const p = args.indexOf('-p');
			if (p >= 0 && args[p + 1] === String(port)) return Number(name);
		} catch {
			/* exited meanwhile */
		}
	}
	return undefined;
}

/** Busy and total jiffies of the whole machine (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
	const [, ...f] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
	const [user, nice, system, idle, iowait, irq, softirq, steal] = f;
	const busy = user + nice + system + irq + softirq + (steal ?? 0);
	return { busy, total: busy + idle + iowait };
}

interface Role {
	name: string;
	pid: number | undefined;
}

type CpuSample = { at: number; ms: Record<string, number>; bench: number; all: number; machine: { busy: number; total: number } };

function sampleCpu(roles: Role[]): CpuSample {
	const table = processTable();
	const usage = process.cpuUsage();
	return {
		at: Date.now(),
		ms: Object.fromEntries(roles.map((r) => [r.name, treeCpuMs(table, r.pid)])),
		bench: (usage.user + usage.system) / 1000,
		all: treeCpuMs(table, 1),
		machine: machineTicks(),
	};
}

/** CPU ms per second of each process at rest, over `seconds`. */
async function atRest(roles: Role[], seconds: number): Promise<Record<string, number>> {
	const before = sampleCpu(roles);
	await sleep(seconds * 1000);
	const after = sampleCpu(roles);
	const wall = (after.at - before.at) / 1000;
	return Object.fromEntries(roles.map((r) => [r.name, (after.ms[r.name] - before.ms[r.name]) / wall]));
}

// ---------------------------------------------------------------------------------------------
// One setup: the cluster, its workflow, its steps

interface Setup {
	label: string;
	cluster: QueueCluster;
	workflowId: string;
	url: string;
	activity: string;
	pool: string;
	/** Executions the workflow should have so far. */
	executed: number;
	roles: Role[];
	/** CPU ms per second of each role at rest. */
	rest: Record<string, number>;
}

interface Customer {
	id: number;
	email: string;
	firstName: string;
}

interface Step {
	setup: string;
	workers: number;
	connections: number;
	events: number;
	eventsPerSecond: number;
	p50: number;
	p99: number;
	answerP50: number;
	wallSeconds: number;
	/** CPU ms per event by role. */
	cpu: Record<string, number>;
	/** CPU ms per second of each role at rest, for this setup. */
	rest: Record<string, number>;
	/** The same less what the role spends at rest over the step's wall time. */
	netCpu: Record<string, number>;
	benchCpu: number;
	/** Cores busy on average: our processes (bench included), every process of the machine (/proc), and the machine (/proc/stat). */
	coresOurs: number;
	coresAll: number;
	coresMachine: number;
}

let nextId = Date.now() * 1000;

async function setUp(label: string, cluster: QueueCluster, roles: Role[]): Promise<Setup> {
	const tag = `${label.replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`;
	const activity = `bench-thanks-${tag}`;
	const pool = `bench-pool-${tag}`;
	const now = Date.now();
	const codes = WARMUP + EVENTS * STEPS.length * 2;
	await cluster.store.ensurePools([pool], now);
	for (let from = 0; from < codes; from += 5_000) {
		const batch = Array.from({ length: Math.min(5_000, codes - from) }, (_, i) => ({ code: `Q-${String(from + i).padStart(6, '0')}-${randomUUID().slice(0, 4)}`, discountKind: 'percent' as const, discountValue: '10' }));
		await cluster.store.addCodes(pool, batch, now);
	}
	const shopify: Credential = await cluster.api.createCredential({ name: 'Storefront shopify', type: 'storefrontWebhookApi', data: { source: 'shopify', secret: SECRETS.shopify } });
	const webhookId = randomUUID();
	const workflow = await cluster.api.createWorkflow(thankYouWorkflow({ name: `Bench ${label}`, activity, pool, webhookId, storefront: shopify, smtp: cluster.smtpCredential }));
	await cluster.api.activateWorkflow(workflow.id);
	const url = cluster.triggerUrl(webhookId);
	const probe = await n8n.waitForWebhook(url, { body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 30_000 });
	if (probe.status !== 401) throw new Error(`${label}: an unsigned call should be refused with 401 by the trigger, got ${probe.status} ${JSON.stringify(probe.body)}`);
	return { label, cluster, workflowId: workflow.id, url, activity, pool, executed: 0, roles, rest: await atRest(roles, REST_SECONDS) };
}

function rolesOf(cluster: QueueCluster, pg: number | undefined): Role[] {
	const queue = cluster.workers.length > 0;
	const n8nRoles: Role[] = queue
		? [{ name: 'main', pid: cluster.main.pid }, { name: 'webhook', pid: cluster.webhook.pid }, ...cluster.workers.map((w: N8nHandle, i) => ({ name: `worker ${i + 1}`, pid: w.pid }))]
		: [{ name: 'main', pid: cluster.main.pid }];
	return [...n8nRoles, { name: 'postgres', pid: pg }, ...(cluster.redis ? [{ name: 'redis', pid: cluster.redis.pid }] : [])];
}

/** Posts every delivery over `connections` keep-alive connections; returns, by delivery, when it was sent and how it was answered. */
async function postAll(url: string, deliveries: Delivery[], connections: number): Promise<Array<{ sent: number; answered: number; status: number; body: string }>> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
	const results: Array<{ sent: number; answered: number; status: number; body: string }> = new Array(deliveries.length);
	let next = 0;
	const postOne = (delivery: Delivery, index: number) =>
		new Promise<void>((resolve, reject) => {
			const sent = Date.now();
			const request = http.request(url, { method: 'POST', agent, headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) } }, (response) => {
				let body = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (body += chunk));
				response.on('end', () => {
					results[index] = { sent, answered: Date.now(), status: response.statusCode ?? 0, body };
					resolve();
				});
			});
			request.on('error', reject);
			request.end(delivery.body);
		});
	await Promise.all(
		Array.from({ length: connections }, async () => {
			while (next < deliveries.length) {
				const index = next++;
				await postOne(deliveries[index], index);
			}
		}),
	);
	agent.destroy();
	return results;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(everyMs);
	}
}

async function executionStatuses(setup: Setup): Promise<Record<string, number>> {
	const rows = await setup.cluster.n8nQuery<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM execution_entity WHERE "workflowId" = $1 GROUP BY status', [setup.workflowId]);
	return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Runs `events` orders of as many new customers over `connections` connections; checks the run; returns its figures. */
async function runStep(setup: Setup, connections: number, events: number): Promise<Step> {
	const { cluster } = setup;
	const what = `${setup.label}, ${connections} connections`;
	const customers: Customer[] = Array.from({ length: events }, () => {
		const id = nextId++;
		return { id, email: `c${id}@customers.test`, firstName: `C${id % 10_000}` };
	});
	const deliveries = customers.map((customer) => shopifyOrderCreated({ id: nextId++, customer, total: '12.00' }));
	const byEmail = new Map(customers.map((c, i) => [c.email, i]));
	const mailsFrom = cluster.smtp.mails.length;
	const ours = (): Mail[] => cluster.smtp.mails.slice(mailsFrom).filter((m) => m.envelope.to.some((to) => byEmail.has(to)));

	const before = sampleCpu(setup.roles);
	const answers = await postAll(setup.url, deliveries, connections);
	const mails = await eventually(() => (ours().length >= events ? ours() : undefined), STEP_TIMEOUT_MS, `${events} mails (${what})`);
	setup.executed += events;
	const statuses = await eventually(
		async () => {
			const s = await executionStatuses(setup);
			return (s.success ?? 0) + (s.error ?? 0) + (s.crashed ?? 0) >= setup.executed ? s : undefined;
		},
		STEP_TIMEOUT_MS,
		`${setup.executed} finished executions (${what})`,
		200,
	);
	const after = sampleCpu(setup.roles);

	const notStarted = answers.filter((a) => a.status !== 200 || !/"status":"started"/.test(a.body));
	if (notStarted.length) throw new Error(`${what}: ${notStarted.length} deliveries not answered 200 "started", e.g. ${notStarted[0].status} ${notStarted[0].body}`);
	if (statuses.success !== setup.executed || Object.keys(statuses).length !== 1) throw new Error(`${what}: executions ${JSON.stringify(statuses)}, expected ${setup.executed} success`);
	await sleep(1_000);
	const settled = ours();
	const perCustomer = new Map<string, number>();
	for (const mail of settled) for (const to of mail.envelope.to) perCustomer.set(to, (perCustomer.get(to) ?? 0) + 1);
	const wrong = customers.filter((c) => perCustomer.get(c.email) !== 1);
	if (settled.length !== events || wrong.length) throw new Error(`${what}: ${settled.length} mails for ${events} customers; ${wrong.length} customers without exactly one`);
	const codes = settled.map((m) => /your code: (\S+)/.exec(m.text)?.[1]);
	if (codes.some((c) => !c) || new Set(codes).size !== events) throw new Error(`${what}: ${new Set(codes).size} distinct codes in ${events} mails`);
	const pool = await cluster.store.poolStatus(setup.pool, Date.now());
	if (pool.assigned !== setup.executed) throw new Error(`${what}: the pool assigned ${pool.assigned} codes for ${setup.executed} events`);

	const firstSent = Math.min(...answers.map((a) => a.sent));
	const caught = (m: Mail) => Date.parse(m.receivedAt);
	const lastMail = Math.max(...mails.map(caught));
	const latencies = mails.map((m) => caught(m) - answers[byEmail.get(m.envelope.to[0])!].sent).sort((a, b) => a - b);
	const answerTimes = answers.map((a) => a.answered - a.sent).sort((a, b) => a - b);
	const wallSeconds = (after.at - before.at) / 1000;
	const cpu = Object.fromEntries(setup.roles.map((r) => [r.name, (after.ms[r.name] - before.ms[r.name]) / events]));
	const benchCpu = (after.bench - before.bench) / events;
	const oursMs = Object.values(cpu).reduce((a, b) => a + b, 0) * events + benchCpu * events;
	const machineCores = ((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * os.cpus().length;
	const step: Step = {
		setup: setup.label.startsWith('regular') ? 'regular' : 'queue',
		workers: setup.roles.filter((r) => r.name.startsWith('worker')).length,
		connections,
		events,
		eventsPerSecond: events / ((lastMail - firstSent) / 1000),
		p50: percentile(latencies, 50),
		p99: percentile(latencies, 99),
		answerP50: percentile(answerTimes, 50),
		wallSeconds,
		cpu,
		rest: setup.rest,
		netCpu: Object.fromEntries(setup.roles.map((r) => [r.name, Math.max(0, cpu[r.name] - (setup.rest[r.name] * wallSeconds) / events)])),
		benchCpu,
		coresOurs: oursMs / 1000 / wallSeconds,
		coresAll: (after.all - before.all) / 1000 / wallSeconds,
		coresMachine: machineCores,
	};
	console.log(
		`# ${what}: ${events} events, ${step.eventsPerSecond.toFixed(1)} events/s, latency p50 ${step.p50} ms p99 ${step.p99} ms (answer p50 ${step.answerP50} ms); ` +
			`checked: ${events} x "started", ${setup.executed} executions success, one mail and code per customer; load ${os.loadavg()[0].toFixed(2)}`,
	);
	return step;
}

// ---------------------------------------------------------------------------------------------
// Reporting

const ROLE_ORDER = ['main', 'webhook', 'worker 1', 'worker 2', 'postgres', 'redis'];

function printSteps(steps: Step[]): void {
	const regular = (s: Step) => steps.find((r) => r.setup === 'regular' && r.connections === s.connections);
	console.log(`${'setup'.padEnd(18)} ${'conns'.padStart(5)} ${'events'.padStart(6)} ${'events/s'.padStart(9)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'answer p50'.padStart(10)}  queue/regular`);
	for (const s of steps) {
		const base = regular(s);
		const ratio = s.setup === 'queue' && base ? `${(s.eventsPerSecond / base.eventsPerSecond).toFixed(2)}x` : '';
		console.log(
			`${name(s).padEnd(18)} ${String(s.connections).padStart(5)} ${String(s.events).padStart(6)} ${s.eventsPerSecond.toFixed(1).padStart(9)} ${String(s.p50).padStart(7)} ${String(s.p99).padStart(7)} ${String(s.answerP50).padStart(10)}  ${ratio}`,
		);
	}
	console.log('CPU ms per event, per process (each with its children), and cores busy on average over the step (wall = first POST to last execution saved):');
	console.log(
		`${'setup'.padEnd(18)} ${'conns'.padStart(5)} ${ROLE_ORDER.map((r) => r.padStart(8)).join(' ')} ${'total'.padStart(8)} ${'bench'.padStart(7)} ${'wall s'.padStart(7)} ${'cores ours'.padStart(10)} ${'all'.padStart(5)} ${'machine'.padStart(8)}`,
	);
	for (const s of steps) {
		const total = Object.values(s.cpu).reduce((a, b) => a + b, 0);
		const cells = ROLE_ORDER.map((r) => (r in s.cpu ? s.cpu[r].toFixed(2) : '-').padStart(8));
		console.log(
			`${name(s).padEnd(18)} ${String(s.connections).padStart(5)} ${cells.join(' ')} ${total.toFixed(2).padStart(8)} ${s.benchCpu.toFixed(2).padStart(7)} ${s.wallSeconds.toFixed(1).padStart(7)} ${s.coresOurs.toFixed(2).padStart(10)} ${s.coresAll.toFixed(2).padStart(5)} ${s.coresMachine.toFixed(2).padStart(8)}`,
		);
	}
	console.log(
		`  (bench: this process, the load generator and the SMTP catcher; cores ours = (total + bench) x events / wall; all: every process of the machine counted the same way from /proc; ` +
			`machine: busy cores of all ${os.cpus().length} from /proc/stat. all close to machine shows the counting misses nothing; machine minus ours is other work on the machine)`,
	);
}

const name = (s: Step) => (s.setup === 'regular' ? 'regular' : `queue, ${s.workers} worker${s.workers > 1 ? 's' : ''}`);

/** Events/s of k worker machines of c cores (c workers each), the other roles on one c-core machine each (Redis: one thread; main: one process). */
function printEstimate(step: Step): void {
	const perEvent = (role: string) => step.netCpu[role] ?? 0;
	const worker = Object.entries(step.netCpu).filter(([r]) => r.startsWith('worker')).reduce((sum, [, ms]) => sum + ms, 0);
	console.log(
		`Paper estimate from "${name(step)}" at ${step.connections} connections: CPU ms per event less the CPU at rest: worker ${worker.toFixed(2)}, webhook processor ${perEvent('webhook').toFixed(2)}, ` +
			`PostgreSQL ${perEvent('postgres').toFixed(2)}, Redis ${perEvent('redis').toFixed(2)}, main ${perEvent('main').toFixed(2)}.`,
	);
	console.log('  Assumes each process uses at most one core (one worker or webhook processor per core), CPU per event stays as measured, and no other limit (network, disk, locks, n8n concurrency).');
	const capacity = (k: number, c: number): Array<[string, number]> => [
		[`workers (${k * c})`, (k * c * 1000) / worker],
		[`webhook processors (${c})`, (c * 1000) / perEvent('webhook')],
		[`PostgreSQL (${c} cores)`, (c * 1000) / perEvent('postgres')],
		['Redis (1 thread)', 1000 / perEvent('redis')],
		['main (1 process)', 1000 / perEvent('main')],
	];
	console.log(`  ${'k machines x c cores'.padEnd(22)} ${'events/s'.padStart(9)}  saturates first (next)`);
	for (const c of [2, 4, 8, 16]) {
		for (const k of [1, 2, 4, 8]) {
			const sorted = capacity(k, c)
				.filter(([, v]) => Number.isFinite(v))
				.sort((a, b) => a[1] - b[1]);
			console.log(`  ${`${k} x ${c}`.padEnd(22)} ${sorted[0][1].toFixed(0).padStart(9)}  ${sorted[0][0]} (${sorted[1][0]} at ${sorted[1][1].toFixed(0)})`);
		}
	}
}

// ---------------------------------------------------------------------------------------------

async function bench(): Promise<void> {
	const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
	const started = Date.now();
	const steps: Step[] = [];
	console.log(`# bench:queue: ${EVENTS} events per step at ${STEPS.join(', ')} connections, warm-up ${WARMUP}; load average ${loadBefore}`);

	const regular = await startQueueCluster('bench-regular', { mode: 'regular' });
	try {
		const setup = await setUp('regular', regular, rolesOf(regular, postmasterPid(regular.pg.port)));
		if (WARMUP) await runStep(setup, 4, WARMUP);
		for (const connections of STEPS) steps.push(await runStep(setup, connections, EVENTS));
	} finally {
		await regular.close(false);
	}

	const queue = await startQueueCluster('bench-queue', { workers: 2 });
	try {
		const pg = postmasterPid(queue.pg.port);
		if (pg === undefined) console.log(`# the PostgreSQL server on port ${queue.pg.port} is not a process of this machine: its CPU is not counted`);
		const setup = await setUp('queue, 2 workers', queue, rolesOf(queue, pg));
		if (WARMUP) await runStep(setup, 4, WARMUP);
		for (const connections of STEPS) steps.push(await runStep(setup, connections, EVENTS));
		await queue.workers[1].stop();
		setup.roles = setup.roles.filter((r) => r.name !== 'worker 2');
		setup.label = 'queue, 1 worker';
		for (const connections of STEPS) steps.push(await runStep(setup, connections, EVENTS));
	} finally {
		await queue.close(false);
	}

	const cpus = os.cpus();
	console.log('\n' + '='.repeat(100));
	console.log(`n8n ${install.N8N_VERSION} on Node ${process.version}, ${cpus.length} cores (${cpus[0]?.model ?? 'unknown'}); PostgreSQL holds n8n's database and the store; signed Shopify orders/create`);
	console.log(`${EVENTS} events per step, each of a new customer; load average before: ${loadBefore}, after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${Math.round((Date.now() - started) / 1000)} s`);
	printSteps(steps);
	const rest = [...new Map(steps.map((s) => [s.setup, s.rest])).entries()].map(([setup, r]) => `${setup}: ${Object.entries(r).map(([role, ms]) => `${role} ${ms.toFixed(1)}`).join(', ')}`);
	console.log(`CPU ms per second at rest (${REST_SECONDS} s before the warm-up), included in the figures above: ${rest.join('; ')}`);
	const queue2 = steps.filter((s) => s.setup === 'queue' && s.workers === 2).sort((a, b) => b.connections - a.connections)[0];
	if (queue2) printEstimate(queue2);
	console.log('='.repeat(100));
}

bench().catch((err: unknown) => {
	console.error(err instanceof Error ? (err.stack ?? err.message) : err);
	process.exit(1);
});
