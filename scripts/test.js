#!/usr/bin/env node
'use strict';
// The one test command (`npm test`): lint, type check + compile, then every test layer with
// node's test runner. Servers the tests need (PostgreSQL) are started by the tests themselves.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(label, cmd, args, env) {
	const started = Date.now();
	console.log(`\n== ${label}`);
	const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (result.status !== 0) {
		console.error(`\n${label} failed (exit ${result.status ?? result.signal}) after ${seconds}s`);
		process.exit(result.status || 1);
	}
	console.log(`== ${label}: ok in ${seconds}s`);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
	console.error(`npm test needs Node >= 22.13 (node:sqlite); this is ${process.version}. Run it through npm so node_modules/.bin/node (Node 24) is used.`);
	process.exit(1);
}

const only = process.argv.slice(2);
if (!process.env.SKIP_LINT && only.length === 0) run('lint', bin('eslint'), ['.']);
fs.rmSync(path.join(root, 'build'), { recursive: true, force: true });
run('type check and compile', bin('tsc'), ['-p', 'tsconfig.test.json']);

function testFiles(dir) {
	const out = [];
	const walk = (d) => {
		if (!fs.existsSync(d)) return;
		for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
			const p = path.join(d, entry.name);
			if (entry.isDirectory()) walk(p);
			else if (entry.name.endsWith('.test.js')) out.push(p);
		}
	};
	walk(dir);
	return out.sort();
}

const layers = only.length ? only : ['core', 'store', 'nodes', 'workflow', 'e2e'];
// End-to-end tests install the packed package into a real n8n: build dist/ first (npm pack runs
// no prepack here, since .npmrc sets ignore-scripts).
if (layers.includes('e2e')) {
	fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
	run('build the package (tsc)', bin('tsc'), ['-p', 'tsconfig.json']);
	run('build the package (icons)', bin('gulp'), ['build:icons']);
}
const files = layers.flatMap((layer) => testFiles(path.join(root, 'build', 'test', layer)));
if (files.length === 0) {
	console.error('no test files found');
	process.exit(1);
}
// A user folder of its own for the in-process n8n engine, removed when the run ends.
let userFolder = process.env.N8N_USER_FOLDER;
if (!userFolder) {
	userFolder = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dialogue-n8n-'));
	const made = userFolder;
	process.on('exit', () => fs.rmSync(made, { recursive: true, force: true }));
}
run('tests', process.execPath, ['--test', '--test-concurrency=1', '--enable-source-maps', ...files], { N8N_USER_FOLDER: userFolder });
