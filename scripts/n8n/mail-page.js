'use strict';
// The page that lists the mails the SMTP catcher keeps (newest first), for a person to read.

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { LOOPBACK } = require('./common.js');
const { mailViewHtml } = require('./mail-view.js');

function escapeHtml(s) {
	return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * Serves, on 127.0.0.1:port (0 = any free port), the list of `mails` (it reads the array at each
 * request, so new mail shows), each mail, its HTML version (with a folder kept: the mail as an email
 * client shows it, inline images and attachments included), and /api/mails as JSON.
 *
 * @param {number} port
 * @param {{ mails: object[], smtpPort: number, dir: string|null }} catcher
 * @returns {Promise<import('node:http').Server>} listening
 */
async function startMailPage(port, { mails, smtpPort, dir }) {
	const page = http.createServer((req, res) => {
		const url = new URL(req.url, `http://${LOOPBACK}`);
		const send = (status, type, body) => {
			res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
			res.end(body);
		};
		if (url.pathname === '/api/mails') return send(200, 'application/json', JSON.stringify(mails.slice().reverse(), null, 2));
		const m = /^\/mail\/(\d+)(\.html)?$/.exec(url.pathname);
		if (m) {
			const mail = mails.find((x) => x.id === Number(m[1]));
			if (!mail) return send(404, 'text/plain', 'no such mail');
			if (m[2]) {
				const file = dir ? path.join(dir, `${mail.id}.eml`) : null;
				if (!file || !fs.existsSync(file)) return send(200, 'text/html', mail.html || `<pre>${escapeHtml(mail.text)}</pre>`);
				mailViewHtml(fs.readFileSync(file)).then(
					(page) => send(200, 'text/html', page),
					(error) => send(500, 'text/plain', `cannot show mail ${mail.id}: ${error.message}`),
				);
				return;
			}
			return send(
				200,
				'text/html',
				`<!doctype html><meta charset="utf-8"><title>${escapeHtml(mail.subject)}</title>` +
					`<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}pre{white-space:pre-wrap;background:#f6f6f6;padding:1em}th{text-align:left;padding-right:1em}</style>` +
					`<p><a href="/">&larr; all mails</a></p><table>` +
					`<tr><th>Subject</th><td>${escapeHtml(mail.subject)}</td></tr>` +
					`<tr><th>From</th><td>${escapeHtml(mail.from)}</td></tr>` +
					`<tr><th>To</th><td>${escapeHtml(mail.to)}</td></tr>` +
					(mail.cc ? `<tr><th>Cc</th><td>${escapeHtml(mail.cc)}</td></tr>` : '') +
					`<tr><th>Received</th><td>${escapeHtml(mail.receivedAt)}</td></tr></table>` +
					`<h3>Text</h3><pre>${escapeHtml(mail.text)}</pre>` +
					(mail.html || dir ? `<p><a href="/mail/${mail.id}.html">As an email client shows it</a></p>` : ''),
			);
		}
		if (url.pathname !== '/') return send(404, 'text/plain', 'not found');
		const rows = mails
			.slice()
			.reverse()
			.map(
				(mail) =>
					`<tr><td>${escapeHtml(mail.receivedAt.replace('T', ' ').slice(0, 19))}</td><td>${escapeHtml(mail.to)}</td>` +
					`<td><a href="/mail/${mail.id}">${escapeHtml(mail.subject || '(no subject)')}</a></td></tr>`,
			)
			.join('');
		send(
			200,
			'text/html',
			`<!doctype html><meta charset="utf-8"><title>Mail catcher (${mails.length})</title><meta http-equiv="refresh" content="5">` +
				`<style>body{font:14px system-ui,sans-serif;margin:2em}td,th{padding:.3em 1em .3em 0;text-align:left;border-bottom:1px solid #ddd}</style>` +
				`<h1>Mails sent by n8n (${mails.length})</h1><p>SMTP 127.0.0.1:${smtpPort}${dir ? `, files in ${escapeHtml(dir)}` : ''}. Refreshes every 5 s.</p>` +
				(rows ? `<table><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr>${rows}</table>` : '<p>No mail yet.</p>'),
		);
	});
	await new Promise((resolve, reject) => {
		page.once('error', reject);
		page.listen(port, LOOPBACK, () => {
			page.removeListener('error', reject);
			resolve();
		});
	});
	return page;
}

module.exports = { startMailPage };
