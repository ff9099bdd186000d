/**
 * Purchase Check node through the real n8n engine (in-process harness): Items Source -> Purchase
 * Check, with a real SQLite store in a temp file selected by the Dialogue Store credential.
 * Every condition type and comparison, every time window, the time zone option, both outputs,
 * continueOnFail, the unknown-customer hint, one store call per execution, and bad input.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData, INodeParameters, IWorkflowSettings, NodeOperationError } from 'n8n-workflow';

import { ManualClock, systemClock } from '../../core/clock';
import type { Store } from '../../core/store';
import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { setNodeClock } from '../../nodes/shared/store';
import { closeAllStores, storeFor, type StoreCredential } from '../../store/open';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { connect, MapNodeTypes, nodeTypesOf, packageNodeType, runWorkflow, testNodeType } from '../helpers/workflow';
import { orderEvent, registerEvent } from '../store/contract';

const NOW = '2026-03-31T12:00:00.000Z';
const nodeTypes = nodeTypesOf(new ItemsSource(), new PurchaseCheck());
const dir = mkdtempSync(join(tmpdir(), 'purchase-check-'));
const credential = { type: 'sqlite', file: join(dir, 'store.sqlite') };
const credentials = { dialogueStoreApi: credential };
let store: Store;

const ann = { customer: { id: 'pc-ann' } };
const bob = { customer: { id: 'pc-bob' } };
const cy = { customer: { id: 'pc-cy' } };
const at = (iso: string) => Date.parse(iso);

type Condition = INodeParameters;
const conditions = (...condition: Condition[]): INodeParameters => ({ condition });

interface Run {
	status: string;
	yes: INodeExecutionData[];
	no: INodeExecutionData[];
	/** The Error output n8n adds under "continue using error output". */
	errors: INodeExecutionData[];
	error?: NodeOperationError;
	hints: Array<{ message: string }>;
}

async function check(parameters: INodeParameters, items: IDataObject[], node: Partial<INode> = {}, settings?: IWorkflowSettings): Promise<Run> {
	const result = await runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name: 'Purchase Check', type: packageNodeType('purchaseCheck'), parameters, ...node },
		],
		connections: connect(['Source', 'Purchase Check']),
		nodeTypes,
		credentials,
		settings,
	});
	const ran = result.ran('Purchase Check');
	return {
		status: result.status,
		yes: ran && result.status === 'success' ? result.outputItems('Purchase Check', 0) : [],
		no: ran && result.status === 'success' ? result.outputItems('Purchase Check', 1) : [],
		errors: ran && result.status === 'success' ? result.outputItems('Purchase Check', 2) : [],
		error: ran ? (result.nodeError('Purchase Check') as NodeOperationError | undefined) : undefined,
		hints: (ran ? (result.runData['Purchase Check'][0].hints ?? []) : []) as Array<{ message: string }>,
	};
}

/** Customer ids on Yes and on No. */
async function split(parameters: INodeParameters, items: IDataObject[] = [ann, bob, cy], settings?: IWorkflowSettings) {
	const run = await check(parameters, items, {}, settings);
	assert.equal(run.status, 'success', run.error?.message);
	const ids = (out: INodeExecutionData[]) => out.map((item) => (item.json.customer as IDataObject).id);
	return { yes: ids(run.yes), no: ids(run.no) };
}

function assertInputError(run: Run, itemIndex: number, message: RegExp, description: RegExp) {
	assert.equal(run.status, 'error');
	assert.ok(run.error, 'the node failed');
	assert.match(run.error.message, message);
	assert.match(String(run.error.description), description);
	assert.equal(run.error.context.itemIndex, itemIndex);
}

beforeAll(async () => {
	setNodeClock(new ManualClock(NOW));
	store = storeFor(credential as StoreCredential);
	await store.recordEvents(
		[
			orderEvent('pc-ann', at('2026-01-10T09:00:00Z'), '100.00', { orderId: 'pc-A1', categories: ['Boys', 'Jackets'], coupons: ['WELCOME10'] }),
			orderEvent('pc-ann', at('2026-03-20T15:00:00Z'), '250.50', { orderId: 'pc-A2', categories: ['Shoes'], promotions: ['Spring sale'] }),
			orderEvent('pc-ann', at('2026-03-30T02:00:00Z'), '20', { orderId: 'pc-A3', currency: 'USD', categories: ['Socks'] }),
			orderEvent('pc-bob', at('2025-06-01T12:00:00Z'), '999.99', { orderId: 'pc-B1', categories: ['Women'] }),
			orderEvent('pc-bob', at('2026-03-25T12:00:00Z'), '500.00', { orderId: 'pc-B2', categories: ['Girls'], status: 'cancelled' }),
			registerEvent('pc-cy', at('2026-02-01T08:00:00Z')),
		],
		at('2026-03-31T00:00:00Z'),
	);
});

