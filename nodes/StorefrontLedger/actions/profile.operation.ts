import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { customerIdOf, wholeNumber } from '../../../core/check';
import { customerProfiles } from '../../../core/ledger';
import type { Store } from '../../../core/store';
import { prepareItems, runBatch } from '../../shared/errors';
import { customerIdField } from '../../shared/locators';
import { hintUnknownCustomers, nodeClock } from '../../shared/store';
import { itemParameter, readFrom } from '../../shared/parameters';

const show = { show: { operation: ['profile'] } };

export const properties: INodeProperties[] = [
	customerIdField(show),
	{
		displayName: 'Activity Entries',
		name: 'activityLimit',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 1000 },
		default: 50,
		description: 'How many of the newest activity entries (activities the customer entered through a Repeatability Guard) to include; 0 for none',
		displayOptions: show,
	},
];

/** Get Customer Profile: one output item per input item, `found: false` for a customer the store has never seen. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepareItems(this, items, (i) => ({
		customerId: customerIdOf(itemParameter(this, 'customerId', i), 'Customer ID'),
		activityLimit: wholeNumber(this.getNodeParameter('activityLimit', i, 50), 'Activity Entries', 0, 1000),
	}));
	const { results, failed: storeFailed } = await runBatch(this, prepared, (values) => customerProfiles(store, now, values));
	const profiles = results.map((profile, n) => ({ json: { ...(profile as unknown as IDataObject), ...readFrom(this, prepared[n].itemIndex) }, pairedItem: { item: prepared[n].itemIndex } }));
	if (results.some((p) => !p.found)) await hintUnknownCustomers(this, store, results.map((p) => p.customerId));
	return [[...failed, ...storeFailed, ...profiles].sort((a, b) => itemOf(a) - itemOf(b))];
}

function itemOf(data: INodeExecutionData): number {
	const paired = data.pairedItem;
	return typeof paired === 'object' && paired !== null && !Array.isArray(paired) ? paired.item : 0;
}
