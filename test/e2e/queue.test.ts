/**
 * The package in n8n queue mode (test/e2e/queue-cluster.ts): a main, a webhook processor and two
 * workers on Redis and PostgreSQL, the Dialogue Store on PostgreSQL (DIALOGUE_STORE_URL). Signed
 * order events for many customers are posted with 32 connections to the webhook processor; the
 * workflow Storefront Trigger -> Repeatability Guard (once) -> Coupon (assign) -> Send Email ->
 * Repeatability Guard (always, "mailed") runs on the workers. Each customer must get one mail with
 * one code of its own, whatever the concurrency, the redeliveries or a worker killed mid-run.
 * A birthday workflow, Storefront Occasion Trigger -> Repeatability Guard (once) -> Send Email, is
 * polled by main and run by the workers: each customer once, whatever the polls; a worker without
 * DIALOGUE_STORE_URL fails its executions with the refusal and writes nothing.
 *
 * If n8n, Redis or PostgreSQL cannot be started, the before hook fails and so does every test here.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { DateTime } from 'luxon';
import { eventFromItem } from '../../core/ledger';
import type { Execution, Mail } from '../../scripts/n8n/instance';
import { genericOrder, type Delivery } from './e2e-storefront';
import { PACKAGE, eventually } from './e2e-templates';
import { n8n, repoRoot } from './n8n';
import { startQueueCluster, thankYouWorkflow, type QueueCluster } from './queue-cluster';

const CONNECTIONS = 32;
/**
 * The Occasion Triggers poll at these seconds of every minute: n8n refuses a poll time that fires
 * more than once a minute, so the trigger lists six once-a-minute times, one every 10 s.
 */
const POLL_AT = [0, 10, 20, 30, 40, 50];

/**
 * The "entered but not mailed" query of README.md ("Scaling out") as written there, its two
 * activity names made parameters: $1 the guard that lets customers in, $2 the one that records the mail.
 */
function enteredNotMailedQuery(): string {
	const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
	const query = /```sql\n(SELECT e\.customer_id[^`]*?guard_entries[^`]*?)```/.exec(readme)?.[1];
	assert.ok(query, 'README.md has the entered-but-not-mailed query');
	const withParams = query.replace("'thank-you-coupon: mailed'", '$2').replace("'thank-you-coupon'", '$1');
	assert.ok(withParams.includes('$1') && withParams.includes('$2'), `the README query names both activities:\n${query}`);
	return withParams.replace(/;\s*$/, '');
}

let cluster: QueueCluster;
let passed = 0;
let tests = 0;

interface Customer {
	id: string;
	email: string;
	firstName: string;
}

interface Run {
	label: string;
	activity: string;
	pool: string;
	workflowId: string;
	url: string;
	customers: Customer[];
}

interface Answer {
	status: number;
	body: { status?: string; [key: string]: unknown };
}

/** Posts every delivery over `connections` keep-alive connections, as fast as the webhook processor answers. */
async function postAll(url: string, deliveries: Delivery[], connections = CONNECTIONS): Promise<Answer[]> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
	const answers: Answer[] = new Array(deliveries.length);
	let next = 0;
	const postOne = (delivery: Delivery) =>
		new Promise<Answer>((resolve, reject) => {
			const request = http.request(url, { method: 'POST', agent, headers: { ...delivery.headers, 'Content-Length': Buffer.byteLength(delivery.body) } }, (response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (text += chunk));
				response.on('end', () => {
					let body: Answer['body'];
					try {
						body = JSON.parse(text) as Answer['body'];
					} catch {
						body = { text };
					}
					resolve({ status: response.statusCode ?? 0, body });
				});
			});
			request.on('error', reject);
			request.end(delivery.body);
		});
	await Promise.all(
		Array.from({ length: connections }, async () => {
			while (next < deliveries.length) {
				const index = next++;
				answers[index] = await postOne(deliveries[index]);
			}
		}),
	);
	agent.destroy();
	return answers;
}

function shuffled<T>(items: T[]): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(Math.random() * (i + 1));
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}

