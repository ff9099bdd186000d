'use strict';
// A real n8n for `npm start`, the end-to-end tests and the benchmarks: start/stop an instance,
// set up its owner and an API key headlessly, talk to its public API, install our package the way
// a user install does, and catch the mail it sends. Everything listens on 127.0.0.1 only.
//
// Facts this relies on (n8n 2.41.1, scripts/n8n/version.js) are noted at each function.

const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const http = require('node:http');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ensureN8n, node24Bin, npmEnv, repoRoot, PACKAGE_NAME } = require('./install.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LOOPBACK = '127.0.0.1';

/** A TCP port that was free on 127.0.0.1 a moment ago. */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, LOOPBACK, () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Resolves true if something accepts TCP connections on 127.0.0.1:port. */
function portInUse(port) {
	return new Promise((resolve) => {
		const sock = net.connect({ port, host: LOOPBACK });
		sock.once('connect', () => {
			sock.destroy();
			resolve(true);
		});
		sock.once('error', () => resolve(false));
	});
}

function tailOf(file, lines = 60) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log written)';
	}
}

/** Resident memory (kB) of a process, from /proc; 0 if gone. */
function rssKb(pid) {
	try {
		const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) : 0;
	} catch {
		return 0;
	}
}

/** Pids whose process group is pgid (from /proc/<pid>/stat, field 5). */
function groupPids(pgid) {
	const out = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) === pgid) out.push(Number(name));
		} catch {
			/* exited meanwhile */
		}
	}
	return out;
}

function killGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
		return true;
	} catch {
		return false;
	}
}

