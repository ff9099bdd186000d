import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only start node: emits the items given as a JSON array parameter (each element becomes
 * one item's json). It has no inputs, so the engine runs it from the execution stack the way it
 * runs n8n's Execute Workflow Trigger; every item is paired with the single start item.
 */
export class ItemsSource implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Items Source (test)',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits the items of a JSON array',
		defaults: { name: 'Items Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as unknown;
		const items = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
		if (!Array.isArray(items)) {
			throw new NodeOperationError(this.getNode(), 'Items must be a JSON array');
		}
		return [items.map((json: INodeExecutionData['json']) => ({ json, pairedItem: { item: 0 } }))];
	}
}
