import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';
import { poolLocator } from '../../shared/locators';
import { gateOutputs } from '../../shared/outputs';
import * as assign from './assign.operation';
import * as generate from './generate.operation';
import * as importCodes from './import.operation';
import * as redeem from './redeem.operation';
import * as status from './status.operation';
import * as sync from './sync.operation';
import { couponCredentials, shopFields } from './shop';

export const description: INodeTypeDescription = {
	displayName: 'Coupon',
	name: 'coupon',
	icon: { light: 'file:coupon.svg', dark: 'file:coupon.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle:
		'={{ ({ assign: ($parameter["assignment"] === "each" ? "Assign a new code" : "Assign one code per customer"), generate: "Generate codes", import: "Import codes", status: "Pool status", redeem: "Mark redeemed", sync: "Sync to shop" })[$parameter["operation"]] + ($parameter["operation"] !== "redeem" && (typeof $parameter["pool"] === "object" ? $parameter["pool"] && $parameter["pool"].value : $parameter["pool"]) ? ": " + (typeof $parameter["pool"] === "object" ? $parameter["pool"].value : $parameter["pool"]) : "") }}',
	description:
		'Hands out unique coupon codes from a pool exactly once (the same customer, or the same customer with the same assignment key, always gets the same code back, so repeating a call never uses up a second code), and generates, imports, counts and redeems codes',
	defaults: { name: 'Coupon' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: gateOutputs('$parameter["operation"] === "assign"', 'Assigned', 'Pool Empty'),
	credentials: couponCredentials,
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Assign From Pool',
					value: 'assign',
					action: 'Give a customer a coupon code from a pool',
					description:
						'Gives the customer an unused code from the pool (Assigned output) or reports that none is left (Pool Empty output). One Code per Customer: asking again for the same customer returns the same code, never a second one.',
				},
				{
					name: 'Generate Codes',
					value: 'generate',
					action: 'Generate new coupon codes into a pool',
					description: 'Adds random unique codes to the pool (created if missing); runs once per execution and returns one item with the new codes',
				},
				{
					name: 'Import Codes',
					value: 'import',
					action: 'Import existing coupon codes into a pool',
					description: 'Adds codes from the input items or a pasted list; repeated and existing codes are skipped and counted',
				},
				{
					name: 'Mark Redeemed',
					value: 'redeem',
					action: 'Mark a coupon code as used',
					description: 'Records that a code was used in an order; a code already marked keeps its first redemption',
				},
				{
					name: 'Pool Status',
					value: 'status',
					action: 'Count the codes of a coupon pool',
					description: 'Total, free, assigned, redeemed and expired codes of the pool, and codes not in the shop yet or refused by it',
				},
				{
					name: 'Sync to Shop',
					value: 'sync',
					action: 'Create the codes of a pool in the shop',
					description: 'Creates the codes of the pool that are not in the shop yet (Create in Shop after a failed run); codes the shop created or refused are not sent again',
				},
			],
			default: 'assign',
		},
		{
			...poolLocator(
				'The coupon pool. Generate Codes and Import Codes can create it; the other operations need a pool that exists.',
			),
			displayOptions: { show: { operation: ['assign', 'generate', 'import', 'status', 'sync'] } },
		},
		...assign.properties,
		...generate.properties,
		...importCodes.properties,
		...status.properties,
		...redeem.properties,
		...sync.properties,
		...shopFields,
	],
};