// n8n runs in its own process group (so stop() reaches its task runner), which also means a
// Ctrl-C in the terminal does not reach it. So: when this process exits, or is ended by SIGINT,
// SIGTERM or SIGHUP, the groups of the instances not yet stopped are signalled too. If nothing else
// in this process listens for that signal, the process then dies of it as it would have without
// this hook; otherwise the host's own handler decides (e.g. npm start stops n8n gracefully).
// A SIGKILL of this process cannot be caught: n8n would be left running.
const liveGroups = new Set();
let hooksInstalled = false;
function installExitHooks() {
	if (hooksInstalled) return;
	hooksInstalled = true;
	process.on('exit', () => {
		for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		const onSignal = () => {
			for (const pgid of liveGroups) killGroup(pgid, 'SIGTERM');
			if (process.listenerCount(signal) === 1) {
				process.removeListener(signal, onSignal);
				process.kill(process.pid, signal);
			}
		};
		process.on(signal, onSignal);
	}
}

/**
 * The environment that keeps an instance local and quiet: it listens, and tells the editor and
 * webhooks it lives, on 127.0.0.1 only (task runner broker included); no telemetry, version checks,
 * templates or banners, which would call n8n's servers; its own SQLite database in userFolder.
 */
function quietEnv({ port, brokerPort, userFolder }) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: LOOPBACK,
		N8N_HOST: LOOPBACK,
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://${LOOPBACK}:${port}/`,
		N8N_EDITOR_BASE_URL: `http://${LOOPBACK}:${port}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: LOOPBACK,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		DB_TYPE: 'sqlite',
	};
}

/**
 * Starts `n8n start` under the repository's Node 24 and waits until /healthz/readiness answers 200.
 *
 * @param {object} options
 * @param {string} options.userFolder  N8N_USER_FOLDER; n8n keeps its data in <userFolder>/.n8n.
 *                                     n8n's stdout+stderr go to <userFolder>/n8n.log.
 * @param {number} [options.port]      N8N_PORT; a free one if omitted.
 * @param {Record<string,string>} [options.env]  extra environment, applied last (wins).
 * @param {(line: string) => void} [options.log]
 * @param {string} [options.n8nBin]    n8n's bin script; ensureN8n() if omitted.
 * @param {number} [options.readyTimeoutMs=180000]
 * @returns {Promise<{ baseUrl: string, port: number, brokerPort: number, pid: number, userFolder: string,
 *   logFile: string, startupMs: number, child: import('node:child_process').ChildProcess,
 *   rss: () => { mainKb: number, totalKb: number, processes: number }, stop: () => Promise<void> }>}
 */
async function startN8n({ userFolder, port, env = {}, log = () => {}, n8nBin, readyTimeoutMs = 180_000 } = {}) {
	if (!userFolder) throw new Error('startN8n: userFolder is required');
	userFolder = path.resolve(userFolder);
	fs.mkdirSync(userFolder, { recursive: true });
	if (!n8nBin) ({ n8nBin } = await ensureN8n({ log }));
	port = port ?? (await freePort());
	if (await portInUse(port)) {
		throw new Error(`Port ${port} on ${LOOPBACK} is already in use; stop what runs there or choose another port.`);
	}
	let brokerPort = env.N8N_RUNNERS_BROKER_PORT ? Number(env.N8N_RUNNERS_BROKER_PORT) : await freePort();
	while (brokerPort === port) brokerPort = await freePort();

	const logFile = path.join(userFolder, 'n8n.log');
	const out = fs.openSync(logFile, 'a');
	fs.writeSync(out, `\n==== n8n start on port ${port} (broker ${brokerPort}) at ${new Date().toISOString()}\n`);
	const childEnv = { ...npmEnv(), ...quietEnv({ port, brokerPort, userFolder }), ...env };
	// Jest sets NODE_ENV=test in the process it runs, and n8n 2.x exits at once under it (code 1, no output).
	if (childEnv.NODE_ENV === 'test' && env.NODE_ENV === undefined) delete childEnv.NODE_ENV;
	const started = Date.now();
	// detached: n8n leads its own process group, so stop() reaches its task-runner child too.
	const child = spawn(node24Bin(), [n8nBin, 'start'], {
		cwd: userFolder,
		env: childEnv,
		stdio: ['ignore', out, out],
		detached: true,
	});
	fs.closeSync(out);
	const pid = child.pid;
	let exited = null;
	const exitPromise = new Promise((resolve) => {
		child.once('exit', (code, signal) => {
			exited = { code, signal };
			resolve(exited);
		});
		child.once('error', (err) => {
			exited = { code: null, signal: null, error: err };
			resolve(exited);
		});
	});
	// If our process ends without stop(), do not leave n8n running.
	installExitHooks();
	liveGroups.add(pid);

	let stopping = null;
	const stop = () => {
		if (stopping) return stopping;
		stopping = (async () => {
			if (!exited) {
				killGroup(pid, 'SIGTERM');
				const deadline = Date.now() + 20_000;
				while (!exited && Date.now() < deadline) await sleep(100);
			}
			// The task runner (and anything else in the group) must go as well.
			const leftDeadline = Date.now() + 5_000;
			while (groupPids(pid).length && Date.now() < leftDeadline) {
				killGroup(pid, exited ? 'SIGKILL' : 'SIGTERM');
				await sleep(100);
			}
			if (groupPids(pid).length) killGroup(pid, 'SIGKILL');
			if (!exited) await Promise.race([exitPromise, sleep(5_000)]);
			liveGroups.delete(pid);
		})();
		return stopping;
	};

	const baseUrl = `http://${LOOPBACK}:${port}`;
	const deadline = started + readyTimeoutMs;
	let lastNote = started;
	for (;;) {
		if (exited) {
			await stop();
			throw new Error(
				`n8n exited before it was ready (${exited.error ? exited.error.message : `exit ${exited.code ?? exited.signal}`}).\n` +
					`Last lines of ${logFile}:\n${tailOf(logFile)}`,
			);
		}
		try {
			const res = await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2_000) });
			if (res.status === 200) break;
		} catch {
			/* not listening yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(
				`n8n did not become ready on ${baseUrl}/healthz/readiness within ${Math.round(readyTimeoutMs / 1000)} s.\n` +
					`Last lines of ${logFile}:\n${tailOf(logFile)}`,
			);
		}
		if (Date.now() - lastNote > 15_000) {
			lastNote = Date.now();
			log(`  waiting for n8n to be ready (${Math.round((Date.now() - started) / 1000)} s)`);
		}
		await sleep(200);
	}
	const startupMs = Date.now() - started;
	const rss = () => {
		const pids = groupPids(pid);
		return { mainKb: rssKb(pid), totalKb: pids.reduce((s, p) => s + rssKb(p), 0), processes: pids.length };
	};
	return { baseUrl, port, brokerPort, pid, userFolder, logFile, startupMs, child, rss, stop };
}

// ---------------------------------------------------------------------------------------------
// Owner, login, API key (internal REST API under /rest, cookie `n8n-auth`)

async function readBody(res) {
	const text = await res.text();
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function authCookie(res) {
	const cookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
	for (const c of cookies) {
		const pair = c.split(';')[0];
		if (pair.startsWith('n8n-auth=')) return pair;
	}
	return null;
}

/**
 * Creates the instance owner (POST /rest/owner/setup) and returns the auth cookie ("n8n-auth=...").
 * If the owner exists already, logs in instead (POST /rest/login with emailOrLdapLoginId, password).
 */
async function setupOwner(baseUrl, { email, password, firstName = 'Dev', lastName = 'Owner' }) {
	const res = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password, firstName, lastName }),
	});
	const body = await readBody(res);
	if (res.ok) {
		const cookie = authCookie(res);
		if (!cookie) throw new Error(`POST /rest/owner/setup answered ${res.status} but set no n8n-auth cookie`);
		return cookie;
	}
	const message = typeof body === 'object' && body ? body.message : String(body);
	if (res.status === 400 && /already/i.test(message || '')) return login(baseUrl, { email, password });
	throw new Error(`POST /rest/owner/setup failed: ${res.status} ${JSON.stringify(body)}`);
}

