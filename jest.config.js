'use strict';
// Jest runs the TypeScript test sources directly through a transform (no type check here:
// `npm test` type-checks with tsc first). One process, one file at a time (scripts/test.js passes
// --runInBand): the SQLite child-process tests are timing-sensitive and each PostgreSQL test file
// starts its own server.
module.exports = {
	// Node's environment, but compiled in Node's main context: see test/helpers/main-context-environment.js.
	testEnvironment: '<rootDir>/test/helpers/main-context-environment.js',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	moduleFileExtensions: ['ts', 'js', 'json'],
	// @swc/jest ran the core layer in 13 s against 25 s for ts-jest with isolatedModules (cold cache).
	transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' }] },
	// node:test had no default timeout; the slow tests (10,000-order backfills, real n8n) set their own.
	testTimeout: 120_000,
};
