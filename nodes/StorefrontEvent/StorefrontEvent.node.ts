import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { dialogueStoreTest } from '../shared/store';
import { storefrontWebhookTest } from '../shared/webhookCredentialTest';
import { description } from './description';
import { receiveItems } from './receive';

export class StorefrontEvent implements INodeType {
	description: INodeTypeDescription = description;

	methods = { credentialTest: { dialogueStoreTest, storefrontWebhookTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return receiveItems.call(this);
	}
}
