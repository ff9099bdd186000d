/**
 * n8n in queue mode for the end-to-end tests, as users scale it: Redis (Debian's redis-server on a
 * free loopback port, data in a temp folder), PostgreSQL (the test server of test/helpers/postgres)
 * with two databases, n8n's own and the Dialogue Store's, one n8n main (EXECUTIONS_MODE=queue,
 * production webhooks left to the webhook processor), one `n8n webhook` processor and two
 * `n8n worker` processes, all with the PACKED package installed as a user install, the same
 * N8N_ENCRYPTION_KEY and DIALOGUE_STORE_URL, and the SMTP catcher. Each process has a user folder
 * and a log of its own (<folder>/n8n.log), so the tests can tell which worker ran what and how often
 * main polled (its log is at debug level, where n8n logs each poll).
 * Options: another number of workers, or regular mode (one n8n, EXECUTIONS_MODE=regular, taking
 * the webhooks and running the executions itself, no Redis) on the same PostgreSQL databases, the
 * baseline of bench/queue.ts.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import type { Store } from '../../core/store';
import { parsePostgresUrl, storeAt } from '../../store/open';
import type { Credential, N8nApi, N8nHandle, SmtpCatcher, Workflow } from '../../scripts/n8n/instance';
import { postgresServer, type PgServer } from '../helpers/postgres';
import { SECRETS } from './e2e-storefront';
import { PACKAGE, packPackage, sleep } from './e2e-templates';
import { n8n, repoRoot, requireN8n } from './n8n';

const log = (line: string) => console.log(`# ${line}`);
const LOOPBACK = '127.0.0.1';

export interface Redis {
	port: number;
	pid: number;
	stop(): Promise<void>;
}

function findRedisServer(): string {
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
	if (!found) {
		throw new Error('redis-server not found. The queue-mode tests start a Redis of their own: install it with "apt-get update && apt-get install -y redis-server" (.ci/run does this).');
	}
	return found;
}

/** Answers true once Redis answers PING with PONG. */
function redisPong(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: LOOPBACK });
		let reply = '';
		socket.setTimeout(1_000, () => socket.destroy());
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) {
				socket.destroy();
				resolve(reply.startsWith('+PONG'));
			}
		});
		socket.once('close', () => resolve(false));
		socket.once('error', () => resolve(false));
	});
}

/** A Redis of the test's own: loopback only, no persistence, its files in dir; stopped when the process exits. */
export async function startRedis(dir: string): Promise<Redis> {
	const bin = findRedisServer();
	fs.mkdirSync(dir, { recursive: true });
	const port = await n8n.freePort();
	const logFile = path.join(dir, 'redis.log');
	const child: ChildProcess = spawn(
		bin,
		['--port', String(port), '--bind', LOOPBACK, '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', logFile],
		{ stdio: 'ignore' },
	);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const kill = () => child.kill('SIGKILL');
	process.once('exit', kill);
	const deadline = Date.now() + 15_000;
	while (!(await redisPong(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			kill();
			const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n') : '(no log)';
			throw new Error(`redis-server did not answer PING on ${LOOPBACK}:${port}:\n${tail}`);
		}
		await sleep(100);
	}
	return {
		port,
		pid: child.pid!,
		async stop() {
			process.removeListener('exit', kill);
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				// A timer left running would keep the test process alive after the tests.
				const timer = setTimeout(kill, 5_000);
				await exited;
				clearTimeout(timer);
			}
		},
	};
}

