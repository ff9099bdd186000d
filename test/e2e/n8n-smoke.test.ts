// Smoke test of the real-n8n tooling: a real n8n (the pinned version, installed on first use) in a
// temporary user folder, set up headlessly (owner, API key, SMTP credential), runs a workflow
// Webhook (POST /webhook/x) -> Send Email, and the mail reaches our SMTP catcher. If n8n cannot be
// installed this fails and says why; it is never skipped.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { N8nApi, N8nHandle, SmtpCatcher, Workflow } from '../../scripts/n8n/instance';
import { n8n, requireN8n } from './n8n';

const TO = 'customer@example.test';
const FROM = 'shop@dialogue.local';

describe('real n8n: Webhook -> Send Email reaches the SMTP catcher', () => {
	let userFolder = '';
	let instance: N8nHandle | undefined;
	let smtp: SmtpCatcher | undefined;
	let api: N8nApi;
	let credentialId = '';
	let passed = false;

	beforeAll(
		async () => {
			const { n8nBin } = await requireN8n();
			userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-e2e-smoke-'));
			smtp = await n8n.startSmtpCatcher({ dir: path.join(userFolder, 'mail') });
			instance = await n8n.startN8n({ userFolder, n8nBin, log: (line) => console.log(`# ${line}`) });
			const rss = instance.rss();
			console.log(`# n8n ready in ${instance.startupMs} ms on ${instance.baseUrl}; RSS ${Math.round(rss.totalKb / 1024)} MB in ${rss.processes} processes`);
			const cookie = await n8n.setupOwner(instance.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-Local-1', firstName: 'Smoke', lastName: 'Test' });
			api = new n8n.N8nApi(instance.baseUrl, await n8n.createApiKey(instance.baseUrl, cookie, { label: 'e2e smoke' }));
			const credential = await api.createCredential({
				name: 'Test SMTP',
				type: 'smtp',
				data: { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
			});
			credentialId = credential.id;
		},
		20 * 60_000,
	);

	afterAll(async () => {
		await instance?.stop();
		await smtp?.close();
		if (passed) fs.rmSync(userFolder, { recursive: true, force: true });
		else if (userFolder) console.log(`# kept ${userFolder} (n8n log: ${path.join(userFolder, 'n8n.log')})`);
	});

	it('activates the workflow, takes a production webhook call and sends the mail', async () => {
		assert.ok(instance && smtp, 'n8n and the SMTP catcher are running');
		const workflow: Workflow = {
			name: 'Smoke: webhook to email',
			nodes: [
				{
					id: '8d1f5a52-0c1e-4a36-9f3e-0a6f4f2c1a01',
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: '5b0b3f1e-7d55-4c8e-b6a4-2f1f0e9d7c11',
					parameters: { httpMethod: 'POST', path: 'x' },
				},
				{
					id: '8d1f5a52-0c1e-4a36-9f3e-0a6f4f2c1a02',
					name: 'Send Email',
					type: 'n8n-nodes-base.emailSend',
					typeVersion: 2.1,
					position: [240, 0],
					credentials: { smtp: { id: credentialId, name: 'Test SMTP' } },
					parameters: {
						fromEmail: FROM,
						toEmail: TO,
						subject: '={{ $json.body.subject }}',
						emailFormat: 'text',
						text: '=Hello from the smoke test: {{ $json.body.subject }}',
						options: {},
					},
				},
			],
			connections: { Webhook: { main: [[{ node: 'Send Email', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		};
		const created = await api.createWorkflow(workflow);
		const activated = await api.activateWorkflow(created.id);
		assert.equal(activated.active, true);

		const subject = `Smoke ${Date.now()}`;
		const posted = Date.now();
		const response = await n8n.waitForWebhook(`${instance.baseUrl}/webhook/x`, { body: { subject } });
		assert.equal(response.status, 200, `webhook answered ${response.status}: ${JSON.stringify(response.body)}`);

		const mail = await smtp.waitForMail((m) => m.subject === subject, 30_000);
		console.log(`# mail arrived ${Date.now() - posted} ms after the POST`);
		assert.equal(mail.subject, subject);
		assert.deepEqual(mail.envelope.to, [TO]);
		assert.equal(mail.envelope.from, FROM);
		assert.match(mail.text, new RegExp(`Hello from the smoke test: ${subject}`));
		assert.ok(mail.file && fs.existsSync(mail.file), 'the catcher wrote the .eml');

		const [execution] = await api.waitForExecutions(created.id, { count: 1 });
		assert.equal(execution.status, 'success');
		assert.ok(execution.data?.resultData.runData['Send Email'], 'Send Email ran');

		await api.deleteWorkflow(created.id);
		passed = true;
	}, 120_000);
});
