/**
 * Storefront Ledger node through n8n's real engine (test/helpers/workflow.ts), over a real SQLite
 * store in a temp file selected by the Dialogue Store credential: a backfill of 10,000 orders in
 * the shapes n8n's Shopify and WooCommerce nodes output (built from the webhook fixtures, which are
 * the same REST resources), idempotent on re-run; a CSV-like mapped batch; profile; erasure that
 * leaves no row naming the customer.
 */
import assert from 'node:assert/strict';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from '@jest/globals';
import {
	NodeConnectionTypes,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { findOccasions } from '../../core/occasions';
import type { Store } from '../../core/store';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import type { StoreCredential } from '../../store/open';
import { fixtureBytes } from '../core/events/helpers';
import { sqliteTestStores } from '../helpers/stores';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, testNodeType, type WorkflowResult } from '../helpers/workflow';

const T0 = '2026-03-02T09:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const clock = new ManualClock(T0);

/** A fixture as n8n's Shopify / WooCommerce node outputs it: JSON.parse, nothing else. */
const n8nJson = (name: Parameters<typeof fixtureBytes>[0]) => JSON.parse(fixtureBytes(name).toString('utf8')) as IDataObject;

const shopifyBase = n8nJson('shopify-orders-create.json');
/** Product ids of today's size (Shopify's are below 2^53); the first line has a product type. */
const shopifyLines = (shopifyBase.line_items as IDataObject[]).map((line, i) => ({
	...line,
	product_id: line.product_id === null ? null : 8_012_345_678_900 + i,
	product_type: i === 0 ? 'Sunglasses' : line.product_type,
}));
const wooBase = n8nJson('woocommerce-order-created.json');
const wooLines = (wooBase.line_items as IDataObject[]).map((line, i) => ({
	...line,
	meta_data: i === 0 ? [{ id: 1, key: 'product_cat', value: 'Boys' }] : line.meta_data,
}));

const isoWithOffset = (ms: number) => new Date(ms - 5 * HOUR).toISOString().replace('.000Z', '-05:00');
const wooGmt = (ms: number) => new Date(ms).toISOString().slice(0, 19);

/** Shopify order i, as "Order > Get Many" returns it: 1,000 customers with 10 orders each. */
function shopifyOrder(i: number, placed: number): IDataObject {
	const id = 5_000_000_000 + i;
	const customerId = 7_000_000 + (i % 1000);
	const email = `shop${i % 1000}@example.com`;
	return {
		...shopifyBase,
		id,
		admin_graphql_api_id: `gid://shopify/Order/${id}`,
		name: `#${1000 + i}`,
		order_number: 1000 + i,
		email,
		contact_email: email,
		created_at: isoWithOffset(placed),
		processed_at: isoWithOffset(placed),
		updated_at: isoWithOffset(placed),
		cancelled_at: null,
		financial_status: 'paid',
		total_price: `${(i % 50) + 10}.00`,
		discount_codes: i % 10 === 0 ? [{ code: 'WELCOME10', amount: '1.00', type: 'fixed_amount' }] : [],
		customer: { ...(shopifyBase.customer as IDataObject), id: customerId, admin_graphql_api_id: `gid://shopify/Customer/${customerId}`, email },
		line_items: shopifyLines,
	};
}

/** WooCommerce order i, as "Order > Get Many" returns it. */
function wooOrder(i: number, placed: number): IDataObject {
	return {
		...wooBase,
		id: 900_000 + i,
		number: String(900_000 + i),
		customer_id: 1 + (i % 1000),
		status: 'completed',
		date_created_gmt: wooGmt(placed),
		date_modified_gmt: wooGmt(placed),
		total: `${(i % 20) + 5}.50`,
		billing: { ...(wooBase.billing as IDataObject), email: `woo${i % 1000}@example.com` },
		coupon_lines: i % 4 === 0 ? [{ id: 1, code: 'spring', discount: '1.00' }] : [],
		line_items: wooLines,
	};
}

