/**
 * Template 11 (win back a segment) end to end in a real n8n (pinned version) with the PACKED
 * package, an SMTP catcher and the activity store in a SQLite file (see e2e-templates.ts). The
 * template is imported as shipped except for what time needs: its Schedule Trigger fires once, at
 * a fixed second about 20 s after activation (a daily cron, so no second run within the test), and
 * its Wait lasts seconds instead of a week. Customers are registered and orders placed through a
 * Storefront Trigger's production URL (signed Generic deliveries); the segment and the coupon pool
 * are filled in the store the workflow reads.
 *
 * If n8n cannot be installed or started, the before hook fails and so does the test: never skipped.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { Mail } from '../../scripts/n8n/instance';
import { genericEvent, genericOrder, isoSeconds, post, uniqueNumber } from './e2e-storefront';
import { PACKAGE, eventually, importAndActivate, sleep, startWorld, templateCopy, type Imported, type World } from './e2e-templates';

const SEGMENT = 'Lapsed customers';
const POOL = 'reactivation-15';
const WAIT_SECONDS = 8;
/** The schedule fires this long after activation. */
const FIRE_AFTER_MS = 20_000;
const SUBJECTS = { code: 'We miss you: 15% off your next order', reminder: 'Your 15% code is still waiting' };

let world: World;
let passed = false;

interface Member {
	id: string;
	email: string;
	firstName: string;
}

function member(name: string): Member {
	const n = uniqueNumber();
	return { id: `g-${n}`, email: `${name.toLowerCase()}.${n}@customers.test`, firstName: name };
}

const mailsTo = (m: Member): Mail[] => world.smtp.mails.filter((mail) => mail.envelope.to.includes(m.email));

