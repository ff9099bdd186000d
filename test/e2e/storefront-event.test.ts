/**
 * The second front door end to end, in a real n8n (pinned version) with the PACKED package, an
 * SMTP catcher and the activity store in a SQLite file (see e2e-templates.ts): n8n's own Webhook
 * node with Raw Body on, answering through Respond to Webhook nodes, followed by the Storefront
 * Event. Signed Shopify deliveries are posted to the Webhook node's production URL.
 *
 * If n8n cannot be installed or started, the before hook fails and so does every test here: the
 * tests are never skipped.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { WorkflowNode } from '../../scripts/n8n/instance';
import { forged, post, shopifyOrderCreated, uniqueNumber, type Person } from './e2e-storefront';
import { PACKAGE, eventually, importAndActivate, sleep, startWorld, templateCopy, type Imported, type World } from './e2e-templates';

const POOL = 'event-thanks';
const SUBJECT = 'Thank you for your order';

let world: World;
let passed = 0;
let tests = 0;

function person(name: string): Person {
	const id = uniqueNumber();
	return { id, firstName: name, lastName: 'Tester', email: `${name.toLowerCase()}.${id}@customers.test` };
}

const respond = (name: string, x: number, y: number, body: string, code?: string): WorkflowNode => ({
	name,
	type: 'n8n-nodes-base.respondToWebhook',
	typeVersion: 1.5,
	position: [x, y],
	parameters: { respondWith: 'json', responseBody: body, options: code ? { responseCode: code } : {} },
});

/** Webhook (Raw Body on) -> Storefront Event -> Start: answer, Coupon, Send Email; Not Started: the answer the node gives. */
async function thankYouWorkflow(): Promise<Imported> {
	const path = randomUUID();
	const shopify = world.storefrontCredentials.shopify;
	return await importAndActivate(world, {
		name: 'E2E: Webhook + Storefront Event thank-you',
		nodes: [
			{
				name: 'Shop webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: path,
				parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: { rawBody: true } },
			},
			{
				name: 'Order placed',
				type: `${PACKAGE}.storefrontEvent`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { source: 'auto', events: ['order.placed'], filters: {}, options: {} },
				credentials: { storefrontWebhookApi: { id: shopify.id, name: shopify.name } },
			},
			respond('Answer started', 440, -100, '={{ { "status": "started", "eventId": $json.id, "type": $json.type } }}'),
			respond('Answer not started', 440, 100, '={{ $json.body }}', '={{ $json.statusCode }}'),
			{
				name: 'Thank-you code',
				type: `${PACKAGE}.coupon`,
				typeVersion: 1,
				position: [660, -100],
				parameters: {
					operation: 'assign',
					pool: { __rl: true, mode: 'name', value: POOL },
					customerId: '={{ $json.customer.id }}',
					assignment: 'each',
					assignmentKey: '={{ $json.id }}',
					expiry: 'never',
					options: {},
				},
			},
			{
				name: 'Thank-you email',
				type: 'n8n-nodes-base.emailSend',
				typeVersion: 2.1,
				position: [880, -100],
				webhookId: randomUUID(),
				parameters: {
					fromEmail: 'Shop <shop@example.com>',
					toEmail: '={{ $json.customer.email }}',
					subject: SUBJECT,
					emailFormat: 'html',
					html: '=<p>Your code: <strong>{{ $json.coupon.code }}</strong></p>',
					options: { appendAttribution: false },
				},
				credentials: { smtp: { id: world.smtpCredential.id, name: world.smtpCredential.name } },
			},
		],
		connections: {
			'Shop webhook': { main: [[{ node: 'Order placed', type: 'main', index: 0 }]] },
			'Order placed': { main: [[{ node: 'Answer started', type: 'main', index: 0 }], [{ node: 'Answer not started', type: 'main', index: 0 }]] },
			'Answer started': { main: [[{ node: 'Thank-you code', type: 'main', index: 0 }]] },
			'Thank-you code': { main: [[{ node: 'Thank-you email', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	});
}

describe('real n8n: Webhook (Raw Body) + Storefront Event', () => {
	beforeAll(async () => {
		world = await startWorld('storefront-event');
		await world.store.ensurePools([POOL], Date.now());
		await world.store.addCodes(POOL, ['EVT-1', 'EVT-2', 'EVT-3'].map((code) => ({ code })), Date.now());
	}, 5 * 60_000);

	afterAll(async () => {
		await world?.close(passed < tests);
	});

	const test = (name: string, fn: () => Promise<void>, timeout = 120_000) => {
		tests++;
		it(name, async () => {
			await fn();
			passed++;
		}, timeout);
	};

	test('a signed Shopify order gets its code by email; its redelivery is answered duplicate and sends nothing; a forged one is answered 401', async () => {
		const wf = await thankYouWorkflow();
		const ada = person('Ada');
		const order = shopifyOrderCreated({ id: uniqueNumber(), customer: ada, total: '80.00' });
		const eventId = `shopify:order.placed:${JSON.parse(order.body).id}`;

		const first = await post(wf.url, order);
		assert.deepEqual([first.status, first.body], [200, { status: 'started', eventId, type: 'order.placed' }]);
		const mail = await world.smtp.waitForMail((m) => m.envelope.to.includes(ada.email!) && m.subject === SUBJECT, 30_000);
		const codes = (await world.store.codesOf(String(ada.id))).map((c) => c.code);
		assert.equal(codes.length, 1);
		assert.match(mail.html, new RegExp(`<strong>${codes[0]}</strong>`));

		const again = await post(wf.url, order);
		assert.equal(again.status, 200, JSON.stringify(again.body));
		assert.equal(again.body.status, 'duplicate', JSON.stringify(again.body));
		const refused = await post(wf.url, forged(order, (body) => body.replace('"80.00"', '"0.80"')));
		assert.equal(refused.status, 401, JSON.stringify(refused.body));
		assert.equal(refused.body.status, 'unauthorized');

		const executions = await world.api.waitForExecutions(wf.id, { count: 3, timeoutMs: 30_000, includeData: true });
		for (const execution of executions) assert.equal(execution.status, 'success', `execution ${execution.id}`);
		await sleep(1000);
		assert.equal(world.smtp.mails.filter((m) => m.envelope.to.includes(ada.email!)).length, 1, 'one mail');
		assert.equal((await world.store.codesOf(String(ada.id))).length, 1, 'one code');
	});

	test('template 02, Webhook variant: an order that takes the customer over 1000 EUR adds them to "Big spenders"', async () => {
		const wf = await importAndActivate(world, templateCopy(world, '02-big-spenders-webhook.json', { source: 'shopify' }));
		const bea = person('Bea');
		const answer = await post(wf.url, shopifyOrderCreated({ id: uniqueNumber(), customer: bea, total: '1200.00' }));
		assert.equal(answer.status, 200, JSON.stringify(answer.body));
		assert.equal(answer.body.status, 'started');
		await eventually(
			async () => ((await world.store.segmentsOf(String(bea.id), Date.now())).some((s) => s.segment === 'Big spenders') ? true : undefined),
			30_000,
			'Bea in "Big spenders"',
		);
	});
});
