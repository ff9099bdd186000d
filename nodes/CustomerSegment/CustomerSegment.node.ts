import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { searchSegments } from '../shared/locators';
import { dialogueStoreTest } from '../shared/store';
import { description } from './actions/description';
import { router } from './actions/router';

export class CustomerSegment implements INodeType {
	description: INodeTypeDescription = description;

	methods = { listSearch: { searchSegments }, credentialTest: { dialogueStoreTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return router.call(this);
	}
}