/** A Storefront Trigger that records the shop's registrations and orders (as any activity's trigger does). */
async function shopFeed(): Promise<string> {
	const credential = world.storefrontCredentials.generic;
	const feed: Imported = await importAndActivate(world, {
		name: 'E2E: shop feed',
		nodes: [
			{
				name: 'Shop events',
				type: `${PACKAGE}.storefrontTrigger`,
				typeVersion: 1.2,
				position: [0, 0],
				webhookId: '5d1e0a3c-7b7e-4f0e-9d5c-2a1b3c4d5e6f',
				parameters: { source: 'auto', events: ['customer.registered', 'order.placed'], filters: {}, options: {} },
				credentials: { storefrontWebhookApi: { id: credential.id, name: credential.name } },
			},
			{ name: 'Recorded', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], parameters: {} },
		],
		connections: { 'Shop events': { main: [[{ node: 'Recorded', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	return feed.url;
}

async function accepted(url: string, delivery: Parameters<typeof post>[1]) {
	const answer = await post(url, delivery);
	assert.equal(answer.status, 200, JSON.stringify(answer.body));
	assert.equal(answer.body.status, 'started', JSON.stringify(answer.body));
}

/** The pool code the mail carries. */
function codeIn(mail: Mail, codes: string[]): string {
	const found = codes.filter((code) => mail.html.includes(code));
	assert.equal(found.length, 1, `the mail "${mail.subject}" carries one pool code:\n${mail.html}`);
	return found[0];
}

describe('template 11 in a real n8n: win back a segment', () => {
	beforeAll(async () => {
		world = await startWorld('reactivation');
	}, 5 * 60_000);

	afterAll(async () => {
		await world?.close(!passed);
	});

	it('each member gets one code; a week later (seconds here) the same code again, unless they ordered or left the segment', async () => {
		const feed = await shopFeed();
		const stays = member('Alma');
		const orders = member('Omar');
		const leaves = member('Rita');
		const outsider = member('Otis');
		const members = [stays, orders, leaves];
		for (const customer of [...members, outsider]) {
			const registered = { id: `customer.registered:${customer.id}`, type: 'customer.registered', occurredAt: isoSeconds(Date.now() - 60_000), customer };
			await accepted(feed, genericEvent(registered));
		}
		const now = Date.now();
		await world.store.ensureSegments([SEGMENT], now);
		await world.store.segmentAdd(SEGMENT, members.map((m) => ({ customerId: m.id })), now);
		await world.store.ensurePools([POOL], now);
		const pool = Array.from({ length: 10 }, (_, i) => `WINBACK-${String(i + 1).padStart(3, '0')}`);
		await world.store.addCodes(POOL, pool.map((code) => ({ code, discountKind: 'percent' as const, discountValue: '15' })), now);

		// The template as shipped; only time changes: one firing at a fixed second (UTC, as n8n runs), a Wait of seconds.
		const fireAt = new Date(Math.ceil((Date.now() + FIRE_AFTER_MS) / 1000) * 1000);
		const cron = `${fireAt.getUTCSeconds()} ${fireAt.getUTCMinutes()} ${fireAt.getUTCHours()} * * *`;
		const copy = templateCopy(world, '11-segment-reactivation.json', {
			waitSeconds: WAIT_SECONDS,
			edit: (node) => {
				if (node.type === 'n8n-nodes-base.scheduleTrigger') node.parameters = { rule: { interval: [{ field: 'cronExpression', expression: cron }] } };
			},
		});
		const workflow = await importAndActivate(world, copy);

		// The first mails: one per member, each with a code from the pool, the codes distinct.
		const first = new Map<Member, Mail>();
		for (const m of members) first.set(m, await world.smtp.waitForMail((mail) => mail.envelope.to.includes(m.email) && mail.subject === SUBJECTS.code, FIRE_AFTER_MS + 30_000));
		const firstAt = Math.max(...[...first.values()].map((mail) => Date.parse(mail.receivedAt)));
		assert.ok(firstAt >= fireAt.getTime() - 1_000, `mailed when the schedule fired (${new Date(firstAt).toISOString()} vs ${fireAt.toISOString()})`);
		const codes = new Map([...first].map(([m, mail]) => [m, codeIn(mail, pool)]));
		assert.equal(new Set(codes.values()).size, 3, `one code per member: ${[...codes.values()]}`);
		for (const m of members) {
			assert.deepEqual(first.get(m)!.envelope.to, [m.email]);
			assert.match(first.get(m)!.html, new RegExp(`Hello ${m.firstName},`));
			const held = await world.store.codesOf(m.id);
			assert.deepEqual(held.map((c) => [c.pool, c.code]), [[POOL, codes.get(m)]], `${m.firstName} holds the mailed code`);
		}

		// During the wait: Omar orders (after the mail, in a later second than the run's start), Rita leaves the segment.
		await sleep(1_100);
		await accepted(feed, genericOrder({ id: `o-${uniqueNumber()}`, customer: orders, lines: [{ productId: 'mug-1', name: 'Mug', categories: ['Kitchen'], price: '12.00' }] }));
		assert.deepEqual(await world.store.segmentRemove(SEGMENT, [leaves.id]), [true]);
		assert.ok(Date.now() - firstAt < WAIT_SECONDS * 1000, 'the order and the removal happened during the wait');

		const reminder = await world.smtp.waitForMail((mail) => mail.envelope.to.includes(stays.email) && mail.subject === SUBJECTS.reminder, WAIT_SECONDS * 1000 + 30_000);
		assert.ok(Date.parse(reminder.receivedAt) - firstAt >= (WAIT_SECONDS - 1) * 1000, 'the reminder came after the (compressed) week');
		assert.equal(codeIn(reminder, pool), codes.get(stays), 'the reminder carries the same code');
		assert.match(reminder.html, /Hello Alma,/);

		const [run] = await eventually(async () => {
			const list = await world.api.listExecutions(workflow.id);
			return list.length === 1 && list[0].status === 'success' ? list : undefined;
		}, 30_000, 'the run to finish');
		await world.api.deactivateWorkflow(workflow.id);
		const [done] = await world.api.waitForExecutions(workflow.id, { count: 1, timeoutMs: 10_000, includeData: true });
		assert.equal(done.id, run.id);
		const runData = done.data!.resultData.runData;
		assert.equal(runData['Email the code']?.[0]?.data?.main[0]?.length, 3, 'three first mails in the one run');
		assert.equal(runData['Left the segment: done']?.[0]?.data?.main[0]?.length, 1, 'Rita left the segment');
		assert.equal(runData['Ordered: done']?.[0]?.data?.main[0]?.length, 1, 'Omar ordered');
		assert.equal(runData['Email the reminder']?.[0]?.data?.main[0]?.length, 1, 'one reminder');

		await sleep(1_000);
		assert.deepEqual(mailsTo(stays).map((m) => m.subject), [SUBJECTS.code, SUBJECTS.reminder]);
		assert.deepEqual(mailsTo(orders).map((m) => m.subject), [SUBJECTS.code], 'ordered since the run started: no reminder');
		assert.deepEqual(mailsTo(leaves).map((m) => m.subject), [SUBJECTS.code], 'left the segment: no reminder');
		assert.deepEqual(mailsTo(outsider), [], 'not a member: nothing');
		assert.equal((await world.api.listExecutions(workflow.id)).length, 1, 'the schedule fired once');
		assert.deepEqual(await world.store.poolStatus(POOL, Date.now()).then((s) => [s.free, s.assigned]), [7, 3]);
		passed = true;
	}, 3 * 60_000);
});