afterAll(async () => {
	setNodeClock(systemClock);
	await closeAllStores();
	rmSync(dir, { recursive: true, force: true });
});

describe('Purchase Check: node description', () => {
	it('has Yes and No outputs, is usable as a tool, and defaults to the canonical event', () => {
		const { description } = new PurchaseCheck();
		assert.equal(description.name, 'purchaseCheck');
		assert.deepEqual(description.outputNames, ['Yes', 'No']);
		assert.equal(description.outputs.length, 2);
		assert.equal(description.usableAsTool, true);
		const customerId = description.properties.find((p) => p.name === 'customerId');
		assert.equal(customerId?.default, '={{ $json.customer.id }}');
		const eventTime = description.properties.find((p) => p.name === 'eventTime');
		assert.equal(eventTime?.default, '={{ $json.occurredAt }}');
		assert.deepEqual(description.credentials, [{ name: 'dialogueStoreApi', required: false, displayName: 'Activity Store', testedBy: 'dialogueStoreTest' }]);
	});

	it('shows how conditions combine and the time window in the subtitle', () => {
		const node = new PurchaseCheck();
		const subtitle = (parameters: INodeParameters) => {
			const values = NodeHelpers.getNodeParameters(node.description.properties, parameters, true, false, null, node.description) ?? {};
			const placed: INode = { id: '1', name: 'Check', type: packageNodeType('purchaseCheck'), typeVersion: 1, position: [0, 0], parameters: values };
			const workflow = new Workflow({ nodes: [placed], connections: {}, active: false, nodeTypes: new MapNodeTypes(nodeTypesOf(node)) });
			return workflow.expression.getSimpleParameterValue(placed, node.description.subtitle, 'internal', {});
		};
		assert.equal(subtitle({}), 'All of 1 condition(s), all time');
		assert.equal(
			subtitle({ combine: 'any', window: 'last', windowAmount: 7, windowUnit: 'days', conditions: conditions({ kind: 'orderCount' }, { kind: 'usedCoupons' }) }),
			'Any of 2 condition(s), last 7 days',
		);
		assert.equal(subtitle({ window: 'afterEvent' }), 'All of 1 condition(s), since the event');
	});
});

