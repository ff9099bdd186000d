/**
 * A real PostgreSQL server for the tests, started by the tests themselves: initdb into a temp
 * folder, pg_ctl start on a free loopback port, stopped when the test process exits.
 * DIALOGUE_TEST_PG_URL points the tests at an existing server instead.
 * Missing server binaries fail the run with what to install; the suite is never skipped.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

export interface PgServer {
	url: string;
	host: string;
	port: number;
	user: string;
	database: string;
	stop(): void;
}

function findBin(name: string): string {
	const fromPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
	if (fromPath) return fromPath;
	const base = '/usr/lib/postgresql';
	if (existsSync(base)) {
		for (const version of readdirSync(base).sort().reverse()) {
			const candidate = join(base, version, 'bin', name);
			if (existsSync(candidate)) return candidate;
		}
	}
	throw new Error(
		`PostgreSQL server binaries (${name}) not found. The store contract suite runs against a real PostgreSQL: install it with "apt-get update && apt-get install -y postgresql" (.ci/run does this), or set DIALOGUE_TEST_PG_URL to a server you run.`,
	);
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
	});
}

let started: Promise<PgServer> | undefined;

async function start(): Promise<PgServer> {
	const initdb = findBin('initdb');
	const pgCtl = findBin('pg_ctl');
	const root = mkdtempSync(join(tmpdir(), 'dialogue-pg-'));
	const data = join(root, 'data');
	const log = join(root, 'server.log');
	const port = await freePort();
	// PostgreSQL refuses to run as root: run it as the postgres user then.
	const asRoot = process.getuid?.() === 0;
	let pgUid: number | undefined;
	let pgGid: number | undefined;
	if (asRoot) {
		pgUid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
		pgGid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
		chownSync(root, pgUid, pgGid);
		chmodSync(root, 0o755);
	}
	const run = (bin: string, args: string[]) => {
		const result = asRoot
			? spawnSync('runuser', ['-u', 'postgres', '--', bin, ...args], { encoding: 'utf8' })
			: spawnSync(bin, args, { encoding: 'utf8' });
		if (result.status !== 0) {
			throw new Error(`${bin} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
		}
	};
	run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
	run(pgCtl, [
		'-D',
		data,
		'-l',
		log,
		'-w',
		'-o',
		`-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300 -c shared_buffers=256MB`,
		'start',
	]);
	const stop = () => {
		spawnSync(asRoot ? 'runuser' : pgCtl, asRoot ? ['-u', 'postgres', '--', pgCtl, '-D', data, '-m', 'immediate', 'stop'] : ['-D', data, '-m', 'immediate', 'stop']);
		rmSync(root, { recursive: true, force: true });
	};
	process.once('exit', stop);
	return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, host: '127.0.0.1', port, user: 'postgres', database: 'postgres', stop };
}

/** The test server for this process (started once). */
export function postgresServer(): Promise<PgServer> {
	const url = process.env.DIALOGUE_TEST_PG_URL;
	if (url) {
		const parsed = new URL(url);
		return Promise.resolve({
			url,
			host: parsed.hostname,
			port: Number(parsed.port || 5432),
			user: decodeURIComponent(parsed.username) || 'postgres',
			database: parsed.pathname.slice(1) || 'postgres',
			stop: () => undefined,
		});
	}
	started ??= start();
	return started;
}

/** Drops a schema (a test's private store) on the test server. */
export async function dropSchema(server: PgServer, schema: string): Promise<void> {
	const client = new Client({ host: server.host, port: server.port, user: server.user, database: server.database });
	await client.connect();
	try {
		await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
	} finally {
		await client.end();
	}
}
