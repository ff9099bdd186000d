// Types for instance.js (what it composes from process.js, owner.js, api.js, workflow.js,
// package.js and smtp.js), for the TypeScript tests and benchmarks that load it at run time
// (see test/e2e/n8n.ts).
import type { ChildProcess } from 'node:child_process';
import type { Logger } from './install';

export { ensureN8n } from './install';
export type { N8nInstall, Logger } from './install';

export interface N8nHandle {
	/** http://127.0.0.1:<port> */
	baseUrl: string;
	port: number;
	brokerPort: number;
	pid: number;
	userFolder: string;
	/** n8n's stdout and stderr: <userFolder>/n8n.log */
	logFile: string;
	/** From spawn to /healthz/readiness answering 200. */
	startupMs: number;
	child: ChildProcess;
	/** Resident memory of n8n (main) and of its whole process group (main + task runner). */
	rss(): { mainKb: number; totalKb: number; processes: number };
	/** SIGTERM to the process group, SIGKILL after 20 s; resolves when all of it is gone. */
	stop(): Promise<void>;
}

export interface StartN8nOptions {
	userFolder: string;
	port?: number;
	/** Extra environment, applied last. */
	env?: Record<string, string>;
	log?: Logger;
	n8nBin?: string;
	readyTimeoutMs?: number;
}

export function startN8n(options: StartN8nOptions): Promise<N8nHandle>;

export interface Owner {
	email: string;
	password: string;
	firstName?: string;
	lastName?: string;
}

/** POST /rest/owner/setup (or POST /rest/login when the owner exists); resolves to "n8n-auth=...". */
export function setupOwner(baseUrl: string, owner: Owner): Promise<string>;
export function login(baseUrl: string, credentials: { email: string; password: string }): Promise<string>;
/** GET /rest/api-keys/scopes: the scopes the logged-in user may grant. */
export function apiKeyScopes(baseUrl: string, cookie: string): Promise<string[]>;
/** POST /rest/api-keys; resolves to the raw key. Scopes default to all the user may grant. */
export function createApiKey(baseUrl: string, cookie: string, options?: { label?: string; scopes?: string[] }): Promise<string>;

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	[key: string]: unknown;
}

export interface Credential {
	id: string;
	name: string;
	type: string;
	[key: string]: unknown;
}

export interface Execution {
	id: string;
	finished: boolean;
	mode: string;
	status: string;
	workflowId: string;
	startedAt: string;
	stoppedAt: string | null;
	waitTill: string | null;
	/** With includeData: the run data (resultData.runData[nodeName][run].data.main[output][item].json). */
	data?: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>>;
			error?: unknown;
			lastNodeExecuted?: string;
		};
		[key: string]: unknown;
	};
	[key: string]: unknown;
}

export class N8nApiError extends Error {
	status: number;
	body: unknown;
}

export class N8nApi {
	constructor(baseUrl: string, apiKey: string);
	baseUrl: string;
	apiKey: string;
	/** Any public API call: pathAndQuery is relative to /api/v1. Throws N8nApiError unless 2xx. */
	request<T = unknown>(method: string, pathAndQuery: string, body?: unknown): Promise<T>;
	listAll<T = unknown>(pathWithQuery: string): Promise<T[]>;
	createCredential(credential: { name: string; type: string; data: Record<string, unknown> }): Promise<Credential>;
	listCredentials(): Promise<Credential[]>;
	updateCredential(id: string, patch: { name?: string; type?: string; data?: Record<string, unknown> }): Promise<Credential>;
	deleteCredential(id: string): Promise<unknown>;
	/** Sends only the fields the public API accepts (an editor export's id, tags, meta... are dropped). */
	createWorkflow(workflow: Workflow): Promise<Workflow & { id: string }>;
	getWorkflow(id: string): Promise<Workflow & { id: string }>;
	listWorkflows(filter?: { name?: string }): Promise<Array<Workflow & { id: string }>>;
	/** POST /workflows/{id}/publish, retried while n8n refuses; webhooks register asynchronously after it. */
	activateWorkflow(id: string, options?: { timeoutMs?: number }): Promise<Workflow & { id: string }>;
	deactivateWorkflow(id: string): Promise<Workflow & { id: string }>;
	/** Unpublishes first if needed. */
	deleteWorkflow(id: string, options?: { timeoutMs?: number }): Promise<unknown>;
	listExecutions(workflowId?: string, includeData?: boolean): Promise<Execution[]>;
	getExecution(id: string, includeData?: boolean): Promise<Execution>;
	/** Polls until the workflow has `count` finished executions (not new/running/waiting). */
	waitForExecutions(workflowId: string, options?: { count?: number; timeoutMs?: number; includeData?: boolean }): Promise<Execution[]>;
}

export interface WebhookResponse {
	status: number;
	headers: Headers;
	/** Parsed JSON when the answer is JSON, else the text. */
	body: unknown;
}

/** Sends a request, retrying while n8n answers 404 "... is not registered" (up to timeoutMs, default 10 s). */
export function waitForWebhook(
	url: string,
	options?: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
): Promise<WebhookResponse>;

/** Installs the package (tarball, or folder to `npm pack`) as n8n's community-package installer would. */
export function installPackage(
	userFolder: string,
	tarballOrDir?: string,
	options?: { log?: Logger },
): { packageDir: string; version: string; nodesDir: string };

export interface Mail {
	id: number;
	receivedAt: string;
	envelope: { from: string | null; to: string[] };
	from: string;
	to: string;
	cc: string;
	subject: string;
	text: string;
	html: string;
	date: string | null;
	/** The .eml file, when the catcher has a dir. */
	file?: string;
}

export interface SmtpCatcher {
	port: number;
	httpPort: number | null;
	pageUrl: string | null;
	dir: string | null;
	mails: Mail[];
	waitForMail(predicate?: (mail: Mail) => boolean, timeoutMs?: number): Promise<Mail>;
	close(): Promise<void>;
}

export function startSmtpCatcher(options?: {
	port?: number;
	/** Where each mail is written as <n>.eml and <n>.json. */
	dir?: string | null;
	/** Port of the page listing the mails (0 = any free port); no page when null/omitted. */
	httpPort?: number | null;
	/** Load the mails already in dir (from an earlier run). */
	keepHistory?: boolean;
	log?: Logger;
}): Promise<SmtpCatcher>;

export function freePort(): Promise<number>;
export function portInUse(port: number): Promise<boolean>;
export function quietEnv(options: { port: number; brokerPort: number; userFolder: string }): Record<string, string>;
export function workflowForApi(workflow: Workflow): Record<string, unknown>;
