import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { dialogueStoreTest } from '../shared/store';
import { description } from './description';
import { poll } from './poll';

export class StorefrontOccasionTrigger implements INodeType {
	description: INodeTypeDescription = description;

	methods = { credentialTest: { dialogueStoreTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return poll.call(this);
	}
}