describe('Purchase Check: conditions', () => {
	it('works with its defaults: more than 0 orders, all time', async () => {
		assert.deepEqual(await split({}), { yes: ['pc-ann', 'pc-bob'], no: ['pc-cy'] });
	});

	it('compares the number of orders with each operator (cancelled orders do not count)', async () => {
		// ann 3 orders, bob 1 (plus a cancelled one), cy 0
		const cases: Array<[string, number, string[]]> = [
			['gt', 1, ['pc-ann']],
			['gte', 1, ['pc-ann', 'pc-bob']],
			['eq', 1, ['pc-bob']],
			['lte', 1, ['pc-bob', 'pc-cy']],
			['lt', 1, ['pc-cy']],
			['eq', 0, ['pc-cy']],
		];
		for (const [compare, orders, expected] of cases) {
			const { yes } = await split({ conditions: conditions({ kind: 'orderCount', compare, orders }) });
			assert.deepEqual(yes, expected, `${compare} ${orders}`);
		}
	});

	it('compares the amount spent in one currency, exactly at the boundary', async () => {
		const spent = async (compare: string, amount: string, currency = 'EUR') =>
			(await split({ conditions: conditions({ kind: 'amountSpent', compare, amount, currency }) })).yes;
		assert.deepEqual(await spent('gt', '350.49'), ['pc-ann', 'pc-bob']);
		assert.deepEqual(await spent('gt', '350.50'), ['pc-bob']);
		assert.deepEqual(await spent('gte', '350.50'), ['pc-ann', 'pc-bob']);
		assert.deepEqual(await spent('eq', '999.99'), ['pc-bob']); // the cancelled 500.00 is not added
		assert.deepEqual(await spent('lt', '1'), ['pc-cy']);
		assert.deepEqual(await spent('gte', '20', 'usd'), ['pc-ann']); // code case-insensitive
		assert.deepEqual(await spent('gt', '0', 'GBP'), []);
	});

	it('compares the average order value', async () => {
		const average = async (compare: string, amount: string) =>
			(await split({ conditions: conditions({ kind: 'averageOrderValue', compare, amount, currency: 'EUR' }) })).yes;
		assert.deepEqual(await average('eq', '175.25'), ['pc-ann']);
		assert.deepEqual(await average('gt', '175.25'), ['pc-bob']);
		assert.deepEqual(await average('lte', '175.25'), ['pc-ann', 'pc-cy']);
	});

	it('finds any of the listed categories, products, SKUs, coupon codes and promotions, ignoring case', async () => {
		const any = async (kind: string, field: string, values: string) => {
			const run = await check({ conditions: conditions({ kind, [field]: values }) }, [ann, bob, cy]);
			assert.equal(run.status, 'success', run.error?.message);
			return run.yes.map((item) => [(item.json.customer as IDataObject).id, (item.json.purchases as { conditions: Array<{ matched?: string[] }> }).conditions[0].matched]);
		};
		assert.deepEqual(await any('boughtCategories', 'categories', 'boys, Girls'), [['pc-ann', ['Boys']]]); // bob's Girls order was cancelled
		assert.deepEqual(await any('boughtCategories', 'categories', 'Women\nShoes'), [
			['pc-ann', ['Shoes']],
			['pc-bob', ['Women']],
		]);
		assert.deepEqual(await any('boughtProducts', 'products', 'p-pc-A2, p-nothing'), [['pc-ann', ['p-pc-A2']]]);
		assert.deepEqual(await any('boughtSkus', 'skus', 'sku-pc-b1'), [['pc-bob', ['SKU-pc-B1']]]);
		assert.deepEqual(await any('usedCoupons', 'couponCodes', 'welcome10'), [['pc-ann', ['WELCOME10']]]);
		assert.deepEqual(await any('usedPromotions', 'promotions', 'Spring sale'), [['pc-ann', ['Spring sale']]]);
	});

	it('takes a list from an expression that gives an array', async () => {
		const { yes } = await split({ conditions: conditions({ kind: 'boughtCategories', categories: '={{ ["Socks", "Toys"] }}' }) });
		assert.deepEqual(yes, ['pc-ann']);
	});

	it('combines conditions with All or Any', async () => {
		const both = conditions(
			{ kind: 'boughtCategories', categories: 'Women' },
			{ kind: 'orderCount', compare: 'gte', orders: 2 },
		);
		assert.deepEqual(await split({ conditions: both, combine: 'all' }), { yes: [], no: ['pc-ann', 'pc-bob', 'pc-cy'] });
		assert.deepEqual(await split({ conditions: both, combine: 'any' }), { yes: ['pc-ann', 'pc-bob'], no: ['pc-cy'] });
		const run = await check({ conditions: both, combine: 'any' }, [bob]);
		assert.deepEqual(
			(run.yes[0].json.purchases as IDataObject).conditions,
			[
				{ kind: 'boughtCategories', pass: true, matched: ['Women'] },
				{ kind: 'orderCount', pass: false },
			],
		);
	});
});

