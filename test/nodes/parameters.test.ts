/**
 * Default expressions read natively (nodes/shared/parameters.ts) give what n8n's expression engine
 * gives for the same item, and every expression default in the package is one of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { NATIVE_DEFAULTS } from '../../nodes/shared/parameters';
import { Coupon } from '../../nodes/Coupon/Coupon.node';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { PurchaseCheck } from '../../nodes/PurchaseCheck/PurchaseCheck.node';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { StorefrontOccasionTrigger } from '../../nodes/StorefrontOccasionTrigger/StorefrontOccasionTrigger.node';
import { StorefrontTrigger } from '../../nodes/StorefrontTrigger/StorefrontTrigger.node';
import { DefaultReader } from '../helpers/nodes/DefaultReader.node';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { connect, nodeTypesOf, runWorkflow, testNodeType } from '../helpers/workflow';

describe('default expressions read without the expression engine', () => {
	it('give what n8n evaluates, item by item (canonical events and items that lack the fields)', async () => {
		const items = [
			{ id: 'evt-1', occurredAt: '2026-03-02T08:59:00.000Z', customer: { id: 'cust-7', email: 'ada@example.com' } },
			{ id: 42, occurredAt: 1767225600000, customer: { id: 7 } },
			{ id: 'evt-3', customer: { email: 'no-id@example.com' } },
			{ other: true },
			{ id: '', customer: 'cust-as-text' },
		];
		const result = await runWorkflow({
			nodes: [
				{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
				{ name: 'Read', type: testNodeType('defaultReader') },
			],
			connections: connect(['Source', 'Read']),
			nodeTypes: nodeTypesOf(new ItemsSource(), new DefaultReader()),
		});
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const out = result.outputItems('Read');
		assert.equal(out.length, items.length);
		let compared = 0;
		out.forEach((item, n) => {
			for (const [expression, { native, engine }] of Object.entries(item.json.read as Record<string, { native: unknown; engine: unknown }>)) {
				const failed = engine !== null && typeof engine === 'object' && 'error' in (engine as IDataObject);
				if (failed) {
					// n8n fails reading a field of a missing object; natively it is missing, and the node says so.
					assert.equal(native, undefined, `item ${n}, ${expression}: n8n failed, native gave ${JSON.stringify(native)}`);
				} else {
					assert.deepEqual(native, engine, `item ${n}, ${expression}`);
					compared++;
				}
			}
		});
		assert.ok(compared >= 15, `compared ${compared} values`);
		// Not only equal to n8n's answer: the right value (the harness's workflow id, the item's own fields).
		const first = out[0].json.read as Record<string, { native: unknown }>;
		assert.equal(first['={{ $workflow.id }}'].native, 'test-workflow');
		assert.equal(first['={{ $json.customer.id }}'].native, 'cust-7');
		assert.equal(first['={{ $json.occurredAt }}'].native, '2026-03-02T08:59:00.000Z');
	});

	it('every expression default in the package is read natively', () => {
		const nodes = [new Coupon(), new CustomerSegment(), new PurchaseCheck(), new RepeatabilityGuard(), new StorefrontLedger(), new StorefrontOccasionTrigger(), new StorefrontTrigger()];
		const defaults: string[] = [];
		const walk = (properties: INodeProperties[]) => {
			for (const p of properties) {
				if (typeof p.default === 'string' && p.default.startsWith('=')) defaults.push(`${p.name}: ${p.default}`);
				for (const option of (p.options ?? []) as Array<INodeProperties | { values?: INodeProperties[] }>) {
					if ('values' in option && Array.isArray(option.values)) walk(option.values);
					else if ('name' in option && 'type' in option) walk([option as INodeProperties]);
				}
			}
		};
		for (const node of nodes) walk(node.description.properties);
		assert.ok(defaults.length >= 5, defaults.join('\n'));
		for (const d of defaults) {
			assert.ok(
				NATIVE_DEFAULTS.includes(d.slice(d.indexOf(': ') + 2)),
				`${d} is evaluated by n8n's expression engine; add it to nodes/shared/parameters.ts or read it with getNodeParameter on purpose`,
			);
		}
	});
});
