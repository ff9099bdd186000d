/**
 * The world the template end-to-end tests run in: one real n8n (the pinned version) with the
 * PACKED package installed as a user install does, an SMTP catcher, the activity store in a SQLite
 * file of a temp folder (DIALOGUE_STORE_URL, the instance-wide default), and the credentials a
 * user would create: SMTP pointing at the catcher, one Storefront Webhook credential per source.
 *
 * Templates are imported as a user imports them, into COPIES whose credentials are set, whose
 * webhook ids are fresh (so one template can be imported twice), whose Wait nodes are compressed
 * to seconds and whose Occasion Triggers poll every few seconds. Nothing else is changed.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Store } from '../../core/store';
import { storeAt } from '../../store/open';
import type { Credential, N8nApi, N8nHandle, SmtpCatcher, Workflow, WorkflowNode } from '../../scripts/n8n/instance';
import { SECRETS, type Source } from './e2e-storefront';
import { install, n8n, repoRoot, requireN8n } from './n8n';

export const PACKAGE = 'n8n-nodes-dialogue-activities';
export const TEMPLATES_DIR = path.join(repoRoot, 'templates');

const log = (line: string) => console.log(`# ${line}`);

export interface World {
	dir: string;
	instance: N8nHandle;
	api: N8nApi;
	smtp: SmtpCatcher;
	/** The store file n8n uses (DIALOGUE_STORE_URL). */
	storeFile: string;
	/** The same file, opened in this process (node:sqlite, WAL): read what n8n wrote, fill pools. */
	store: Store;
	smtpCredential: Credential;
	storefrontCredentials: Record<Source, Credential>;
	/** Stops n8n and the catcher; removes the temp folder unless keep. */
	close(keep: boolean): Promise<void>;
}

/**
 * Starts the world; `env` is added to n8n's environment (e.g. a stand-in proxy's). Fails (never
 * skips) when n8n cannot be installed or started.
 */
export async function startWorld(label: string, options: { env?: Record<string, string> } = {}): Promise<World> {
	const started = Date.now();
	const { n8nBin } = await requireN8n(log);
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `dialogue-e2e-${label}-`));
	const cleanups: Array<() => Promise<void> | void> = [];
	try {
		// The package as users get it: `npm pack` into a temp folder, then installed from the tarball
		// the way n8n's community-package installer does (no scripts, dependencies of its own).
		const tarball = packPackage(path.join(dir, 'pack'));
		const installed = n8n.installPackage(dir, tarball, { log });
		log(`installed ${path.basename(tarball)} into ${installed.packageDir}`);

		const smtp = await n8n.startSmtpCatcher({ dir: path.join(dir, 'mail') });
		cleanups.push(() => smtp.close());
		const storeFile = path.join(dir, 'store', 'dialogue-activities.sqlite');
		const instance = await n8n.startN8n({
			userFolder: dir,
			n8nBin,
			env: { DIALOGUE_STORE_URL: storeFile, GENERIC_TIMEZONE: 'UTC', ...options.env },
			log,
		});
		cleanups.push(() => instance.stop());
		log(`n8n ready in ${instance.startupMs} ms on ${instance.baseUrl} (${Math.round((Date.now() - started) / 1000)} s since the start of the set-up)`);

		const cookie = await n8n.setupOwner(instance.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-E2E-1', firstName: 'E2E', lastName: 'Owner' });
		const api = new n8n.N8nApi(instance.baseUrl, await n8n.createApiKey(instance.baseUrl, cookie, { label: `e2e ${label}` }));
		const smtpCredential = await api.createCredential({
			name: 'Mail catcher',
			type: 'smtp',
			data: { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
		});
		const storefrontCredentials = {} as Record<Source, Credential>;
		for (const source of ['shopify', 'woocommerce', 'generic'] as const) {
			storefrontCredentials[source] = await api.createCredential({
				name: `Storefront ${source}`,
				type: 'storefrontWebhookApi',
				data: { source, secret: SECRETS[source] },
			});
		}
		const store = storeAt({ kind: 'sqlite', file: storeFile });
		return {
			dir,
			instance,
			api,
			smtp,
			storeFile,
			store,
			smtpCredential,
			storefrontCredentials,
			async close(keep: boolean) {
				await store.close().catch(() => undefined);
				for (const cleanup of cleanups.reverse()) await cleanup();
				if (keep) log(`kept ${dir} (n8n log: ${instance.logFile})`);
				else fs.rmSync(dir, { recursive: true, force: true });
			},
		};
	} catch (error) {
		for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
		log(`kept ${dir} for inspection`);
		throw error;
	}
}

/** `npm pack` of the repository (dist/ must be built) into dir; returns the tarball's path. */
export function packPackage(dir: string): string {
	if (!fs.existsSync(path.join(repoRoot, 'dist', 'nodes'))) {
		throw new Error(`${repoRoot}/dist is missing: run \`npm run build\` before the end-to-end tests (npm test does).`);
	}
	fs.mkdirSync(dir, { recursive: true });
	const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
		cwd: repoRoot,
		encoding: 'utf8',
		env: install.npmEnv(),
	});
	if (packed.status !== 0) throw new Error(`npm pack failed:\n${packed.stderr || packed.stdout}`);
	const [{ filename }] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
	return path.join(dir, filename);
}

