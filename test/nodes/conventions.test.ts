/**
 * n8n's conventions where users meet them: an unknown operation is a NodeOperationError saying it
 * is not supported, the Dialogue Store credential labels each field once, and the codex files
 * use n8n's own node categories.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import type { INodeType } from 'n8n-workflow';

import { ManualClock } from '../../core/clock';
import { DialogueStoreApi } from '../../credentials/DialogueStoreApi.credentials';
import { Coupon } from '../../nodes/Coupon/Coupon.node';
import { CustomerSegment } from '../../nodes/CustomerSegment/CustomerSegment.node';
import { RepeatabilityGuard } from '../../nodes/RepeatabilityGuard/RepeatabilityGuard.node';
import { StorefrontLedger } from '../../nodes/StorefrontLedger/StorefrontLedger.node';
import { sqliteTestStores } from '../helpers/stores';
import { ItemsSource } from '../helpers/nodes/ItemsSource.node';
import { connect, nodeTypesOf, packageNodeType, runWorkflow, testNodeType } from '../helpers/workflow';
import { repoRoot } from '../helpers/paths';

const newStore = sqliteTestStores('conventions', new ManualClock('2026-03-02T09:00:00.000Z'));

/** The node categories n8n's own nodes (n8n-nodes-base codex files) file themselves under. */
const N8N_CATEGORIES = ['Analytics', 'Communication', 'Core Nodes', 'Data & Storage', 'Development', 'Finance & Accounting', 'Marketing', 'Miscellaneous', 'Productivity', 'Sales', 'Utility'];

describe('n8n conventions', () => {
	const routed: Array<[INodeType, Record<string, string>]> = [
		[new RepeatabilityGuard(), { operation: 'explode' }],
		[new Coupon(), { operation: 'toString' }],
		[new CustomerSegment(), { resource: 'membership', operation: 'explode' }],
		[new StorefrontLedger(), { operation: 'explode' }],
	];
	for (const [node, parameters] of routed) {
		it(`${node.description.displayName}: an unknown operation is a NodeOperationError that says it is not supported`, async () => {
			const ts = newStore();
			const result = await runWorkflow({
				nodes: [
					{ name: 'Source', type: testNodeType('itemsSource'), parameters: { items: '[{}]' } },
					{ name: 'Node', type: packageNodeType(node.description.name), parameters },
				],
				connections: connect(['Source', 'Node']),
				nodeTypes: nodeTypesOf(new ItemsSource(), node),
				credentials: ts.credentials,
			});
			assert.equal(result.status, 'error');
			const error = result.nodeError('Node');
			assert.equal(error?.name, 'NodeOperationError');
			assert.match(error?.message ?? '', new RegExp(`^The operation "${parameters.operation}" is not supported`));
		});
	}

	it('the Dialogue Store credential labels each field once', () => {
		const labels = new DialogueStoreApi().properties.map((p) => p.displayName);
		assert.deepEqual(labels.filter((label, i) => labels.indexOf(label) !== i), []);
	});

	it("every codex file names n8n's own categories", () => {
		const root = join(repoRoot, 'nodes');
		let read = 0;
		for (const dir of readdirSync(root)) {
			const codex = readdirSync(join(root, dir)).find((f) => f.endsWith('.node.json'));
			if (!codex) continue;
			read++;
			const { categories, subcategories } = JSON.parse(readFileSync(join(root, dir, codex), 'utf8')) as { categories: string[]; subcategories?: Record<string, string[]> };
			assert.ok(categories.length > 0, codex);
			for (const category of [...categories, ...Object.keys(subcategories ?? {})]) assert.ok(N8N_CATEGORIES.includes(category), `${codex}: "${category}"`);
		}
		assert.equal(read, 8, 'a codex file for each of the eight nodes');
	});
});
