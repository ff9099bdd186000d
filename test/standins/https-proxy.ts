/**
 * An HTTPS proxy for shop stand-ins: n8n's request helpers send through the proxy named in
 * HTTPS_PROXY. This is that proxy, on 127.0.0.1: it answers `CONNECT <host>:443` for the hosts
 * given and then speaks TLS itself, with a certificate for those hosts signed by a certificate
 * authority made at start (openssl CLI), and hands each request to the stand-in of its Host. A
 * test process trusts it with trustStandIn(); a child n8n through NODE_EXTRA_CA_CERTS (env).
 * Other CONNECT targets are refused (403).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

export interface StandInProxy {
	proxyUrl: string;
	caFile: string;
	/** Environment for a child n8n: HTTPS_PROXY, NODE_EXTRA_CA_CERTS, NO_PROXY for loopback. */
	env: Record<string, string>;
	/** Requests and CONNECT targets refused, as "METHOD target". */
	refused: string[];
	close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
	execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

function makeCertificates(dir: string, hosts: string[]): { caFile: string; key: Buffer; cert: Buffer } {
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(
		[
			'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Dialogue shop stand-in CA',
			'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
		],
		dir,
	);
	openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hosts[0]}`], dir);
	fs.writeFileSync(
		path.join(dir, 'server.ext'),
		`basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\n`,
	);
	openssl(
		['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'],
		dir,
	);
	return { caFile: path.join(dir, 'ca.pem'), key: fs.readFileSync(path.join(dir, 'server.key')), cert: fs.readFileSync(path.join(dir, 'server.pem')) };
}

/** Starts the proxy for these hosts (name without port: the stand-in that answers its requests). */
export async function startStandInProxy(hosts: Record<string, http.RequestListener>): Promise<StandInProxy> {
	const names = Object.keys(hosts).map((h) => h.toLowerCase());
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-shops-'));
	const { caFile, key, cert } = makeCertificates(dir, names);
	const refused: string[] = [];

	const api = https.createServer({ key, cert }, (req, res) => {
		const host = (req.headers.host ?? '').replace(/:443$/, '').toLowerCase();
		const standIn = Object.entries(hosts).find(([name]) => name.toLowerCase() === host)?.[1];
		if (standIn) return standIn(req, res);
		res.writeHead(421, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ error: `no stand-in for ${host}` }));
	});

	const sockets = new Set<net.Socket>();
	const proxy = http.createServer((req, res) => {
		refused.push(`${req.method} ${req.url}`);
		res.writeHead(403);
		res.end();
	});
	proxy.on('connection', (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
		const target = (req.url ?? '').toLowerCase();
		if (!names.some((name) => target === `${name}:443`)) {
			refused.push(`CONNECT ${req.url}`);
			socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		api.emit('connection', socket);
	});
	await new Promise<void>((resolve, reject) => {
		proxy.once('error', reject);
		proxy.listen(0, '127.0.0.1', () => resolve());
	});
	const proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
	return {
		proxyUrl,
		caFile,
		env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NODE_EXTRA_CA_CERTS: caFile, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
		refused,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			api.close();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/**
 * Makes this process send HTTPS through the stand-in proxy and trust its authority (as
 * NODE_EXTRA_CA_CERTS does for a child process); the returned function undoes both.
 */
export function trustStandIn(proxy: Pick<StandInProxy, 'proxyUrl' | 'caFile'>): () => void {
	const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, https_proxy: process.env.https_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
	const defaults = tls.getCACertificates('default');
	tls.setDefaultCACertificates([...defaults, fs.readFileSync(proxy.caFile, 'utf8')]);
	Object.assign(process.env, { HTTPS_PROXY: proxy.proxyUrl, https_proxy: proxy.proxyUrl, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' });
	return () => {
		tls.setDefaultCACertificates(defaults);
		for (const [name, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[name];
			else process.env[name] = value;
		}
	};
}
