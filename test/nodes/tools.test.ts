/**
 * The nodes as AI agent tools. n8n makes a tool variant of each usableAsTool node (its type name
 * with the suffix Tool, one ai_tool output) and hands an agent only the first output of a run, so
 * a gate's answer must be complete on that output; Forget Customer never runs for an agent.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { NodeConnectionTypes, type IDataObject, type INodeType } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { sqliteTestStores, type TestStore } from '../helpers/stores';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { ToolCaller } from '../helpers/nodes/ToolCaller.node';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, testNodeType, type TestNode } from '../helpers/workflow';

/** The tool variant n8n registers for a usableAsTool node. */
function asTool(node: INodeType): INodeType {
	const { description } = node;
	assert.equal(description.usableAsTool, true, `${description.name} is usable as a tool`);
	return {
		description: { ...description, name: `${description.name}Tool`, displayName: `${description.displayName} Tool`, inputs: [], outputs: [NodeConnectionTypes.AiTool] },
		execute: node.execute,
	};
}

const clock = new ManualClock('2026-03-02T09:00:00.000Z');
const newStore = sqliteTestStores('tools', clock);
const nodeTypes = nodeTypesOf(new ItemsSource(), new ToolCaller(), asTool(new RepeatabilityGuard()), asTool(new CustomerSegment()), asTool(new StorefrontLedger()));

/** An agent (Tool Caller) with one tool node: what the agent was handed. */
async function callTool(ts: TestStore, tool: Omit<TestNode, 'name'>): Promise<IDataObject> {
	const result = await runWorkflow({
		nodes: [
			{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: '[{}]' } },
			{ name: 'Agent', type: testNodeType('toolCaller') },
			{ name: 'Tool', ...tool },
		],
		connections: { ...connect(['Source', 'Agent']), Tool: { ai_tool: [[{ node: 'Agent', type: NodeConnectionTypes.AiTool, index: 0 }]] } },
		nodeTypes,
		credentials: ts.credentials,
		startNode: 'Source',
	});
	assert.equal(result.status, 'success', result.error?.message);
	const [out] = result.outputItems('Agent');
	return out.json;
}

describe('Nodes as AI agent tools', () => {
	it('the Repeatability Guard answers an agent with its verdict, Skip included', async () => {
		const ts = newStore();
		const guard = { type: packageNodeType('repeatabilityGuardTool'), parameters: { activity: 'welcome', customerId: 'c1', entryKey: 'k1' } };
		const first = await callTool(ts, guard);
		assert.deepEqual((first.answer as IDataObject[]).map((a) => (a.guard as IDataObject).entered), [true]);
		const second = await callTool(ts, { ...guard, parameters: { ...guard.parameters, entryKey: 'k2' } });
		assert.deepEqual((second.answer as IDataObject[]).map((a) => (a.guard as IDataObject).reason), ['already entered']);
	});

	it('the Repeatability Guard tells an agent that a customer is held out in the control group', async () => {
		const ts = newStore();
		// c4 is in the 10 % control group of "welcome" (test/core/control.test.ts).
		const guard = { type: packageNodeType('repeatabilityGuardTool'), parameters: { activity: 'welcome', customerId: 'c4', entryKey: 'k1', controlGroup: 10 } };
		const answer = await callTool(ts, guard);
		assert.deepEqual(
			(answer.answer as IDataObject[]).map((a) => [(a.guard as IDataObject).entered, (a.guard as IDataObject).heldOut, (a.guard as IDataObject).reason]),
			[[false, true, 'control group']],
		);
	});

	it('a Customer Segment check run by the engine for an agent puts In and Not in on its one output, in input order', async () => {
		const ts = newStore();
		await ts.store.ensureSegments(['VIP'], clock.now());
		await ts.store.segmentAdd('VIP', [{ customerId: 'c2' }], clock.now());
		const items = [{ customer: { id: 'c1' } }, { customer: { id: 'c2' } }, { customer: { id: 'c3' } }];
		const result = await runWorkflow({
			nodes: [
				{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: JSON.stringify(items) } },
				{
					name: 'Segment',
					type: packageNodeType('customerSegmentTool'),
					parameters: { resource: 'membership', operation: 'check', segment: { __rl: true, mode: 'name', value: 'VIP' } },
				},
			],
			connections: connect(['Source', 'Segment']),
			nodeTypes,
			credentials: ts.credentials,
		});
		assert.equal(result.status, 'success', result.error?.message);
		assert.deepEqual(
			result.outputItems('Segment', 0).map((item) => [item.pairedItem, (item.json.segment as IDataObject).member]),
			[
				[{ item: 0 }, false],
				[{ item: 1 }, true],
				[{ item: 2 }, false],
			],
		);
	});

	it('Forget Customer refuses to run as a tool, saying what to do instead, and erases nothing', async () => {
		const ts = newStore();
		await ts.store.ensureSegments(['Kept'], clock.now());
		await ts.store.segmentAdd('Kept', [{ customerId: 'c1' }], clock.now());
		const answer = await callTool(ts, { type: packageNodeType('storefrontLedgerTool'), parameters: { operation: 'forget', customerId: 'c1' } });
		assert.match(String(answer.error), /Forget Customer does not run as an AI agent tool/);
		assert.match(String(answer.error), /run Forget Customer as a workflow step/);
		assert.equal(await ts.store.segmentCheck('Kept', ['c1'], clock.now()).then((rows) => rows[0] !== undefined), true, 'c1 is still in Kept');
	});
});
