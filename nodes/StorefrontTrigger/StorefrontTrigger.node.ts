import type { IHookFunctions, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { forgetCredentials } from '../shared/credentials';
import { dialogueStoreTest } from '../shared/store';
import { storefrontWebhookTest } from './credentialTest';
import { description } from './description';
import { readSettings, receive } from './webhook';

export class StorefrontTrigger implements INodeType {
	description: INodeTypeDescription = description;

	methods = { credentialTest: { dialogueStoreTest, storefrontWebhookTest } };

	// Nothing is registered at the storefront: the user pastes the URL into Shopify, WooCommerce or
	// their own system. Activation only checks the settings, so a mistake shows when the workflow
	// is activated rather than as a failed delivery. Activation (n8n calls checkExists, and create
	// only when that says false) and deactivation also drop the credentials the webhook cached
	// (nodes/shared/credentials.ts).
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				forgetCredentials(this);
				await readSettings(this, false);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				forgetCredentials(this);
				await readSettings(this, false);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				forgetCredentials(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receive.call(this);
	}
}
