/**
 * A local stand-in for the Twilio Messages API, for a real n8n whose Twilio node cannot reach
 * api.twilio.com from this machine.
 *
 * How n8n gets here: n8n 2.x sends node requests through the proxy named in HTTPS_PROXY (its
 * request helpers build a tunnelling agent per request from the proxy environment, see
 * @n8n/backend-network proxy/). This helper is that proxy: an HTTP server on 127.0.0.1 that answers
 * `CONNECT api.twilio.com:443` with 200 and then speaks TLS itself on the tunnelled socket, with a
 * certificate for api.twilio.com signed by a certificate authority made at start (openssl CLI,
 * in a temp folder). n8n trusts that authority through NODE_EXTRA_CA_CERTS. Every other CONNECT
 * target, and every plain proxied request, is refused (403) and listed in `refused`.
 *
 * Inside the tunnel: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with a form body
 * (From, To, Body), HTTP Basic auth AccountSid:AuthToken, answered like Twilio answers (201 and
 * the message resource, status "queued"); a wrong account or token gets Twilio's 401 (code
 * 20003), a missing To/From/Body its 400 (code 21604/21603/21602). Each message is kept in
 * `messages`.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const TWILIO_HOST = 'api.twilio.com';

export interface TwilioMessage {
	sid: string;
	accountSid: string;
	from: string;
	to: string;
	body: string;
	/** When the stand-in received it (ms). */
	receivedAt: number;
	/** The whole form the node sent, e.g. StatusCallback. */
	form: Record<string, string>;
}

export interface TwilioStandIn {
	/** http://127.0.0.1:<port>: give it to n8n as HTTPS_PROXY. */
	proxyUrl: string;
	/** PEM of the test certificate authority: give its path to n8n as NODE_EXTRA_CA_CERTS. */
	caFile: string;
	/** Environment for n8n: HTTPS_PROXY, NODE_EXTRA_CA_CERTS and NO_PROXY for loopback. */
	env: Record<string, string>;
	messages: TwilioMessage[];
	/** Requests that were not a valid message: [status, method, path, reason]. */
	rejected: Array<{ status: number; method: string; path: string; reason: string }>;
	/** CONNECT targets and plain proxy requests that were refused. */
	refused: string[];
	waitForMessages(count: number, timeoutMs?: number): Promise<TwilioMessage[]>;
	close(): Promise<void>;
}

function openssl(args: string[], cwd: string): void {
	try {
		execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
	} catch (error) {
		const err = error as NodeJS.ErrnoException & { stderr?: Buffer };
		if (err.code === 'ENOENT') {
			throw new Error('The Twilio stand-in needs the openssl command to make its test certificates; install it (Debian: apt-get install -y openssl).');
		}
		throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() || err.message}`);
	}
}

/** A CA and a server certificate for api.twilio.com signed by it, valid for two days. */
function makeCertificates(dir: string): { caFile: string; key: Buffer; cert: Buffer } {
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
	openssl(
		[
			'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Dialogue e2e test CA',
			'-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
		],
		dir,
	);
	openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${TWILIO_HOST}`], dir);
	fs.writeFileSync(
		path.join(dir, 'server.ext'),
		`basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${TWILIO_HOST}\n`,
	);
	openssl(
		['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'],
		dir,
	);
	return {
		caFile: path.join(dir, 'ca.pem'),
		key: fs.readFileSync(path.join(dir, 'server.key')),
		cert: fs.readFileSync(path.join(dir, 'server.pem')),
	};
}

function twilioError(res: http.ServerResponse, status: number, code: number, message: string): void {
	res.writeHead(status, { 'content-type': 'application/json' });
	res.end(JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }));
}

function sidOf(prefix: string): string {
	return prefix + randomBytes(16).toString('hex');
}

/**
 * Starts the proxy and the TLS endpoint behind it. `accounts` maps each accepted Account SID to its
 * Auth Token.
 */