async function withAdmin<T>(server: PgServer, fn: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** A database URL on the test server with the same user. */
function databaseUrl(server: PgServer, database: string): string {
	const url = new URL(server.url);
	url.pathname = `/${database}`;
	return url.toString();
}

export interface QueueCluster {
	dir: string;
	main: N8nHandle;
	/** The process that takes the production webhooks: the webhook processor (in regular mode, main). */
	webhook: N8nHandle;
	/** None in regular mode. */
	workers: N8nHandle[];
	/** Undefined in regular mode. */
	redis?: Redis;
	pg: PgServer;
	api: N8nApi;
	smtp: SmtpCatcher;
	/** DIALOGUE_STORE_URL of every n8n process. */
	storeUrl: string;
	/** The same store, opened in this process: fill pools, read what the workers wrote. */
	store: Store;
	/** Runs a statement on the store's database (the README's queries). */
	storeQuery<T>(sql: string, params?: unknown[]): Promise<T[]>;
	/** Runs a statement on n8n's own database (executions). */
	n8nQuery<T>(sql: string, params?: unknown[]): Promise<T[]>;
	smtpCredential: Credential;
	/** The Storefront Webhook credential for Generic deliveries. */
	genericCredential: Credential;
	/** The production URL of a Storefront Trigger, at the webhook processor. */
	triggerUrl(webhookId: string): string;
	/** How many executions each worker finished, from its log. */
	finishedByWorker(): number[];
	/**
	 * Starts one more worker, with its own folder and log, stopped by close(). withoutStore: its
	 * environment has no DIALOGUE_STORE_URL.
	 */
	addWorker(name: string, options?: { withoutStore?: boolean }): Promise<N8nHandle>;
	close(keep: boolean): Promise<void>;
}

export interface ClusterOptions {
	/** 'regular': one n8n (EXECUTIONS_MODE=regular) that takes the webhooks and runs the executions; no Redis, no workers. */
	mode?: 'queue' | 'regular';
	/** n8n worker processes in queue mode; 2 unless set. */
	workers?: number;
}

/** Starts the cluster. Fails (never skips) when n8n, Redis or PostgreSQL cannot be started. */
export async function startQueueCluster(label: string, options: ClusterOptions = {}): Promise<QueueCluster> {
	const started = Date.now();
	const queue = options.mode !== 'regular';
	const workerCount = queue ? (options.workers ?? 2) : 0;
	const { n8nBin } = await requireN8n(log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dialogue-e2e-${label}-`));
	const cleanups: Array<() => Promise<void> | void> = [];
	try {
		const redis = queue ? await startRedis(path.join(dir, 'redis')) : undefined;
		if (redis) cleanups.push(() => redis.stop());

		const pg = await postgresServer();
		const suffix = randomBytes(4).toString('hex');
		const n8nDb = `n8n_queue_${suffix}`;
		const storeDb = `dialogue_queue_${suffix}`;
		await withAdmin(pg, async (client) => {
			await client.query(`CREATE DATABASE ${n8nDb}`);
			await client.query(`CREATE DATABASE ${storeDb}`);
		});
		cleanups.push(() =>
			withAdmin(pg, async (client) => {
				await client.query(`DROP DATABASE IF EXISTS ${n8nDb} WITH (FORCE)`);
				await client.query(`DROP DATABASE IF EXISTS ${storeDb} WITH (FORCE)`);
			}),
		);
		const storeUrl = `${databaseUrl(pg, storeDb)}?schema=dialogue`;

		// The package as users get it, installed once and copied into every process's user folder.
		const folders = {
			main: path.join(dir, 'main'),
			webhook: path.join(dir, 'webhook'),
			workers: Array.from({ length: workerCount }, (_, i) => path.join(dir, `worker-${i + 1}`)),
		};
		const installed = n8n.installPackage(folders.main, packPackage(path.join(dir, 'pack')), { log });
		const installIn = (folder: string) => fs.cpSync(installed.nodesDir, path.join(folder, '.n8n', 'nodes'), { recursive: true });
		for (const folder of queue ? [folders.webhook, ...folders.workers] : []) installIn(folder);

		const smtp = await n8n.startSmtpCatcher({ dir: path.join(dir, 'mail') });
		cleanups.push(() => smtp.close());

		const [mainPort, webhookPort] = [await n8n.freePort(), await n8n.freePort()];
		const queueEnv: Record<string, string> = redis
			? {
					EXECUTIONS_MODE: 'queue',
					QUEUE_BULL_REDIS_HOST: LOOPBACK,
					QUEUE_BULL_REDIS_PORT: String(redis.port),
					// Manual (editor) executions run on the workers too, like production ones.
					OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				}
			: { EXECUTIONS_MODE: 'regular' };
		const common: Record<string, string> = {
			...queueEnv,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: pg.host,
			DB_POSTGRESDB_PORT: String(pg.port),
			DB_POSTGRESDB_DATABASE: n8nDb,
			DB_POSTGRESDB_USER: pg.user,
			// n8n's default pool (2 connections) starves its own health ping under 32 concurrent deliveries: 503 "Database is not ready!".
			DB_POSTGRESDB_POOL_SIZE: '10',
			// An isolate only for executions that evaluate an expression (README, "Webhook throughput").
			N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true',
			N8N_ENCRYPTION_KEY: `dialogue-queue-e2e-${suffix}`,
			DIALOGUE_STORE_URL: storeUrl,
			GENERIC_TIMEZONE: 'UTC',
			// Production webhooks reach the webhook processor (in production: the load balancer in front of them).
			WEBHOOK_URL: `http://${LOOPBACK}:${queue ? webhookPort : mainPort}/`,
			// The tests count each worker's "Worker finished execution" lines (info level); the in-process
			// engine tests of the same jest run set N8N_LOG_LEVEL=silent in the environment n8n would inherit.
			N8N_LOG_LEVEL: 'info',
		};
		const logNote = (what: string, handle: N8nHandle) => log(`${what} ready in ${handle.startupMs} ms on port ${handle.port} (log ${handle.logFile})`);

		// The main first: it creates n8n's tables; the others start on a migrated database.
		const main = await n8n.startN8n({
			userFolder: folders.main,
			port: mainPort,
			n8nBin,
			// n8n logs each poll of a poll trigger ("Poll trigger initiated for workflow ...") at debug only; the tests count them.
			env: queue ? { ...common, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true', N8N_LOG_LEVEL: 'debug' } : common,
			log,
		});
		cleanups.push(() => main.stop());
		logNote('n8n main', main);

		const command = (name: string) => ({ DIALOGUE_N8N_BIN: n8nBin, DIALOGUE_N8N_COMMAND: name });
		const commandBin = path.join(repoRoot, 'test', 'e2e', 'n8n-command.js');
		const startWorker = async (userFolder: string, port: number, env = common) =>
			await n8n.startN8n({
				userFolder,
				port,
				n8nBin: commandBin,
				// The worker's health server answers /healthz/readiness once it takes jobs.
				env: { ...env, ...command('worker'), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port), N8N_WORKER_SERVER_ADDRESS: LOOPBACK },
				log,
			});
		const [webhook, ...workers] = queue
			? await Promise.all([
					n8n.startN8n({ userFolder: folders.webhook, port: webhookPort, n8nBin: commandBin, env: { ...common, ...command('webhook') }, log }),
					...folders.workers.map(async (folder) => startWorker(folder, await n8n.freePort())),
				])
			: [main];
		if (queue) {
			cleanups.push(() => webhook.stop());
			for (const worker of workers) cleanups.push(() => worker.stop());
			logNote('n8n webhook processor', webhook);
			workers.forEach((worker, i) => logNote(`n8n worker ${i + 1}`, worker));
		}

		const cookie = await n8n.setupOwner(main.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-E2E-1', firstName: 'E2E', lastName: 'Owner' });
		const api = new n8n.N8nApi(main.baseUrl, await n8n.createApiKey(main.baseUrl, cookie, { label: `e2e ${label}` }));
		const smtpCredential = await api.createCredential({
			name: 'Mail catcher',
			type: 'smtp',
			data: { user: '', password: '', host: LOOPBACK, port: smtp.port, secure: false, disableStartTls: true },
		});
		const genericCredential = await api.createCredential({ name: 'Storefront generic', type: 'storefrontWebhookApi', data: { source: 'generic', secret: SECRETS.generic } });
		const store = storeAt({ kind: 'postgres', ...parsePostgresUrl(storeUrl) });
		cleanups.push(() => store.close());
		const schema = parsePostgresUrl(storeUrl).schema;
		log(`${queue ? 'queue cluster' : 'n8n in regular mode'} ready in ${Math.round((Date.now() - started) / 1000)} s (${redis ? `Redis ${redis.port}, ` : ''}PostgreSQL ${pg.port}: ${n8nDb}, ${storeDb})`);

		return {
			dir,
			main,
			webhook,
			workers,
			redis,
			pg,
			api,
			smtp,
			storeUrl,
			store,
			async storeQuery<T>(sql: string, params: unknown[] = []) {
				return await withAdmin({ ...pg, database: storeDb }, async (client) => {
					await client.query(`SET search_path TO ${schema}`);
					return (await client.query(sql, params)).rows as T[];
				});
			},
			async n8nQuery<T>(sql: string, params: unknown[] = []) {
				return await withAdmin({ ...pg, database: n8nDb }, async (client) => (await client.query(sql, params)).rows as T[]);
			},
			smtpCredential,
			genericCredential,
			triggerUrl: (webhookId) => `${webhook.baseUrl}/webhook/${webhookId}/storefront`,
			finishedByWorker: () =>
				folders.workers.map((folder) => (fs.readFileSync(path.join(folder, 'n8n.log'), 'utf8').match(/Worker finished execution \d+/g) ?? []).length),
			async addWorker(name, options = {}) {
				const folder = path.join(dir, name);
				installIn(folder);
				const env = { ...common };
				if (options.withoutStore) {
					delete env.DIALOGUE_STORE_URL;
					// startN8n passes this process's environment on: a store URL set here must not reach the worker either.
					if (process.env.DIALOGUE_STORE_URL !== undefined) env.DIALOGUE_STORE_URL = '';
				}
				const worker = await startWorker(folder, await n8n.freePort(), env);
				cleanups.push(() => worker.stop());
				logNote(`n8n ${name}`, worker);
				return worker;
			},
			async close(keep: boolean) {
				for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
				if (keep) log(`kept ${dir} (n8n logs: */n8n.log)`);
				else fs.rmSync(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
		log(`kept ${dir} for inspection`);
		throw error;
	}
}

export const THANK_YOU_SUBJECT = 'Thank you: a code for your next order';

/**
 * The workflow of the queue-mode tests and bench: Storefront Trigger (order.placed, signed with the
 * given credential) -> Repeatability Guard (Once per customer, activity) -> Coupon (assign from pool)
 * -> Send Email (the code, to the customer) -> Repeatability Guard (Always, "<activity>: mailed");
 * Pool Empty goes to a NoOp.
 */
export function thankYouWorkflow(input: { name: string; activity: string; pool: string; webhookId: string; storefront: Credential; smtp: Credential }): Workflow {
	const { activity, pool } = input;
	return {
		name: input.name,
		nodes: [
			{
				name: 'Order placed',
				type: `${PACKAGE}.storefrontTrigger`,
				typeVersion: 1.2,
				position: [0, 0],
				webhookId: input.webhookId,
				parameters: { source: 'auto', events: ['order.placed'], filters: {}, options: {} },
				credentials: { storefrontWebhookApi: { id: input.storefront.id, name: input.storefront.name } },
			},
			{
				name: 'Not repeatable',
				type: `${PACKAGE}.repeatabilityGuard`,
				typeVersion: 1,
				position: [240, 0],
				parameters: { operation: 'check', activity, customerId: '={{ $json.customer.id }}', policy: 'once', entryKey: '={{ $json.id }}' },
			},
			{
				name: 'Assign a code',
				type: `${PACKAGE}.coupon`,
				typeVersion: 1,
				position: [480, 0],
				parameters: {
					operation: 'assign',
					pool: { __rl: true, mode: 'name', value: pool },
					customerId: '={{ $json.customer.id }}',
					assignment: 'each',
					assignmentKey: '={{ $json.id }}',
					expiry: 'never',
					options: {},
				},
			},
			{
				name: 'Send Email',
				type: 'n8n-nodes-base.emailSend',
				typeVersion: 2.1,
				position: [720, 0],
				webhookId: randomUUID(),
				parameters: {
					fromEmail: 'Shop <shop@dialogue.local>',
					toEmail: '={{ $json.customer.email }}',
					subject: THANK_YOU_SUBJECT,
					emailFormat: 'text',
					text: '=Hello {{ $json.customer.firstName }}, your code: {{ $json.coupon.code }}',
					options: { appendAttribution: false },
				},
				credentials: { smtp: { id: input.smtp.id, name: input.smtp.name } },
			},
			{
				name: 'Record the mail',
				type: `${PACKAGE}.repeatabilityGuard`,
				typeVersion: 1,
				position: [960, 0],
				parameters: {
					operation: 'check',
					activity: `${activity}: mailed`,
					customerId: "={{ $('Not repeatable').item.json.customer.id }}",
					policy: 'always',
					entryKey: "={{ $('Not repeatable').item.json.id }}",
				},
			},
			{ name: 'Pool empty', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [720, 200], parameters: {} },
		],
		connections: {
			'Order placed': { main: [[{ node: 'Not repeatable', type: 'main', index: 0 }]] },
			'Not repeatable': { main: [[{ node: 'Assign a code', type: 'main', index: 0 }]] },
			'Assign a code': { main: [[{ node: 'Send Email', type: 'main', index: 0 }], [{ node: 'Pool empty', type: 'main', index: 0 }]] },
			'Send Email': { main: [[{ node: 'Record the mail', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
