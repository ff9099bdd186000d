'use strict';
// The weekly report mail of template 12 as a real n8n sends it, for `npm run screenshots`: a
// sample month of the activity "welcome" is written to the activity store n8n uses, and the
// template is imported as shipped except for its schedule (once, a few seconds ahead, in UTC)
// and the credentials given. Needs the built package (dist/).

const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const TEMPLATE = path.join(root, 'templates', '12-weekly-activity-report.json');
const ACTIVITY = 'welcome';
const POOL = 'welcome-10';
const CUSTOMERS = 160;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const FIRE_AFTER_MS = 20_000;

/**
 * A month of "welcome" in the store file: 160 customers enter over the last 26 days, every fifth
 * held out (the control group); those who entered get a code of the pool welcome-10. About a
 * quarter of them order within 11 days, fewer of the control group, and most orders redeem the code.
 */
async function fillStore(storeFile, now = Date.now()) {
	const { storeAt } = require(path.join(root, 'dist', 'store', 'open.js'));
	const store = storeAt({ kind: 'sqlite', file: storeFile });
	try {
		const start = now - 30 * DAY;
		await store.ensurePools([POOL], start);
		const codes = Array.from({ length: CUSTOMERS }, (_, i) => ({ code: `WELCOME-${String(i + 1).padStart(4, '0')}`, discountKind: 'percent', discountValue: '10' }));
		await store.addCodes(POOL, codes, start);
		for (let i = 0; i < CUSTOMERS; i++) {
			const customerId = `c-${1001 + i}`;
			const enteredAt = now - (26 - (i % 25)) * DAY - ((i * 37) % 600) * 60_000;
			const heldOut = i % 5 === 0;
			await store.guardEnter([{ activity: ACTIVITY, customerId, key: `registered-${customerId}`, policy: { kind: 'once' }, holdOut: heldOut }], enteredAt);
			let code;
			if (!heldOut) {
				const [claim] = await store.claimCodes(POOL, [{ customerId, key: `welcome-${customerId}` }], enteredAt);
				code = claim.assigned ? claim.code : undefined;
			}
			const converts = (i * 7) % 11 < (heldOut ? 2 : 3);
			if (!converts) continue;
			const orderedAt = Math.min(enteredAt + (1 + ((i * 13) % 10)) * DAY, now - HOUR);
			const orderId = `#${5001 + i}`;
			const redeems = code !== undefined && i % 4 !== 0;
			const total = `${40 + ((i * 17) % 90)}.90`;
			await store.recordEvents([orderEvent(customerId, orderId, orderedAt, total, redeems ? [code] : [])], orderedAt);
			if (redeems) await store.redeemCodes([{ code, pool: POOL, orderId }], orderedAt);
		}
	} finally {
		await store.close();
	}
}

function orderEvent(customerId, orderId, at, total, couponCodes) {
	return {
		id: `sample:order:${orderId}`,
		type: 'order.placed',
		occurredAt: new Date(at).toISOString(),
		source: 'generic',
		customer: { id: customerId, email: `${customerId}@example.com` },
		order: { id: orderId, total, currency: 'EUR', couponCodes, promotions: [], lines: [{ productId: 'p-1', sku: 'SKU-1', name: 'Sample', categories: [], quantity: 1, price: total }] },
	};
}

/**
 * Imports template 12 with the given credentials (by type, as a user sets them), firing once about
 * 20 s from now, and publishes it. `mail()` waits for the report on "welcome" in the catcher,
 * unpublishes the workflow and returns that mail (with `file`, its .eml).
 *
 * @param {{ api: object, smtp: object, credentials: Record<string, { id: string, name: string }> }} world
 */
async function scheduleReportMail({ api, smtp, credentials }) {
	const workflow = JSON.parse(fs.readFileSync(TEMPLATE, 'utf8'));
	const fireAt = new Date(Math.ceil((Date.now() + FIRE_AFTER_MS) / 1000) * 1000);
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') {
			const cron = `${fireAt.getUTCSeconds()} ${fireAt.getUTCMinutes()} ${fireAt.getUTCHours()} * * *`;
			node.parameters = { rule: { interval: [{ field: 'cronExpression', expression: cron }] } };
		}
		for (const type of Object.keys(node.credentials || {})) {
			if (credentials[type]) node.credentials[type] = credentials[type];
		}
	}
	workflow.settings = { ...workflow.settings, timezone: 'UTC' };
	const created = await api.createWorkflow(workflow);
	await api.activateWorkflow(created.id);
	const subject = `Weekly activity report: ${ACTIVITY}`;
	return {
		async mail() {
			try {
				return await smtp.waitForMail((mail) => mail.subject === subject, FIRE_AFTER_MS + 90_000);
			} finally {
				await api.deactivateWorkflow(created.id).catch(() => {});
			}
		},
	};
}

module.exports = { fillStore, scheduleReportMail };
