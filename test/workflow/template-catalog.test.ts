/**
 * Template 04 (Kids' clothing buyers, templates/04-kids-clothing.json) with real shop orders:
 * Shopify's and WooCommerce's order payloads carry product ids, no categories. The products are
 * recorded with the Storefront Ledger's Record Products from items shaped as n8n's Shopify and
 * WooCommerce nodes output them; the orders come signed, as deliveries, into a Storefront Event
 * that stands in for the template's Storefront Trigger (the same delivery path, with the same
 * parameters), and the rest of the template runs as exported, through the real n8n engine.
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
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { fixtureBytes, openShopifyOrderBytes } from '../core/events/helpers';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { repoRoot } from '../helpers/paths';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { connect, nodeTypesOf, packageNodeType, runWorkflow } from '../helpers/workflow';

const SECRET = 'whsec-template-04';
const clock = new ManualClock('2026-05-04T09:00:00.000Z');
const newStore = sqliteTestStores('template-catalog', clock);
const nodeTypes = nodeTypesOf(new ItemsSource(), new Passthrough(), new StorefrontEvent(), new StorefrontLedger(), new PurchaseCheck(), new CustomerSegment());
const SEGMENT = "Customers who buy children's clothing";

interface Template {
	nodes: INode[];
	connections: IConnections;
}

const template = JSON.parse(readFileSync(join(repoRoot, 'templates', '04-kids-clothing.json'), 'utf8')) as Template;
const TRIGGER = template.nodes.find((n) => n.type === 'n8n-nodes-dialogue-activities.storefrontTrigger')!;

/** The template with its trigger's place taken by a Storefront Event of the same name and parameters. */
function kidsClothing(parameters: IDataObject = {}): Template {
	const nodes = template.nodes
		.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')
		.map((n) => {
			if (n === TRIGGER) return { ...n, type: packageNodeType('storefrontEvent'), typeVersion: 1, parameters: { ...n.parameters, ...parameters } } as INode;
			if (n.type === 'n8n-nodes-base.noOp') return { ...n, type: 'test.passthrough', typeVersion: 1, parameters: {} };
			return n;
		});
	return { nodes, connections: template.connections };
}

type Source = 'shopify' | 'woocommerce';

/** A signed delivery, as the item n8n's Webhook node emits with Raw Body on. */
function delivery(source: Source, body: Buffer): INodeExecutionData {
	const vendor: Record<Source, Record<string, string>> = {
		shopify: { 'x-shopify-topic': 'orders/create', 'x-shopify-shop-domain': 'kids.myshopify.com', 'x-shopify-webhook-id': `w-${body.length}` },
		woocommerce: { 'x-wc-webhook-topic': 'order.created', 'x-wc-webhook-source': 'https://shop.example/', 'x-wc-webhook-id': '12' },
	};
	const signature = createHmac('sha256', SECRET).update(body).digest('base64');
	const headers = { 'content-type': 'application/json', ...vendor[source], [source === 'shopify' ? 'x-shopify-hmac-sha256' : 'x-wc-webhook-signature']: signature };
	return {
		json: { headers, params: {}, query: {}, body: JSON.parse(body.toString('utf8')) as IDataObject },
		binary: { data: { data: body.toString('base64'), mimeType: 'application/json' } },
	};
}

/** Shopify's orders/create sample as order `orderId` whose product line names `productId` (ids of today's size). */
const shopifyOrder = (orderId: number, productId: number) =>
	Buffer.from(openShopifyOrderBytes().toString('utf8').replace(/820982911946154508/g, `${orderId}`).replace(/788032119674292922/g, `${productId}`));

/** WooCommerce's order.created sample as order `orderId` whose first line is product `productId`. */
const wooOrder = (orderId: number, productId: number) =>
	Buffer.from(fixtureBytes('woocommerce-order-created.json').toString('utf8').replace('"id": 727,', `"id": ${orderId},`).replace('"product_id": 93,', `"product_id": ${productId},`));

async function deliver(ts: TestStore, source: Source, body: Buffer, parameters: IDataObject = {}) {
	const result = await runWorkflow({
		...kidsClothing(parameters),
		nodeTypes,
		credentials: { ...ts.credentials, storefrontWebhookApi: { source, secret: SECRET } },
		startNode: TRIGGER.name,
		input: [delivery(source, body)],
		mode: 'webhook',
	});
	assert.equal(result.status, 'success', JSON.stringify(result.error));
	return result;
}