describe('Purchase Check: output', () => {
	it('passes the item on unchanged plus `purchases`, paired with its input', async () => {
		const event = { id: 'evt-1', type: 'order.placed', occurredAt: '2026-03-30T02:00:00Z', customer: { id: 'pc-ann', email: 'a@example.com' }, extra: [1, 2] };
		const run = await check({ conditions: conditions({ kind: 'amountSpent', compare: 'gt', amount: '300', currency: 'EUR' }) }, [bob, event]);
		assert.equal(run.status, 'success');
		assert.equal(run.yes.length, 2);
		const { purchases, ...rest } = run.yes[1].json;
		assert.deepEqual(rest, event);
		assert.deepEqual(run.yes[1].pairedItem, { item: 1 });
		assert.deepEqual(purchases, {
			passed: true,
			customerId: 'pc-ann',
			window: {},
			count: 3,
			amounts: { EUR: '350.50', USD: '20.00' },
			averages: { EUR: '175.25', USD: '20.00' },
			firstOrderAt: '2026-01-10T09:00:00.000Z',
			lastOrderAt: '2026-03-30T02:00:00.000Z',
			categories: ['Boys', 'Jackets', 'Shoes', 'Socks'],
			products: ['p-pc-A1', 'p-pc-A2', 'p-pc-A3'],
			skus: ['SKU-pc-A1', 'SKU-pc-A2', 'SKU-pc-A3'],
			couponCodes: ['WELCOME10'],
			promotions: ['Spring sale'],
			conditions: [{ kind: 'amountSpent', pass: true }],
		});
	});

	it('sends a failing item to No with the reason in `purchases`', async () => {
		const run = await check({ conditions: conditions({ kind: 'orderCount', compare: 'gte', orders: 1 }) }, [cy]);
		assert.equal(run.yes.length, 0);
		assert.deepEqual(run.no[0].json.purchases, {
			passed: false,
			customerId: 'pc-cy',
			window: {},
			count: 0,
			amounts: {},
			averages: {},
			categories: [],
			products: [],
			skus: [],
			couponCodes: [],
			promotions: [],
			conditions: [{ kind: 'orderCount', pass: false }],
		});
		assert.deepEqual(run.no[0].pairedItem, { item: 0 });
	});

	it('reads every item of an execution in one store call', async () => {
		const original = store.purchases.bind(store);
		const calls: number[] = [];
		store.purchases = async (queries) => {
			calls.push(queries.length);
			return original(queries);
		};
		try {
			const { yes, no } = await split({}, [ann, bob, cy, ann]);
			assert.deepEqual([yes, no], [['pc-ann', 'pc-bob', 'pc-ann'], ['pc-cy']]);
		} finally {
			store.purchases = original;
		}
		assert.deepEqual(calls, [4]);
	});

	it('names the store in a hint when it has never seen a customer', async () => {
		const run = await check({}, [ann, { customer: { id: 'pc-ghost' } }]);
		assert.equal(run.status, 'success');
		assert.equal(run.no.length, 1);
		assert.equal(run.hints.length, 1);
		assert.match(run.hints[0].message, /1 customer\(s\) \(pc-ghost\) are not in the store this node used: SQLite .*store\.sqlite/);
		const known = await check({}, [ann, cy]);
		assert.deepEqual(known.hints, []);
	});
});