/** POST /rest/login -> auth cookie. n8n rate-limits this to 5 attempts a minute per email. */
async function login(baseUrl, { email, password }) {
	const res = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: email, password }),
	});
	const body = await readBody(res);
	if (!res.ok) {
		throw new Error(
			`POST /rest/login as ${email} failed: ${res.status} ${JSON.stringify(body)}. ` +
				'The owner exists with another password; delete the user folder to start over.',
		);
	}
	const cookie = authCookie(res);
	if (!cookie) throw new Error('POST /rest/login succeeded but set no n8n-auth cookie');
	return cookie;
}

/** Scopes the logged-in user may give an API key (GET /rest/api-keys/scopes). */
async function apiKeyScopes(baseUrl, cookie) {
	const res = await fetch(`${baseUrl}/rest/api-keys/scopes`, { headers: { cookie } });
	const body = await readBody(res);
	if (!res.ok) throw new Error(`GET /rest/api-keys/scopes failed: ${res.status} ${JSON.stringify(body)}`);
	return body.data;
}

/**
 * Creates a public-API key for the logged-in user (POST /rest/api-keys) and returns the raw key.
 * scopes default to every scope the user may grant (for the owner: all of them).
 */
async function createApiKey(baseUrl, cookie, { label = `dev-${Date.now()}`, scopes } = {}) {
	scopes = scopes ?? (await apiKeyScopes(baseUrl, cookie));
	const res = await fetch(`${baseUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ label, expiresAt: null, scopes }),
	});
	const body = await readBody(res);
	if (!res.ok) throw new Error(`POST /rest/api-keys failed: ${res.status} ${JSON.stringify(body)}`);
	const raw = body && body.data && body.data.rawApiKey;
	if (!raw) throw new Error(`POST /rest/api-keys answered without data.rawApiKey: ${JSON.stringify(body)}`);
	return raw;
}

// ---------------------------------------------------------------------------------------------
// Public API (/api/v1, header X-N8N-API-KEY)

class N8nApiError extends Error {
	constructor(method, url, status, body) {
		super(`${method} ${url} -> ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
		this.status = status;
		this.body = body;
	}
}

/** Writable workflow fields of the public API's `workflow` schema (2.41.1; additionalProperties: false). */
const WORKFLOW_FIELDS = ['name', 'description', 'nodes', 'connections', 'nodeGroups', 'settings', 'staticData', 'pinData'];
/** Keys of its `workflowSettings` schema (also additionalProperties: false). */
const WORKFLOW_SETTINGS = [
	'saveExecutionProgress',
	'saveManualExecutions',
	'saveDataErrorExecution',
	'saveDataSuccessExecution',
	'executionTimeout',
	'errorWorkflow',
	'timezone',
	'executionOrder',
	'binaryMode',
	'callerPolicy',
	'callerIds',
	'timeSavedMode',
	'timeSavedPerExecution',
	'redactionPolicy',
	'availableInMCP',
	'customTelemetryTags',
	'credentialResolverId',
];

