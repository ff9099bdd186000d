import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { itemParameter, NATIVE_DEFAULTS } from '../../../nodes/shared/parameters';

/**
 * Test-only: one string parameter per natively resolved default expression (p0, p1, ...), each
 * read twice per item: through itemParameter (native) and through n8n's getNodeParameter (the
 * expression engine), so a test can compare the two.
 */
export class DefaultReader implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Default Reader (test)',
		name: 'defaultReader',
		group: ['transform'],
		version: 1,
		description: 'Reads default expressions natively and through n8n',
		defaults: { name: 'Default Reader' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: NATIVE_DEFAULTS.map((expression, n) => ({ displayName: `P${n}`, name: `p${n}`, type: 'string' as const, default: expression })),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_item, itemIndex) => {
				const read: IDataObject = {};
				NATIVE_DEFAULTS.forEach((expression, n) => {
					let engine: unknown;
					try {
						engine = this.getNodeParameter(`p${n}`, itemIndex);
					} catch (error) {
						engine = { error: (error as Error).message };
					}
					read[expression] = { native: itemParameter(this, `p${n}`, itemIndex) as IDataObject, engine: engine as IDataObject };
				});
				return { json: { read }, pairedItem: { item: itemIndex } };
			}),
		];
	}
}