describe('Purchase Check: time windows', () => {
	const count = { conditions: conditions({ kind: 'orderCount', compare: 'gt', orders: 0 }) };
	const summary = async (parameters: INodeParameters, item: IDataObject = ann, settings?: IWorkflowSettings) => {
		const run = await check({ ...count, ...parameters }, [item], {}, settings);
		assert.equal(run.status, 'success', run.error?.message);
		return [...run.yes, ...run.no][0].json.purchases as { count: number; window: IDataObject; passed: boolean };
	};

	it('counts the last N minutes, hours, days, weeks and months back from now', async () => {
		// now 2026-03-31T12:00Z; ann ordered 03-30T02:00Z, 03-20T15:00Z, 01-10T09:00Z
		const last = async (windowAmount: number, windowUnit: string) => (await summary({ window: 'last', windowAmount, windowUnit })).count;
		assert.equal(await last(60, 'minutes'), 0);
		assert.equal(await last(34, 'hours'), 1);
		assert.equal(await last(33, 'hours'), 0);
		assert.equal(await last(2, 'days'), 1);
		assert.equal(await last(2, 'weeks'), 2);
		assert.equal(await last(2, 'months'), 2);
		assert.equal(await last(3, 'months'), 3);
		assert.deepEqual((await summary({ window: 'last', windowAmount: 2, windowUnit: 'days' })).window, { from: '2026-03-29T12:00:00.000Z' });
	});

	it('counts since an instant, inclusive, from an ISO string or an expression', async () => {
		assert.equal((await summary({ window: 'since', since: '2026-03-20T15:00:00Z' })).count, 2);
		assert.equal((await summary({ window: 'since', since: '2026-03-20T15:00:00.001Z' })).count, 1);
		assert.equal((await summary({ window: 'since', since: '={{ $json.from }}' }, { ...ann, from: '2026-01-01T00:00:00+01:00' })).count, 3);
		// An expression may give a DateTime object (n8n's luxon) instead of text.
		assert.equal((await summary({ window: 'since', since: '={{ DateTime.fromISO("2026-03-20T15:00:00Z") }}' })).count, 2);
	});

	it('counts between two instants, including the start and excluding the end', async () => {
		const between = (from: string, to: string) => summary({ window: 'between', from, to });
		assert.equal((await between('2026-01-10T09:00:00Z', '2026-03-30T02:00:00Z')).count, 2);
		assert.equal((await between('2026-01-10T09:00:00.001Z', '2026-03-30T02:00:00.001Z')).count, 2);
		assert.deepEqual((await between('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z')).window, {
			from: '2026-03-01T00:00:00.000Z',
			to: '2026-04-01T00:00:00.000Z',
		});
	});

	it('counts only orders after the event that started the execution, from the item by default', async () => {
		// The triggering order itself (placed at occurredAt) is not "since".
		const afterEvent = (occurredAt: string) => summary({ window: 'afterEvent' }, { ...ann, occurredAt });
		assert.equal((await afterEvent('2026-03-20T15:00:00Z')).count, 1);
		assert.equal((await afterEvent('2026-03-20T14:59:59.999Z')).count, 2);
		assert.equal((await afterEvent('2026-03-30T02:00:00Z')).passed, false);
		assert.deepEqual((await afterEvent('2026-03-30T02:00:00Z')).window, { from: '2026-03-30T02:00:00.001Z' });
		// Another source of the event time
		const mapped = await summary({ window: 'afterEvent', eventTime: '={{ $json.trigger.at }}' }, { ...ann, trigger: { at: '2026-01-01T00:00:00Z' } });
		assert.equal(mapped.count, 3);
	});

	it("reads a date without an offset in the workflow's time zone, or in the Time Zone option", async () => {
		// ann's 2026-03-30T02:00Z order is on 29 March in New York (22:00).
		const since = { window: 'since', since: '2026-03-30T00:00:00' };
		assert.equal((await summary(since)).count, 1); // harness workflows run in UTC
		assert.equal((await summary(since, ann, { timezone: 'America/New_York' })).count, 0);
		assert.deepEqual((await summary(since, ann, { timezone: 'America/New_York' })).window, { from: '2026-03-30T04:00:00.000Z' });
		assert.equal((await summary({ ...since, options: { timeZone: 'America/New_York' } })).count, 0);
		assert.equal((await summary({ ...since, options: { timeZone: 'UTC' } }, ann, { timezone: 'America/New_York' })).count, 1);
		// A date with an offset is that instant in every zone.
		assert.equal((await summary({ window: 'since', since: '2026-03-30T00:00:00Z' }, ann, { timezone: 'America/New_York' })).count, 1);
	});

	it('counts calendar days in the time zone across a daylight-saving change', async () => {
		// 2026-03-29 02:00 Europe/Berlin jumped to 03:00: "last 2 days" from 03-31 14:00 local is 03-29 14:00 local.
		const berlin = await summary({ window: 'last', windowAmount: 2, windowUnit: 'days', options: { timeZone: 'Europe/Berlin' } });
		assert.deepEqual(berlin.window, { from: '2026-03-29T12:00:00.000Z' });
		const threeDays = await summary({ window: 'last', windowAmount: 3, windowUnit: 'days', options: { timeZone: 'Europe/Berlin' } });
		// 03-28 14:00 CET = 13:00Z: 71 hours before now, not 72
		assert.deepEqual(threeDays.window, { from: '2026-03-28T13:00:00.000Z' });
		const utc = await summary({ window: 'last', windowAmount: 3, windowUnit: 'days' });
		assert.deepEqual(utc.window, { from: '2026-03-28T12:00:00.000Z' });
	});
});

