import { NodeConnectionTypes } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/**
 * Test-only: reads the `dialogueStoreApi` credentials the way our store-backed nodes do and
 * puts them on each item, so tests can see what getCredentials returned in-process.
 */
export class CredentialEcho implements INodeType {
	readonly testOnly = true;

	description: INodeTypeDescription = {
		displayName: 'Credential Echo (test)',
		name: 'credentialEcho',
		group: ['transform'],
		version: 1,
		description: 'Echoes its credentials',
		defaults: { name: 'Credential Echo' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'dialogueStoreApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('dialogueStoreApi');
		return [
			this.getInputData().map((item, itemIndex) => ({
				json: { ...item.json, credentials },
				pairedItem: { item: itemIndex },
			})),
		];
	}
}
