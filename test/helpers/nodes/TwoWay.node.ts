import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only gate: an item goes to output 0 (Yes) when its `value` parameter, evaluated per
 * item, equals `equals`, else to output 1 (No). `value` defaults to an expression, as our
 * nodes' customer fields do.
 */
export class TwoWay implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Two Way (test)',
		name: 'twoWay',
		group: ['transform'],
		version: 1,
		description: 'Routes items to Yes or No',
		defaults: { name: 'Two Way' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Yes', 'No'],
		properties: [
			{ displayName: 'Value', name: 'value', type: 'string', default: '={{ $json.customer.id }}' },
			{ displayName: 'Equals', name: 'equals', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const yes: INodeExecutionData[] = [];
		const no: INodeExecutionData[] = [];
		this.getInputData().forEach((item, itemIndex) => {
			const value = this.getNodeParameter('value', itemIndex) as unknown;
			const equals = this.getNodeParameter('equals', itemIndex) as string;
			(String(value) === equals ? yes : no).push({ json: item.json, pairedItem: { item: itemIndex } });
		});
		return [yes, no];
	}
}
