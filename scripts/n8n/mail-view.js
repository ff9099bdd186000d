'use strict';
// A caught mail as an email client shows it: the headers (From, To, Subject, Date), the HTML body
// with its inline images (cid:) in place, and the attachments below it, images as thumbnails. The
// body is put in the page as the mail has it: only for mail this project's workflows send.

function escapeHtml(s) {
	return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const dataUrl = (attachment) => `data:${attachment.contentType};base64,${attachment.content.toString('base64')}`;

function sizeText(bytes) {
	return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
}

const STYLE = `
	body { margin: 0; background: #eef0f3; font: 14px/1.5 'DejaVu Sans', system-ui, sans-serif; color: #1f2328; }
	.mail { width: 860px; margin: 24px; background: #fff; border: 1px solid #d8dce1; border-radius: 8px; overflow: hidden; }
	.head { padding: 20px 28px 16px; border-bottom: 1px solid #e6e8eb; }
	.subject { margin: 0 0 14px; font-size: 21px; font-weight: 600; }
	.sender { display: flex; align-items: center; gap: 12px; }
	.avatar { width: 40px; height: 40px; border-radius: 50%; background: #4f6fa8; color: #fff; font-size: 18px; display: flex; align-items: center; justify-content: center; }
	.who { flex: 1; }
	.who .from strong { font-weight: 600; }
	.who .addr, .to, .date { color: #5f6670; font-size: 13px; }
	.date { align-self: flex-start; }
	.body { padding: 20px 28px; }
	.body img { max-width: 100%; height: auto; }
	.attachments { padding: 14px 28px 22px; border-top: 1px solid #e6e8eb; }
	.attachments h2 { margin: 0 0 10px; font-size: 13px; font-weight: 600; color: #5f6670; }
	.attachment { display: inline-block; width: 300px; margin-right: 12px; border: 1px solid #d8dce1; border-radius: 6px; overflow: hidden; vertical-align: top; }
	.attachment .thumb { height: 174px; background: #f6f7f9; display: flex; align-items: center; justify-content: center; }
	.attachment .thumb img { max-width: 100%; max-height: 174px; }
	.attachment .name { padding: 6px 10px; font-size: 12px; overflow-wrap: anywhere; border-top: 1px solid #e6e8eb; }
	.attachment .name span { color: #5f6670; white-space: nowrap; }
`;

/**
 * The page showing one mail.
 *
 * @param {Buffer|string} raw the message as it came over SMTP (an .eml file)
 * @param {{ timeZone?: string }} [options] the zone the Date header is shown in (default UTC)
 * @returns {Promise<string>} a complete HTML document; its `.mail` element is the mail
 */
async function mailViewHtml(raw, { timeZone = 'UTC' } = {}) {
	const { simpleParser } = require('mailparser');
	// keepCidLinks: the cid: references are resolved here, so that an inline image is known as such.
	const mail = await simpleParser(raw, { keepCidLinks: true });
	const byCid = new Map(mail.attachments.filter((a) => a.cid).map((a) => [a.cid, a]));
	const html = typeof mail.html === 'string' ? mail.html : `<pre>${escapeHtml(mail.text)}</pre>`;
	const body = html.replace(/(["'])cid:([^"']+)\1/g, (whole, quote, cid) => (byCid.has(cid) ? `${quote}${dataUrl(byCid.get(cid))}${quote}` : whole));

	const from = (mail.from && mail.from.value[0]) || { name: '', address: '' };
	const date = mail.date
		? new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(mail.date)
		: '';
	const attachments = mail.attachments
		.map((a) => {
			const thumb = a.contentType.startsWith('image/') ? `<img src="${dataUrl(a)}" alt="">` : escapeHtml(a.contentType);
			return `<div class="attachment"><div class="thumb">${thumb}</div><div class="name">${escapeHtml(a.filename || '(no name)')} <span>${sizeText(a.size)}</span></div></div>`;
		})
		.join('');
	const count = mail.attachments.length;
	return (
		`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(mail.subject)}</title><style>${STYLE}</style></head><body>` +
		`<div class="mail"><div class="head"><h1 class="subject">${escapeHtml(mail.subject || '(no subject)')}</h1>` +
		`<div class="sender"><div class="avatar">${escapeHtml((from.name || from.address || '?').slice(0, 1).toUpperCase())}</div>` +
		`<div class="who"><div class="from"><strong>${escapeHtml(from.name || from.address)}</strong> <span class="addr">&lt;${escapeHtml(from.address)}&gt;</span></div>` +
		`<div class="to">to ${escapeHtml(mail.to ? [].concat(mail.to).map((t) => t.text).join(', ') : '')}</div></div>` +
		`<div class="date">${escapeHtml(date)}</div></div></div>` +
		`<div class="body">${body}</div>` +
		(count ? `<div class="attachments"><h2>${count} attachment${count === 1 ? '' : 's'}</h2>${attachments}</div>` : '') +
		`</div></body></html>`
	);
}

module.exports = { mailViewHtml };