/** A workflow (e.g. an editor export) reduced to what POST /api/v1/workflows accepts. */
function workflowForApi(workflow) {
	const body = {};
	for (const k of WORKFLOW_FIELDS) if (workflow[k] !== undefined && workflow[k] !== null) body[k] = workflow[k];
	const settings = {};
	for (const k of WORKFLOW_SETTINGS) if (workflow.settings && workflow.settings[k] !== undefined) settings[k] = workflow.settings[k];
	body.settings = settings;
	body.connections = body.connections ?? {};
	return body;
}

class N8nApi {
	/** @param {string} baseUrl e.g. http://127.0.0.1:5678  @param {string} apiKey raw key */
	constructor(baseUrl, apiKey) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.apiKey = apiKey;
	}

	async request(method, pathAndQuery, body) {
		const url = `${this.baseUrl}/api/v1${pathAndQuery}`;
		const res = await fetch(url, {
			method,
			headers: { 'X-N8N-API-KEY': this.apiKey, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const data = await readBody(res);
		if (!res.ok) throw new N8nApiError(method, url, res.status, data);
		return data;
	}

	/** Fetches every page of a list endpoint. */
	async listAll(pathWithQuery) {
		const items = [];
		let cursor;
		do {
			const sep = pathWithQuery.includes('?') ? '&' : '?';
			const page = await this.request('GET', `${pathWithQuery}${sep}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			items.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return items;
	}

	/** POST /credentials {name, type, data} -> {id, name, type, ...} */
	createCredential({ name, type, data }) {
		return this.request('POST', '/credentials', { name, type, data });
	}

	/** GET /credentials (all pages) -> [{id, name, type, ...}] (data is never returned). */
	listCredentials() {
		return this.listAll('/credentials');
	}

	deleteCredential(id) {
		return this.request('DELETE', `/credentials/${encodeURIComponent(id)}`);
	}

	/** PATCH /credentials/{id} {name?, type?, data?} */
	updateCredential(id, patch) {
		return this.request('PATCH', `/credentials/${encodeURIComponent(id)}`, patch);
	}

	/** POST /workflows with only the fields the public API accepts (an export's id, tags, meta... are dropped). */
	createWorkflow(workflow) {
		return this.request('POST', '/workflows', workflowForApi(workflow));
	}

	getWorkflow(id) {
		return this.request('GET', `/workflows/${encodeURIComponent(id)}`);
	}

	/** GET /workflows (all pages), optionally filtered by exact name. */
	listWorkflows({ name } = {}) {
		return this.listAll(`/workflows${name ? `?name=${encodeURIComponent(name)}` : ''}`);
	}

	/**
	 * Activates ("publishes", in 2.x words) a workflow: POST /workflows/{id}/publish (2.41; the older
	 * /activate is deprecated but still there). Retried for up to timeoutMs while n8n answers 5xx,
	 * 409 or 400 (e.g. a trigger still being set up). Webhooks register asynchronously after this
	 * returns: send the first call with waitForWebhook.
	 */
	async activateWorkflow(id, { timeoutMs = 15_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let lastError;
		for (;;) {
			try {
				return await this.request('POST', `/workflows/${encodeURIComponent(id)}/publish`, {});
			} catch (err) {
				lastError = err;
				const retryable = !err.status || err.status >= 500 || err.status === 409 || err.status === 400;
				if (!retryable || Date.now() > deadline) throw lastError;
				await sleep(500);
			}
		}
	}

	/** POST /workflows/{id}/unpublish (2.x name of deactivate). */
	deactivateWorkflow(id) {
		return this.request('POST', `/workflows/${encodeURIComponent(id)}/unpublish`, {});
	}

	/**
	 * DELETE /workflows/{id}. 2.41 refuses a published workflow (409 "Unpublish it before
	 * deleting"), and unpublishing is asynchronous too (409 "still being unpublished"): unpublish,
	 * then retry for up to timeoutMs.
	 */
	async deleteWorkflow(id, { timeoutMs = 15_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let unpublished = false;
		for (;;) {
			try {
				return await this.request('DELETE', `/workflows/${encodeURIComponent(id)}`);
			} catch (err) {
				if (err.status !== 409 || Date.now() > deadline) throw err;
				if (!unpublished) {
					unpublished = true;
					await this.deactivateWorkflow(id).catch(() => {});
				}
				await sleep(250);
			}
		}
	}

	/** GET /executions?workflowId=&includeData= (all pages), newest first. */
	listExecutions(workflowId, includeData = false) {
		const q = new URLSearchParams();
		if (workflowId) q.set('workflowId', String(workflowId));
		if (includeData) q.set('includeData', 'true');
		return this.listAll(`/executions?${q}`);
	}

	getExecution(id, includeData = true) {
		return this.request('GET', `/executions/${encodeURIComponent(id)}?includeData=${includeData ? 'true' : 'false'}`);
	}

	/** Waits until the workflow has at least `count` finished executions; returns them (with data). */
	async waitForExecutions(workflowId, { count = 1, timeoutMs = 30_000, includeData = true } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.listExecutions(workflowId, includeData);
			const done = list.filter((e) => e.finished || (e.status && !['new', 'running', 'waiting'].includes(e.status)));
			if (done.length >= count) return done;
			if (Date.now() > deadline) {
				throw new Error(`workflow ${workflowId}: ${done.length} of ${count} executions finished after ${timeoutMs} ms (${list.length} seen)`);
			}
			await sleep(250);
		}
	}
}

/**
 * Sends a request to a webhook URL, retrying while n8n answers 404 "... is not registered" (a
 * freshly activated workflow registers its webhooks asynchronously). Returns the first other
 * response as { status, headers, body } (body parsed as JSON when it is JSON).
 */
async function waitForWebhook(url, { method = 'POST', body, headers = {}, timeoutMs = 10_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	const payload = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
	const hdrs = { ...(payload !== undefined && typeof body === 'object' && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers };
	for (;;) {
		const res = await fetch(url, { method, headers: hdrs, body: method === 'GET' || method === 'HEAD' ? undefined : payload });
		const text = await res.text();
		if (res.status === 404 && /not registered/i.test(text) && Date.now() < deadline) {
			await sleep(200);
			continue;
		}
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, headers: res.headers, body: parsed };
	}
}

// ---------------------------------------------------------------------------------------------
// Our package, installed as n8n installs a community package

/**
 * Installs our package into <userFolder>/.n8n/nodes exactly as n8n 2.41's community-package
 * installer does (modules/community-packages/community-packages.service.js, downloadPackage):
 * unpack the `npm pack` tarball into nodes/node_modules/<name>, drop devDependencies,
 * peerDependencies and optionalDependencies from its package.json, run
 * `npm install --ignore-scripts=true --install-strategy=shallow --package-lock=false
 * --bin-links=false` inside that folder (so pg and luxon land in its own node_modules, and
 * n8n-workflow resolves to n8n's copy), and record it in nodes/package.json
 * ({"name": "installed-nodes", "private": true, "dependencies": {...}}). n8n loads every
 * `n8n-nodes-*` folder under nodes/node_modules at start (scanDirectoryForPackages), so the node
 * types are `n8n-nodes-dialogue-activities.<node>`. Any previous copy is replaced.
 *
 * @param {string} userFolder N8N_USER_FOLDER
 * @param {string} [tarballOrDir] an `npm pack` tarball, or a package folder to pack (default: the
 *   repository; it must be built already: this packs with --ignore-scripts, so no prepack build).
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {{ packageDir: string, version: string, nodesDir: string }}
 */
function installPackage(userFolder, tarballOrDir = repoRoot, { log = () => {} } = {}) {
	const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const env = npmEnv();
	let tarball = path.resolve(tarballOrDir);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-pack-'));
	try {
		if (fs.statSync(tarball).isDirectory()) {
			const dir = tarball;
			if (!fs.existsSync(path.join(dir, 'dist'))) {
				throw new Error(`installPackage: ${dir}/dist does not exist; run \`npm run build\` first.`);
			}
			const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: dir, env, encoding: 'utf8' });
			if (r.status !== 0) throw new Error(`npm pack in ${dir} failed:\n${r.stderr || r.stdout}`);
			tarball = path.join(tmp, JSON.parse(r.stdout)[0].filename);
		}
		const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		const untar = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
		if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${untar.stderr}`);

		const pkgFile = path.join(target, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
		for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete pkg[field];
		fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
		log(`  installing ${PACKAGE_NAME}@${pkg.version} into ${target}`);
		const r = spawnSync(
			'npm',
			['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=warn'],
			{ cwd: target, env, encoding: 'utf8' },
		);
		if (r.status !== 0) {
			throw new Error(`npm install of ${PACKAGE_NAME}'s dependencies in ${target} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
		}

		const listFile = path.join(nodesDir, 'package.json');
		let list = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			list = JSON.parse(fs.readFileSync(listFile, 'utf8'));
		} catch {
			/* first package */
		}
		list.dependencies = { ...(list.dependencies || {}), [PACKAGE_NAME]: pkg.version };
		fs.writeFileSync(listFile, JSON.stringify(list, null, 2));
		return { packageDir: target, version: pkg.version, nodesDir };
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------
// SMTP catcher

