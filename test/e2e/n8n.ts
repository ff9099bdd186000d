// Loads the real-n8n tooling (plain CommonJS in scripts/n8n/, typed by its .d.ts files) for the
// end-to-end tests. The scripts are found from the repository root at run time, not by a relative
// import, so the same code works from the TypeScript sources and compiled in build/.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as Instance from '../../scripts/n8n/instance';
import type * as Install from '../../scripts/n8n/install';
import { repoRoot } from '../helpers/paths';

export { repoRoot };
const load = createRequire(__filename);

export const n8n = load(path.join(repoRoot, 'scripts', 'n8n', 'instance.js')) as typeof Instance;
export const install = load(path.join(repoRoot, 'scripts', 'n8n', 'install.js')) as typeof Install;

/** Installs the pinned n8n if needed; a failure says that the end-to-end tests cannot run, and why. */
export async function requireN8n(log: (line: string) => void = (line) => console.log(`# ${line}`)): Promise<Install.N8nInstall> {
	try {
		return await install.ensureN8n({ log });
	} catch (err) {
		const message = err instanceof Error ? err.message : String(err);
		throw new Error(`The end-to-end tests need a real n8n ${install.N8N_VERSION}, and it could not be installed:\n${message}`);
	}
}
