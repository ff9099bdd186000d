/**
 * Storefront Ledger > Activity Report through n8n's real engine (test/helpers/workflow.ts): a
 * Repeatability Guard with a 10 % control group lets 40 customers in or holds them out, orders
 * follow, and the report compares both groups. Expected figures are counted here from the items
 * the guard put on its outputs and the orders written, not by the code under test.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { CHART_COLORS, CHART_HEIGHT, CHART_WIDTH } from '../../core/chart';
import { newcombe } from '../../core/report';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { orderEvent } from '../store/contract';
import { decodePng, pixelsOf } from '../helpers/png';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, testNodeType, type WorkflowResult } from '../helpers/workflow';

const T0 = '2026-03-02T09:00:00.000Z';
const DAY = 86_400_000;
const clock = new ManualClock(T0);
const nodeTypes = nodeTypesOf(new ItemsSource(), new RepeatabilityGuard(), new StorefrontLedger(), new Passthrough());
const newStore = sqliteTestStores('report-node', clock);

function run(ts: TestStore, name: 'Guard' | 'Ledger', parameters: INodeParameters, items: IDataObject[]): Promise<WorkflowResult> {
	return runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
			{ name, type: packageNodeType(name === 'Guard' ? 'repeatabilityGuard' : 'storefrontLedger'), parameters },
		],
		connections: connect(['Source', name]),
		nodeTypes,
		credentials: ts.credentials,
	});
}

function ok(result: WorkflowResult): WorkflowResult {
	assert.equal(result.status, 'success', JSON.stringify(result.error?.message ?? result.error));
	return result;
}

const customerIds = (result: WorkflowResult, output: number) => result.outputItems('Guard', output).map((item) => String((item.json.customer as IDataObject).id));

describe('Storefront Ledger node: Activity Report', () => {
	it('compares the customers who entered with the control group: conversion, orders, revenue per currency, lift', async () => {
		const ts = newStore();
		const customers = Array.from({ length: 40 }, (_, i) => `c${i}`);
		const guard = ok(await run(ts, 'Guard', { activity: 'welcome', controlGroup: 10 }, customers.map((id) => ({ id: `e-${id}`, customer: { id } }))));
		const entered = customerIds(guard, 0);
		const heldOut = customerIds(guard, 2);
		assert.equal(entered.length + heldOut.length, 40);
		assert.ok(heldOut.length > 0);

		// Orders: the first ten customers buy 20.00 EUR two days after entering, c1 also 15.00 USD;
		// c2's order the day before and c3's three weeks after do not count.
		const at = Date.parse(T0);
		const orders = [
			...customers.slice(0, 10).map((id) => orderEvent(id, at + 2 * DAY, '20.00', { orderId: `r-${id}` })),
			orderEvent('c1', at + 3 * DAY, '15.00', { currency: 'USD', orderId: 'r-usd' }),
			orderEvent('c2', at - DAY, '99.00', { orderId: 'r-before' }),
			orderEvent('c3', at + 21 * DAY, '99.00', { orderId: 'r-after' }),
		];
		await ts.store.recordEvents(orders, at);
		// A second run of the guard: everyone is skipped (once only), held out or not.
		ok(await run(ts, 'Guard', { activity: 'welcome', controlGroup: 10 }, customers.slice(0, 5).map((id) => ({ id: `f-${id}`, customer: { id } }))));

		clock.advance(30 * DAY);
		const result = ok(await run(ts, 'Ledger', { operation: 'report', activities: 'welcome, nothing-yet', from: '2026-03-01T00:00:00Z' }, [{}]));
		const [report, empty] = result.outputItems('Ledger');
		assert.deepEqual(result.outputItems('Ledger').map((i) => i.pairedItem), [{ item: 0 }, { item: 0 }]);

		const buyers = customers.slice(0, 10);
		const eurIn = buyers.filter((id) => entered.includes(id)).length;
		const eurOut = buyers.filter((id) => heldOut.includes(id)).length;
		const usdIn = entered.includes('c1') ? 1 : 0;
		const money = (cents: number) => (cents / 100).toFixed(2);
		const perCustomer = (cents: number, n: number) => money(Math.round(cents / n));
		const p1 = eurIn / entered.length;
		const p2 = eurOut / heldOut.length;
		const { lift, ...figures } = report.json as unknown as { lift: { low: number; high: number } & IDataObject } & IDataObject;
		assert.deepEqual(figures, {
			activity: 'welcome',
			from: '2026-03-01T00:00:00.000Z',
			to: '2026-04-01T09:00:00.000Z',
			conversionWindowDays: 14,
			entered: entered.length,
			heldOut: heldOut.length,
			skipped: 5,
			enteredGroup: {
				customers: entered.length,
				entries: entered.length,
				converted: eurIn,
				conversionRate: Math.round((eurIn / entered.length) * 1e6) / 1e6,
				orders: eurIn + usdIn,
				revenue: { EUR: money(2000 * eurIn), ...(usdIn && { USD: '15.00' }) },
				revenuePerCustomer: { EUR: perCustomer(2000 * eurIn, entered.length), ...(usdIn && { USD: perCustomer(1500, entered.length) }) },
				codesAssigned: 0,
				codesRedeemed: 0,
			},
			controlGroup: {
				customers: heldOut.length,
				entries: heldOut.length,
				converted: eurOut,
				conversionRate: Math.round((eurOut / heldOut.length) * 1e6) / 1e6,
				orders: eurOut,
				revenue: eurOut ? { EUR: money(2000 * eurOut) } : {},
				revenuePerCustomer: eurOut ? { EUR: perCustomer(2000 * eurOut, heldOut.length) } : {},
				codesAssigned: 0,
				codesRedeemed: 0,
			},
		});
		const [low, high] = newcombe(eurIn, entered.length, eurOut, heldOut.length);
		assert.equal(lift.absolute, Math.round((p1 - p2) * 1e6) / 1e6);
		assert.ok(Math.abs(lift.low - low) < 1e-6 && Math.abs(lift.high - high) < 1e-6);
		assert.ok(lift.low < (lift.absolute as number) && (lift.absolute as number) < lift.high);
		assert.equal(lift.method, 'Newcombe hybrid score interval (Wilson)');

		assert.deepEqual([empty.json.activity, empty.json.entered, empty.json.heldOut, empty.json.lift], ['nothing-yet', 0, 0, null]);
	});

	it('Attach Picture: each report item carries its PNG in the binary field named, unless switched off', async () => {
		clock.set(T0);
		const ts = newStore();
		const customers = Array.from({ length: 20 }, (_, i) => `c${i}`);
		ok(await run(ts, 'Guard', { activity: 'welcome', controlGroup: 20 }, customers.map((id) => ({ id: `e-${id}`, customer: { id } }))));
		const at = Date.parse(T0);
		await ts.store.recordEvents(customers.slice(0, 8).map((id) => orderEvent(id, at + DAY, '10.00', { orderId: `r-${id}` })), at);
		clock.advance(DAY);

		const parameters = { operation: 'report', activities: 'welcome, nothing-yet', from: '2026-03-01T00:00:00Z' };
		const plain = ok(await run(ts, 'Ledger', parameters, [{}]));
		assert.deepEqual(plain.outputItems('Ledger').map((item) => item.binary), [undefined, undefined]);

		const result = ok(await run(ts, 'Ledger', { ...parameters, attachPicture: true, binaryPropertyName: 'picture' }, [{}]));
		const [report, empty] = result.outputItems('Ledger');
		assert.deepEqual(Object.keys(report.binary ?? {}), ['picture']);
		const { mimeType, fileName, fileExtension, data } = report.binary!.picture;
		assert.deepEqual([mimeType, fileName, fileExtension], ['image/png', 'activity-report-welcome-2026-03-01.png', 'png']);
		const image = decodePng(Buffer.from(data, 'base64'));
		assert.deepEqual([image.width, image.height], [CHART_WIDTH, CHART_HEIGHT]);
		assert.ok(pixelsOf(image, CHART_COLORS.converted) > 0, 'the conversions are drawn');
		assert.equal(empty.binary?.picture.fileName, 'activity-report-nothing-yet-2026-03-01.png');
		assert.equal(pixelsOf(decodePng(Buffer.from(empty.binary!.picture.data, 'base64')), CHART_COLORS.entered), 0);

		const unnamed = await run(ts, 'Ledger', { ...parameters, attachPicture: true, binaryPropertyName: ' ' }, [{}]);
		assert.equal(unnamed.status, 'error');
		assert.match(String(unnamed.nodeError('Ledger')?.message), /^binaryPropertyName: is empty/);
		assert.match(String(unnamed.nodeError('Ledger')?.description), /Enter the name of the binary field the picture goes in/);
	});

	it('fails with the item index and what to change on a reversed range or an unknown pool', async () => {
		const ts = newStore();
		const reversed = await run(ts, 'Ledger', { operation: 'report', activities: 'welcome', from: '2026-03-05T00:00:00Z', to: '2026-03-01T00:00:00Z' }, [{}]);
		assert.equal(reversed.status, 'error');
		const error = reversed.nodeError('Ledger') as unknown as { message: string; description?: string; context?: { itemIndex?: number } };
		assert.match(error.message, /^to: 2026-03-01T00:00:00.000Z is not after from/);
		assert.match(error.description ?? '', /Choose an end of the date range after its start/);
		assert.equal(error.context?.itemIndex, 0);

		const pool = await run(ts, 'Ledger', { operation: 'report', activities: 'welcome', from: '2026-03-01T00:00:00Z', pools: 'no-such-pool' }, [{}]);
		assert.equal(pool.status, 'error');
		assert.match(String(pool.nodeError('Ledger')?.message), /Coupon pool "no-such-pool" does not exist/);
	});
});