const countBy = <T>(items: T[], key: (item: T) => string) => {
	const counts = new Map<string, number>();
	for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
	return counts;
};

/** A pool of `size` codes, a workflow with its own activity and pool, published; resolves once the webhook processor serves it. */
async function setUpRun(label: string, customers: number, poolSize: number): Promise<Run> {
	const tag = `${label}-${randomUUID().slice(0, 8)}`;
	const activity = `queue-thanks-${tag}`;
	const pool = `queue-pool-${tag}`;
	const now = Date.now();
	await cluster.store.ensurePools([pool], now);
	const codes = Array.from({ length: poolSize }, (_, i) => ({ code: `${label.toUpperCase()}-${String(i + 1).padStart(4, '0')}-${randomUUID().slice(0, 4)}`, discountKind: 'percent' as const, discountValue: '10' }));
	await cluster.store.addCodes(pool, codes, now);

	const webhookId = randomUUID();
	const workflow = await cluster.api.createWorkflow(thankYouWorkflow({ name: `Queue mode: ${label}`, activity, pool, webhookId, storefront: cluster.genericCredential, smtp: cluster.smtpCredential }));
	await cluster.api.activateWorkflow(workflow.id);
	const url = cluster.triggerUrl(webhookId);
	// Registered at the webhook processor once an unsigned call is refused by the trigger (nothing starts).
	const probe = await n8n.waitForWebhook(url, { body: '{}', headers: { 'content-type': 'application/json' }, timeoutMs: 30_000 });
	assert.equal(probe.status, 401, `the trigger answers at the webhook processor: ${JSON.stringify(probe.body)}`);

	const people = Array.from({ length: customers }, (_, i) => ({ id: `${tag}-c${i + 1}`, email: `c${i + 1}.${tag}@customers.test`, firstName: `C${i + 1}` }));
	return { label, activity, pool, workflowId: workflow.id, url, customers: people };
}

/** `perCustomer` distinct signed orders for every customer of the run, shuffled. */
function ordersOf(run: Run, perCustomer: number): Delivery[] {
	const deliveries = run.customers.flatMap((customer) =>
		Array.from({ length: perCustomer }, (_, k) =>
			genericOrder({ id: `${customer.id}-o${k + 1}`, customer, lines: [{ productId: 'mug-1', name: 'Mug', categories: ['Kitchen'], price: '12.00' }] }),
		),
	);
	return shuffled(deliveries);
}

/** Waits until the workflow has `count` finished executions (polling n8n's public API); returns them. */
async function finished(run: Run, count: number, timeoutMs: number): Promise<Execution[]> {
	return await eventually(
		async () => {
			const list = await cluster.api.listExecutions(run.workflowId);
			const done = list.filter((e) => e.finished || !['new', 'running', 'waiting'].includes(e.status));
			return done.length >= count ? done : undefined;
		},
		timeoutMs,
		`${count} finished executions of ${run.label}`,
	);
}

const mailsOf = (run: Run): Mail[] => {
	const emails = new Set(run.customers.map((c) => c.email));
	return cluster.smtp.mails.filter((mail) => mail.envelope.to.some((to) => emails.has(to)));
};

/** Codes the run's pool assigned, by customer. */
async function assignedCodes(run: Run): Promise<Map<string, string[]>> {
	const byCustomer = new Map<string, string[]>();
	await Promise.all(
		run.customers.map(async (customer) => byCustomer.set(customer.id, (await cluster.store.codesOf(customer.id)).filter((c) => c.pool === run.pool).map((c) => c.code))),
	);
	return byCustomer;
}

