import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';
import { customerIdField } from '../../shared/locators';
import { storeCredentials } from '../../shared/store';
import { gateOutputs } from '../../shared/outputs';
import { ENTRY_KEY_DEFAULT } from '../../shared/parameters';
import { unitOptions } from '../../shared/units';

const check = { show: { operation: ['check'] } };

export const description: INodeTypeDescription = {
	displayName: 'Repeatability Guard',
	name: 'repeatabilityGuard',
	icon: { light: 'file:repeatabilityGuard.svg', dark: 'file:repeatabilityGuard.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle: '={{ $parameter["operation"] === "check" ? ({ once: "Not repeatable", always: "Repeatable", atMost: "At most " + $parameter["times"] + " times", perPeriod: "Once per " + $parameter["periodAmount"] + " " + $parameter["periodUnit"] })[$parameter["policy"]] : $parameter["operation"] }}',
	description: 'Lets a customer enter an activity once, every time, at most N times or once per period; exact under retries and concurrent executions',
	defaults: { name: 'Repeatability Guard' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: gateOutputs('$parameter["operation"] === "check"', 'Enter', 'Skip', { name: 'Control', when: '$parameter["controlGroup"] > 0' }),
	credentials: storeCredentials,
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Check and Enter',
					value: 'check',
					action: 'Check whether the customer may enter the activity',
					description: 'Enter output if the policy allows it (the entry is recorded), Skip output if not',
				},
				{ name: 'Reset Customer', value: 'reset', action: 'Allow a customer to enter again', description: 'Let the customer enter this activity again as if never entered; the entry history is kept' },
				{ name: 'Entry History', value: 'history', action: 'List entries into an activity', description: 'One item per entry, newest first' },
			],
			default: 'check',
		},
		{
			displayName: 'Activity',
			name: 'activity',
			type: 'string',
			default: '={{ $workflow.id }}',
			required: true,
			description: 'Which activity this guards. Default: this workflow. Use the same text in several workflows to share one activity.',
		},
		customerIdField({ show: { operation: ['check', 'reset'] } }),
		{
			displayName: 'Repeatability',
			name: 'policy',
			type: 'options',
			options: [
				{ name: 'Not Repeatable (Once Ever)', value: 'once' },
				{ name: 'Repeatable (Every Time)', value: 'always', description: 'Always enters; each entry is recorded' },
				{ name: 'At Most N Times', value: 'atMost' },
				{ name: 'At Most Once per Period', value: 'perPeriod' },
			],
			default: 'once',
			displayOptions: check,
		},
		{
			displayName: 'Times',
			name: 'times',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 3,
			displayOptions: { show: { operation: ['check'], policy: ['atMost'] } },
		},
		{
			displayName: 'Period',
			name: 'periodAmount',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 30,
			displayOptions: { show: { operation: ['check'], policy: ['perPeriod'] } },
		},
		{
			displayName: 'Period Unit',
			name: 'periodUnit',
			type: 'options',
			options: unitOptions(['minutes', 'hours', 'days', 'weeks']),
			default: 'days',
			displayOptions: { show: { operation: ['check'], policy: ['perPeriod'] } },
		},
		{
			displayName: 'Entry Key',
			name: 'entryKey',
			type: 'string',
			default: ENTRY_KEY_DEFAULT,
			description:
				"Identifies this attempt, so a retried execution gets the same answer instead of a second entry. It must be new in every run: the customer's ID or a fixed text would make every later run a retry of the first. Default: the ID of the event that started the workflow (also found before a node that replaced the item), else this execution's ID (a run started by a schedule or a list).",
			hint: 'Not the customer ID: a key that is new in every run',
			displayOptions: check,
		},
		{
			displayName: 'Hold Out a Control Group (%)',
			name: 'controlGroup',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 99.9, numberPrecision: 1 },
			default: 0,
			noDataExpression: true,
			description:
				'Share of customers who leave through a third output, Control, instead of Enter: the same customers every time (chosen by a hash of activity and customer ID), recorded as held out so the Activity Report can compare them. 0 for no control group.',
			hint: 'A held-out customer counts as entered for the repeatability',
			displayOptions: check,
		},
		{
			displayName: 'Customer ID',
			name: 'historyCustomerId',
			type: 'string',
			default: '',
			description: 'Only this customer\'s entries; empty for everyone\'s',
			displayOptions: { show: { operation: ['history'] } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { operation: ['history'] } },
		},
	],
};
