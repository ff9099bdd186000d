'use strict';
// An SMTP catcher: keeps the mail n8n sends, for tests to wait for and a person to read.

const fs = require('node:fs');
const path = require('node:path');
const { LOOPBACK } = require('./common.js');
const { startMailPage } = require('./mail-page.js');

function addressText(a) {
	return a ? a.text || (a.value || []).map((v) => v.address).join(', ') : '';
}

/**
 * An SMTP server on 127.0.0.1 that accepts any mail without authentication and keeps it:
 * <dir>/<n>.eml (raw) and <n>.json (from, to, subject, text, html, date), and in memory.
 * With httpPort, a small page lists the mails (newest first) for a person to read. With
 * keepHistory, the mails already in dir (from an earlier run) are loaded too (and waitForMail can
 * match them); numbering always continues after the highest file number in dir.
 *
 * @param {{ port?: number, dir?: string, httpPort?: number|null, keepHistory?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ port: number, httpPort: number|null, pageUrl: string|null, dir: string|null,
 *   mails: object[], waitForMail: (predicate?: (mail: object) => boolean, timeoutMs?: number) => Promise<object>,
 *   close: () => Promise<void> }>}
 */
async function startSmtpCatcher({ port = 0, dir = null, httpPort = null, keepHistory = false, log = () => {} } = {}) {
	const { SMTPServer } = require('smtp-server');
	const { simpleParser } = require('mailparser');
	if (dir) fs.mkdirSync(dir, { recursive: true });
	const mails = [];
	const waiters = new Set();
	let counter = 0;
	if (dir) {
		for (const f of fs.readdirSync(dir)) {
			const m = /^(\d+)\.json$/.exec(f);
			if (!m) continue;
			counter = Math.max(counter, Number(m[1]));
			if (keepHistory) {
				try {
					mails.push(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
				} catch {
					/* half-written or edited by hand: not shown */
				}
			}
		}
		mails.sort((a, b) => a.id - b.id);
	}

	const server = new SMTPServer({
		secure: false,
		authOptional: true,
		disabledCommands: ['AUTH', 'STARTTLS'],
		banner: 'dialogue smtp catcher',
		logger: false,
		size: 25 * 1024 * 1024,
		onData(stream, session, callback) {
			const chunks = [];
			stream.on('data', (c) => chunks.push(c));
			stream.on('error', callback);
			stream.on('end', async () => {
				try {
					const raw = Buffer.concat(chunks);
					const parsed = await simpleParser(raw);
					const n = ++counter;
					const mail = {
						id: n,
						receivedAt: new Date().toISOString(),
						envelope: {
							from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
							to: session.envelope.rcptTo.map((r) => r.address),
						},
						from: addressText(parsed.from),
						to: addressText(parsed.to) || session.envelope.rcptTo.map((r) => r.address).join(', '),
						cc: addressText(parsed.cc),
						subject: parsed.subject ?? '',
						text: parsed.text ?? '',
						html: typeof parsed.html === 'string' ? parsed.html : '',
						date: parsed.date ? parsed.date.toISOString() : null,
					};
					if (dir) {
						fs.writeFileSync(path.join(dir, `${n}.eml`), raw);
						fs.writeFileSync(path.join(dir, `${n}.json`), JSON.stringify(mail, null, 2) + '\n');
						mail.file = path.join(dir, `${n}.eml`);
					}
					mails.push(mail);
					log(`  mail #${n} to ${mail.to}: ${mail.subject}`);
					for (const w of waiters) w(mail);
					callback();
				} catch (err) {
					callback(err);
				}
			});
		},
	});
	server.on('error', (err) => log(`  smtp catcher error: ${err.message}`));
	await new Promise((resolve, reject) => {
		server.server.once('error', reject);
		server.listen(port, LOOPBACK, () => {
			server.server.removeListener('error', reject);
			resolve();
		});
	});
	const smtpPort = server.server.address().port;

	function waitForMail(predicate = () => true, timeoutMs = 30_000) {
		const found = mails.find(predicate);
		if (found) return Promise.resolve(found);
		return new Promise((resolve, reject) => {
			const onMail = (mail) => {
				if (!predicate(mail)) return;
				clearTimeout(timer);
				waiters.delete(onMail);
				resolve(mail);
			};
			const timer = setTimeout(() => {
				waiters.delete(onMail);
				const seen = mails.map((m) => `#${m.id} to ${m.to}: ${m.subject}`).join('\n  ') || '(none)';
				reject(new Error(`no matching mail within ${timeoutMs} ms; received:\n  ${seen}`));
			}, timeoutMs);
			waiters.add(onMail);
		});
	}

	let page = null;
	let pagePort = null;
	if (httpPort !== null && httpPort !== undefined) {
		page = await startMailPage(httpPort, { mails, smtpPort, dir });
		pagePort = page.address().port;
	}

	const close = async () => {
		await new Promise((r) => server.close(r));
		if (page) {
			page.closeAllConnections?.();
			await new Promise((r) => page.close(r));
		}
	};
	return {
		port: smtpPort,
		httpPort: pagePort,
		pageUrl: pagePort ? `http://${LOOPBACK}:${pagePort}/` : null,
		dir,
		mails,
		waitForMail,
		close,
	};
}

module.exports = { startSmtpCatcher };