/** Test-only start node: n orders in n8n's Shopify or WooCommerce node output shape, built in memory. */
class OrderHistory implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Order History (test)',
		name: 'orderHistory',
		group: ['input'],
		version: 1,
		description: 'Emits orders as n8n nodes output them',
		defaults: { name: 'Order History' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Shape', name: 'shape', type: 'string', default: 'shopify' },
			{ displayName: 'Count', name: 'count', type: 'number', default: 10 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const shape = this.getNodeParameter('shape', 0) as string;
		const count = this.getNodeParameter('count', 0) as number;
		const newest = Date.parse(T0) - DAY;
		const build = shape === 'shopify' ? shopifyOrder : wooOrder;
		return [Array.from({ length: count }, (_, i) => ({ json: build(i, newest - i * HOUR), pairedItem: { item: 0 } }))];
	}
}

const nodeTypes = nodeTypesOf(new ItemsSource(), new OrderHistory(), new StorefrontLedger());
const LEDGER = packageNodeType('storefrontLedger');

const newStore = sqliteTestStores('ledger-node', clock);
const credentialsOf = (credential: StoreCredential) => ({ dialogueStoreApi: credential as unknown as ICredentialDataDecryptedObject });

/** Items Source (JSON items) -> Ledger. */
function runLedger(credential: StoreCredential, parameters: INodeParameters, items: IDataObject[], node: Partial<INode> = {}): Promise<WorkflowResult> {
	return runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Ledger', type: LEDGER, parameters, ...node },
		],
		connections: connect(['Source', 'Ledger']),
		nodeTypes,
		credentials: credentialsOf(credential),
	});
}

/** Order History -> Ledger (Record Events). */
function backfill(credential: StoreCredential, shape: 'shopify' | 'woocommerce', count: number): Promise<WorkflowResult> {
	return runWorkflow({
		nodes: [
			{ name: 'History', type: testNodeType('orderHistory'), parameters: { shape, count } },
			{ name: 'Ledger', type: LEDGER, parameters: { operation: 'record', format: shape === 'shopify' ? 'shopifyOrders' : 'woocommerceOrders' } },
		],
		connections: connect(['History', 'Ledger']),
		nodeTypes,
		credentials: credentialsOf(credential),
	});
}

function ok(result: WorkflowResult): WorkflowResult {
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message ?? result.error));
	return result;
}

const summaryOf = (result: WorkflowResult) => {
	const items = ok(result).outputItems('Ledger');
	assert.equal(items.length, 1);
	return items[0].json;
};

