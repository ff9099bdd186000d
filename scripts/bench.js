#!/usr/bin/env node
'use strict';
// npm run bench:<name>: compiles (tests and benches share tsconfig.test.json) and runs bench/<name>.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const name = process.argv[2];
const compiled = spawnSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.test.json'], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status || 1);
const result = spawnSync(process.execPath, ['--enable-source-maps', path.join(root, 'build', 'bench', `${name}.js`), ...process.argv.slice(3)], {
	cwd: root,
	stdio: 'inherit',
});
process.exit(result.status ?? 1);
