import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';
import { customerIdField, segmentLocator } from '../../shared/locators';
import { storeCredentials } from '../../shared/store';
import { gateOutputs } from '../../shared/outputs';
import * as add from './add.operation';
import * as create from './create.operation';
import * as list from './list.operation';
import * as rename from './rename.operation';

export const description: INodeTypeDescription = {
	displayName: 'Customer Segment',
	name: 'customerSegment',
	icon: { light: 'file:customerSegment.svg', dark: 'file:customerSegment.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle:
		'={{ ({ check: "Is in", add: "Add to", remove: "Remove from", list: "Members of", create: "Create", rename: "Rename", delete: "Delete" })[$parameter["operation"]] + " " + ($parameter["operation"] === "create" ? $parameter["name"] : ((typeof $parameter["segment"] === "object" ? $parameter["segment"].value : $parameter["segment"]) || "segment")) }}',
	description:
		'Customer segments in the activity store: check whether a customer is in a segment (In / Not in outputs; expired memberships count as not in), add a customer (for ever, until a date or for a duration), remove a customer, list the members, and create, rename or delete segments. Each item goes out unchanged plus `segment` with the membership.',
	defaults: { name: 'Customer Segment' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: gateOutputs('$parameter["resource"] !== "segment" && $parameter["operation"] === "check"', 'In', 'Not in'),
	credentials: storeCredentials,
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Membership', value: 'membership', description: 'A customer in a segment' },
				{ name: 'Segment', value: 'segment', description: 'The segment itself' },
			],
			default: 'membership',
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['membership'] } },
			options: [
				{
					name: 'Add',
					value: 'add',
					action: 'Add a customer to a segment',
					description: 'For ever, until a date or for a duration; adding a member again only updates the end',
				},
				{
					name: 'Check Membership',
					value: 'check',
					action: 'Check whether a customer is in a segment',
					description: 'In output if the customer is a member now, Not in output if not (or the membership has ended)',
				},
				{
					name: 'List Members',
					value: 'list',
					action: 'List the members of a segment',
					description: 'One item per current member, for batch campaigns',
				},
				{ name: 'Remove', value: 'remove', action: 'Remove a customer from a segment' },
			],
			default: 'check',
		},
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['segment'] } },
			options: [
				{ name: 'Create', value: 'create', action: 'Create a segment', description: 'Does nothing if it exists already' },
				{ name: 'Delete', value: 'delete', action: 'Delete a segment', description: 'The segment and all its memberships' },
				{ name: 'Rename', value: 'rename', action: 'Rename a segment', description: 'Members stay' },
			],
			default: 'create',
		},
		{
			...segmentLocator(),
			displayOptions: { show: { operation: ['check', 'add', 'remove', 'list', 'rename', 'delete'] } },
		},
		customerIdField({ show: { resource: ['membership'], operation: ['check', 'add', 'remove'] } }),
		...add.description,
		...list.description,
		...create.description,
		...rename.description,
	],
};
