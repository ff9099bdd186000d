import { NodeOperationError, type IHookFunctions, type INodeType, type INodeTypeDescription, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';
import type { TriggerSettings } from '../../core/trigger';
import { cachedCredentials, forgetCredentials } from '../shared/credentials';
import { nodeError } from '../shared/errors';
import { checkStoreLocation, dialogueStoreTest } from '../shared/store';
import { storefrontWebhookTest } from '../shared/webhookCredentialTest';
import { description } from './description';
import { ensureOwnSecret, isRegistered, register, unregister } from './registration';
import { readSettings, receive } from './webhook';

/**
 * Activation checks the settings and that the store can be used (not SQLite in queue mode). n8n
 * 2.x publishes first and activates afterwards, and reports a failed activation by the error's
 * message alone, so the message also says what to change.
 */
async function checkSettings(ctx: IHookFunctions): Promise<TriggerSettings> {
	forgetCredentials(ctx);
	ensureOwnSecret(ctx);
	try {
		const settings = await readSettings(ctx, false);
		// Read afresh and kept for the deliveries, as the webhook credential is.
		await checkStoreLocation(ctx, async (type) => (await cachedCredentials(ctx, type, { maxAgeMs: 0 })).value);
		return settings;
	} catch (error) {
		const { message, description } = nodeError(ctx, error);
		throw new NodeOperationError(ctx.getNode(), description ? `${message}. ${description}` : message, { description: description ?? undefined });
	}
}

export class StorefrontTrigger implements INodeType {
	description: INodeTypeDescription = description;

	methods = { credentialTest: { dialogueStoreTest, storefrontWebhookTest } };

	// With Register Webhooks in the Shop off, nothing is registered at the storefront: the user
	// pastes the URL into Shopify, WooCommerce or their own system, and activation only checks the
	// settings, so a mistake shows when the workflow is activated rather than as a failed delivery.
	// With it on, checkExists says whether the shop delivers exactly the topics the node reads to
	// its URL, create makes it so and delete removes them (registration.ts). Activation (n8n calls
	// checkExists, and create only when that says false) and deactivation also drop the credentials
	// the webhook cached (nodes/shared/credentials.ts).
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const settings = await checkSettings(this);
				return await isRegistered(this, settings.eventTypes);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const settings = await checkSettings(this);
				await register(this, settings.eventTypes);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				forgetCredentials(this);
				await unregister(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return receive.call(this);
	}
}
