/**
 * Template 12 (weekly activity report) end to end in a real n8n (pinned version) with the PACKED
 * package, an SMTP catcher and the activity store in a SQLite file (see e2e-templates.ts). The
 * template is imported as shipped except for time: its Schedule Trigger fires once, at a fixed
 * second about 20 s after activation. Guard entries (some held out) and orders are written to the
 * store the workflow reads. The mails are read back from the catcher's .eml files: each carries the
 * Activity Report's chart, a PNG that decodes and shows the figures.
 *
 * If n8n cannot be installed or started, the before hook fails and so does the test: never skipped.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { simpleParser } from 'mailparser';
import { CHART_COLORS, CHART_HEIGHT, CHART_WIDTH } from '../../core/chart';
import { decodePng, pixelsOf } from '../helpers/png';
import { orderEvent } from '../store/contract';
import { uniqueNumber } from './e2e-storefront';
import { eventually, importAndActivate, startWorld, templateCopy, type World } from './e2e-templates';

const DAY = 86_400_000;
const FIRE_AFTER_MS = 20_000;
const TEAM = 'marketing@example.com';
const subject = (activity: string) => `Weekly activity report: ${activity}`;

let world: World;
let passed = false;

describe('template 12 in a real n8n: weekly activity report', () => {
	beforeAll(async () => {
		world = await startWorld('report');
	}, 5 * 60_000);

	afterAll(async () => {
		await world?.close(!passed);
	});

	it('mails the team one report per activity, the chart of its figures inline as a PNG', async () => {
		// welcome: 12 customers a week ago, every third held out; four who entered and one held out ordered since.
		const now = Date.now();
		const run = uniqueNumber();
		const customers = Array.from({ length: 12 }, (_, i) => `wr-${run}-${i}`);
		const outcomes = await world.store.guardEnter(
			customers.map((customerId, i) => ({ activity: 'welcome', customerId, key: `entry-${customerId}`, policy: { kind: 'once' as const }, holdOut: i % 3 === 0 })),
			now - 7 * DAY,
		);
		const entered = outcomes.filter((o) => !o.heldOut).map((o) => o.customerId);
		const heldOut = outcomes.filter((o) => o.heldOut).map((o) => o.customerId);
		assert.deepEqual([entered.length, heldOut.length], [8, 4]);
		await world.store.recordEvents([...entered.slice(0, 4), heldOut[0]].map((id) => orderEvent(id, now - 5 * DAY, '30.00', { orderId: `o-${id}` })), now);

		const fireAt = new Date(Math.ceil((Date.now() + FIRE_AFTER_MS) / 1000) * 1000);
		const cron = `${fireAt.getUTCSeconds()} ${fireAt.getUTCMinutes()} ${fireAt.getUTCHours()} * * *`;
		const copy = templateCopy(world, '12-weekly-activity-report.json', {
			edit: (node) => {
				if (node.type === 'n8n-nodes-base.scheduleTrigger') node.parameters = { rule: { interval: [{ field: 'cronExpression', expression: cron }] } };
			},
		});
		const workflow = await importAndActivate(world, copy);

		const welcome = await world.smtp.waitForMail((mail) => mail.subject === subject('welcome'), FIRE_AFTER_MS + 60_000);
		const other = await world.smtp.waitForMail((mail) => mail.subject === subject('thank-you-coupon'), 30_000);
		for (const mail of [welcome, other]) assert.deepEqual(mail.envelope.to, [TEAM]);
		assert.match(welcome.html, /Entered: <strong>8<\/strong>, converted 4 \(50\.0 %\)/);
		assert.match(welcome.html, /Control group \(held out\): <strong>4<\/strong>, converted 1 \(25\.0 %\)/);
		assert.match(welcome.html, /Lift: <strong>25\.0 percentage points \(95 % interval /);
		assert.match(other.html, /Lift: <strong>needs customers in both groups/);

		const charts = [];
		for (const mail of [welcome, other]) {
			assert.ok(mail.file, 'the catcher kept the .eml');
			const parsed = await simpleParser(fs.readFileSync(mail.file), { keepCidLinks: true });
			assert.match(parsed.html || '', /<img src="cid:chart"/);
			const pngs = parsed.attachments.filter((a) => a.contentType === 'image/png');
			assert.equal(pngs.length, 1, `${mail.subject}: one PNG attached`);
			assert.equal(pngs[0].cid, 'chart', 'shown inline where the HTML says cid:chart');
			assert.match(pngs[0].filename ?? '', /^activity-report-(welcome|thank-you-coupon)-\d{4}-\d{2}-\d{2}\.png$/);
			charts.push(decodePng(pngs[0].content));
		}
		for (const chart of charts) assert.deepEqual([chart.width, chart.height], [CHART_WIDTH, CHART_HEIGHT]);
		assert.ok(pixelsOf(charts[0], CHART_COLORS.converted) > 0 && pixelsOf(charts[0], CHART_COLORS.control) > 0, 'welcome: conversions of both groups drawn');
		assert.equal(pixelsOf(charts[1], CHART_COLORS.entered), 0, 'thank-you-coupon: nobody entered, no bars');

		const [execution] = await eventually(async () => {
			const list = await world.api.listExecutions(workflow.id);
			return list.length === 1 && list[0].status === 'success' ? list : undefined;
		}, 30_000, 'the run to finish');
		assert.equal(execution.status, 'success');
		await world.api.deactivateWorkflow(workflow.id);
		passed = true;
	}, 3 * 60_000);
});
