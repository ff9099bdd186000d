'use strict';
// Our package, installed into an n8n user folder as n8n installs a community package.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { npmEnv, repoRoot, PACKAGE_NAME } = require('./install.js');

/**
 * Installs our package into <userFolder>/.n8n/nodes exactly as n8n 2.41's community-package
 * installer does (modules/community-packages/community-packages.service.js, downloadPackage):
 * unpack the `npm pack` tarball into nodes/node_modules/<name>, drop devDependencies,
 * peerDependencies and optionalDependencies from its package.json, run
 * `npm install --ignore-scripts=true --install-strategy=shallow --package-lock=false
 * --bin-links=false` inside that folder (so pg and luxon land in its own node_modules, and
 * n8n-workflow resolves to n8n's copy), and record it in nodes/package.json
 * ({"name": "installed-nodes", "private": true, "dependencies": {...}}). n8n loads every
 * `n8n-nodes-*` folder under nodes/node_modules at start (scanDirectoryForPackages), so the node
 * types are `n8n-nodes-dialogue-activities.<node>`. Any previous copy is replaced.
 *
 * @param {string} userFolder N8N_USER_FOLDER
 * @param {string} [tarballOrDir] an `npm pack` tarball, or a package folder to pack (default: the
 *   repository; it must be built already: this packs with --ignore-scripts, so no prepack build).
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {{ packageDir: string, version: string, nodesDir: string }}
 */
function installPackage(userFolder, tarballOrDir = repoRoot, { log = () => {} } = {}) {
	const nodesDir = path.join(path.resolve(userFolder), '.n8n', 'nodes');
	fs.mkdirSync(path.join(nodesDir, 'node_modules'), { recursive: true });
	const env = npmEnv();
	let tarball = path.resolve(tarballOrDir);
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-pack-'));
	try {
		if (fs.statSync(tarball).isDirectory()) {
			const dir = tarball;
			if (!fs.existsSync(path.join(dir, 'dist'))) {
				throw new Error(`installPackage: ${dir}/dist does not exist; run \`npm run build\` first.`);
			}
			const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: dir, env, encoding: 'utf8' });
			if (r.status !== 0) throw new Error(`npm pack in ${dir} failed:\n${r.stderr || r.stdout}`);
			tarball = path.join(tmp, JSON.parse(r.stdout)[0].filename);
		}
		const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		const untar = spawnSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], { encoding: 'utf8' });
		if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed: ${untar.stderr}`);

		const pkgFile = path.join(target, 'package.json');
		const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
		for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete pkg[field];
		fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2));
		log(`  installing ${PACKAGE_NAME}@${pkg.version} into ${target}`);
		const r = spawnSync(
			'npm',
			['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false', '--loglevel=warn'],
			{ cwd: target, env, encoding: 'utf8' },
		);
		if (r.status !== 0) {
			throw new Error(`npm install of ${PACKAGE_NAME}'s dependencies in ${target} failed (exit ${r.status}):\n${r.stderr || r.stdout}`);
		}

		const listFile = path.join(nodesDir, 'package.json');
		let list = { name: 'installed-nodes', private: true, dependencies: {} };
		try {
			list = JSON.parse(fs.readFileSync(listFile, 'utf8'));
		} catch {
			/* first package */
		}
		list.dependencies = { ...(list.dependencies || {}), [PACKAGE_NAME]: pkg.version };
		fs.writeFileSync(listFile, JSON.stringify(list, null, 2));
		return { packageDir: target, version: pkg.version, nodesDir };
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

module.exports = { installPackage };
