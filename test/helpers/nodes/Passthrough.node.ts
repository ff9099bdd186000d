import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only branch end: passes items on, adding `note` (evaluated per item) when it is set;
 * with `count` on, adds the number of items to this node's workflow static data.
 */
export class Passthrough implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Passthrough (test)',
		name: 'passthrough',
		group: ['transform'],
		version: 1,
		description: 'Passes items on',
		defaults: { name: 'Passthrough' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Note', name: 'note', type: 'string', default: '' },
			{ displayName: 'Count', name: 'count', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (this.getNodeParameter('count', 0) as boolean) {
			const staticData = this.getWorkflowStaticData('node');
			staticData.count = ((staticData.count as number | undefined) ?? 0) + this.getInputData().length;
		}
		return [
			this.getInputData().map((item, itemIndex) => {
				const note = this.getNodeParameter('note', itemIndex) as string;
				return { json: note === '' ? item.json : { ...item.json, note }, pairedItem: { item: itemIndex } };
			}),
		];
	}
}
