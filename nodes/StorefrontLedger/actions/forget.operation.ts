import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { customerIdOf } from '../../../core/check';
import { forgetCustomers } from '../../../core/ledger';
import type { Store } from '../../../core/store';
import { prepareItems, runBatch } from '../../shared/errors';
import { customerIdField } from '../../shared/locators';
import { itemParameter, readFrom } from '../../shared/parameters';

const show = { show: { operation: ['forget'] } };

export const properties: INodeProperties[] = [
	{
		displayName: 'This permanently erases the customer from the activity store. It cannot be undone.',
		name: 'forgetNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	customerIdField(show),
	{
		displayName: 'Also Forget Guest Orders by Email or Phone',
		name: 'guestEmail',
		type: 'boolean',
		default: true,
		description: "Whether to also erase what the store holds under the customer's email or phone as a guest (IDs email:&lt;address&gt;, phone:+&lt;digits&gt;): orders placed without logging in",
		displayOptions: show,
	},
];

/** Forget Customer: one output item per input item with the rows removed per table. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { prepared, failed } = prepareItems(this, items, (i) => ({
		customerId: customerIdOf(itemParameter(this, 'customerId', i), 'Customer ID'),
		guestEmail: this.getNodeParameter('guestEmail', i, true) as boolean,
	}));
	const { results, failed: storeFailed } = await runBatch(this, prepared, async (values) => {
		const out = [];
		for (const { customerId, guestEmail } of values) out.push(...(await forgetCustomers(store, [customerId], { guestEmail })));
		return out;
	});
	const reports = results.map((report, n) => ({ json: { ...(report as unknown as IDataObject), ...readFrom(this, prepared[n].itemIndex) }, pairedItem: { item: prepared[n].itemIndex } }));
	return [[...failed, ...storeFailed, ...reports]];
}
