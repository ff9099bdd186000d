'use strict';
// Starting and stopping a real n8n: free ports, the environment that keeps it local and quiet,
// its process group (n8n and its task runner) and its memory.

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureN8n, node24Bin, npmEnv } = require('./install.js');
const { sleep, LOOPBACK } = require('./common.js');

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

module.exports = { startN8n, freePort, portInUse, quietEnv };
