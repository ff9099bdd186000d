import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only stand-in for n8n's Send Email (and HTTP Request, Edit Fields without "include other
 * fields"): each output item holds only what the node produced, `{ accepted, messageId }`, paired
 * with its input item, so the customer of the incoming item is gone.
 */
export class ReplaceItem implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Replace Item (test)',
		name: 'replaceItem',
		group: ['transform'],
		version: 1,
		description: "Replaces each item's JSON, like Send Email",
		defaults: { name: 'Send Email' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'To', name: 'to', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_item, itemIndex) => {
				const json: IDataObject = { accepted: [this.getNodeParameter('to', itemIndex) as string], messageId: `<m-${itemIndex}@test>` };
				return { json, pairedItem: { item: itemIndex } };
			}),
		];
	}
}
