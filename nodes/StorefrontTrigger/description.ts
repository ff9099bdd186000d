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
	credentials: deliveryCredentials,
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
				'Without a Storefront Webhook credential this trigger refuses every delivery (401), unless Accept Unsigned Events is on: then it accepts unsigned Generic events from anyone who knows the URL. Shopify and WooCommerce deliveries always need a credential with their signing secret.',
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
		...deliveryFields,
	],
};
