import { NodeConnectionTypes, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { ACCEPT_UNSIGNED, deliveryCredentials, deliveryFields, sourceField } from '../shared/deliveryFields';

/**
 * Accept Unsigned Events, once per default: on for versions 1 and 1.1 (workflows saved before the
 * switch existed keep accepting), off from 1.2.
 */
const acceptUnsigned: INodeProperties[] = [
	{
		displayName: 'Accept Unsigned Events',
		name: 'acceptUnsigned',
		type: 'boolean',
		default: true,
		displayOptions: { show: { '@version': [1, 1.1] } },
		description: ACCEPT_UNSIGNED,
	},
	{
		displayName: 'Accept Unsigned Events',
		name: 'acceptUnsigned',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '@version': [{ _cnd: { gte: 1.2 } }] } },
		description: ACCEPT_UNSIGNED,
	},
];

/** Register Webhooks in the Shop (registration.ts), for Shopify and WooCommerce. */
const registration: INodeProperties[] = [
	{
		displayName: 'Register Webhooks in the Shop',
		name: 'registerWebhooks',
		type: 'boolean',
		default: false,
		displayOptions: { show: { source: ['shopify', 'woocommerce'] } },
		description:
			"Whether the trigger creates its webhooks in the shop when the workflow is published and removes them when it is unpublished: one per topic of Events to Start On (all topics for Any Event or record only), delivering to this node's production URL. Off: copy the URL and the signing secret into the shop yourself.",
	},
	{
		displayName: 'Authentication',
		name: 'shopAuthentication',
		type: 'options',
		options: [
			{ name: 'Access Token', value: 'accessToken' },
			{ name: 'OAuth2', value: 'oAuth2' },
		],
		default: 'accessToken',
		displayOptions: { show: { source: ['shopify'], registerWebhooks: [true] } },
	},
	{
		displayName:
			"Shopify signs the webhooks an app creates with the app's client secret: the trigger verifies with the Storefront Webhook credential when one is selected, else with the Shopify credential's APP Secret Key (access token) or Client Secret (OAuth2).",
		name: 'shopifyRegistrationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['shopify'], registerWebhooks: [true] } },
	},
	{
		displayName:
			'The trigger makes its own signing secret for the WooCommerce webhooks it creates and verifies with it; no Storefront Webhook credential is needed, and one selected is not used.',
		name: 'wooCommerceRegistrationNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { source: ['woocommerce'], registerWebhooks: [true] } },
	},
];

/**
 * n8n's own shop credentials, shown only with Register Webhooks in the Shop (which says when one is
 * missing). OAuth2 follows Authentication through `hide`: were both its values named in a
 * credential's `show`, n8n's editor would take Authentication for the node's main auth field and
 * leave Source and Register Webhooks in the Shop out of the panel.
 */
const credentials: INodeTypeDescription['credentials'] = [
	...deliveryCredentials,
	{ name: 'shopifyAccessTokenApi', required: false, displayOptions: { show: { source: ['shopify'], registerWebhooks: [true], shopAuthentication: ['accessToken'] } } },
	{ name: 'shopifyOAuth2Api', required: false, displayOptions: { show: { source: ['shopify'], registerWebhooks: [true] }, hide: { shopAuthentication: ['accessToken'] } } },
	{ name: 'wooCommerceApi', required: false, displayOptions: { show: { source: ['woocommerce'], registerWebhooks: [true] } } },
];

export const description: INodeTypeDescription = {
	displayName: 'Storefront Trigger',
	name: 'storefrontTrigger',
	icon: { light: 'file:storefrontTrigger.svg', dark: 'file:storefrontTrigger.dark.svg' },
	group: ['trigger'],
	// 1.1 behaves exactly as 1. Before calling webhook(), n8n evaluates a legacy expression for every
	// version-1 webhook node (its Webhook node v1's binaryData option), which takes an expression
	// isolate per request when n8n acquires isolates lazily (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE);
	// from 1.1 on n8n skips it, and deliveries answered without an execution cost no isolate at all.
	// 1.2 refuses unsigned deliveries unless Accept Unsigned Events is on; 1 and 1.1 accept unsigned
	// Generic events as they always did, until the switch is turned off.
	version: [1, 1.1, 1.2],
	defaultVersion: 1.2,
	subtitle: '={{ ($parameter["events"] || []).join(", ") || "record only" }}',
	description:
		'Starts the workflow on storefront events (Shopify, WooCommerce or your own JSON): verifies signatures, drops duplicate deliveries and records every event in the activity store',
	defaults: { name: 'Storefront Trigger' },
	inputs: [],
	outputs: [NodeConnectionTypes.Main],
	credentials,
	webhooks: [
		{
			name: 'default',
			httpMethod: 'POST',
			// n8n answers after it has created the execution, without waiting for the workflow; the
			// body is the webhookResponse the node returns ({ status: 'started', eventId, type }).
			responseMode: 'onReceived',
			responseData: '',
			path: 'storefront',
		},
	],
	properties: [
		{
			displayName:
				'Without a Storefront Webhook credential this trigger refuses every delivery (401), unless Accept Unsigned Events is on: then it accepts unsigned Generic events from anyone who knows the URL. Shopify and WooCommerce deliveries need a credential with their signing secret, unless Register Webhooks in the Shop is on.',
			name: 'unsignedNotice',
			type: 'notice',
			default: '',
		},
		...acceptUnsigned,
		sourceField,
		{
			displayName:
				"With a Storefront Webhook credential, this must be the source the credential names (or Auto). If they differ, publishing fails: the webhook answers 404, and n8n shows why only in the workflow's publication status and its log.",
			name: 'sourceNotice',
			type: 'notice',
			default: '',
			displayOptions: { hide: { source: ['auto'] } },
		},
		...registration,
		...deliveryFields,
	],
};
