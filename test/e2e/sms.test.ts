// Scenarios 5 (Birthday text) and 7 (Birthday, two channels) in a real n8n, from the shipped
// templates: the packed package installed as a user install, customers recorded through a signed
// Storefront Trigger into a store file in a temp folder (DIALOGUE_STORE_URL), the Storefront
// Occasion Trigger polling, emails to an SMTP catcher, and n8n's own Twilio node sending to a
// local stand-in for the Twilio Messages API (twilio-standin.ts: n8n's HTTPS_PROXY support and a
// test certificate authority in NODE_EXTRA_CA_CERTS).
//
// The only changes to the imported copies: credentials are set and the triggers poll every 5 s
// instead of every morning (n8n refuses a poll time that fires more than once a minute, so the
// copy lists twelve once-a-minute times, at seconds 0, 5, ..., 55).
//
// If n8n cannot be installed this fails and says why; it is never skipped.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DateTime } from 'luxon';
import type { Execution, Mail, N8nApi, N8nHandle, SmtpCatcher, Workflow, WorkflowNode } from '../../scripts/n8n/instance';
import type { HeldCode, Store } from '../../core/store';
import { storeAt } from '../../store/open';
import { n8n, repoRoot, requireN8n } from './n8n';
import { startTwilioStandIn, type TwilioMessage, type TwilioStandIn } from './twilio-standin';

const PACKAGE = 'n8n-nodes-dialogue-activities';
const OCCASION_TRIGGER = `${PACKAGE}.storefrontOccasionTrigger`;
const ACCOUNT_SID = 'AC0e2e0000000000000000000000000001';
const AUTH_TOKEN = 'e2e-twilio-auth-token';
const SECRET = 'e2e-generic-signing-secret';
const POOL = 'birthday-10';
const RECORDER_WEBHOOK_ID = '3f6a1c52-5e0b-4f7e-9d1a-7c2b8e4d0a11';
const POLL_EVERY_S = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string) => console.log(`# ${line}`);

interface Person {
	id: string;
	firstName?: string;
	phone?: string;
	email?: string;
	acceptsMarketing?: boolean;
	/** Days from the customer's today to the birthday. */
	birthdayIn: number;
}

/**
 * A time zone where it is around noon now (Etc/GMT-N is UTC+N), so "today" and "in 7 days" do not
 * move while the test runs, whatever the hour here.
 */
function zoneNearNoon(): string {
	const offset = 12 - new Date().getUTCHours();
	return offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

function template(file: string): Workflow {
	return JSON.parse(fs.readFileSync(path.join(repoRoot, 'templates', file), 'utf8')) as Workflow;
}

/** The imported copy: credentials set, triggers polling every POLL_EVERY_S seconds. */
function prepare(workflow: Workflow, credentials: { smtp: { id: string; name: string }; twilio: { id: string; name: string } }): Workflow {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes as WorkflowNode[]) {
		if (node.type === 'n8n-nodes-base.emailSend') node.credentials = { smtp: credentials.smtp };
		if (node.type === 'n8n-nodes-base.twilio') node.credentials = { twilioApi: credentials.twilio };
		if (node.type === OCCASION_TRIGGER) {
			const item = Array.from({ length: 60 / POLL_EVERY_S }, (_, i) => ({ mode: 'custom', cronExpression: `${i * POLL_EVERY_S} * * * * *` }));
			node.parameters = { ...node.parameters, pollTimes: { item } };
		}
	}
	return copy;
}

function outputOf(execution: Execution, node: string, output = 0): Array<Record<string, unknown>> {
	const runs = execution.data?.resultData.runData[node] ?? [];
	return runs.flatMap((run) => (run.data?.main[output] ?? []).map((item) => item.json));
}

const customerIdOf = (json: Record<string, unknown>) => (json.customer as { id: string }).id;

