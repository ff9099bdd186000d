import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { dialogueStoreTest } from '../shared/store';
import { description } from './actions/description';
import { router } from './actions/router';

export class StorefrontLedger implements INodeType {
	description: INodeTypeDescription = description;

	methods = { credentialTest: { dialogueStoreTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
