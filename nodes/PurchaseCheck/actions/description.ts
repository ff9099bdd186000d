import { NodeConnectionTypes, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { customerIdField } from '../../shared/locators';
import { storeCredentials } from '../../shared/store';
import { unitOptions } from '../../shared/units';

const comparing = ['orderCount', 'amountSpent', 'averageOrderValue'];
const money = ['amountSpent', 'averageOrderValue'];
const when = (...kind: string[]) => ({ show: { kind } });
const windowIs = (...window: string[]) => ({ show: { window } });

/** What one condition row holds; `kind` decides which of the other fields apply. */
const conditionFields: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'Amount Spent', value: 'amountSpent', description: 'Sum of the order totals in one currency' },
			{ name: 'Average Order Value', value: 'averageOrderValue', description: 'Amount spent in one currency divided by the number of orders in it' },
			{ name: 'Bought Any of These Categories', value: 'boughtCategories' },
			{ name: 'Bought Any of These Products', value: 'boughtProducts' },
			{ name: 'Bought Any of These SKUs', value: 'boughtSkus' },
			{ name: 'Number of Orders', value: 'orderCount' },
			{ name: 'Used Any of These Coupon Codes', value: 'usedCoupons' },
			{ name: 'Used Any of These Promotions', value: 'usedPromotions' },
		],
		default: 'orderCount',
	},
	{
		displayName: 'Compare',
		name: 'compare',
		type: 'options',
		options: [
			{ name: 'Equal (=)', value: 'eq' },
			{ name: 'Greater Than (>)', value: 'gt', description: 'More than, e.g. spent more than 1000' },
			{ name: 'Greater Than or Equal (>=)', value: 'gte' },
			{ name: 'Less Than (<)', value: 'lt' },
			{ name: 'Less Than or Equal (<=)', value: 'lte' },
		],
		default: 'gt',
		displayOptions: when(...comparing),
	},
	{
		displayName: 'Number of Orders',
		name: 'orders',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'Whole number of orders in the time window; cancelled, refunded and failed orders do not count',
		displayOptions: when('orderCount'),
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'string',
		default: '1000',
		placeholder: 'e.g. 1000.00',
		description: 'Decimal amount in the currency below, e.g. 1000 or 49.90',
		displayOptions: when(...money),
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		default: 'EUR',
		placeholder: 'e.g. EUR',
		description: 'Three-letter ISO 4217 code. Only orders in this currency count; amounts are never converted.',
		displayOptions: when(...money),
	},
	{
		displayName: 'Categories',
		name: 'categories',
		type: 'string',
		default: '',
		placeholder: 'e.g. Boys, Girls',
		description: 'Comma-separated category names (not case-sensitive); passes when any order line holds any of them',
		displayOptions: when('boughtCategories'),
	},
	{
		displayName: 'Product IDs',
		name: 'products',
		type: 'string',
		default: '',
		placeholder: 'e.g. 8123, 8124',
		description: 'Comma-separated product IDs as the shop sends them; passes when any of them was bought',
		displayOptions: when('boughtProducts'),
	},
	{
		displayName: 'SKUs',
		name: 'skus',
		type: 'string',
		default: '',
		placeholder: 'e.g. TSHIRT-RED-M',
		description: 'Comma-separated SKUs (not case-sensitive); passes when any of them was bought',
		displayOptions: when('boughtSkus'),
	},
	{
		displayName: 'Coupon Codes',
		name: 'couponCodes',
		type: 'string',
		default: '',
		placeholder: 'e.g. WELCOME10',
		description: 'Comma-separated coupon codes (not case-sensitive); passes when an order used any of them',
		displayOptions: when('usedCoupons'),
	},
	{
		displayName: 'Promotions',
		name: 'promotions',
		type: 'string',
		default: '',
		placeholder: 'e.g. Online furniture clearance',
		description: 'Comma-separated promotion names (not case-sensitive); passes when an order had any of them applied',
		displayOptions: when('usedPromotions'),
	},
];