export async function startTwilioStandIn(options: { accounts: Record<string, string>; log?: (line: string) => void }): Promise<TwilioStandIn> {
	const log = options.log ?? (() => {});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-twilio-'));
	const { caFile, key, cert } = makeCertificates(dir);
	const messages: TwilioMessage[] = [];
	const rejected: TwilioStandIn['rejected'] = [];
	const refused: string[] = [];
	const waiters = new Set<() => void>();
	const reject = (res: http.ServerResponse, req: http.IncomingMessage, status: number, code: number, reason: string) => {
		rejected.push({ status, method: req.method ?? '', path: req.url ?? '', reason });
		log(`twilio stand-in: ${status} ${req.method} ${req.url}: ${reason}`);
		twilioError(res, status, code, reason);
	};

	const api = https.createServer({ key, cert }, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json(\?.*)?$/.exec(req.url ?? '');
			if (!match || req.method !== 'POST') return reject(res, req, 404, 20404, 'The requested resource was not found');
			const accountSid = decodeURIComponent(match[1]);
			const auth = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
			const [user, ...rest] = auth ? Buffer.from(auth[1], 'base64').toString('utf8').split(':') : [];
			if (!auth || user !== accountSid || options.accounts[accountSid] === undefined || rest.join(':') !== options.accounts[accountSid]) {
				return reject(res, req, 401, 20003, 'Authenticate');
			}
			if (!/application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) {
				return reject(res, req, 400, 21602, `Expected a form body, got ${req.headers['content-type'] ?? 'no content type'}`);
			}
			const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
			if (!form.To) return reject(res, req, 400, 21604, "A 'To' phone number is required.");
			if (!form.From) return reject(res, req, 400, 21603, "A 'From' phone number is required.");
			if (!form.Body) return reject(res, req, 400, 21602, 'Message body is required.');
			const message: TwilioMessage = { sid: sidOf('SM'), accountSid, from: form.From, to: form.To, body: form.Body, receivedAt: Date.now(), form };
			messages.push(message);
			log(`twilio stand-in: SMS ${message.sid} to ${message.to}: ${message.body}`);
			const now = new Date().toUTCString();
			res.writeHead(201, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					account_sid: accountSid,
					api_version: '2010-04-01',
					body: message.body,
					date_created: now,
					date_sent: null,
					date_updated: now,
					direction: 'outbound-api',
					error_code: null,
					error_message: null,
					from: message.from,
					messaging_service_sid: null,
					num_media: '0',
					num_segments: String(Math.max(1, Math.ceil(message.body.length / 160))),
					price: null,
					price_unit: 'USD',
					sid: message.sid,
					status: 'queued',
					subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}/Media.json` },
					to: message.to,
					uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.sid}.json`,
				}),
			);
			for (const wake of waiters) wake();
		});
	});
	api.on('tlsClientError', (err) => log(`twilio stand-in: TLS error: ${err.message}`));

	const sockets = new Set<net.Socket>();
	const proxy = http.createServer((req, res) => {
		// A plain proxied request (http:// through the proxy): nothing here serves those.
		refused.push(`${req.method} ${req.url}`);
		res.writeHead(403, { 'content-type': 'text/plain' });
		res.end('The Twilio stand-in proxies api.twilio.com:443 only\n');
	});
	proxy.on('connection', (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
		const target = (req.url ?? '').toLowerCase();
		if (target !== `${TWILIO_HOST}:443`) {
			refused.push(`CONNECT ${req.url}`);
			log(`twilio stand-in: refused CONNECT ${req.url}`);
			socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		if (head.length > 0) socket.unshift(head);
		api.emit('connection', socket);
	});
	await new Promise<void>((resolve, rejectListen) => {
		proxy.once('error', rejectListen);
		proxy.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = proxy.address() as net.AddressInfo;
	const proxyUrl = `http://127.0.0.1:${port}`;

	function waitForMessages(count: number, timeoutMs = 30_000): Promise<TwilioMessage[]> {
		if (messages.length >= count) return Promise.resolve(messages.slice());
		return new Promise((resolve, rejectWait) => {
			const wake = () => {
				if (messages.length < count) return;
				clearTimeout(timer);
				waiters.delete(wake);
				resolve(messages.slice());
			};
			const timer = setTimeout(() => {
				waiters.delete(wake);
				const seen = messages.map((m) => `${m.to}: ${m.body}`).join('\n  ') || '(none)';
				const bad = rejected.map((r) => `${r.status} ${r.method} ${r.path}: ${r.reason}`).join('\n  ');
				rejectWait(new Error(`${messages.length} of ${count} SMS within ${timeoutMs} ms; received:\n  ${seen}${bad ? `\nrejected:\n  ${bad}` : ''}`));
			}, timeoutMs);
			waiters.add(wake);
		});
	}

	return {
		proxyUrl,
		caFile,
		env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NODE_EXTRA_CA_CERTS: caFile, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
		messages,
		rejected,
		refused,
		waitForMessages,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => proxy.close(() => resolve()));
			api.close();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
