import { NodeOperationError, type IHookFunctions, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import { cachedCredentials, forgetCredentials } from '../shared/credentials';
import { nodeError } from '../shared/errors';
import { checkStoreLocation, dialogueStoreTest } from '../shared/store';
import { storefrontWebhookTest } from '../shared/webhookCredentialTest';
import { description } from './description';
import { readSettings, receive } from './webhook';

/**
 * Activation checks the settings and that the store can be used (not SQLite in queue mode). n8n
 * 2.x publishes first and activates afterwards, and reports a failed activation by the error's
 * message alone, so the message also says what to change.
 */
async function checkSettings(ctx: IHookFunctions): Promise<void> {
	forgetCredentials(ctx);
	try {
		await readSettings(ctx, false);
		// Read afresh and kept for the deliveries, as the webhook credential is.
		await checkStoreLocation(ctx, async (type) => (await cachedCredentials(ctx, type, { maxAgeMs: 0 })).value);
	} catch (error) {
		const { message, description } = nodeError(ctx, error);
		throw new NodeOperationError(ctx.getNode(), description ? `${message}. ${description}` : message, { description: description ?? undefined });
	}
}

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
				await checkSettings(this);
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				await checkSettings(this);
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
