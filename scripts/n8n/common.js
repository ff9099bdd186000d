'use strict';
// What the modules that talk to a local n8n share.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Everything listens on, and is reached at, 127.0.0.1 only. */
const LOOPBACK = '127.0.0.1';

async function readBody(res) {
	const text = await res.text();
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

module.exports = { sleep, LOOPBACK, readBody };
