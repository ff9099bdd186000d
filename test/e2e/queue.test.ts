/**
 * The package in n8n queue mode (test/e2e/queue-cluster.ts): a main, a webhook processor and two
 * workers on Redis and PostgreSQL, the Dialogue Store on PostgreSQL (DIALOGUE_STORE_URL). Signed
 * order events for many customers are posted with 32 connections to the webhook processor; the
 * workflow Storefront Trigger -> Repeatability Guard (once) -> Coupon (assign) -> Send Email ->
 * Repeatability Guard (always, "mailed") runs on the workers. Each customer must get one mail with
 * one code of its own, whatever the concurrency, the redeliveries or a worker killed mid-run.
 *
 * If n8n, Redis or PostgreSQL cannot be started, the before hook fails and so does every test here.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Execution, Mail } from '../../scripts/n8n/instance';
import { genericOrder, type Delivery } from './e2e-storefront';
import { eventually } from './e2e-templates';
import { n8n, repoRoot } from './n8n';
import { startQueueCluster, thankYouWorkflow, type QueueCluster } from './queue-cluster';

const CONNECTIONS = 32;

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
});