/** A template file as shipped. */
export function loadTemplate(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')) as Workflow;
}

export interface CopyOptions {
	/** Which Storefront Webhook credential the Storefront Triggers and Storefront Events use. */
	source?: Source;
	/** Wait nodes: this many seconds instead of the template's days. */
	waitSeconds?: number;
	/** Occasion Triggers: poll at these seconds of every minute. */
	pollAtSeconds?: number[];
	/** The SMTP credential of the Send Email nodes (default: the catcher's). */
	smtp?: Credential;
	/** Suffix for the copy's name (several copies of one template). */
	label?: string;
	/** A change a user would make in the editor (e.g. another repeatability). */
	edit?: (node: WorkflowNode) => void;
}

export interface Imported {
	id: string;
	name: string;
	workflow: Workflow;
	/** Production URL of each Storefront Trigger and n8n Webhook node, by node name. */
	urls: Record<string, string>;
	/** The production URL of the (first) Storefront Trigger, else n8n Webhook node. */
	url: string;
}

const STOREFRONT_TRIGGER = `${PACKAGE}.storefrontTrigger`;
const STOREFRONT_EVENT = `${PACKAGE}.storefrontEvent`;
const WEBHOOK = 'n8n-nodes-base.webhook';
const OCCASION_TRIGGER = `${PACKAGE}.storefrontOccasionTrigger`;

/** The copy a user would have after importing and setting up the template (see the module note). */
export function templateCopy(world: World, file: string, options: CopyOptions = {}): Workflow {
	const workflow = loadTemplate(file);
	workflow.name = `${workflow.name}${options.label ? ` [${options.label}]` : ''}`;
	for (const node of workflow.nodes) {
		if (node.webhookId) node.webhookId = randomUUID();
		// n8n's Webhook node listens at its path: a fresh one, as for the webhook id.
		if (node.type === WEBHOOK) node.parameters = { ...node.parameters, path: node.webhookId };
		if (node.type === STOREFRONT_TRIGGER || node.type === STOREFRONT_EVENT) {
			const credential = world.storefrontCredentials[options.source ?? 'shopify'];
			node.credentials = { storefrontWebhookApi: { id: credential.id, name: credential.name } };
		}
		if (node.type === 'n8n-nodes-base.emailSend') {
			const smtp = options.smtp ?? world.smtpCredential;
			node.credentials = { smtp: { id: smtp.id, name: smtp.name } };
		}
		if (node.type === 'n8n-nodes-base.wait' && options.waitSeconds !== undefined) {
			node.parameters = { ...node.parameters, amount: options.waitSeconds, unit: 'seconds' };
		}
		if (node.type === OCCASION_TRIGGER && options.pollAtSeconds) {
			// n8n refuses a poll time that fires more than once a minute (a 6-field cron whose seconds
			// field is not one number), so: several poll times, each once a minute at its own second.
			node.parameters = {
				...node.parameters,
				pollTimes: { item: options.pollAtSeconds.map((s) => ({ mode: 'custom', cronExpression: `${s} * * * * *` })) },
			};
		}
		options.edit?.(node);
	}
	return workflow;
}

/** Imports a prepared copy through the public API and publishes (activates) it. */
export async function importAndActivate(world: World, workflow: Workflow, activate = true): Promise<Imported> {
	const created = await world.api.createWorkflow(workflow);
	if (activate) {
		const active = await world.api.activateWorkflow(created.id);
		if (active.active !== true) throw new Error(`${workflow.name} did not become active`);
	}
	const urls: Record<string, string> = {};
	for (const node of created.nodes) {
		if (node.type === STOREFRONT_TRIGGER) urls[node.name] = `${world.instance.baseUrl}/webhook/${node.webhookId}/storefront`;
	}
	for (const node of created.nodes) {
		if (node.type === WEBHOOK) urls[node.name] = `${world.instance.baseUrl}/webhook/${String(node.parameters.path)}`;
	}
	const first = Object.values(urls)[0] ?? '';
	return { id: created.id, name: created.name, workflow: created, urls, url: first };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined (or throws the last failure). */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(200);
	}
}
