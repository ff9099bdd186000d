/**
 * Proves the in-process harness (test/helpers/workflow.ts) with test-only nodes:
 * Source -> Gate (Yes/No) -> one node per branch, through n8n-core's real engine.
 */
import assert from 'node:assert/strict';
import { beforeAll, describe, it } from '@jest/globals';
import { Expression } from 'n8n-workflow';

import { CredentialEcho } from '../helpers/nodes/CredentialEcho.node';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { Passthrough } from '../helpers/nodes/Passthrough.node';
import { TwoWay } from '../helpers/nodes/TwoWay.node';
import { connect, nodeTypesOf, runWorkflow, testNodeType, useExpressionEngine } from '../helpers/workflow';
import type { ExpressionEngineName, TestNode } from '../helpers/workflow';

const nodeTypes = nodeTypesOf(new ItemsSource(), new TwoWay(), new Passthrough(), new CredentialEcho());

const customers = [
	{ customer: { id: 'c1', email: 'Ann@Example.com' } },
	{ customer: { id: 'c2', email: 'bob@example.org' } },
	{ customer: { id: 'c1', email: 'ann+2@example.com' } },
	{ customer: { id: 'c3', email: 'cy@example.com' } },
];

const source = (items: unknown): TestNode => ({
	name: 'Source',
	type: testNodeType('itemsSource'),
	parameters: { items: JSON.stringify(items) },
});

/** Source -> Gate -> Yes branch / No branch. */
function gateWorkflow(gateParameters: Record<string, string>, yesParameters: Record<string, string | boolean> = {}) {
	return {
		nodes: [
			source(customers),
			{ name: 'Gate', type: testNodeType('twoWay'), parameters: gateParameters },
			{ name: 'Yes branch', type: testNodeType('passthrough'), parameters: yesParameters },
			{ name: 'No branch', type: testNodeType('passthrough') },
		],
		connections: connect(['Source', 'Gate'], ['Gate', 'Yes branch', 0], ['Gate', 'No branch', 1]),
		nodeTypes,
	};
}

