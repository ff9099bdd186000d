'use strict';
// The instance owner, login and API keys, through n8n's internal REST API (under /rest, cookie
// `n8n-auth`), so that a fresh instance is set up headlessly.

const { readBody } = require('./common.js');

function authCookie(res) {
	const cookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
	for (const c of cookies) {
		const pair = c.split(';')[0];
		if (pair.startsWith('n8n-auth=')) return pair;
	}
	return null;
}

/**
 * Creates the instance owner (POST /rest/owner/setup) and returns the auth cookie ("n8n-auth=...").
 * If the owner exists already, logs in instead (POST /rest/login with emailOrLdapLoginId, password).
 */
async function setupOwner(baseUrl, { email, password, firstName = 'Dev', lastName = 'Owner' }) {
	const res = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, password, firstName, lastName }),
	});
	const body = await readBody(res);
	if (res.ok) {
		const cookie = authCookie(res);
		if (!cookie) throw new Error(`POST /rest/owner/setup answered ${res.status} but set no n8n-auth cookie`);
		return cookie;
	}
	const message = typeof body === 'object' && body ? body.message : String(body);
	if (res.status === 400 && /already/i.test(message || '')) return login(baseUrl, { email, password });
	throw new Error(`POST /rest/owner/setup failed: ${res.status} ${JSON.stringify(body)}`);
}

/** POST /rest/login -> auth cookie. n8n rate-limits this to 5 attempts a minute per email. */
async function login(baseUrl, { email, password }) {
	const res = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: email, password }),
	});
	const body = await readBody(res);
	if (!res.ok) {
		throw new Error(
			`POST /rest/login as ${email} failed: ${res.status} ${JSON.stringify(body)}. ` +
				'The owner exists with another password; delete the user folder to start over.',
		);
	}
	const cookie = authCookie(res);
	if (!cookie) throw new Error('POST /rest/login succeeded but set no n8n-auth cookie');
	return cookie;
}

/** Scopes the logged-in user may give an API key (GET /rest/api-keys/scopes). */
async function apiKeyScopes(baseUrl, cookie) {
	const res = await fetch(`${baseUrl}/rest/api-keys/scopes`, { headers: { cookie } });
	const body = await readBody(res);
	if (!res.ok) throw new Error(`GET /rest/api-keys/scopes failed: ${res.status} ${JSON.stringify(body)}`);
	return body.data;
}

/**
 * Creates a public-API key for the logged-in user (POST /rest/api-keys) and returns the raw key.
 * scopes default to every scope the user may grant (for the owner: all of them).
 */
async function createApiKey(baseUrl, cookie, { label = `dev-${Date.now()}`, scopes } = {}) {
	scopes = scopes ?? (await apiKeyScopes(baseUrl, cookie));
	const res = await fetch(`${baseUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', cookie },
		body: JSON.stringify({ label, expiresAt: null, scopes }),
	});
	const body = await readBody(res);
	if (!res.ok) throw new Error(`POST /rest/api-keys failed: ${res.status} ${JSON.stringify(body)}`);
	const raw = body && body.data && body.data.rawApiKey;
	if (!raw) throw new Error(`POST /rest/api-keys answered without data.rawApiKey: ${JSON.stringify(body)}`);
	return raw;
}

module.exports = { setupOwner, login, apiKeyScopes, createApiKey };
