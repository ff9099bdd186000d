/**
 * Environment n8n-core reads when it is first used. Imported before n8n-core by the workflow
 * harness: n8n-core's InstanceSettings writes an encryption key to $N8N_USER_FOLDER/.n8n/config
 * (falling back to the home folder), so a test process gets a temporary folder unless
 * scripts/test.js already set one. N8N_LOG_LEVEL=debug shows the engine's node-by-node log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

if (!process.env.N8N_USER_FOLDER) {
	const folder = mkdtempSync(path.join(tmpdir(), 'dialogue-n8n-'));
	process.env.N8N_USER_FOLDER = folder;
	process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
}
process.env.N8N_LOG_LEVEL ??= 'silent';
