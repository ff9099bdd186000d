/**
 * Template 02's second front door (templates/02-big-spenders-webhook.json): n8n's Webhook node
 * (Raw Body on) -> Storefront Event -> Respond to Webhook -> Purchase Check -> Customer Segment,
 * run through the real n8n engine from the Storefront Event on, with the item the Webhook node
 * emits. n8n's own nodes are stood in for: each Respond to Webhook by a Passthrough whose note is
 * the template's own expression for the answer, so the test sees what the shop is answered.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import type { IConnections, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { StorefrontEvent } from '../../nodes/StorefrontEvent/StorefrontEvent.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { repoRoot } from '../helpers/paths';
import { sqliteTestStores } from '../helpers/stores';
import { nodeTypesOf, runWorkflow } from '../helpers/workflow';
import { orderEvent } from '../store/contract';

const SECRET = 'whsec-template-02';
const clock = new ManualClock('2026-05-04T09:00:00.000Z');
const newStore = sqliteTestStores('template-webhook', clock);
const nodeTypes = nodeTypesOf(new Passthrough(), new StorefrontEvent(), new PurchaseCheck(), new CustomerSegment());

interface Template {
	nodes: INode[];
	connections: IConnections;
}

const template = JSON.parse(readFileSync(join(repoRoot, 'templates', '02-big-spenders-webhook.json'), 'utf8')) as Template;
const WEBHOOK = template.nodes.find((n) => n.type === 'n8n-nodes-base.webhook')!;
const EVENT = template.nodes.find((n) => n.type === 'n8n-nodes-dialogue-activities.storefrontEvent')!;

/** The workflow after the Webhook node, n8n's own nodes stood in for, sticky notes dropped. */
function afterWebhook(): Template {
	const nodes = template.nodes
		.filter((n) => n !== WEBHOOK && n.type !== 'n8n-nodes-base.stickyNote')
		.map((n) => {
			if (n.type === 'n8n-nodes-base.respondToWebhook') {
				const options = n.parameters.options as IDataObject;
				return { ...n, type: 'test.passthrough', typeVersion: 1, parameters: { note: (options.responseCode as string | undefined) ?? n.parameters.responseBody } };
			}
			if (n.type === 'n8n-nodes-base.noOp') return { ...n, type: 'test.passthrough', typeVersion: 1, parameters: {} };
			return n;
		});
	const { [WEBHOOK.name]: _webhook, ...connections } = template.connections;
	return { nodes, connections };
}

/** A Generic order.placed, signed, as the item n8n's Webhook node emits with Raw Body on. */
function webhookItem(id: string, customerId: string, total: string): INodeExecutionData {
	const body = Buffer.from(
		JSON.stringify({
			id,
			type: 'order.placed',
			occurredAt: '2026-05-04T08:59:00Z',
			customer: { id: customerId, email: `${customerId}@example.com` },
			order: { id: `order-${id}`, total, currency: 'EUR', lines: [{ productId: 'coat', quantity: 1, price: total }] },
		}),
	);
	const headers = { 'content-type': 'application/json', 'x-dialogue-signature': createHmac('sha256', SECRET).update(body).digest('base64') };
	return {
		json: { headers, params: {}, query: {}, body: JSON.parse(body.toString()) as IDataObject },
		binary: { data: { data: body.toString('base64'), mimeType: 'application/json' } },
	};
}

describe('template 02 with n8n\'s Webhook node and the Storefront Event', () => {
	it('the Webhook node answers through Respond to Webhook nodes, with Raw Body on', () => {
		assert.equal(WEBHOOK.parameters.responseMode, 'responseNode');
		assert.deepEqual(WEBHOOK.parameters.options, { rawBody: true });
		assert.deepEqual(template.connections[WEBHOOK.name].main, [[{ node: EVENT.name, type: 'main', index: 0 }]]);
	});

	it('an order that takes the customer over 1000 EUR adds them to "Big spenders" and answers started; its redelivery answers the duplicate and adds nothing', async () => {
		const ts = newStore();
		await ts.store.recordEvents([orderEvent('c-950', Date.parse('2026-04-01T10:00:00Z'), '950.00', { orderId: 'earlier' })], clock.now());
		const run = async (item: INodeExecutionData) => {
			const result = await runWorkflow({
				...afterWebhook(),
				nodeTypes,
				credentials: { ...ts.credentials, storefrontWebhookApi: { source: 'generic', secret: SECRET } },
				startNode: EVENT.name,
				input: [item],
				mode: 'webhook',
			});
			assert.equal(result.status, 'success', JSON.stringify(result.error));
			return result;
		};
		const first = await run(webhookItem('o-100', 'c-950', '100.00'));
		assert.deepEqual(first.outputItems('Answer the shop: started')[0].json.note, { status: 'started', eventId: 'o-100', type: 'order.placed' });
		assert.equal(first.ran('Answer the shop: not started'), false);
		assert.deepEqual(
			first.outputItems('Add to "Big spenders"').map((item) => (item.json.customer as IDataObject).id),
			['c-950'],
		);
		assert.deepEqual((await ts.store.segmentMembers('Big spenders', clock.now(), 10, 0)).map((m) => m.customerId), ['c-950']);

		const again = await run(webhookItem('o-100', 'c-950', '100.00'));
		const answer = again.outputItems('Answer the shop: not started');
		assert.equal(answer.length, 1);
		assert.equal(answer[0].json.note, 200, 'the status code the Storefront Trigger answers a duplicate with');
		assert.equal((answer[0].json.body as IDataObject).status, 'duplicate');
		assert.equal(again.ran('Spent more than 1000?'), false);
	});

	it('a delivery signed with another secret answers 401 and goes no further', async () => {
		const ts = newStore();
		const item = webhookItem('o-forged', 'c-1', '5000.00');
		(item.json.headers as IDataObject)['x-dialogue-signature'] = createHmac('sha256', 'guessed').update('x').digest('base64');
		const result = await runWorkflow({
			...afterWebhook(),
			nodeTypes,
			credentials: { ...ts.credentials, storefrontWebhookApi: { source: 'generic', secret: SECRET } },
			startNode: EVENT.name,
			input: [item],
			mode: 'webhook',
		});
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(result.outputItems('Answer the shop: not started')[0].json.note, 401);
		assert.equal(result.ran('Spent more than 1000?'), false);
	});
});
