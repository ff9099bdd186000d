import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Which storefront signs the deliveries and with which secret. Tested by the Storefront Trigger's
 * `storefrontWebhookTest` (nodes/StorefrontTrigger/credentialTest.ts): there is no service to
 * call, so the test checks that the secret is usable and names the header deliveries must carry.
 */
// The rule reads testedBy only from a description written inline in a node class; ours is in
// nodes/StorefrontTrigger/description.ts (testedBy: 'storefrontWebhookTest').
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
export class StorefrontWebhookApi implements ICredentialType {
	name = 'storefrontWebhookApi';

	// A shared signing secret, not an HTTP API: users look for "Storefront Webhook".
	// eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-missing-api
	displayName = 'Storefront Webhook';

	icon = {
		light: 'file:../nodes/StorefrontTrigger/storefrontTrigger.svg',
		dark: 'file:../nodes/StorefrontTrigger/storefrontTrigger.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-dialogue-activities#storefront-webhook-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Source',
			name: 'source',
			type: 'options',
			options: [
				{ name: 'Generic (Canonical Event JSON)', value: 'generic', description: 'Your own system posts canonical events' },
				{ name: 'Shopify', value: 'shopify' },
				{ name: 'WooCommerce', value: 'woocommerce' },
			],
			default: 'shopify',
			description: 'Who sends the deliveries. A Storefront Trigger using this credential reads and verifies deliveries of this source only.',
		},
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The shared secret every delivery is signed with (HMAC-SHA256 of the raw body, base64). Requests with a missing or wrong signature are refused with 401 and recorded nowhere.',
		},
		{
			displayName:
				'Shopify: the app\'s client secret (API secret key). Webhooks created by hand under Settings > Notifications are signed with the key shown on that page instead. Deliveries carry X-Shopify-Hmac-Sha256.',
			name: 'shopifyNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { source: ['shopify'] } },
		},
		{
			displayName:
				'WooCommerce: the Secret of the webhook under WooCommerce > Settings > Advanced > Webhooks. Deliveries carry X-WC-Webhook-Signature.',
			name: 'wooCommerceNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { source: ['woocommerce'] } },
		},
		{
			displayName:
				'Generic: sign each request yourself. Header X-Dialogue-Signature = base64 of HMAC-SHA256(secret, raw request body bytes); a "sha256=" prefix is accepted. Example: X-Dialogue-Signature: sha256=3q2+7w... A retried delivery must repeat the event id: that is how duplicates are dropped.',
			name: 'genericNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { source: ['generic'] } },
		},
	];
}