/** Storefront Ledger > Record Products over items as n8n's Shopify or WooCommerce node outputs products. */
async function recordProducts(ts: TestStore, productFormat: string, products: IDataObject[]) {
	const result = await runWorkflow({
		nodes: [
			{ name: 'Products', type: 'test.itemsSource', parameters: { items: JSON.stringify(products) } },
			{ name: 'Ledger', type: packageNodeType('storefrontLedger'), parameters: { operation: 'products', productFormat } },
		],
		connections: connect(['Products', 'Ledger']),
		nodeTypes,
		credentials: ts.credentials,
	});
	assert.equal(result.status, 'success', JSON.stringify(result.error));
	return result.outputItems('Ledger')[0].json;
}

/** The segment's members; none while the template has not created it. */
async function members(ts: TestStore): Promise<string[]> {
	if (!(await ts.store.listSegments()).some((s) => s.name === SEGMENT)) return [];
	return (await ts.store.segmentMembers(SEGMENT, clock.now(), 10, 0)).map((m) => m.customerId);
}
const SHOPIFY_CUSTOMER = '115310627314723954';
const WOO_CUSTOMER = 'email:john.doe@example.com';

describe("template 04 with Shopify and WooCommerce orders whose lines carry only product ids", () => {
	it('Shopify: an order recorded before its products counts once Record Products has given them categories', async () => {
		const ts = newStore();
		const first = await deliver(ts, 'shopify', shopifyOrder(9_100_000_001, 8_012_345_678_901));
		assert.equal(first.outputItems('Bought Boys or Girls?', 1).length, 1, 'no catalog yet: no category');
		assert.deepEqual(await members(ts), []);

		const summary = await recordProducts(ts, 'shopifyProducts', [
			{ id: 8_012_345_678_901, title: 'Dino hoodie', product_type: 'Boys', tags: 'Hoodies, Summer', updated_at: '2026-04-01T10:00:00-04:00', admin_graphql_api_id: 'gid://shopify/Product/8012345678901' },
			{ id: 8_012_345_678_902, title: 'Office shirt', product_type: 'Men', tags: '', updated_at: '2026-04-01T10:00:00-04:00' },
		]);
		assert.deepEqual([summary.recorded, summary.older, summary.failed], [2, 0, 0]);

		// The customer's next order is for an adult; the earlier one now counts as Boys.
		const second = await deliver(ts, 'shopify', shopifyOrder(9_100_000_002, 8_012_345_678_902));
		const yes = second.outputItems('Bought Boys or Girls?', 0);
		assert.equal(yes.length, 1);
		assert.deepEqual((yes[0].json.purchases as { conditions: Array<{ matched: string[] }> }).conditions[0].matched, ['Boys']);
		assert.deepEqual(await members(ts), [SHOPIFY_CUSTOMER]);

		// Recording the same products again is the same catalog.
		assert.deepEqual((await recordProducts(ts, 'shopifyProducts', [{ id: 8_012_345_678_901, product_type: 'Boys', tags: 'Hoodies, Summer', updated_at: '2026-04-01T10:00:00-04:00' }])).recorded, 1);
		assert.deepEqual(await ts.store.productCategories(['8012345678901', '8012345678902']), { '8012345678901': ['Boys', 'Hoodies', 'Summer'], '8012345678902': ['Men'] });
	});

	it('WooCommerce: products recorded first, an order of a Girls product joins the segment, one of another category does not', async () => {
		const ts = newStore();
		await recordProducts(ts, 'woocommerceProducts', [
			{ id: 93, name: 'Flower dress', categories: [{ id: 15, name: 'Girls', slug: 'girls' }, { id: 16, name: 'Dresses', slug: 'dresses' }], date_modified_gmt: '2026-04-01T10:00:00' },
			{ id: 94, name: 'Garden chair', categories: [{ id: 20, name: 'Garden', slug: 'garden' }], date_modified_gmt: '2026-04-01T10:00:00' },
			{ id: 22, name: 'Poster', categories: [], date_modified_gmt: '2026-04-01T10:00:00' },
		]);
		const chair = await deliver(ts, 'woocommerce', wooOrder(801, 94));
		assert.equal(chair.outputItems('Bought Boys or Girls?', 1).length, 1);
		assert.deepEqual(await members(ts), []);
		const dress = await deliver(ts, 'woocommerce', wooOrder(802, 93));
		assert.equal(dress.outputItems('Bought Boys or Girls?', 0).length, 1);
		assert.deepEqual(await members(ts), [WOO_CUSTOMER]);
	});

	it("the trigger's category filter judges an order by its products' catalog categories, and the started item's lines carry them", async () => {
		const ts = newStore();
		await recordProducts(ts, 'woocommerceProducts', [
			{ id: 93, name: 'Flower dress', categories: [{ id: 15, name: 'Girls', slug: 'girls' }] },
			{ id: 94, name: 'Garden chair', categories: [{ id: 20, name: 'Garden', slug: 'garden' }] },
		]);
		const filters = { filters: { categories: 'Boys, Girls' } };
		const chair = await deliver(ts, 'woocommerce', wooOrder(811, 94), filters);
		assert.equal(chair.ran('Bought Boys or Girls?'), false);
		assert.equal((chair.outputItems(TRIGGER.name, 1)[0].json.body as IDataObject).reason, 'filter not met: categories');

		const dress = await deliver(ts, 'woocommerce', wooOrder(812, 93), filters);
		const started = dress.outputItems(TRIGGER.name, 0);
		assert.equal(started.length, 1);
		const lines = (started[0].json.order as { lines: Array<{ productId: string; categories: string[] }> }).lines;
		assert.deepEqual(lines.map((line) => [line.productId, line.categories]), [['93', ['Girls']], ['22', []]]);
		assert.deepEqual(await members(ts), [WOO_CUSTOMER]);
	});

	it('Record Products reads mapped spreadsheet rows; a row older than the stored version changes nothing', async () => {
		const ts = newStore();
		const run = async (rows: IDataObject[]) => {
			const result = await runWorkflow({
				nodes: [
					{ name: 'Rows', type: 'test.itemsSource', parameters: { items: JSON.stringify(rows) } },
					{
						name: 'Ledger',
						type: packageNodeType('storefrontLedger'),
						parameters: {
							operation: 'products',
							productFormat: 'mapped',
							mapProductId: '={{ $json.ID }}',
							mapCategories: '={{ $json.Categories }}',
							mapTitle: '={{ $json.Name }}',
							mapUpdatedAt: '={{ $json.Changed }}',
						},
					},
				],
				connections: connect(['Rows', 'Ledger']),
				nodeTypes,
				credentials: ts.credentials,
			});
			assert.equal(result.status, 'success', JSON.stringify(result.error));
			return result.outputItems('Ledger')[0].json;
		};
		const first = await run([
			{ ID: '93', Name: 'Flower dress', Categories: 'Girls, Dresses', Changed: '2026-04-02 10:00' },
			{ ID: '94', Name: 'Chair', Categories: '', Changed: '' },
		]);
		assert.deepEqual([first.recorded, first.older, first.failed, first.items], [2, 0, 0, 2]);
		const stale = await run([{ ID: '93', Name: 'Flower dress', Categories: 'Boys', Changed: '2026-04-01 10:00' }]);
		assert.deepEqual([stale.recorded, stale.older], [0, 1]);
		assert.deepEqual(await ts.store.productCategories(['93', '94']), { '93': ['Dresses', 'Girls'] });
	});

	it('Record Products refuses a product without an id, naming the item, and records nothing', async () => {
		const ts = newStore();
		const result = await runWorkflow({
			nodes: [
				{ name: 'Products', type: 'test.itemsSource', parameters: { items: JSON.stringify([{ id: 93, categories: [{ name: 'Girls' }] }, { name: 'No id', categories: [] }]) } },
				{ name: 'Ledger', type: packageNodeType('storefrontLedger'), parameters: { operation: 'products', productFormat: 'woocommerceProducts' } },
			],
			connections: connect(['Products', 'Ledger']),
			nodeTypes,
			credentials: ts.credentials,
		});
		assert.equal(result.status, 'error');
		assert.match(String(result.nodeError('Ledger')?.message), /id: is required/);
		assert.deepEqual(await ts.store.productCategories(['93']), {});
	});
});
