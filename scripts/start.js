#!/usr/bin/env node
'use strict';
// `npm start`: a local n8n with this package installed the way a user installs it, the shipped
// templates imported, and a mail catcher to read what the workflows send.
//
//   1. builds the package (`npm run build`; DIALOGUE_SKIP_BUILD=1 skips it),
//   2. installs the pinned n8n into a cache folder outside the repo on first use (3-8 minutes,
//      progress printed; see scripts/n8n/install.js), reused afterwards,
//   3. installs the package into the project-local user folder .n8n-local/ (n8n's data is in
//      .n8n-local/.n8n; the package at .n8n-local/.n8n/nodes/node_modules/n8n-nodes-dialogue-activities),
//      again on every start so the newest build is used,
//   4. starts an SMTP catcher (127.0.0.1:2525) with a page listing the mails (http://127.0.0.1:8025/),
//   5. starts n8n on http://127.0.0.1:5678/, creates the owner (or logs in), an API key, an SMTP
//      credential "Local mail catcher" pointing at the catcher, and imports every templates/*.json
//      whose workflow name is not in n8n yet (their Send Email nodes get that credential),
//   6. prints the editor URL and login, and runs until Ctrl-C, which stops everything it started.
//
// Dev login (local only, everything listens on 127.0.0.1): owner@dialogue.local / Dialogue-Local-1
//
// Environment: DIALOGUE_N8N_PORT (5678), DIALOGUE_SMTP_PORT (2525), DIALOGUE_MAIL_PAGE_PORT (8025),
// DIALOGUE_USER_FOLDER (.n8n-local), DIALOGUE_TEMPLATES_DIR (templates), DIALOGUE_OWNER_EMAIL, DIALOGUE_OWNER_PASSWORD,
// DIALOGUE_SKIP_BUILD=1, DIALOGUE_N8N_CACHE (see scripts/n8n/install.js).

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');

// Run under the repository's Node 24 even if started with the system node.
require('./node24.js').runUnderNode24(__filename, 'npm start');

const { ensureN8n, N8N_VERSION } = require('./n8n/install.js');
const n8n = require('./n8n/instance.js');

const config = {
	n8nPort: Number(process.env.DIALOGUE_N8N_PORT || 5678),
	smtpPort: Number(process.env.DIALOGUE_SMTP_PORT || 2525),
	mailPagePort: Number(process.env.DIALOGUE_MAIL_PAGE_PORT || 8025),
	userFolder: path.resolve(root, process.env.DIALOGUE_USER_FOLDER || '.n8n-local'),
	templatesDir: path.resolve(root, process.env.DIALOGUE_TEMPLATES_DIR || 'templates'),
	owner: {
		email: process.env.DIALOGUE_OWNER_EMAIL || 'owner@dialogue.local',
		password: process.env.DIALOGUE_OWNER_PASSWORD || 'Dialogue-Local-1',
		firstName: 'Dev',
		lastName: 'Owner',
	},
};
const SMTP_CREDENTIAL_NAME = 'Local mail catcher';
const stateFile = path.join(config.userFolder, 'start-state.json');

const log = (line) => console.log(line);
const rel = (p) => path.relative(process.cwd(), p) || '.';

let smtp = null;
let instance = null;
let shuttingDown = false;

async function shutdown(code, why) {
	if (shuttingDown) return;
	shuttingDown = true;
	if (why) log(`\n${why}`);
	if (instance) {
		log('Stopping n8n...');
		await instance.stop().catch((err) => console.error(`  stopping n8n: ${err.message}`));
	}
	if (smtp) await smtp.close().catch(() => {});
	process.exit(code);
}
process.on('SIGINT', () => shutdown(0, 'Ctrl-C: stopping.'));
process.on('SIGTERM', () => shutdown(0, 'SIGTERM: stopping.'));
// `kill <npm pid>` ends npm and its `sh -c` but not this process (npm 11 does not pass SIGTERM
// on through the shell): notice that our parent is gone and stop too, rather than leave n8n running.
const parentAtStart = process.ppid;
setInterval(() => {
	if (process.ppid !== parentAtStart) shutdown(0, 'The parent process (npm) ended: stopping.');
}, 1000).unref();

function readState() {
	try {
		return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
	} catch {
		return {};
	}
}