describe('Purchase Check: bad input', () => {
	it('refuses an item without a customer ID, naming the item and what to map', async () => {
		const run = await check({}, [ann, { order: { id: 'x' } }]);
		assertInputError(run, 1, /^Customer ID: is empty/, /\{\{ \$json\.customer\.id \}\}/);
	});

	it('refuses a negative number of orders', async () => {
		const run = await check({ conditions: conditions({ kind: 'orderCount', compare: 'gte', orders: '={{ -1 }}' }) }, [ann]);
		assertInputError(run, 0, /^Condition 1, Number of Orders: "-1" is not a whole number from 0 up/, /whole number of 0 or more/);
	});

	it('refuses a negative or fractional window length', async () => {
		const run = await check({ window: 'last', windowAmount: '={{ $json.n }}', windowUnit: 'days' }, [{ ...ann, n: 2 }, { ...bob, n: -3 }]);
		assertInputError(run, 1, /^Window Length: "-3" is not a whole number/, /whole number of 0 or more/);
	});

	it('refuses malformed dates, an end before the start, a missing event time and an unknown time zone', async () => {
		assertInputError(await check({ window: 'since', since: 'yesterday' }, [ann]), 0, /^Since: "yesterday" is not a date and time/, /ISO 8601/);
		assertInputError(await check({ window: 'since', since: '2026-02-30T00:00:00' }, [ann]), 0, /^Since: "2026-02-30T00:00:00" is not a date/, /ISO 8601/);
		assertInputError(
			await check({ window: 'between', from: '2026-03-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }, [ann]),
			0,
			/^To: 2026-02-01T00:00:00.000Z is not after 2026-03-01T00:00:00.000Z/,
			/later than its start/,
		);
		assertInputError(await check({ window: 'between', from: 'soon', to: '2026-02-01T00:00:00Z' }, [ann]), 0, /^From: "soon"/, /ISO 8601/);
		assertInputError(await check({ window: 'afterEvent' }, [ann]), 0, /^Event Time: "" is not a date and time/, /\$\('Storefront Trigger'\)/);
		assertInputError(await check({ options: { timeZone: 'Mars/Olympus' } }, [ann]), 0, /^Time Zone: "Mars\/Olympus" is not a time zone/, /IANA/);
	});

	it('refuses a bad currency or amount, an empty list, and no conditions at all', async () => {
		assertInputError(
			await check({ conditions: conditions({ kind: 'amountSpent', compare: 'gt', amount: '100', currency: 'EURO' }) }, [ann]),
			0,
			/^Condition 1, Currency: "EURO" is not a currency code/,
			/ISO 4217/,
		);
		assertInputError(
			await check({ conditions: conditions({ kind: 'orderCount', orders: 1 }, { kind: 'averageOrderValue', compare: 'gt', amount: '1,000', currency: 'EUR' }) }, [ann]),
			0,
			/^Condition 2, Amount: "1,000" is not a decimal amount/,
			/digits and an optional decimal point/,
		);
		assertInputError(await check({ conditions: conditions({ kind: 'boughtSkus', skus: ' , ' }) }, [ann]), 0, /^Condition 1, SKUs: lists nothing/, /one or more values/);
		assertInputError(await check({ conditions: {} }, [ann]), 0, /^Conditions: no condition is set/, /Add at least one condition/);
		assertInputError(
			await check({ conditions: conditions({ kind: 'orderCount', compare: '={{ "bigger" }}', orders: 1 }) }, [ann]),
			0,
			/^Condition 1, Compare: "bigger" is not one of gt, gte, eq, lte, lt/,
			/Pick one of the options/,
		);
	});

	it('under continueOnFail, puts an error item on the No output in input order, paired, and checks the rest', async () => {
		const run = await check({}, [ann, cy, { nobody: true }, bob], { onError: 'continueRegularOutput' });
		assert.equal(run.status, 'success');
		assert.deepEqual(run.yes.map((item) => item.pairedItem), [{ item: 0 }, { item: 3 }]);
		assert.deepEqual(run.no[1], { json: { error: 'Customer ID: is empty' }, pairedItem: { item: 2 } });
		assert.deepEqual(run.no.map((item) => item.pairedItem), [{ item: 1 }, { item: 2 }]);
	});

	it('under continue using error output, puts an error item on the Error output only', async () => {
		const run = await check({}, [ann, cy, { nobody: true }, bob], { onError: 'continueErrorOutput' });
		assert.equal(run.status, 'success');
		assert.deepEqual(run.yes.map((item) => item.pairedItem), [{ item: 0 }, { item: 3 }]);
		assert.deepEqual(run.no.map((item) => item.pairedItem), [{ item: 1 }]);
		assert.deepEqual(run.errors, [{ json: { nobody: true, error: 'Customer ID: is empty' }, pairedItem: { item: 2 } }]);
	});
});
