#!/usr/bin/env node
'use strict';
// The one test command (`npm test`): lint, type check + compile, then every test layer with jest
// (on the TypeScript sources, see jest.config.js). Servers the tests need (PostgreSQL) are started
// by the tests themselves. The last line is `N passed, N failed` (`, N skipped` when some were).
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

// A layer (core) or the start of a path below test/ (store/sqlite) selects the test files.
const layers = only.length ? only : ['core', 'store', 'nodes', 'workflow', 'e2e'];
// End-to-end tests install the packed package into a real n8n: build dist/ first (npm pack runs
// no prepack here, since .npmrc sets ignore-scripts).
if (layers.some((layer) => layer.startsWith('e2e'))) {
	fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
	run('build the package (tsc)', bin('tsc'), ['-p', 'tsconfig.json']);
	run('build the package (icons)', bin('gulp'), ['build:icons']);
}
// A user folder of its own for the in-process n8n engine, removed when the run ends.
let userFolder = process.env.N8N_USER_FOLDER;
if (!userFolder) {
	userFolder = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'dialogue-n8n-'));
	const made = userFolder;
	process.on('exit', () => fs.rmSync(made, { recursive: true, force: true }));
}
// One process, one file at a time: see jest.config.js. --experimental-vm-modules lets jest serve
// the dynamic import() with which n8n-workflow loads its "vm" expression engine.
const results = path.join(root, 'build', 'jest-results.json');
const started = Date.now();
console.log('\n== tests');
const jest = spawnSync(
	process.execPath,
	['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', require.resolve('jest/bin/jest'), '--runInBand', '--json', `--outputFile=${results}`, ...layers.map((layer) => `/test/${layer}`)],
	{ cwd: root, stdio: 'inherit', env: { ...process.env, N8N_USER_FOLDER: userFolder } },
);
console.log(`== tests: exit ${jest.status ?? jest.signal} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
let summary;
try {
	const r = JSON.parse(fs.readFileSync(results, 'utf8'));
	// A file that fails before its tests run (an import error, a failing beforeAll) counts as one failure.
	const broken = r.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed')).length;
	const skipped = r.numPendingTests + r.numTodoTests;
	summary = { passed: r.numPassedTests, failed: r.numFailedTests + broken, skipped };
} catch (error) {
	console.error(`no jest results in ${results}: ${error.message}`);
	summary = { passed: 0, failed: 1, skipped: 0 };
}
if (jest.status !== 0 && summary.failed === 0) summary.failed = 1;
console.log(`${summary.passed} passed, ${summary.failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`);
process.exitCode = summary.failed === 0 && jest.status === 0 ? 0 : 1;
