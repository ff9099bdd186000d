'use strict';
// n8n's bin run with another command than the `start` that startN8n passes: startN8n spawns
// `node <this file> start`, and this file runs `<DIALOGUE_N8N_BIN> $DIALOGUE_N8N_COMMAND` in the same
// process (e.g. `worker`, `webhook`), so the instance keeps startN8n's log, readiness wait and stop.
const bin = process.env.DIALOGUE_N8N_BIN;
const command = process.env.DIALOGUE_N8N_COMMAND;
if (!bin || !command) {
	console.error('n8n-command.js needs DIALOGUE_N8N_BIN (n8n\'s bin script) and DIALOGUE_N8N_COMMAND (e.g. worker)');
	process.exit(2);
}
process.argv.splice(2, process.argv.length - 2, ...command.split(' '));
require(bin);
