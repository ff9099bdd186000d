'use strict';
// ESLint flat config. `npx eslint .` (and `npm test`) lints:
//   - TypeScript in core/, store/, nodes/, credentials/, test/, bench/ (typescript-eslint recommended);
//   - nodes/ and credentials/ with eslint-plugin-n8n-nodes-base (`nodes` / `credentials` sets);
//   - package.json with eslint-plugin-n8n-nodes-base's `community` set;
//   - @n8n/eslint-plugin-community-nodes: every rule of its `recommended` set, scoped to the
//     files it is about, except the n8n Cloud rules this self-hosted package cannot meet;
//   - the JavaScript in scripts/, gulpfile.js and this file (CommonJS on Node).
//
// eslint-plugin-n8n-nodes-base 2.0.0 is CommonJS and its `configs` are still eslintrc-shaped
// (`env`, `plugins: ['n8n-nodes-base']`), so only their `rules` are used here and the plugin
// object is registered by hand. Its package.json rules look for a top-level ObjectExpression,
// as do those of @n8n/eslint-plugin-community-nodes: package.json is parsed with the
// typescript-eslint parser, which turns a .json file into one expression statement.
// @n8n/eslint-plugin-community-nodes is ESM; require() of ESM works on Node >= 20.19.

const js = require('@eslint/js');
const globals = require('globals');
const tseslint = require('typescript-eslint');
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');
const { n8nCommunityNodesPlugin: communityNodes } = require('@n8n/eslint-plugin-community-nodes');

const TS_DIRS = ['core', 'store', 'nodes', 'credentials', 'test', 'bench'];
const SHIPPED_TS = ['core/**/*.ts', 'store/**/*.ts', 'nodes/**/*.ts', 'credentials/**/*.ts'];
const N8N_TS = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const JS_FILES = ['scripts/**/*.js', 'gulpfile.js', 'eslint.config.js', 'jest.config.js'];

// ---- @n8n/eslint-plugin-community-nodes -------------------------------------------------
// Each rule of the plugin's `recommended` set goes in exactly one of these groups; a rule the
// plugin adds later fails config loading below until someone decides where it belongs.

/** Rules that read package.json (they return early on any other file). */
const COMMUNITY_PACKAGE_JSON = [
	'ai-node-package-json',
	'n8n-object-validation',
	'no-dead-files',
	'no-forbidden-lifecycle-scripts',
	'no-overrides-field',
	'no-template-placeholders',
	'node-registration-complete',
	'package-name-convention',
	'require-files-array',
	'require-homepage',
	'require-version',
	'valid-author',
	'valid-description',
	'valid-peer-dependencies',
];

/** Rules about node and credential classes, their descriptions and execute code. */
const COMMUNITY_NODE_CODE = [
	'cred-class-field-icon-missing',
	'cred-class-oauth2-naming',
	'credential-documentation-url',
	'credential-password-field',
	'credential-test-required',
	'credential-unnecessary-password',
	'icon-prefer-themed-variants',
	'icon-validation',
	'missing-paired-item',
	'no-builder-hint-leakage',
	'no-credential-reuse',
	'no-deprecated-workflow-functions',
	'no-emoji-in-options',
	'no-http-request-with-manual-auth',
	'no-silent-error-swallowing',
	'no-unsafe-connection-type-cast',
	'node-connection-type-literal',
	'node-usable-as-tool',
	// Only in nodes/: core/ and store/ have no INode to build a NodeApiError from; they throw
	// their own errors (core/errors.ts) and the nodes wrap them at the boundary.
	'require-node-api-error',
	'require-node-description-fields',
	'resource-operation-pattern',
	'trigger-node-conventions',
	'valid-credential-references',
	'webhook-lifecycle-complete',
];

/** Security rules for every file that ships (not tests, benches or build scripts). */
const COMMUNITY_SHIPPED_CODE = ['no-dangerous-functions', 'no-hardcoded-secrets'];

/** n8n Cloud rules: off. This package is for self-hosted n8n and owns an activity store. */
const COMMUNITY_OFF = {
	// The store needs `pg` and `luxon` at run time, the report picture @resvg/resvg-wasm; n8n installs a community package's dependencies.
	'no-runtime-dependencies': 'off',
	// The store reads its default location from process.env and times retries and busy waits with timers.
	'no-restricted-globals': 'off',
	// The store imports pg, node:sqlite, node:fs and node:path; the rule allows only n8n-workflow, luxon and a few others.
	'no-restricted-imports': 'off',
};