/** Every customer has exactly one mail, carrying the one code the store assigned to them; codes distinct; one guard entry each. */
async function expectOneMailAndCodeEach(run: Run): Promise<void> {
	const mails = mailsOf(run);
	assert.equal(mails.length, run.customers.length, `${run.label}: ${mails.length} mails for ${run.customers.length} customers`);
	const perAddress = countBy(mails, (m) => m.envelope.to.join(','));
	const codes = await assignedCodes(run);
	for (const customer of run.customers) {
		assert.equal(perAddress.get(customer.email), 1, `${customer.id}: one mail`);
		const held = codes.get(customer.id)!;
		assert.equal(held.length, 1, `${customer.id} holds one code: ${JSON.stringify(held)}`);
		const mail = mails.find((m) => m.envelope.to.includes(customer.email))!;
		assert.ok(mail.text.includes(held[0]), `${customer.id}'s mail carries the code ${held[0]}: ${mail.text}`);
	}
	const all = [...codes.values()].flat();
	assert.equal(new Set(all).size, run.customers.length, `${run.label}: ${run.customers.length} distinct codes`);
	const status = await cluster.store.poolStatus(run.pool, Date.now());
	assert.equal(status.assigned, run.customers.length, `${run.label}: pool ${JSON.stringify(status)}`);
	const entries = await cluster.store.guardHistory({ activity: run.activity, limit: 10_000 });
	assert.equal(entries.length, run.customers.length, `${run.label}: ${entries.length} guard entries`);
	assert.deepEqual([...countBy(entries, (e) => e.customerId).values()].filter((n) => n !== 1), [], `${run.label}: one guard entry per customer`);
}

/** Executions each worker finished since `before`. */
function workerShare(before: number[]): number[] {
	return cluster.finishedByWorker().map((n, i) => n - before[i]);
}

/**
 * A time zone where it is around noon now (Etc/GMT-N is UTC+N), so the customers' "today" does not
 * change while the test runs, whatever the hour here.
 */