// n8n servers evaluate with "vm" by default; n8n-workflow alone with "legacy": prove both.
for (const engine of ['vm', 'legacy'] satisfies ExpressionEngineName[]) {
	describe(`workflow harness, ${engine} expression engine`, () => {
		beforeAll(() => useExpressionEngine(engine));

		it('is the active engine', () => {
			assert.equal(Expression.getActiveImplementation(), engine);
		});

		it('routes items by a default expression parameter and keeps pairedItem', async () => {
			// `value` is left out: the node's default `={{ $json.customer.id }}` applies.
			const result = await runWorkflow(gateWorkflow({ equals: 'c1' }));

			assert.equal(result.status, 'success', JSON.stringify(result.error));
			assert.deepEqual(result.executionOrder, ['Source', 'Gate', 'Yes branch', 'No branch']);

			const yes = result.outputItems('Gate', 0);
			const no = result.outputItems('Gate', 1);
			assert.deepEqual(yes.map((item) => item.json), [customers[0], customers[2]]);
			assert.deepEqual(no.map((item) => item.json), [customers[1], customers[3]]);
			assert.deepEqual(yes.map((item) => item.pairedItem), [{ item: 0 }, { item: 2 }]);
			assert.deepEqual(no.map((item) => item.pairedItem), [{ item: 1 }, { item: 3 }]);

			assert.deepEqual(result.lastNodeItems('Yes branch').map((item) => item.json), [customers[0], customers[2]]);
			assert.deepEqual(result.lastNodeItems('No branch').map((item) => item.json), [customers[1], customers[3]]);
			assert.deepEqual(result.lastNodeItems('No branch').map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
			// The run data records which Gate output fed each branch.
			assert.deepEqual(result.runData['No branch'][0].source, [{ previousNode: 'Gate', previousNodeOutput: 1, previousNodeRun: 0 }]);
		});

		it('evaluates explicit expressions, extensions and $() item lookups through pairedItem', async () => {
			const result = await runWorkflow(
				gateWorkflow(
					{ value: '={{ $json.customer.email.toLowerCase().endsWith("@example.com") }}', equals: 'true' },
					// Resolves each Yes item back to the Source item it came from (via Gate's pairedItem).
					{ note: "={{ $('Source').item.json.customer.id }}:{{ $json.customer.email.extractDomain() }}" },
				),
			);

			assert.equal(result.status, 'success', JSON.stringify(result.error));
			assert.deepEqual(
				result.outputItems('Yes branch').map((item) => item.json.note),
				['c1:Example.com', 'c1:example.com', 'c3:example.com'],
			);
			assert.deepEqual(result.outputItems('Gate', 1).map((item) => item.pairedItem), [{ item: 1 }]);
		});

		it('does not run a branch that receives no items', async () => {
			const result = await runWorkflow(gateWorkflow({ value: '={{ $json.customer.id.startsWith("c") }}', equals: 'true' }));

			assert.equal(result.status, 'success');
			assert.equal(result.outputItems('Gate', 1).length, 0);
			assert.equal(result.ran('Yes branch'), true);
			assert.equal(result.ran('No branch'), false);
			assert.throws(() => result.outputItems('No branch'), /did not run/);
		});

		it('resolves a path through a missing field to nothing instead of failing, as n8n does', async () => {
			// Nodes must check resolved values themselves: no error reaches them.
			const result = await runWorkflow(
				gateWorkflow({ equals: 'c1' }, { note: '=city:{{ $json.customer.address.city }}' }),
			);

			assert.equal(result.status, 'success', JSON.stringify(result.error));
			assert.deepEqual(result.outputItems('Yes branch').map((item) => item.json.note), ['city:', 'city:']);
		});

		it('fails the node whose expression names a node that does not exist', async () => {
			const result = await runWorkflow(gateWorkflow({ value: "={{ $('Nowhere').item.json.id }}", equals: 'x' }));

			assert.equal(result.status, 'error');
			assert.equal(result.nodeError('Gate')?.message, "Referenced node doesn't exist");
			assert.equal(result.ran('Yes branch'), false);
		});
	});
}

describe('workflow harness', () => {
	it('hands the given credentials to getCredentials', async () => {
		const credentials = { dialogueStoreApi: { backend: 'sqlite', sqlitePath: '/tmp/store.db' } };
		const result = await runWorkflow({
			nodes: [source([{ n: 1 }, { n: 2 }]), { name: 'Echo', type: testNodeType('credentialEcho') }],
			connections: connect(['Source', 'Echo']),
			nodeTypes,
			credentials,
		});

		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.deepEqual(
			result.lastNodeItems().map((item) => item.json),
			[
				{ n: 1, credentials: credentials.dialogueStoreApi },
				{ n: 2, credentials: credentials.dialogueStoreApi },
			],
		);
	});

	it('reports a node that needs credentials it was not given', async () => {
		const result = await runWorkflow({
			nodes: [source([{ n: 1 }]), { name: 'Echo', type: testNodeType('credentialEcho') }],
			connections: connect(['Source', 'Echo']),
			nodeTypes,
		});

		assert.equal(result.status, 'error');
		assert.match(result.nodeError('Echo')?.message ?? '', /credentials/i);
	});

	it('reports a failing node as an error execution', async () => {
		const result = await runWorkflow({
			nodes: [source({ not: 'an array' }), { name: 'Gate', type: testNodeType('twoWay') }],
			connections: connect(['Source', 'Gate']),
			nodeTypes,
		});

		assert.equal(result.status, 'error');
		assert.equal(result.nodeError('Source')?.message, 'Items must be a JSON array');
		assert.equal(result.ran('Gate'), false);
	});

	it('passes static data in and returns it changed', async () => {
		const workflow = gateWorkflow({ equals: 'c1' }, { count: true });
		const first = await runWorkflow({ ...workflow, staticData: {} });
		assert.deepEqual(first.staticData, { 'node:Yes branch': { count: 2 } });

		const second = await runWorkflow({ ...workflow, staticData: first.staticData });
		assert.deepEqual(second.staticData, { 'node:Yes branch': { count: 4 } });
	});
});