const recommended = communityNodes.configs.recommended.rules;
const severity = (rule) => recommended[`@n8n/community-nodes/${rule}`];
const communityRules = (names) => Object.fromEntries(names.map((rule) => [`@n8n/community-nodes/${rule}`, severity(rule)]));
const communityOff = Object.fromEntries(
	Object.keys(COMMUNITY_OFF).map((rule) => [`@n8n/community-nodes/${rule}`, 'off']),
);

{
	const grouped = new Set([
		...COMMUNITY_PACKAGE_JSON,
		...COMMUNITY_NODE_CODE,
		...COMMUNITY_SHIPPED_CODE,
		...Object.keys(COMMUNITY_OFF),
	]);
	const missing = Object.keys(recommended)
		.map((name) => name.replace('@n8n/community-nodes/', ''))
		.filter((rule) => !grouped.has(rule));
	const unknown = [...grouped].filter((rule) => !severity(rule));
	if (missing.length || unknown.length) {
		throw new Error(
			`eslint.config.js: @n8n/eslint-plugin-community-nodes rules to place: [${missing.join(', ')}]; ` +
				`no longer recommended: [${unknown.join(', ')}]`,
		);
	}
}

module.exports = [
	// Only our sources: never build output, installed packages or the local n8n of npm start.
	{ ignores: ['node_modules/**', 'dist/**', 'build/**', '**/node_modules/**', '.n8n-local/**', '.cache/**', '*.tgz'] },
	{ linterOptions: { reportUnusedDisableDirectives: 'error' } },

	// ---- TypeScript ------------------------------------------------------------------------
	...tseslint.config({
		files: TS_DIRS.map((dir) => `${dir}/**/*.ts`),
		extends: [js.configs.recommended, ...tseslint.configs.recommended],
		languageOptions: { globals: globals.node },
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
			],
		},
	}),

	{
		files: ['test/**/*.ts'],
		rules: {
			// Tests write ids above 2^53 as number literals on purpose: that is what JSON.parse
			// hands a node, and the validators must notice the lost digits.
			'no-loss-of-precision': 'off',
		},
	},

	// ---- JavaScript (CommonJS build and test scripts) --------------------------------------
	{
		files: JS_FILES,
		...js.configs.recommended,
		languageOptions: {
			ecmaVersion: 2023,
			sourceType: 'commonjs',
			globals: globals.node,
		},
	},

	// ---- n8n nodes and credentials ---------------------------------------------------------
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Wants inputs to be exactly ['main'] as a string; node-connection-type-literal
			// (community-nodes) wants NodeConnectionTypes.Main instead.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			// Allows more than one output only to nodes named if/switch and wants the 'main'
			// string: our gate nodes have two outputs written as NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{
		// Our nodes keep their description in actions/description.ts, as n8n's Postgres v2 node does.
		files: ['nodes/**/*.ts'],
		ignores: ['nodes/**/*.node.ts'],
		rules: {
			// Takes any file holding a node description for the node file and wants it renamed to
			// <Name>.node.ts; still checked on the .node.ts files themselves.
			'n8n-nodes-base/node-filename-against-convention': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// camelCases documentationUrl, which breaks a full URL; credential-documentation-url
			// (community-nodes) checks it properly (URL or lowercase slug).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: N8N_TS,
		plugins: { '@n8n/community-nodes': communityNodes },
		rules: communityRules(COMMUNITY_NODE_CODE),
	},
	{
		files: ['credentials/DialogueStoreApi.credentials.ts'],
		rules: {
			// The nodes list it with testedBy: 'dialogueStoreTest' through a shared constant
			// (nodes/shared/store.ts, storeCredentials); the rule only sees inline arrays.
			'@n8n/community-nodes/credential-test-required': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			// Reads the icon only from a description written inline in the node class and reports
			// "missing icon" for an imported one (actions/description.ts). Still on for credentials.
			'@n8n/community-nodes/icon-validation': 'off',
		},
	},
	{
		files: SHIPPED_TS,
		plugins: { '@n8n/community-nodes': communityNodes },
		rules: { ...communityRules(COMMUNITY_SHIPPED_CODE), ...communityOff },
	},

	// ---- package.json ----------------------------------------------------------------------
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase, '@n8n/community-nodes': communityNodes },
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
		rules: {
			...n8nNodesBase.configs.community.rules,
			...communityRules(COMMUNITY_PACKAGE_JSON),
			...communityOff,
		},
	},
];
