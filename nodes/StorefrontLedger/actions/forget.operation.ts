import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { customerIdOf, requireText } from '../../../core/check';
import { InputError } from '../../../core/errors';
import { forgetCustomers } from '../../../core/ledger';
import type { Store } from '../../../core/store';
import { prepareItems, runBatch } from '../../shared/errors';
import { customerIdField } from '../../shared/locators';
import { itemParameter, readFrom } from '../../shared/parameters';
import { nodeClock } from '../../shared/store';

const show = { show: { operation: ['forget'] } };
const byId = { show: { operation: ['forget'], forgetBy: ['customerId'] } };
const byEmail = { show: { operation: ['forget'], forgetBy: ['email'] } };

export const properties: INodeProperties[] = [
	{
		displayName: 'This permanently erases the customer from the activity store. It cannot be undone.',
		name: 'forgetNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Forget By',
		name: 'forgetBy',
		type: 'options',
		options: [
			{ name: 'Customer ID', value: 'customerId', description: 'Erase one customer ID (and, as chosen below, the IDs of the same person)' },
			{ name: 'Email Address', value: 'email', description: 'Erase every customer ID the store holds with this email address, in every shop' },
		],
		default: 'customerId',
		displayOptions: show,
	},
	customerIdField(byId),
	{
		displayName: 'Email Address',
		name: 'email',
		type: 'string',
		placeholder: 'name@example.com',
		default: '',
		required: true,
		description: 'Every customer with this email (compared without case) is erased, and guest orders under it',
		displayOptions: byEmail,
	},
	{
		displayName: 'Also Forget Guest Orders by Email or Phone',
		name: 'guestEmail',
		type: 'boolean',
		default: true,
		description: "Whether to also erase what the store holds under the customer's email or phone as a guest (IDs email:&lt;address&gt;, phone:+&lt;digits&gt;): orders placed without logging in",
		displayOptions: byId,
	},
	{
		displayName: 'Also Every Customer With the Same Email',
		name: 'sameEmail',
		type: 'boolean',
		default: false,
		description: "Whether to also erase every other customer ID with the customer's stored email: the same person in another shop",
		displayOptions: byId,
	},
];

function emailOf(value: unknown): string {
	const email = requireText(value, 'email', 'Map the email address to forget, e.g. {{ $json.email }}.');
	if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new InputError('email', `"${email}" is not an email address`, 'Give an address like name@example.com.');
	return email;
}

/** Forget Customer: one output item per input item with the ids erased and the rows removed per table. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepareItems(this, items, (i) => {
		const forgetBy = this.getNodeParameter('forgetBy', i, 'customerId') as string;
		if (forgetBy === 'email') return { email: emailOf(itemParameter(this, 'email', i)), guestEmail: true, sameEmail: true };
		return {
			customerId: customerIdOf(itemParameter(this, 'customerId', i), 'Customer ID'),
			guestEmail: this.getNodeParameter('guestEmail', i, true) as boolean,
			sameEmail: this.getNodeParameter('sameEmail', i, false) as boolean,
		};
	});
	const { results, failed: storeFailed } = await runBatch(this, prepared, (values) => forgetCustomers(store, values, { now }));
	const reports = results.map((report, n) => ({ json: { ...(report as unknown as IDataObject), ...readFrom(this, prepared[n].itemIndex) }, pairedItem: { item: prepared[n].itemIndex } }));
	return [[...failed, ...storeFailed, ...reports]];
}