function escapeHtml(s) {
	return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function addressText(a) {
	return a ? a.text || (a.value || []).map((v) => v.address).join(', ') : '';
}

/**
 * An SMTP server on 127.0.0.1 that accepts any mail without authentication and keeps it:
 * <dir>/<n>.eml (raw) and <n>.json (from, to, subject, text, html, date), and in memory.
 * With httpPort, a small page lists the mails (newest first) for a person to read. With
 * keepHistory, the mails already in dir (from an earlier run) are loaded too (and waitForMail can
 * match them); numbering always continues after the highest file number in dir.
 *
 * @param {{ port?: number, dir?: string, httpPort?: number|null, keepHistory?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ port: number, httpPort: number|null, pageUrl: string|null, dir: string|null,
 *   mails: object[], waitForMail: (predicate?: (mail: object) => boolean, timeoutMs?: number) => Promise<object>,
 *   close: () => Promise<void> }>}
 */
async function startSmtpCatcher({ port = 0, dir = null, httpPort = null, keepHistory = false, log = () => {} } = {}) {
	const { SMTPServer } = require('smtp-server');
	const { simpleParser } = require('mailparser');
	if (dir) fs.mkdirSync(dir, { recursive: true });
	const mails = [];
	const waiters = new Set();
	let counter = 0;
	if (dir) {
		for (const f of fs.readdirSync(dir)) {
			const m = /^(\d+)\.json$/.exec(f);
			if (!m) continue;
			counter = Math.max(counter, Number(m[1]));
			if (keepHistory) {
				try {
					mails.push(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
				} catch {
					/* half-written or edited by hand: not shown */
				}
			}
		}
		mails.sort((a, b) => a.id - b.id);
	}

	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['AUTH', 'STARTTLS'],
		banner: 'dialogue smtp catcher',
		logger: false,
		size: 25 * 1024 * 1024,
		onData(stream, session, callback) {
			const chunks = [];
			stream.on('data', (c) => chunks.push(c));
			stream.on('error', callback);
			stream.on('end', async () => {
				try {
					const raw = Buffer.concat(chunks);
					const parsed = await simpleParser(raw);
					const n = ++counter;
					const mail = {
						id: n,
						receivedAt: new Date().toISOString(),
						envelope: {
							from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
							to: session.envelope.rcptTo.map((r) => r.address),
						},
						from: addressText(parsed.from),
						to: addressText(parsed.to) || session.envelope.rcptTo.map((r) => r.address).join(', '),
						cc: addressText(parsed.cc),
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						html: typeof parsed.html === 'string' ? parsed.html : '',
						date: parsed.date ? parsed.date.toISOString() : null,
					};
					if (dir) {
						fs.writeFileSync(path.join(dir, `${n}.eml`), raw);
						fs.writeFileSync(path.join(dir, `${n}.json`), JSON.stringify(mail, null, 2) + '\n');
						mail.file = path.join(dir, `${n}.eml`);
					}
					mails.push(mail);
					log(`  mail #${n} to ${mail.to}: ${mail.subject}`);
					for (const w of waiters) w(mail);
					callback();
				} catch (err) {
					callback(err);
				}
			});
		},
	});
	server.on('error', (err) => log(`  smtp catcher error: ${err.message}`));
	await new Promise((resolve, reject) => {
		server.server.once('error', reject);
		server.listen(port, LOOPBACK, () => {
			server.server.removeListener('error', reject);
			resolve();
		});
	});
	const smtpPort = server.server.address().port;

	function waitForMail(predicate = () => true, timeoutMs = 30_000) {
		const found = mails.find(predicate);
		if (found) return Promise.resolve(found);
		return new Promise((resolve, reject) => {
			const onMail = (mail) => {
				if (!predicate(mail)) return;
				clearTimeout(timer);
				waiters.delete(onMail);
				resolve(mail);
			};
			const timer = setTimeout(() => {
				waiters.delete(onMail);
				const seen = mails.map((m) => `#${m.id} to ${m.to}: ${m.subject}`).join('\n  ') || '(none)';
				reject(new Error(`no matching mail within ${timeoutMs} ms; received:\n  ${seen}`));
			}, timeoutMs);
			waiters.add(onMail);
		});
	}

	let page = null;
	let pagePort = null;
	if (httpPort !== null && httpPort !== undefined) {
		page = http.createServer((req, res) => {
			const url = new URL(req.url, `http://${LOOPBACK}`);
			const send = (status, type, body) => {
				res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
				res.end(body);
			};
			if (url.pathname === '/api/mails') return send(200, 'application/json', JSON.stringify(mails.slice().reverse(), null, 2));
			const m = /^\/mail\/(\d+)(\.html)?$/.exec(url.pathname);
			if (m) {
				const mail = mails.find((x) => x.id === Number(m[1]));
				if (!mail) return send(404, 'text/plain', 'no such mail');
				if (m[2]) return send(200, 'text/html', mail.html || `<pre>${escapeHtml(mail.text)}</pre>`);
				return send(
					200,
					'text/html',
					`<!doctype html><meta charset="utf-8"><title>${escapeHtml(mail.subject)}</title>` +
						`<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}th{text-align:left;padding-right:1em}</style>` +
						`<p><a href="/">&larr; all mails</a></p><table>` +
						`<tr><th>Subject</th><td>${escapeHtml(mail.subject)}</td></tr>` +
						`<tr><th>From</th><td>${escapeHtml(mail.from)}</td></tr>` +
						`<tr><th>To</th><td>${escapeHtml(mail.to)}</td></tr>` +
						(mail.cc ? `<tr><th>Cc</th><td>${escapeHtml(mail.cc)}</td></tr>` : '') +
						`<tr><th>Received</th><td>${escapeHtml(mail.receivedAt)}</td></tr></table>` +
						`<h3>Text</h3><pre>${escapeHtml(mail.text)}</pre>` +
						(mail.html ? `<p><a href="/mail/${mail.id}.html">HTML version</a></p>` : ''),
				);
			}
			if (url.pathname !== '/') return send(404, 'text/plain', 'not found');
			const rows = mails
				.slice()
				.reverse()
				.map(
					(mail) =>
						`<tr><td>${escapeHtml(mail.receivedAt.replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(mail.to)}</td>` +
						`<td><a href="/mail/${mail.id}">${escapeHtml(mail.subject || '(no subject)')}</a></td></tr>`,
				)
				.join('');
			send(
				200,
				'text/html',
				`<!doctype html><meta charset="utf-8"><title>Mail catcher (${mails.length})</title><meta http-equiv="refresh" content="5">` +
					`<style>body{font:14px system-ui,sans-serif;margin:2em}td,th{padding:.3em 1em .3em 0;text-align:left;border-bottom:1px solid #ddd}</style>` +
					`<h1>Mails sent by n8n (${mails.length})</h1><p>SMTP 127.0.0.1:${smtpPort}${dir ? `, files in ${escapeHtml(dir)}` : ''}. Refreshes every 5 s.</p>` +
					(rows ? `<table><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr>${rows}</table>` : '<p>No mail yet.</p>'),
			);
		});
		await new Promise((resolve, reject) => {
			page.once('error', reject);
			page.listen(httpPort, LOOPBACK, () => {
				page.removeListener('error', reject);
				resolve();
			});
		});
		pagePort = page.address().port;
	}

	const close = async () => {
		await new Promise((r) => server.close(r));
		if (page) {
			page.closeAllConnections?.();
			await new Promise((r) => page.close(r));
		}
	};
	return {
		port: smtpPort,
		httpPort: pagePort,
		pageUrl: pagePort ? `http://${LOOPBACK}:${pagePort}/` : null,
		dir,
		mails,
		waitForMail,
		close,
	};
}

module.exports = {
	startN8n,
	setupOwner,
	login,
	apiKeyScopes,
	createApiKey,
	N8nApi,
	N8nApiError,
	workflowForApi,
	waitForWebhook,
	installPackage,
	startSmtpCatcher,
	freePort,
	portInUse,
	quietEnv,
	ensureN8n,
};
