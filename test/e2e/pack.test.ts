/**
 * What users install: `npm pack` of the built package (npm test builds dist/ before this layer).
 * Every node and credential that package.json's n8n field lists is in the tarball with its codex
 * file and icons, and the report picture's fonts; nothing but dist/ ships; no install scripts;
 * runtime dependencies are JavaScript or WebAssembly, no native add-on.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { repoRoot } from '../helpers/paths';

const root = repoRoot;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
	n8n: { n8nNodesApiVersion: number; nodes: string[]; credentials: string[] };
	scripts?: Record<string, string>;
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	files: string[];
	engines: { node: string };
	keywords: string[];
};

function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
	return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
}

describe('npm pack', () => {
	const files = new Set(packedFiles());

	it('lists every built node and credential, each in the tarball', () => {
		assert.equal(pkg.n8n.n8nNodesApiVersion, 1);
		assert.equal(pkg.n8n.nodes.length, 8, 'the eight nodes');
		assert.equal(pkg.n8n.credentials.length, 2, 'the two credentials');
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			assert.ok(file.startsWith('dist/') && file.endsWith('.js'), file);
			assert.ok(files.has(file), `${file} is packed`);
		}
	});

	it('ships each node with its codex file and light and dark icons', () => {
		for (const file of pkg.n8n.nodes) {
			assert.ok(files.has(file.replace(/\.js$/, '.json')), `codex of ${file}`);
			const dir = file.slice(0, file.lastIndexOf('/'));
			const icons = [...files].filter((f) => f.startsWith(`${dir}/`) && f.endsWith('.svg'));
			assert.equal(icons.length, 2, `light and dark icon in ${dir}`);
		}
		assert.ok(files.has('dist/icons/dialogue.svg') && files.has('dist/icons/dialogue.dark.svg'), 'credential icons');
	});

	it('ships the fonts the Activity Report picture is drawn with, with their licence', () => {
		for (const file of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'LICENSE']) assert.ok(files.has(`dist/core/fonts/${file}`), `dist/core/fonts/${file} is packed`);
		// The renderer is WebAssembly inside its own package: nothing to build or download at install.
		assert.ok(existsSync(join(root, 'node_modules', '@resvg', 'resvg-wasm', 'index_bg.wasm')));
	});

	it('ships dist/ only: no sources, tests, templates or build output of tests', () => {
		const stray = [...files].filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'LICENSE.md'].includes(f));
		assert.deepEqual(stray, []);
		assert.ok(![...files].some((f) => f.startsWith('dist/test/') || f.startsWith('dist/bench/')));
		assert.deepEqual(pkg.files, ['dist']);
	});

	it('has no install scripts, n8n-workflow only as a peer, pure-JavaScript runtime dependencies', () => {
		for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) assert.equal(pkg.scripts?.[hook], undefined, hook);
		assert.ok(pkg.peerDependencies?.['n8n-workflow']);
		assert.equal(pkg.dependencies?.['n8n-workflow'], undefined);
		assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), ['@resvg/resvg-wasm', 'luxon', 'pg']);
		for (const dep of Object.keys(pkg.dependencies ?? {})) {
			// A native add-on would carry a binding.gyp or need node-gyp at install; n8n installs with --ignore-scripts.
			const dir = join(root, 'node_modules', dep);
			assert.ok(!existsSync(join(dir, 'binding.gyp')), `${dep} has no native build`);
			const depPkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; gypfile?: boolean };
			assert.ok(!depPkg.gypfile && !depPkg.scripts?.install, `${dep} has no install step`);
		}
		assert.ok(pkg.keywords.includes('n8n-community-node-package'));
		assert.equal(pkg.engines.node, '>=22.13');
	});
});
