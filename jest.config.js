'use strict';
// Jest runs the TypeScript test sources directly through a transform (no type check here:
// `npm test` type-checks with tsc first). One process, one file at a time (scripts/test.js passes
// --runInBand): the SQLite child-process tests are timing-sensitive and each PostgreSQL test file
// starts its own server.
const transforms = {
	swc: ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' }],
	'ts-jest': ['ts-jest', { tsconfig: 'tsconfig.test.json', isolatedModules: true }],
};

module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	moduleFileExtensions: ['ts', 'js', 'json'],
	// Deep comparisons that tolerate values made in Node's main context: see test/helpers/assert.ts.
	moduleNameMapper: { '^node:assert/strict$': '<rootDir>/test/helpers/assert.ts' },
	transform: { '^.+\\.ts$': transforms[process.env.JEST_TRANSFORM ?? 'swc'] },
	// node:test had no default timeout; the slow tests (10,000-order backfills, real n8n) set their own.
	testTimeout: 120_000,
};
