import { NodeConnectionTypes, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';
import { storeCredentials } from '../shared/store';
import { unitOptions, type Unit } from '../shared/units';

const forKind = (kind: string) => ({ show: { occasion: [kind] } });


/** An amount + unit pair shown for one occasion kind. */
function delay(kind: string, name: string, displayName: string, amount: number, unit: string, units: Unit[], description: string): INodeProperties[] {
	return [
		{
			displayName,
			name,
			type: 'number',
			typeOptions: { minValue: 0 },
			default: amount,
			required: true,
			description,
			displayOptions: forKind(kind),
		},
		{
			displayName: 'Unit',
			name: `${name}Unit`,
			type: 'options',
			options: unitOptions(units),
			default: unit,
			description: 'Days, weeks and months are counted on the calendar in the time zone below, so a day across a daylight-saving change is 23 or 25 hours',
			displayOptions: forKind(kind),
		},
	];
}

export const description: INodeTypeDescription = {
	displayName: 'Storefront Occasion Trigger',
	name: 'storefrontOccasionTrigger',
	icon: { light: 'file:storefrontOccasionTrigger.svg', dark: 'file:storefrontOccasionTrigger.dark.svg' },
	group: ['trigger'],
	version: 1,
	subtitle:
		'={{ ({ "customer.birthday": "Birthday", "cart.abandoned": "Cart abandoned", "customer.no_order_since_registration": "Registered without ordering", "customer.lapsed": "Lapsed customer" })[$parameter["occasion"]] }}',
	description:
		'Starts the workflow on occasions stores never send: a birthday, an abandoned cart, a registration without an order, a customer who stopped ordering; once per customer and occasion',
	defaults: { name: 'Storefront Occasion Trigger' },
	polling: true,
	inputs: [],
	outputs: [NodeConnectionTypes.Main],
	credentials: storeCredentials,
	properties: [
		{
			displayName:
				'Occasions are found in the activity store, among the customers, carts and orders a Storefront Trigger or the Storefront Ledger recorded there. Each one starts the workflow once, even when several workflows or n8n instances poll.',
			name: 'storeNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Occasion',
			name: 'occasion',
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Birthday',
					value: 'customer.birthday',
					description: "On the customer's birthday, or a number of days before it, in the customer's time zone; once a year",
				},
				{
					name: 'Cart Abandoned',
					value: 'cart.abandoned',
					description: 'A cart with items and no order since, left unchanged for a while; once per change of the cart',
				},
				{
					name: 'Registered Without Ordering',
					value: 'customer.no_order_since_registration',
					description: 'A while after registration, the customer has not ordered yet; once per customer',
				},
				{
					name: 'No Order for a While (Lapsed)',
					value: 'customer.lapsed',
					description: 'The last order is longer ago than a while; once per lapse (a new order starts a new one)',
				},
			],
			default: 'customer.birthday',
		},
		{
			displayName: 'Days Before Birthday',
			name: 'daysBefore',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 366 },
			default: 0,
			description: 'Start this many days before the birthday: 0 on the day, 7 a week before. A 29 February birthday falls on 28 February in other years.',
			displayOptions: forKind('customer.birthday'),
		},
		...delay(
			'cart.abandoned',
			'abandonedAfter',
			'Abandoned After',
			3,
			'days',
			['minutes', 'hours', 'days', 'weeks'],
			'How long the cart must be left unchanged, with no order placed since',
		),
		...delay(
			'customer.no_order_since_registration',
			'registeredAfter',
			'Time Since Registration',
			7,
			'days',
			['hours', 'days', 'weeks', 'months'],
			'How long after registering the customer still has not ordered',
		),
		...delay(
			'customer.lapsed',
			'lapsedAfter',
			'No Order For',
			90,
			'days',
			['days', 'weeks', 'months'],
			'How long since the last order before the customer counts as lapsed',
		),
		{
			displayName: 'Time Zone Name or ID',
			name: 'timezone',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'timeZones' },
			default: '',
			description:
				'The time zone for customers the store has none for, and for counting days; empty: the workflow\'s time zone (workflow settings). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Emit Already Due at Activation',
			name: 'emitAlreadyDue',
			type: 'boolean',
			default: false,
			description:
				'Whether to also start for occasions that were already due when this trigger was first switched on (e.g. every cart abandoned last month). Off: only occasions that become due from then on, or that the store learns of from then on (a customer, cart, registration or order recorded later).',
		},
		{
			displayName: 'Max Occasions per Poll',
			name: 'maxPerPoll',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 10000 },
			default: 100,
			description: 'At most this many occasions start the workflow per poll; the rest follow with the next polls, oldest first',
		},
	],
};