describe('real n8n: birthday templates send SMS through the Twilio node and a birthday card with a code', () => {
	let userFolder = '';
	let instance: N8nHandle | undefined;
	let smtp: SmtpCatcher | undefined;
	let twilio: TwilioStandIn | undefined;
	let store: Store | undefined;
	let api: N8nApi;
	let smtpCredential = { id: '', name: 'Test SMTP' };
	let twilioCredential = { id: '', name: 'Test Twilio' };
	let recorderUrl = '';
	let zone = '';
	let passed = 0;
	const wanted = 2;
	const workflowIds: Record<string, string> = {};

	/** Records a customer.registered event through the signed Storefront Trigger. */
	async function register(person: Person, options: { signature?: string } = {}): Promise<{ status: number; body: unknown }> {
		const today = DateTime.now().setZone(zone).startOf('day');
		const birthday = today.plus({ days: person.birthdayIn }).toFormat('1992-MM-dd');
		const event = {
			id: `e2e-registered-${person.id}`,
			type: 'customer.registered',
			occurredAt: new Date().toISOString(),
			customer: {
				id: person.id,
				...(person.email && { email: person.email }),
				...(person.phone && { phone: person.phone }),
				...(person.firstName && { firstName: person.firstName }),
				...(person.acceptsMarketing !== undefined && { acceptsMarketing: person.acceptsMarketing }),
				birthday,
				timezone: zone,
			},
		};
		const body = JSON.stringify(event);
		const signature = options.signature ?? createHmac('sha256', SECRET).update(body).digest('base64');
		return n8n.waitForWebhook(recorderUrl, { body, headers: { 'content-type': 'application/json', 'X-Dialogue-Signature': signature } });
	}

	async function registerAll(people: Person[]): Promise<void> {
		for (const person of people) {
			const res = await register(person);
			assert.equal(res.status, 200, `recording ${person.id}: ${JSON.stringify(res.body)}`);
			assert.equal((res.body as { status: string }).status, 'recorded', `recording ${person.id}: ${JSON.stringify(res.body)}`);
		}
	}

	const smsTo = (phone: string) => twilio!.messages.filter((m) => m.to === phone);
	const mailsTo = (email: string) => smtp!.mails.filter((m) => m.envelope.to.includes(email));

	async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 40_000): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = check();
			if (value !== undefined) return value;
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
			await sleep(200);
		}
	}

	async function importAndActivate(file: string): Promise<string> {
		const created = await api.createWorkflow(prepare(template(file), { smtp: smtpCredential, twilio: twilioCredential }));
		await api.activateWorkflow(created.id);
		workflowIds[file] = created.id;
		return created.id;
	}

	beforeAll(
		async () => {
			const { n8nBin } = await requireN8n(log);
			userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-e2e-sms-'));
			const storeFile = path.join(userFolder, 'store', 'dialogue.sqlite');
			fs.mkdirSync(path.dirname(storeFile), { recursive: true });
			const installed = n8n.installPackage(userFolder, repoRoot, { log });
			log(`installed ${PACKAGE}@${installed.version} into ${installed.packageDir}`);
			twilio = await startTwilioStandIn({ accounts: { [ACCOUNT_SID]: AUTH_TOKEN }, log });
			smtp = await n8n.startSmtpCatcher({ dir: path.join(userFolder, 'mail') });
			instance = await n8n.startN8n({
				userFolder,
				n8nBin,
				log,
				env: { ...twilio.env, DIALOGUE_STORE_URL: storeFile, GENERIC_TIMEZONE: 'UTC' },
			});
			log(`n8n ready in ${instance.startupMs} ms on ${instance.baseUrl}; Twilio stand-in proxy ${twilio.proxyUrl}`);
			const cookie = await n8n.setupOwner(instance.baseUrl, { email: 'owner@dialogue.local', password: 'Dialogue-Local-1', firstName: 'SMS', lastName: 'Test' });
			api = new n8n.N8nApi(instance.baseUrl, await n8n.createApiKey(instance.baseUrl, cookie, { label: 'e2e sms' }));
			const smtpCred = await api.createCredential({
				name: smtpCredential.name,
				type: 'smtp',
				data: { user: '', password: '', host: '127.0.0.1', port: smtp.port, secure: false, disableStartTls: true },
			});
			smtpCredential = { id: smtpCred.id, name: smtpCred.name };
			const twilioCred = await api.createCredential({
				name: twilioCredential.name,
				type: 'twilioApi',
				data: { authType: 'authToken', accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN },
			});
			twilioCredential = { id: twilioCred.id, name: twilioCred.name };
			const webhookCred = await api.createCredential({ name: 'Test storefront', type: 'storefrontWebhookApi', data: { source: 'generic', secret: SECRET } });

			// Customers are recorded by a Storefront Trigger that starts nothing (no event types).
			const recorder = await api.createWorkflow({
				name: 'Record storefront events',
				nodes: [
					{
						id: 'b6f0b7d2-2f0e-4f51-8a55-1c9e4b7a0001',
						name: 'Storefront Trigger',
						type: `${PACKAGE}.storefrontTrigger`,
						typeVersion: 1,
						position: [0, 0],
						webhookId: RECORDER_WEBHOOK_ID,
						credentials: { storefrontWebhookApi: { id: webhookCred.id, name: webhookCred.name } },
						parameters: { source: 'auto', events: [], filters: {}, options: {} },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
			});
			await api.activateWorkflow(recorder.id);
			recorderUrl = `${instance.baseUrl}/webhook/${RECORDER_WEBHOOK_ID}/storefront`;

			// The test reads the same store file (and fills the coupon pool) through the store API.
			store = storeAt({ kind: 'sqlite', file: storeFile });
			zone = zoneNearNoon();
			log(`customers live in ${zone} (local time ${DateTime.now().setZone(zone).toFormat('HH:mm')})`);
		},
		20 * 60_000,
	);

	afterAll(async () => {
		await instance?.stop();
		await smtp?.close();
		await twilio?.close();
		await store?.close();
		if (passed === wanted) fs.rmSync(userFolder, { recursive: true, force: true });
		else if (userFolder) console.log(`# kept ${userFolder} (n8n log: ${path.join(userFolder, 'n8n.log')})`);
	});

	const ada: Person = { id: 'sms-ada', firstName: 'Ada', phone: '+4915110000001', email: 'ada@example.test', birthdayIn: 0 };
	const ben: Person = { id: 'sms-ben', phone: '+4915110000002', birthdayIn: 0 };
	const cem: Person = { id: 'sms-cem', firstName: 'Cem', email: 'cem@example.test', birthdayIn: 0 };
	const dora: Person = { id: 'sms-dora', firstName: 'Dora', phone: '+4915110000004', acceptsMarketing: false, birthdayIn: 0 };
	const eve: Person = { id: 'sms-eve', firstName: 'Eve', phone: '+4915110000005', email: 'eve@example.test', birthdayIn: 7 };
	const fay: Person = { id: 'sms-fay', firstName: 'Fay', phone: '+4915110000006', email: 'fay@example.test', birthdayIn: 30 };
	const gus: Person = { id: 'sms-gus', firstName: 'Gus', phone: '+4915110000007', birthdayIn: 0 };

	it('scenario 5: one SMS per customer on the birthday, only with a number and consent, never twice', async () => {
		assert.ok(instance && twilio && smtp && store, 'n8n, the Twilio stand-in, the SMTP catcher and the store are up');
		const workflowId = await importAndActivate('05-birthday-text.json');

		await registerAll([ada, ben, cem, dora, eve, fay]);
		const duplicate = await register(ada);
		assert.equal((duplicate.body as { status: string }).status, 'duplicate', 'a redelivered registration is answered as a duplicate');
		const forged = await register(ben, { signature: createHmac('sha256', 'not-the-secret').update('x').digest('base64') });
		assert.equal(forged.status, 401, 'a forged signature is refused');

		const [toAda, toBen] = await waitFor('the birthday SMS to Ada and Ben', () => {
			const a = smsTo(ada.phone!);
			const b = smsTo(ben.phone!);
			return a.length && b.length ? [a[0], b[0]] : undefined;
		});
		const stores = (m: TwilioMessage) => m.body.includes('https://shop.example.com/');
		assert.match(toAda.body, /^Happy birthday, Ada! /);
		assert.ok(stores(toAda), `the text links to the store: ${toAda.body}`);
		assert.match(toBen.body, /^Happy birthday! /, 'without a first name the greeting still reads well');
		for (const m of [toAda, toBen]) {
			assert.equal(m.from, '+15551234567', 'From is the template default');
			assert.equal(m.accountSid, ACCOUNT_SID);
		}

		// A customer whose birthday is recorded later is found by the next poll, and that poll
		// emits nobody from before.
		await registerAll([gus]);
		const toGus = await waitFor('the birthday SMS to Gus', () => smsTo(gus.phone!)[0]);
		assert.match(toGus.body, /^Happy birthday, Gus! /);
		await sleep(2 * POLL_EVERY_S * 1000 + 1000);

		for (const person of [ada, ben, gus]) assert.equal(smsTo(person.phone!).length, 1, `${person.id} got exactly one SMS`);
		for (const person of [dora, eve, fay]) assert.equal(smsTo(person.phone!).length, 0, `${person.id} got no SMS`);
		assert.equal(twilio.messages.length, 3, 'three SMS in all');
		assert.deepEqual(twilio.rejected, [], 'the stand-in rejected no request');

		const executions = await api.waitForExecutions(workflowId, { count: 2 });
		for (const execution of executions) assert.equal(execution.status, 'success', `execution ${execution.id}: ${JSON.stringify(execution.data?.resultData.error)}`);
		const started = executions.flatMap((e) => outputOf(e, 'On the birthday').map(customerIdOf)).sort();
		assert.deepEqual(started, [ada.id, ben.id, cem.id, dora.id, gus.id].sort(), 'each birthday started the workflow once; Eve (in 7 days) and Fay did not');
		const gusRun = executions.find((e) => outputOf(e, 'On the birthday').some((json) => customerIdOf(json) === gus.id))!;
		// The poll that found Gus emitted nobody an earlier poll had emitted (which customers the first
		// poll saw depends on when it ran against the registrations, so that is not asserted).
		const earlier = executions.filter((e) => e !== gusRun).flatMap((e) => outputOf(e, 'On the birthday').map(customerIdOf));
		assert.deepEqual(outputOf(gusRun, 'On the birthday').map(customerIdOf).filter((id) => earlier.includes(id)), [], "Gus's poll emitted nobody twice");
		const filteredOut = executions.flatMap((e) => outputOf(e, 'Has mobile and consent?', 1).map(customerIdOf)).sort();
		assert.deepEqual(filteredOut, [cem.id, dora.id], 'no phone (Cem) and no consent (Dora) take the false branch');
		const smsResults = executions.flatMap((e) => outputOf(e, 'Send birthday SMS'));
		assert.ok(smsResults.every((json) => json.status === 'queued' && String(json.sid).startsWith('SM')), 'the Twilio node returned the message resources');

		const entries = await store.guardHistory({ activity: 'birthday-sms', limit: 50 });
		assert.deepEqual(entries.map((e) => e.customerId).sort(), [ada.id, ben.id, gus.id].sort(), 'one guard entry per greeted customer');
		assert.equal(smtp.mails.length, 0, 'scenario 5 sends no email');
		await api.deactivateWorkflow(workflowId);
		passed++;
	}, 180_000);

	it('scenario 7: birthday card with a 10% code 7 days before, SMS on the day, one SMS a year across both templates', async () => {
		assert.ok(instance && twilio && smtp && store, 'n8n, the Twilio stand-in, the SMTP catcher and the store are up');
		const codes = ['BDAY10-E2E-0001', 'BDAY10-E2E-0002', 'BDAY10-E2E-0003', 'BDAY10-E2E-0004', 'BDAY10-E2E-0005'];
		await store.ensurePools([POOL], Date.now());
		const added = await store.addCodes(POOL, codes.map((code) => ({ code, discountKind: 'percent', discountValue: '10' })), Date.now());
		assert.equal(added.added, codes.length);
		const smsBefore = twilio.messages.length;

		// Activation polls at once: everyone whose birthday is today or in 7 days is due already.
		const workflowId = await importAndActivate('07-birthday-two-channels.json');
		const eveMail = await smtp.waitForMail((m) => m.envelope.to.includes(eve.email!), 40_000);

		const hal: Person = { id: 'sms-hal', firstName: 'Hal', phone: '+4915110000008', email: 'hal@example.test', birthdayIn: 0 };
		const ivy: Person = { id: 'sms-ivy', firstName: 'Ivy', email: 'ivy@example.test', birthdayIn: 7 };
		const jo: Person = { id: 'sms-jo', firstName: 'Jo', email: 'jo@example.test', acceptsMarketing: false, birthdayIn: 7 };
		await registerAll([hal, ivy, jo]);
		const ivyMail = await smtp.waitForMail((m) => m.envelope.to.includes(ivy.email!), 40_000);
		const toHal = await waitFor('the birthday SMS to Hal', () => smsTo(hal.phone!)[0]);
		await sleep(2 * POLL_EVERY_S * 1000 + 1000);

		// The birthday cards
		const assigned = new Map<string, string>();
		for (const [person, mail] of [
			[eve, eveMail],
			[ivy, ivyMail],
		] as Array<[Person, Mail]>) {
			assert.equal(mailsTo(person.email!).length, 1, `${person.id} got one birthday card`);
			assert.equal(mail.subject, `A birthday gift for you, ${person.firstName}: 10% off`);
			const held: HeldCode[] = await store.codesOf(person.id);
			assert.equal(held.length, 1, `${person.id} holds one code`);
			assert.equal(held[0].pool, POOL);
			assert.ok(codes.includes(held[0].code));
			assert.ok(mail.text.includes(held[0].code), `the card carries ${person.id}'s code:\n${mail.text}`);
			assert.match(mail.text, /10% off your next order/);
			const birthday = DateTime.now().setZone(zone).plus({ days: 7 }).toFormat('d MMMM');
			assert.ok(mail.text.includes(`your birthday is coming up on ${birthday}`), `the card names the birthday (${birthday}):\n${mail.text}`);
			const expires = DateTime.fromMillis(held[0].expiresAt ?? 0, { zone: 'UTC' }).toFormat('d MMMM yyyy');
			assert.ok(held[0].expiresAt && mail.text.includes(`before ${expires}`), `the card says until when the code is valid (${expires}):\n${mail.text}`);
			assert.ok(mail.html.includes(held[0].code), 'the HTML part carries the code too');
			if (person === eve) log(`birthday card to Eve:\n${mail.text.replace(/^/gm, "#   ")}`);
			assigned.set(person.id, held[0].code);
		}
		assert.notEqual(assigned.get(eve.id), assigned.get(ivy.id), 'two customers, two codes');
		assert.equal(mailsTo(jo.email!).length, 0, 'no card without consent');
		for (const person of [ada, cem, fay, hal]) assert.equal(mailsTo(person.email!).length, 0, `${person.id} gets no card (birthday not in 7 days)`);
		assert.equal(smtp.mails.length, 2);
		assert.equal((await store.poolStatus(POOL, Date.now())).free, codes.length - 2);

		// The SMS on the day: Hal is new; Ada, Ben and Gus were greeted by scenario 5 already.
		assert.match(toHal.body, /^Happy birthday, Hal! .*https:\/\/shop\.example\.com\//);
		assert.equal(twilio.messages.length, smsBefore + 1, 'one new SMS: Hal');
		for (const person of [ada, ben, gus, hal]) assert.equal(smsTo(person.phone!).length, 1, `${person.id}: one birthday SMS in all`);
		assert.deepEqual(twilio.rejected, []);

		const executions = await api.waitForExecutions(workflowId, { count: 2 });
		for (const execution of executions) assert.equal(execution.status, 'success', `execution ${execution.id}: ${JSON.stringify(execution.data?.resultData.error)}`);
		const skipped = executions.flatMap((e) => outputOf(e, 'One birthday SMS a year', 1).map(customerIdOf)).sort();
		// Scenario 5's workflow is still active and may greet Hal first; then 07's guard skips Hal too.
		assert.deepEqual(skipped.filter((id) => id !== hal.id), [ada.id, ben.id, gus.id].sort(), 'the guard skips those the other template greeted');
		const cards = executions.flatMap((e) => outputOf(e, '7 days before the birthday').map(customerIdOf)).sort();
		assert.deepEqual(cards, [eve.id, ivy.id, jo.id].sort(), 'the 7-day trigger started once per customer');
		const days = executions.flatMap((e) => outputOf(e, 'On the birthday').map(customerIdOf)).sort();
		assert.deepEqual(days, [ada.id, ben.id, cem.id, dora.id, gus.id, hal.id].sort(), 'the on-the-day trigger started once per customer');

		await api.deactivateWorkflow(workflowId);
		passed++;
	}, 180_000);
});