describe('Storefront Ledger node: Record Events', () => {
	it('is usable as a tool; five operations', () => {
		const { description } = new StorefrontLedger();
		assert.equal(description.usableAsTool, true);
		assert.equal(description.name, 'storefrontLedger');
		const operation = description.properties.find((p) => p.name === 'operation');
		assert.deepEqual(
			operation?.options?.map((o) => (o as { value: string }).value),
			['report', 'forget', 'profile', 'record', 'products'],
		);
	});

	for (const shape of ['shopify', 'woocommerce'] as const) {
		it(`backfills 10,000 ${shape === 'shopify' ? 'Shopify' : 'WooCommerce'} orders in one execution; a re-run records nothing`, async () => {
			const { store, credential } = newStore();
			const started = performance.now();
			const first = summaryOf(await backfill(credential, shape, 10_000));
			const firstMs = performance.now() - started;
			assert.deepEqual(
				{ ...first, store: undefined },
				{ recorded: 10_000, duplicates: 0, suppressed: 0, failed: 0, newCustomers: 1000, events: 10_000, items: 10_000, store: undefined },
			);
			assert.match(String(first.store), /^SQLite /);

			const again = performance.now();
			const second = summaryOf(await backfill(credential, shape, 10_000));
			console.log(`${shape}: first run ${Math.round(firstMs)} ms, re-run ${Math.round(performance.now() - again)} ms`);
			assert.equal(second.recorded, 0);
			assert.equal(second.duplicates, 10_000);
			assert.equal(second.newCustomers, 0);

			// Customer 0 placed orders 0, 1000, ..., 9000: counted once each despite the re-run.
			const customerId = shape === 'shopify' ? '7000000' : '1';
			const [history] = await store.purchases([{ customerId }]);
			if (shape === 'shopify') {
				assert.deepEqual(
					history.totals.map((x) => [x.currency, x.orders, x.amountMinor]),
					[['USD', 10, 10_000n]],
				);
				assert.deepEqual(history.categories, ['Sunglasses']);
				assert.deepEqual(history.couponCodes, ['WELCOME10']);
				assert.ok(history.skus.includes('SKU2006-001'));
			} else {
				assert.deepEqual(
					history.totals.map((x) => [x.currency, x.orders, x.amountMinor]),
					[['USD', 10, 550n * 10n]],
				);
				assert.deepEqual(history.categories, ['Boys']);
				assert.deepEqual(history.couponCodes, ['spring'], 'the code as the order gave it');
			}
			const customer = await store.getCustomer(customerId);
			assert.equal(customer?.email, shape === 'shopify' ? 'shop0@example.com' : 'woo0@example.com');
			assert.equal(customer?.lastOrderAt, Date.parse(T0) - DAY);
		});
	}

	it('a CSV with one row per line item (Extract From File output), columns mapped with expressions', async () => {
		const { store, credential } = newStore();
		const rows = [
			{ Name: '#1001', Email: 'Kim@Example.com', 'Financial Status': 'paid', 'Created at': '2024-01-15 10:30:00 -0500', Currency: 'USD', Total: '54.00', 'Discount Code': 'WELCOME10', 'Lineitem quantity': '1', 'Lineitem name': 'Girls dress', 'Lineitem price': '30.00', 'Lineitem sku': 'GD-1', Category: 'Girls' },
			{ Name: '#1001', Email: 'kim@example.com', 'Financial Status': '', 'Created at': '', Currency: '', Total: '', 'Discount Code': '', 'Lineitem quantity': '2', 'Lineitem name': 'Boys cap', 'Lineitem price': '12.00', 'Lineitem sku': 'BC-2', Category: 'Boys' },
			{ Name: '#1002', Email: 'lou@example.com', 'Financial Status': 'refunded', 'Created at': '2024-02-01 09:00', Currency: 'USD', Total: '20.00', 'Discount Code': '', 'Lineitem quantity': '1', 'Lineitem name': 'Sock', 'Lineitem price': '20.00', 'Lineitem sku': 'S-1', Category: '' },
		];
		const parameters: INodeParameters = {
			operation: 'record',
			format: 'mapped',
			mapOrderId: '={{ $json.Name }}',
			mapEmail: '={{ $json.Email }}',
			mapOccurredAt: '={{ $json["Created at"] }}',
			mapTotal: '={{ $json.Total }}',
			mapCurrency: '={{ $json.Currency }}',
			moreFields: {
				status: '={{ $json["Financial Status"] }}',
				couponCodes: '={{ $json["Discount Code"] }}',
				quantity: '={{ $json["Lineitem quantity"] }}',
				productName: '={{ $json["Lineitem name"] }}',
				price: '={{ $json["Lineitem price"] }}',
				sku: '={{ $json["Lineitem sku"] }}',
				categories: '={{ $json.Category }}',
			},
			datesZone: 'America/New_York',
			output: 'perItem',
		};
		const result = ok(await runLedger(credential, parameters, rows));
		const out = result.outputItems('Ledger');
		assert.deepEqual(
			out.map((item) => [item.pairedItem, item.json.eventId, item.json.recorded, item.json.customerId]),
			[
				[{ item: 0 }, 'ledger:order.placed:#1001', true, 'email:kim@example.com'],
				[{ item: 1 }, 'ledger:order.placed:#1001', true, 'email:kim@example.com'],
				[{ item: 2 }, 'ledger:order.placed:#1002', true, 'email:lou@example.com'],
			],
		);
		const [kim, lou] = await store.purchases([{ customerId: 'email:kim@example.com' }, { customerId: 'email:lou@example.com' }]);
		assert.deepEqual(kim.totals, [{ currency: 'USD', orders: 1, amountMinor: 5400n }], 'two rows, one order');
		assert.deepEqual(kim.categories, ['Boys', 'Girls']);
		assert.deepEqual(kim.skus, ['BC-2', 'GD-1']);
		assert.equal(kim.firstOrderAt, Date.parse('2024-01-15T15:30:00Z'));
		assert.deepEqual(lou.totals, [], 'a refunded order is recorded but not counted');
		const summary = summaryOf(await runLedger(credential, { ...parameters, output: 'summary' }, rows));
		assert.deepEqual({ recorded: summary.recorded, duplicates: summary.duplicates, failed: summary.failed, events: summary.events, items: summary.items }, { recorded: 0, duplicates: 2, failed: 0, events: 2, items: 3 });
	});

	it('a bad row stops the execution naming the item and the field, and nothing is recorded; with Continue On Fail the rest is recorded', async () => {
		const { store, credential } = newStore();
		const rows = [
			{ order: 'a1', customer: 'c1', at: '2024-01-01T10:00:00Z', total: '5.00' },
			{ order: 'a2', customer: 'c1', at: 'last Tuesday', total: '6.00' },
		];
		const parameters: INodeParameters = {
			operation: 'record',
			format: 'mapped',
			mapOrderId: '={{ $json.order }}',
			mapCustomerId: '={{ $json.customer }}',
			mapOccurredAt: '={{ $json.at }}',
			mapTotal: '={{ $json.total }}',
			mapCurrency: 'EUR',
		};
		const failed = await runLedger(credential, parameters, rows);
		assert.equal(failed.status, 'error');
		const error = failed.nodeError('Ledger') as unknown as { message: string; description?: string; context?: { itemIndex?: number } };
		assert.match(error.message, /^Occurred At: "last Tuesday" is not a date and time/);
		assert.match(error.description ?? '', /ISO 8601/);
		assert.equal(error.context?.itemIndex, 1);
		assert.equal(await store.getCustomer('c1'), undefined, 'nothing recorded');

		const summary = summaryOf(await runLedger(credential, parameters, rows, { onError: 'continueRegularOutput' }));
		assert.equal(summary.recorded, 1);
		assert.equal(summary.failed, 1);
		assert.deepEqual(summary.errors, [{ itemIndex: 1, error: 'Occurred At: "last Tuesday" is not a date and time' }]);
	});

	it('canonical events, read from a field of the item (a Webhook node puts them in body)', async () => {
		const { store, credential } = newStore();
		const event = { id: 'evt-1', type: 'customer.registered', occurredAt: '2026-01-05T10:00:00+01:00', customer: { id: 'w-1', email: 'w1@example.com', birthday: '--07-04' } };
		const summary = summaryOf(await runLedger(credential, { operation: 'record', format: 'canonical', sourceField: 'body' }, [{ headers: {}, body: event }]));
		assert.equal(summary.recorded, 1);
		const customer = await store.getCustomer('w-1');
		assert.equal(customer?.birthday, '--07-04');
		assert.equal(customer?.registeredAt, Date.parse('2026-01-05T09:00:00Z'));
	});
});