export const description: INodeTypeDescription = {
	displayName: 'Purchase Check',
	name: 'purchaseCheck',
	icon: { light: 'file:purchaseCheck.svg', dark: 'file:purchaseCheck.dark.svg' },
	group: ['transform'],
	version: 1,
	subtitle:
		'={{ ($parameter["combine"] === "any" ? "Any of " : "All of ") + ($parameter["conditions"].condition || []).length + " condition(s), " + ({ all: "all time", last: "last " + $parameter["windowAmount"] + " " + $parameter["windowUnit"], since: "since an instant", sinceExecution: "since this execution started", between: "between two instants", afterEvent: "since the event" })[$parameter["window"]] }}',
	description:
		"Checks a customer's purchase history in the activity store (number of orders, amount spent, average order value, categories, products or SKUs bought, coupon codes or promotions used) within a time window; Yes output if the conditions hold, No output if not. Each item goes out unchanged plus `purchases`: the counts, amounts per currency, last order time and what matched.",
	defaults: { name: 'Purchase Check' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
	outputNames: ['Yes', 'No'],
	credentials: storeCredentials,
	properties: [
		customerIdField(),
		{
			displayName: 'Conditions',
			name: 'conditions',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Condition',
			default: { condition: [{ kind: 'orderCount', compare: 'gt', orders: 0 }] },
			description: 'What to check in the orders of the time window',
			options: [
				{
					displayName: 'Condition',
					name: 'condition',
					values: conditionFields,
				},
			],
		},
		{
			displayName: 'Combine',
			name: 'combine',
			type: 'options',
			options: [
				{ name: 'All Conditions Must Hold', value: 'all' },
				{ name: 'Any Condition Must Hold', value: 'any' },
			],
			default: 'all',
		},
		{
			displayName: 'Time Window',
			name: 'window',
			type: 'options',
			options: [
				{ name: 'All Time', value: 'all', description: 'Every order the store knows of' },
				{ name: 'Between Two Instants', value: 'between', description: 'Orders from the first instant up to (not including) the second' },
				{ name: 'Last N Units', value: 'last', description: 'Orders in the last N minutes, hours, days, weeks or months' },
				{
					name: 'Only Orders After the Event That Started This Execution',
					value: 'afterEvent',
					description: 'Orders placed after the triggering event, so a check after a Wait means "has ordered since"',
				},
				{
					name: 'Only Orders Since This Execution Started',
					value: 'sinceExecution',
					description:
						'Orders placed since this execution started, also after a Wait: "has ordered since the email" in a campaign started by a schedule or a list, where no event started it',
				},
				{ name: 'Since an Instant', value: 'since', description: 'Orders from an instant on, e.g. the time of an earlier event' },
			],
			default: 'all',
		},
		{
			displayName: 'Window Length',
			name: 'windowAmount',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 30,
			description: 'How many units back from now',
			displayOptions: windowIs('last'),
		},
		{
			displayName: 'Window Unit',
			name: 'windowUnit',
			type: 'options',
			options: unitOptions(['minutes', 'hours', 'days', 'weeks', 'months']),
			default: 'days',
			description: 'Days, weeks and months are calendar units in the time zone below',
			displayOptions: windowIs('last'),
		},
		{
			displayName: 'Since',
			name: 'since',
			type: 'dateTime',
			default: '',
			required: true,
			description:
				'Orders placed at or after this instant count: pick a date, or use an expression such as the occurredAt of an earlier event. A date without a UTC offset is read in the time zone below.',
			hint: 'E.g. {{ $json.occurredAt }} or 2026-05-01T00:00:00Z',
			displayOptions: windowIs('since'),
		},
		{
			displayName: 'From',
			name: 'from',
			type: 'dateTime',
			default: '',
			required: true,
			description: 'Start of the window (included). A date without a UTC offset is read in the time zone below.',
			displayOptions: windowIs('between'),
		},
		{
			displayName: 'To',
			name: 'to',
			type: 'dateTime',
			default: '',
			required: true,
			description: 'End of the window (not included); must be after From',
			displayOptions: windowIs('between'),
		},
		{
			displayName: 'Event Time',
			name: 'eventTime',
			type: 'string',
			default: '={{ $json.occurredAt }}',
			required: true,
			description:
				'When the event that started this execution happened. The default reads it from the Storefront Trigger event, which passes through a Wait node unchanged (or from the nearest earlier item that has it, when a node like Send Email replaced the item). Only orders placed after it count.',
			displayOptions: windowIs('afterEvent'),
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Time Zone',
					name: 'timeZone',
					type: 'string',
					default: '',
					placeholder: 'e.g. Europe/Berlin',
					description:
						"IANA time zone for calendar windows (last N days, weeks, months) and for dates written without a UTC offset. Empty: the workflow's time zone.",
				},
			],
		},
	],
};
