'use strict';
// n8n's public API (/api/v1, header X-N8N-API-KEY): credentials, workflows, executions; and
// calling a workflow's webhook.

const { sleep, readBody } = require('./common.js');
const { workflowForApi } = require('./workflow.js');

class N8nApiError extends Error {
	constructor(method, url, status, body) {
		super(`${method} ${url} -> ${status} ${typeof body === 'string' ? body : JSON.stringify(body)}`);
		this.status = status;
		this.body = body;
	}
}

class N8nApi {
	/** @param {string} baseUrl e.g. http://127.0.0.1:5678  @param {string} apiKey raw key */
	constructor(baseUrl, apiKey) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.apiKey = apiKey;
	}

	async request(method, pathAndQuery, body) {
		const url = `${this.baseUrl}/api/v1${pathAndQuery}`;
		const res = await fetch(url, {
			method,
			headers: { 'X-N8N-API-KEY': this.apiKey, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		const data = await readBody(res);
		if (!res.ok) throw new N8nApiError(method, url, res.status, data);
		return data;
	}

	/** Fetches every page of a list endpoint. */
	async listAll(pathWithQuery) {
		const items = [];
		let cursor;
		do {
			const sep = pathWithQuery.includes('?') ? '&' : '?';
			const page = await this.request('GET', `${pathWithQuery}${sep}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			items.push(...page.data);
			cursor = page.nextCursor;
		} while (cursor);
		return items;
	}

	/** POST /credentials {name, type, data} -> {id, name, type, ...} */
	createCredential({ name, type, data }) {
		return this.request('POST', '/credentials', { name, type, data });
	}

	/** GET /credentials (all pages) -> [{id, name, type, ...}] (data is never returned). */
	listCredentials() {
		return this.listAll('/credentials');
	}

	deleteCredential(id) {
		return this.request('DELETE', `/credentials/${encodeURIComponent(id)}`);
	}

	/** PATCH /credentials/{id} {name?, type?, data?} */
	updateCredential(id, patch) {
		return this.request('PATCH', `/credentials/${encodeURIComponent(id)}`, patch);
	}

	/** POST /workflows with only the fields the public API accepts (an export's id, tags, meta... are dropped). */
	createWorkflow(workflow) {
		return this.request('POST', '/workflows', workflowForApi(workflow));
	}

	getWorkflow(id) {
		return this.request('GET', `/workflows/${encodeURIComponent(id)}`);
	}

	/** GET /workflows (all pages), optionally filtered by exact name. */
	listWorkflows({ name } = {}) {
		return this.listAll(`/workflows${name ? `?name=${encodeURIComponent(name)}` : ''}`);
	}

	/**
	 * Activates ("publishes", in 2.x words) a workflow: POST /workflows/{id}/publish (2.41; the older
	 * /activate is deprecated but still there). Retried for up to timeoutMs while n8n answers 5xx,
	 * 409 or 400 (e.g. a trigger still being set up). Webhooks register asynchronously after this
	 * returns: send the first call with waitForWebhook.
	 */
	async activateWorkflow(id, { timeoutMs = 15_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let lastError;
		for (;;) {
			try {
				return await this.request('POST', `/workflows/${encodeURIComponent(id)}/publish`, {});
			} catch (err) {
				lastError = err;
				const retryable = !err.status || err.status >= 500 || err.status === 409 || err.status === 400;
				if (!retryable || Date.now() > deadline) throw lastError;
				await sleep(500);
			}
		}
	}

	/** POST /workflows/{id}/unpublish (2.x name of deactivate). */
	deactivateWorkflow(id) {
		return this.request('POST', `/workflows/${encodeURIComponent(id)}/unpublish`, {});
	}

	/**
	 * DELETE /workflows/{id}. 2.41 refuses a published workflow (409 "Unpublish it before
	 * deleting"), and unpublishing is asynchronous too (409 "still being unpublished"): unpublish,
	 * then retry for up to timeoutMs.
	 */
	async deleteWorkflow(id, { timeoutMs = 15_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let unpublished = false;
		for (;;) {
			try {
				return await this.request('DELETE', `/workflows/${encodeURIComponent(id)}`);
			} catch (err) {
				if (err.status !== 409 || Date.now() > deadline) throw err;
				if (!unpublished) {
					unpublished = true;
					await this.deactivateWorkflow(id).catch(() => {});
				}
				await sleep(250);
			}
		}
	}

	/** GET /executions?workflowId=&includeData= (all pages), newest first. */
	listExecutions(workflowId, includeData = false) {
		const q = new URLSearchParams();
		if (workflowId) q.set('workflowId', String(workflowId));
		if (includeData) q.set('includeData', 'true');
		return this.listAll(`/executions?${q}`);
	}

	getExecution(id, includeData = true) {
		return this.request('GET', `/executions/${encodeURIComponent(id)}?includeData=${includeData ? 'true' : 'false'}`);
	}

	/** Waits until the workflow has at least `count` finished executions; returns them (with data). */
	async waitForExecutions(workflowId, { count = 1, timeoutMs = 30_000, includeData = true } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const list = await this.listExecutions(workflowId, includeData);
			const done = list.filter((e) => e.finished || (e.status && !['new', 'running', 'waiting'].includes(e.status)));
			if (done.length >= count) return done;
			if (Date.now() > deadline) {
				throw new Error(`workflow ${workflowId}: ${done.length} of ${count} executions finished after ${timeoutMs} ms (${list.length} seen)`);
			}
			await sleep(250);
		}
	}
}

/**
 * Sends a request to a webhook URL, retrying while n8n answers 404 "... is not registered" (a
 * freshly activated workflow registers its webhooks asynchronously). Returns the first other
 * response as { status, headers, body } (body parsed as JSON when it is JSON).
 */
async function waitForWebhook(url, { method = 'POST', body, headers = {}, timeoutMs = 10_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	const payload = body === undefined || typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
	const hdrs = { ...(payload !== undefined && typeof body === 'object' && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers };
	for (;;) {
		const res = await fetch(url, { method, headers: hdrs, body: method === 'GET' || method === 'HEAD' ? undefined : payload });
		const text = await res.text();
		if (res.status === 404 && /not registered/i.test(text) && Date.now() < deadline) {
			await sleep(200);
			continue;
		}
		let parsed = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, headers: res.headers, body: parsed };
	}
}

module.exports = { N8nApi, N8nApiError, waitForWebhook };