function writeState(state) {
	fs.writeFileSync(stateFile, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}

function step(title) {
	log(`\n== ${title}`);
}

function build() {
	if (process.env.DIALOGUE_SKIP_BUILD === '1') {
		log('DIALOGUE_SKIP_BUILD=1: using the existing dist/');
		return;
	}
	step('Building the package (npm run build)');
	const started = Date.now();
	const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
	if (r.status !== 0) {
		throw new Error('`npm run build` failed (see above). Fix the build, or start with DIALOGUE_SKIP_BUILD=1 to use the existing dist/.');
	}
	log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function ensureApiKey(baseUrl, cookie, state) {
	if (state.apiKey) {
		try {
			await new n8n.N8nApi(baseUrl, state.apiKey).request('GET', '/workflows?limit=1');
			return state.apiKey;
		} catch {
			/* deleted or expired: make a new one */
		}
	}
	state.apiKey = await n8n.createApiKey(baseUrl, cookie, { label: `npm start ${new Date().toISOString().slice(0, 19)}` });
	writeState(state);
	return state.apiKey;
}

async function ensureSmtpCredential(api) {
	const data = { user: '', password: '', host: '127.0.0.1', port: config.smtpPort, secure: false, disableStartTls: true };
	const existing = (await api.listCredentials()).find((c) => c.name === SMTP_CREDENTIAL_NAME && c.type === 'smtp');
	if (existing) {
		// The port may have changed (DIALOGUE_SMTP_PORT); keeping it in step is cheap.
		await api.updateCredential(existing.id, { data });
		return existing;
	}
	const created = await api.createCredential({ name: SMTP_CREDENTIAL_NAME, type: 'smtp', data });
	log(`  created SMTP credential "${SMTP_CREDENTIAL_NAME}" -> 127.0.0.1:${config.smtpPort}`);
	return created;
}

async function importTemplates(api, smtpCredential) {
	const dir = config.templatesDir;
	const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
	if (files.length === 0) {
		log('  no templates/*.json yet');
		return { imported: 0, present: 0, failed: 0 };
	}
	const names = new Set((await api.listWorkflows()).map((w) => w.name));
	const counts = { imported: 0, present: 0, failed: 0 };
	for (const file of files) {
		let workflow;
		try {
			workflow = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		} catch (err) {
			log(`  ${file}: not valid JSON (${err.message}); skipped`);
			counts.failed++;
			continue;
		}
		workflow.name = workflow.name || path.basename(file, '.json');
		if (names.has(workflow.name)) {
			counts.present++;
			continue;
		}
		for (const node of workflow.nodes || []) {
			if (node.type === 'n8n-nodes-base.emailSend') {
				node.credentials = { ...(node.credentials || {}), smtp: { id: smtpCredential.id, name: smtpCredential.name } };
			}
		}
		try {
			const created = await api.createWorkflow(workflow);
			names.add(workflow.name);
			counts.imported++;
			log(`  imported ${file} as "${created.name}" (${created.id})`);
		} catch (err) {
			counts.failed++;
			log(`  ${file}: import failed: ${err.message}`);
		}
	}
	return counts;
}

async function main() {
	const t0 = Date.now();
	build();

	step(`n8n ${N8N_VERSION}`);
	const { n8nBin, dir } = await ensureN8n({ log });
	log(`  using ${dir}`);

	step(`Installing the package into ${rel(config.userFolder)}`);
	fs.mkdirSync(config.userFolder, { recursive: true });
	const installed = n8n.installPackage(config.userFolder, root, { log });
	log(`  ${rel(installed.packageDir)} (version ${installed.version})`);

	step('Mail catcher');
	try {
		smtp = await n8n.startSmtpCatcher({
			port: config.smtpPort,
			httpPort: config.mailPagePort,
			dir: path.join(config.userFolder, 'mail'),
			keepHistory: true,
			log,
		});
	} catch (err) {
		throw new Error(
			`Could not start the mail catcher on 127.0.0.1:${config.smtpPort} / :${config.mailPagePort} (${err.message}). ` +
				'Is another `npm start` running? Otherwise choose ports with DIALOGUE_SMTP_PORT / DIALOGUE_MAIL_PAGE_PORT.',
		);
	}
	log(`  SMTP 127.0.0.1:${smtp.port}, page ${smtp.pageUrl}`);

	step('Starting n8n');
	if (await n8n.portInUse(config.n8nPort)) {
		throw new Error(`Port ${config.n8nPort} is in use (another n8n or \`npm start\`?). Stop it or set DIALOGUE_N8N_PORT.`);
	}
	const started = Date.now();
	instance = await n8n.startN8n({ userFolder: config.userFolder, port: config.n8nPort, n8nBin, log });
	log(`  ready in ${((Date.now() - started) / 1000).toFixed(1)} s (log: ${rel(instance.logFile)})`);
	instance.child.once('exit', (code, signal) => {
		if (!shuttingDown) {
			shutdown(1, `n8n stopped by itself (exit ${code ?? signal}); see ${rel(instance.logFile)}`);
		}
	});

	step('Owner, credential, templates');
	const state = readState();
	const cookie = await n8n.setupOwner(instance.baseUrl, config.owner);
	const api = new n8n.N8nApi(instance.baseUrl, await ensureApiKey(instance.baseUrl, cookie, state));
	const credential = await ensureSmtpCredential(api);
	const t = await importTemplates(api, credential);
	log(`  templates: ${t.imported} imported, ${t.present} already there${t.failed ? `, ${t.failed} failed` : ''}`);

	const line = '-'.repeat(72);
	log(`\n${line}`);
	log(`n8n ${N8N_VERSION} is running with n8n-nodes-dialogue-activities ${installed.version}`);
	log(`  Editor:       ${instance.baseUrl}/`);
	log(`  Login:        ${config.owner.email} / ${config.owner.password}`);
	log(`  Mail catcher: ${smtp.pageUrl}  (SMTP 127.0.0.1:${smtp.port}; credential "${SMTP_CREDENTIAL_NAME}"; files in ${rel(smtp.dir)})`);
	log(`  Mails (JSON): ${smtp.pageUrl}api/mails  (newest first)`);
	log(`  API key:      "apiKey" in ${rel(stateFile)}; send it as X-N8N-API-KEY to ${instance.baseUrl}/api/v1/`);
	log(`  Data:         ${rel(config.userFolder)} (n8n log: ${rel(instance.logFile)})`);
	log(`  Up in ${((Date.now() - t0) / 1000).toFixed(0)} s. Ctrl-C stops n8n and the mail catcher.`);
	log(line);
}

main().catch((err) => {
	console.error(`\nnpm start failed: ${err.message}`);
	shutdown(1);
});