function zoneNearNoon(): string {
	const offset = 12 - new Date().getUTCHours();
	return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

interface BirthdayRun {
	label: string;
	/** The workflow's name, as main logs it for each poll. */
	name: string;
	activity: string;
	workflowId: string;
	customers: Customer[];
}

/**
 * `customers` customers whose birthday is today in their time zone, recorded in the store; and the
 * workflow Storefront Occasion Trigger (birthday, emit already due, polling every 10 s) ->
 * Repeatability Guard (once) -> Send Email, created but not active.
 */
async function setUpBirthdays(label: string, customers: number): Promise<BirthdayRun> {
	const tag = `${label}-${randomUUID().slice(0, 8)}`;
	const zone = zoneNearNoon();
	const birthday = DateTime.now().setZone(zone).toFormat('--MM-dd');
	const people = Array.from({ length: customers }, (_, i) => ({ id: `${tag}-b${i + 1}`, email: `b${i + 1}.${tag}@customers.test`, firstName: `B${i + 1}` }));
	const now = Date.now();
	const events = people.map((customer) =>
		eventFromItem('canonical', { id: `seed:${customer.id}`, type: 'customer.registered', occurredAt: new Date(now).toISOString(), customer: { ...customer, birthday, timezone: zone } }),
	);
	const recorded = await cluster.store.recordEvents(events, now);
	assert.equal(recorded.length, customers, 'every customer recorded');

	const activity = `queue-birthday-${tag}`;
	const name = `Queue mode: birthday ${tag}`;
	const workflow = await cluster.api.createWorkflow({
		name,
		nodes: [
			{
				name: 'Birthday',
				type: `${PACKAGE}.storefrontOccasionTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: POLL_AT.map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) },
					occasion: 'customer.birthday',
					daysBefore: 0,
					emitAlreadyDue: true,
					maxPerPoll: 100,
				},
			},
			{
				name: 'Once a year',
				type: `${PACKAGE}.repeatabilityGuard`,
				typeVersion: 1,
				position: [240, 0],
				parameters: { operation: 'check', activity, customerId: '={{ $json.customer.id }}', policy: 'once', entryKey: '={{ $json.id }}' },
			},
			{
				name: 'Send Email',
				type: 'n8n-nodes-base.emailSend',
				typeVersion: 2.1,
				position: [480, 0],
				webhookId: randomUUID(),
				parameters: {
					fromEmail: 'Shop <shop@dialogue.local>',
					toEmail: '={{ $json.customer.email }}',
					subject: 'Happy birthday',
					emailFormat: 'text',
					text: '=Happy birthday, {{ $json.customer.firstName }}!',
					options: { appendAttribution: false },
				},
				credentials: { smtp: { id: cluster.smtpCredential.id, name: cluster.smtpCredential.name } },
			},
		],
		connections: {
			Birthday: { main: [[{ node: 'Once a year', type: 'main', index: 0 }]] },
			'Once a year': { main: [[{ node: 'Send Email', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	});
	return { label, name, activity, workflowId: workflow.id, customers: people };
}

/** How many polls of the workflow main has logged. */
function pollsOf(run: BirthdayRun): number {
	const line = `Poll trigger initiated for workflow "${run.name}"`;
	return fs.readFileSync(cluster.main.logFile, 'utf8').split(line).length - 1;
}

/** Waits until main has logged `count` polls of the workflow. */
async function polled(run: BirthdayRun, count: number, timeoutMs = 60_000): Promise<void> {
	await eventually(async () => (pollsOf(run) >= count ? true : undefined), timeoutMs, `${count} polls of ${run.label}`);
}

/** Customer ids the trigger emitted in an execution (its run data). */
function emittedIds(execution: Execution): string[] {
	return (execution.data?.resultData.runData.Birthday?.[0]?.data?.main[0] ?? []).map((item) => (item.json.customer as { id: string }).id);
}

/** The processes whose log has the text. */
function loggedBy(text: string, processes: Array<{ name: string; logFile: string }>): string[] {
	return processes.filter((p) => fs.readFileSync(p.logFile, 'utf8').includes(text)).map((p) => p.name);
}

describe('queue mode: main, webhook processor and two workers on PostgreSQL and Redis', () => {
	beforeAll(async () => {
		cluster = await startQueueCluster('queue');
	}, 10 * 60_000);

	afterAll(async () => {
		await cluster?.close(passed < tests);
	});

	const test = (name: string, fn: () => Promise<void>, timeout = 5 * 60_000) => {
		tests++;
		it(name, async () => {
			await fn();
			passed++;
		}, timeout);
	};

	test('1,000 signed orders of 200 customers over 32 connections: 200 mails, 200 distinct codes each assigned once, 200 guard entries; both workers ran some', async () => {
		const run = await setUpRun('once', 200, 250);
		const deliveries = ordersOf(run, 5);
		const before = cluster.finishedByWorker();
		const started = Date.now();
		const answers = await postAll(run.url, deliveries);
		const postedMs = Date.now() - started;
		assert.deepEqual([...countBy(answers, (a) => `${a.status} ${a.body.status}`)], [['200 started', 1000]]);
		const executions = await finished(run, 1000, 4 * 60_000);
		const doneMs = Date.now() - started;
		assert.deepEqual([...countBy(executions, (e) => e.status)], [['success', 1000]]);
		await eventually(async () => (mailsOf(run).length >= run.customers.length ? true : undefined), 30_000, '200 mails');
		await expectOneMailAndCodeEach(run);
		const share = workerShare(before);
		assert.ok(share.every((n) => n > 0), `both workers ran executions: ${share}`);
		assert.equal(share[0] + share[1], 1000, `the workers finished every execution: ${share}`);
		console.log(`# queue mode: 1000 deliveries posted in ${postedMs} ms, all executed in ${doneMs} ms; worker shares ${share.join(' / ')}`);
	});

	test('the same run with every order delivered twice, the copies racing: each order starts once, the numbers do not change', async () => {
		const run = await setUpRun('twice', 200, 250);
		const orders = ordersOf(run, 5);
		const before = cluster.finishedByWorker();
		const started = Date.now();
		const answers = await postAll(run.url, shuffled([...orders, ...orders]));
		const postedMs = Date.now() - started;
		assert.deepEqual([...countBy(answers, (a) => `${a.status} ${a.body.status}`)].sort(), [['200 duplicate', 1000], ['200 started', 1000]]);
		const executions = await finished(run, 1000, 4 * 60_000);
		assert.deepEqual([...countBy(executions, (e) => e.status)], [['success', 1000]]);
		await eventually(async () => (mailsOf(run).length >= run.customers.length ? true : undefined), 30_000, '200 mails');
		await expectOneMailAndCodeEach(run);
		const share = workerShare(before);
		assert.ok(share.every((n) => n > 0), `both workers ran executions: ${share}`);
		assert.equal(share[0] + share[1], 1000, `one execution per order: ${share}`);
		console.log(`# queue mode, every order twice: 2000 deliveries posted in ${postedMs} ms, 1000 executed in ${Date.now() - started} ms; worker shares ${share.join(' / ')}`);
	});

	test('a pool smaller than the audience: the surplus takes Pool Empty, mails + Pool Empty = customers, one guard entry each', async () => {
		const run = await setUpRun('short', 100, 70);
		const started = Date.now();
		const answers = await postAll(run.url, ordersOf(run, 1));
		assert.deepEqual([...countBy(answers, (a) => `${a.status} ${a.body.status}`)], [['200 started', 100]]);
		await finished(run, 100, 3 * 60_000);
		const executions = await cluster.api.listExecutions(run.workflowId, true);
		assert.deepEqual([...countBy(executions, (e) => e.status)], [['success', 100]]);
		const took = (node: string) => executions.filter((e) => (e.data?.resultData.runData[node]?.[0]?.data?.main[0]?.length ?? 0) > 0).length;
		assert.equal(took('Send Email'), 70, 'mailed');
		assert.equal(took('Pool empty'), 30, 'Pool Empty');
		await eventually(async () => (mailsOf(run).length >= 70 ? true : undefined), 30_000, '70 mails');
		const mails = mailsOf(run);
		assert.equal(mails.length, 70);
		assert.deepEqual([...countBy(mails, (m) => m.envelope.to.join(','))].filter(([, n]) => n !== 1), [], 'one mail per mailed customer');
		const codes = await assignedCodes(run);
		const holders = run.customers.filter((c) => codes.get(c.id)!.length > 0);
		assert.equal(holders.length, 70);
		assert.ok(holders.every((c) => codes.get(c.id)!.length === 1 && mails.some((m) => m.envelope.to.includes(c.email) && m.text.includes(codes.get(c.id)![0]))), 'each holder was mailed their code');
		assert.equal(new Set([...codes.values()].flat()).size, 70);
		assert.deepEqual(await cluster.store.poolStatus(run.pool, Date.now()), { pool: run.pool, total: 70, free: 0, assigned: 70, redeemed: 0, expired: 0, notInShop: 0, refusedByShop: 0 });
		assert.equal((await cluster.store.guardHistory({ activity: run.activity, limit: 1000 })).length, 100, 'every customer entered');
		console.log(`# queue mode, pool of 70 for 100 customers: done in ${Date.now() - started} ms`);
	});

	test('a worker killed with SIGKILL mid-run: no code twice, no customer mailed twice; everyone is mailed once or listed by the README query', async () => {
		const run = await setUpRun('kill', 100, 150);
		const before = cluster.finishedByWorker();
		const posting = postAll(run.url, ordersOf(run, 3));
		const victim = cluster.workers[0];
		await eventually(async () => (cluster.finishedByWorker()[0] - before[0] >= 30 ? true : undefined), 3 * 60_000, 'worker 1 to finish 30 executions');
		const log = () => fs.readFileSync(victim.logFile, 'utf8');
		const inFlight = (log().match(/Worker started execution/g) ?? []).length - (log().match(/Worker finished execution/g) ?? []).length;
		process.kill(-victim.pid, 'SIGKILL');
		const killedAfter = cluster.finishedByWorker()[0] - before[0];
		const answers = await posting;
		assert.deepEqual([...countBy(answers, (a) => `${a.status} ${a.body.status}`)], [['200 started', 300]], 'the webhook processor took every delivery');
		assert.ok(inFlight > 0, 'worker 1 was running executions when it was killed');

		// Settled: worker 2 has finished everything else (the killed worker held at most its concurrency, 10).
		let last = -1;
		let stableSince = Date.now();
		await eventually(
			async () => {
				const done = (await cluster.api.listExecutions(run.workflowId)).filter((e) => !['new', 'running', 'waiting'].includes(e.status)).length;
				if (done !== last) [last, stableSince] = [done, Date.now()];
				return done >= 290 && Date.now() - stableSince > 10_000 ? true : undefined;
			},
			4 * 60_000,
			'the other worker to finish the rest',
		);
		const mails = mailsOf(run);
		const perAddress = countBy(mails, (m) => m.envelope.to.join(','));
		assert.deepEqual([...perAddress].filter(([, n]) => n !== 1), [], 'no customer mailed twice');
		const codes = await assignedCodes(run);
		assert.deepEqual(run.customers.filter((c) => codes.get(c.id)!.length > 1).map((c) => c.id), [], 'no customer holds two codes');
		const all = [...codes.values()].flat();
		assert.equal(new Set(all).size, all.length, 'no code twice');
		const listed = await cluster.storeQuery<{ customer_id: string }>(enteredNotMailedQuery(), [run.activity, `${run.activity}: mailed`]);
		const listedIds = new Set(listed.map((row) => row.customer_id));
		const lost = run.customers.filter((c) => perAddress.get(c.email) !== 1 && !listedIds.has(c.id));
		assert.deepEqual(lost.map((c) => c.id), [], 'every customer is mailed once or listed as entered but not mailed');
		for (const c of run.customers.filter((c) => perAddress.get(c.email) === 1)) {
			assert.ok(mails.find((m) => m.envelope.to.includes(c.email))!.text.includes(codes.get(c.id)![0]), `${c.id} was mailed their code`);
		}
		console.log(`# queue mode, worker 1 killed after ${killedAfter} executions with ${inFlight} in flight: ${mails.length} of 100 customers mailed, ${listed.length} listed as entered but not mailed`);
	});

	test('Occasion Trigger (birthday), 30 customers due: main polls once per interval, a worker runs the one execution, each customer mailed once; later polls and a reactivation emit nothing', async () => {
		const run = await setUpBirthdays('birthday', 30);
		const workers = cluster.workers.map((w, i) => ({ name: `worker ${i + 1}`, logFile: w.logFile }));
		const others = [{ name: 'main', logFile: cluster.main.logFile }, { name: 'webhook processor', logFile: cluster.webhook.logFile }];
		const mailsBefore = cluster.smtp.mails.length;
		const started = Date.now();
		await cluster.api.activateWorkflow(run.workflowId);
		const [execution] = await cluster.api.waitForExecutions(run.workflowId, { count: 1, timeoutMs: 60_000, includeData: true });
		assert.equal(execution.status, 'success', JSON.stringify(execution.data?.resultData.error));
		assert.equal(execution.mode, 'trigger');
		const emitted = emittedIds(execution);
		assert.deepEqual([...emitted].sort(), run.customers.map((c) => c.id).sort(), 'the poll emitted every customer due, once');
		assert.ok(pollsOf(run) >= 1, 'main polled');
		assert.deepEqual(loggedBy(`Enqueued execution ${execution.id} (job `, [...others, ...workers]), ['main'], 'main, which polled, put the execution in the queue');
		assert.equal(loggedBy(`Worker finished execution ${execution.id} (job `, [...others, ...workers]).length, 1, `one worker ran execution ${execution.id}`);
		const emittedMs = Date.now() - started;

		// The execution came from the poll at activation; two scheduled polls (10 s apart) follow.
		await polled(run, 3);
		const reactivated = Date.now();
		await cluster.api.deactivateWorkflow(run.workflowId);
		const beforeReactivation = pollsOf(run);
		await cluster.api.activateWorkflow(run.workflowId);
		// Activation polls at once and schedules the polls only after that poll has run. Three more
		// polls: the reactivation's and a scheduled one after it, even if one scheduled before the
		// deactivation took effect is among them.
		await polled(run, beforeReactivation + 3);
		await cluster.api.deactivateWorkflow(run.workflowId);
		const elapsedS = (Date.now() - started) / 1000;
		const polls = pollsOf(run);
		assert.ok(polls <= 2 + Math.ceil(elapsedS / 10) + 1, `${polls} polls in ${elapsedS} s: one per 10 s interval plus the two activations`);

		const birthdayMails = () => cluster.smtp.mails.slice(mailsBefore).filter((m) => m.subject === 'Happy birthday');
		await eventually(async () => (birthdayMails().length >= run.customers.length ? true : undefined), 30_000, '30 mails');
		const mails = birthdayMails();
		const perAddress = countBy(mails, (m) => m.envelope.to.join(','));
		assert.deepEqual([...perAddress].sort(), run.customers.map((c) => [c.email, 1]).sort(), 'one mail per customer');
		const entries = await cluster.store.guardHistory({ activity: run.activity, limit: 1000 });
		assert.deepEqual(entries.map((e) => e.customerId).sort(), run.customers.map((c) => c.id).sort(), 'one guard entry per customer');
		const executions = await cluster.api.listExecutions(run.workflowId);
		assert.deepEqual(executions.map((e) => e.id), [execution.id], `one execution in all, from ${polls} polls`);
		console.log(
			`# queue mode, birthday: 30 customers emitted and mailed ${emittedMs} ms after activation; ${polls} polls by main in ${Math.round(elapsedS)} s (reactivated after ${Math.round((reactivated - started) / 1000)} s), one execution`,
		);
	}, 3 * 60_000);

	// Stops the cluster's workers: the last test here.
	test('a worker without DIALOGUE_STORE_URL (the workflow without a Dialogue Store credential): the execution fails with the refusal to use SQLite in queue mode, and nothing is written', async () => {
		await Promise.all(cluster.workers.map((worker) => worker.stop()));
		const started = Date.now();
		const worker = await cluster.addWorker('worker-without-store', { withoutStore: true });
		const workerStartMs = Date.now() - started;
		const run = await setUpBirthdays('nostore', 3);
		const mailsBefore = cluster.smtp.mails.length;
		await cluster.api.activateWorkflow(run.workflowId);
		const [execution] = await cluster.api.waitForExecutions(run.workflowId, { count: 1, timeoutMs: 60_000, includeData: true });
		await cluster.api.deactivateWorkflow(run.workflowId);
		assert.deepEqual(loggedBy(`Worker finished execution ${execution.id} (job `, [{ name: 'worker without store', logFile: worker.logFile }]), ['worker without store'], `the worker without a store ran execution ${execution.id}`);
		assert.equal(execution.status, 'error');
		const emitted = new Set(emittedIds(execution));
		assert.ok(run.customers.every((c) => emitted.has(c.id)), 'main polled the store and emitted the customers due');
		const error = execution.data?.resultData.error as { message?: string; description?: string } | undefined;
		assert.equal(execution.data?.resultData.lastNodeExecuted, 'Once a year', JSON.stringify(error));
		assert.match(error?.message ?? '', /n8n runs in queue mode \(EXECUTIONS_MODE=queue\), where the SQLite store .* would be one file per worker and split the ledger/, JSON.stringify(error));
		assert.match(error?.description ?? '', /^Use a PostgreSQL Dialogue Store: select a Dialogue Store credential of type PostgreSQL on the node, or set DIALOGUE_STORE_URL=postgres:/, JSON.stringify(error));
		assert.deepEqual(await cluster.store.guardHistory({ activity: run.activity, limit: 1000 }), [], 'no guard entry');
		assert.equal(fs.existsSync(path.join(worker.userFolder, '.n8n', 'dialogue-activities.sqlite')), false, 'no SQLite file on the worker');
		assert.deepEqual(cluster.smtp.mails.slice(mailsBefore), [], 'no mail');
		console.log(`# queue mode, worker without a store: started in ${workerStartMs} ms, the execution failed ${Date.now() - started - workerStartMs} ms later`);
	});
});