describe('Storefront Ledger node: Get Customer Profile and Forget Customer', () => {
	const zelda = 424_242_424_242;
	const zeldaCustomer = {
		id: zelda,
		admin_graphql_api_id: `gid://shopify/Customer/${zelda}`,
		email: 'zelda.quill@example.com',
		first_name: 'Zelda',
		last_name: 'Quill',
		phone: '+4915112345678',
		created_at: '2025-05-01T10:00:00+02:00',
		updated_at: '2025-05-01T10:00:00+02:00',
		email_marketing_consent: { state: 'subscribed' },
	};

	async function seed(credential: StoreCredential, store: Store) {
		ok(await runLedger(credential, { operation: 'record', format: 'shopifyCustomers' }, [zeldaCustomer]));
		const orders = [0, 1].map((k) => ({ ...shopifyOrder(k, Date.parse(T0) - (k + 1) * DAY), customer: zeldaCustomer, email: zeldaCustomer.email, contact_email: zeldaCustomer.email }));
		ok(await runLedger(credential, { operation: 'record', format: 'shopifyOrders' }, orders));
		// A guest order with the same email (WooCommerce customer_id 0).
		const guest = { ...wooOrder(7, Date.parse(T0) - 3 * DAY), customer_id: 0, billing: { ...(wooBase.billing as IDataObject), email: zeldaCustomer.email, first_name: 'Zelda', last_name: 'Quill', phone: '+4915112345678' } };
		ok(await runLedger(credential, { operation: 'record', format: 'woocommerceOrders' }, [guest]));
		// Someone else, who must stay.
		ok(await runLedger(credential, { operation: 'record', format: 'woocommerceOrders' }, [wooOrder(8, Date.parse(T0) - DAY)]));
		await store.ensureSegments(['VIP'], Date.parse(T0));
		await store.segmentAdd('VIP', [{ customerId: String(zelda) }], Date.parse(T0));
		await store.ensurePools(['thanks'], Date.parse(T0));
		await store.addCodes('thanks', [{ code: 'THX-ZQ' }, { code: 'THX-OTHER' }], Date.parse(T0));
		await store.claimCodes('thanks', [{ customerId: String(zelda), key: `customer:${zelda}` }], Date.parse(T0));
		await store.guardEnter([{ activity: 'thank-you', customerId: String(zelda), key: 'e1', policy: { kind: 'once' } }], Date.parse(T0));
		await store.recordEvents(
			[
				{
					id: 'zq-cart',
					type: 'cart.updated',
					occurredAt: new Date(Date.parse(T0) - 2 * HOUR).toISOString(),
					source: 'generic',
					customer: { id: String(zelda) },
					cart: { id: 'zq-cart-1', total: '10.00', currency: 'USD', lines: [{ productId: 'p', categories: [], quantity: 1, price: '10.00' }] },
				},
			],
			Date.parse(T0),
		);
		const claimed = await findOccasions(store, Date.parse(T0), { kind: 'cart.abandoned', consumer: 'wf:Cart', after: { amount: 1, unit: 'hours' } });
		assert.equal(claimed.length, 1);
	}

	it('profile: contact details, purchases, segments, coupons and activities; an unknown customer is found: false', async () => {
		const { store, credential } = newStore();
		await seed(credential, store);
		const result = ok(await runLedger(credential, { operation: 'profile' }, [{ customer: { id: String(zelda) } }, { customer: { id: 'nobody' } }]));
		const [profile, unknown] = result.outputItems('Ledger');
		assert.deepEqual(profile.pairedItem, { item: 0 });
		const json = profile.json as IDataObject & { customer: IDataObject; purchases: IDataObject };
		assert.equal(json.found, true);
		assert.equal(json.customer.firstName, 'Zelda');
		assert.equal(json.customer.acceptsMarketing, true);
		assert.equal(json.customer.registeredAt, '2025-05-01T08:00:00.000Z');
		assert.equal(json.purchases.count, 2);
		assert.deepEqual(json.purchases.amounts, { USD: '21.00' });
		assert.deepEqual(json.segments, [{ segment: 'VIP', addedAt: T0 }]);
		assert.deepEqual(json.coupons, [{ pool: 'thanks', code: 'THX-ZQ', assignedAt: T0, status: 'held' }]);
		assert.deepEqual(json.activities, [{ activity: 'thank-you', entryKey: 'e1', enteredAt: T0 }]);
		assert.equal(unknown.json.found, false);
		assert.deepEqual(unknown.pairedItem, { item: 1 });
	});

	it('forget: reports what was removed and leaves no row that names the customer', async () => {
		const { store, credential, file } = newStore();
		await seed(credential, store);
		const result = ok(await runLedger(credential, { operation: 'forget', customerId: String(zelda) }, [{}]));
		const [report] = result.outputItems('Ledger');
		const json = report.json as IDataObject & { removed: Record<string, number> };
		assert.equal(json.erased, true);
		assert.deepEqual(json.alsoErased, ['email:zelda.quill@example.com']);
		assert.equal(json.removed.customers, 2);
		assert.equal(json.removed.orders, 3);
		assert.equal(json.removed.segment_members, 1);
		assert.equal(json.removed.coupon_codes, 1);
		assert.equal(json.removed.guard_entries, 1);
		assert.equal(json.removed.occasion_claims, 1);
		assert.equal(json.removed.carts, 1);

		const dump = dumpSqlite(file);
		for (const needle of [String(zelda), 'zelda', 'Quill', '15112345678']) {
			assert.ok(!dump.toLowerCase().includes(needle.toLowerCase()), `a row still names the customer: ${needle}`);
		}
		assert.ok(dump.includes('woo8@example.com'), 'other customers stay');
		assert.equal((await store.poolStatus('thanks', Date.parse(T0))).assigned, 1, 'the code handed out is never handed out again');

		const again = ok(await runLedger(credential, { operation: 'forget', customerId: String(zelda) }, [{}]));
		assert.equal(again.outputItems('Ledger')[0].json.erased, false);
	});

	it('several items run in one call and keep their own settings: activity entries, guest orders', async () => {
		const { store, credential } = newStore();
		await seed(credential, store);
		const zeldaId = String(zelda);
		const profiles = ok(await runLedger(credential, { operation: 'profile', activityLimit: '={{ $json.limit }}' }, [{ customer: { id: zeldaId }, limit: 0 }, { customer: { id: zeldaId }, limit: 5 }]));
		assert.deepEqual(
			profiles.outputItems('Ledger').map((p) => [p.pairedItem, (p.json.activities as unknown[]).length]),
			[
				[{ item: 0 }, 0],
				[{ item: 1 }, 1],
			],
		);
		const forgets = ok(
			await runLedger(credential, { operation: 'forget', guestEmail: '={{ $json.guests }}' }, [
				{ customer: { id: zeldaId }, guests: false },
				{ customer: { id: 'nobody' }, guests: true },
			]),
		);
		const [own, nobody] = forgets.outputItems('Ledger').map((r) => r.json as IDataObject & { customerIds: string[] });
		assert.deepEqual([own.customerIds, own.alsoErased], [[zeldaId], []], 'the guest orders stay when that item says so');
		assert.deepEqual([nobody.customerId, nobody.erased], ['nobody', false]);
		assert.equal((await store.getCustomer('email:zelda.quill@example.com'))?.email, 'zelda.quill@example.com');
	});

	it('forget by email address: every id with that email, and a backfill of their older orders is suppressed', async () => {
		const { store, credential, file } = newStore();
		await seed(credential, store);
		const result = ok(await runLedger(credential, { operation: 'forget', forgetBy: 'email', email: 'Zelda.Quill@Example.com' }, [{}]));
		const json = result.outputItems('Ledger')[0].json as IDataObject & { customerIds: string[] };
		assert.deepEqual([...json.customerIds].sort(), [String(zelda), 'email:zelda.quill@example.com'].sort());
		assert.equal(json.customerId, 'Zelda.Quill@Example.com');
		assert.ok(!dumpSqlite(file).toLowerCase().includes('zelda'), 'no row names the customer');
		const orders = [0, 1].map((k) => ({ ...shopifyOrder(k, Date.parse(T0) - (k + 1) * DAY), customer: zeldaCustomer, email: zeldaCustomer.email }));
		const backfill = ok(await runLedger(credential, { operation: 'record', format: 'shopifyOrders' }, orders));
		assert.deepEqual(
			{ ...backfill.outputItems('Ledger')[0].json, store: undefined },
			{ recorded: 0, duplicates: 0, suppressed: 2, failed: 0, newCustomers: 0, events: 2, items: 2, store: undefined },
			'the older orders are suppressed',
		);
		assert.equal(await store.getCustomer(String(zelda)), undefined);
	});
});

/** Every row of every table, as text. */
function dumpSqlite(file: string): string {
	const db = new DatabaseSync(file, { readOnly: true });
	try {
		const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
		const rows: Record<string, unknown[]> = {};
		for (const { name } of tables) rows[name] = db.prepare(`SELECT * FROM "${name}"`).all();
		return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
	} finally {
		db.close();
	}
}
