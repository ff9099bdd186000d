import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';
import { ACCEPT_UNSIGNED, deliveryCredentials, deliveryFields, sourceField } from '../shared/deliveryFields';

export const description: INodeTypeDescription = {
	displayName: 'Storefront Event',
	name: 'storefrontEvent',
	icon: { light: 'file:storefrontEvent.svg', dark: 'file:storefrontEvent.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ ($parameter["events"] || []).join(", ") || "record only" }}',
	description:
		"Reads a storefront delivery received by n8n's Webhook node (Raw Body on) as the Storefront Trigger does: verifies the signature, drops duplicate deliveries, records the event in the activity store; Start output for an event that starts the workflow, Not Started output with the answer for the shop otherwise",
	defaults: { name: 'Storefront Event' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
	outputNames: ['Start', 'Not Started'],
	credentials: deliveryCredentials,
	properties: [
		{
			displayName:
				"Put this node right after n8n's Webhook node (HTTP Method POST) with Options › Raw Body turned on: signatures are checked over the bytes the shop sent. Not Started items carry statusCode and body, the answer for a Respond to Webhook node.",
			name: 'rawBodyNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Accept Unsigned Events',
			name: 'acceptUnsigned',
			type: 'boolean',
			default: false,
			description: ACCEPT_UNSIGNED,
		},
		sourceField,
		...deliveryFields,
	],
};
