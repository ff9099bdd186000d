import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { customerIdOf } from '../../../core/check';
import type { Store } from '../../../core/store';
import { gate } from '../../shared/outputs';
import { hintUnknownCustomers, nodeClock } from '../../shared/store';
import { membershipJson, prepare, runBySegment, segmentOf } from './common';
import { itemParameter, readFrom } from '../../shared/parameters';

/** In / Not in: one store call per segment (normally one); expired memberships are not in. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepare(this, items, (i) => ({
		segment: segmentOf(this, i),
		customerId: customerIdOf(itemParameter(this, 'customerId', i)),
	}));
	const { results, failed: storeFailed } = await runBySegment(this, prepared, (segment, checks) =>
		store.segmentCheck(segment, checks.map((c) => c.customerId), now),
	);
	const decided = results.map(({ itemIndex, value, result }) => ({
		item: { json: { ...items[itemIndex].json, segment: { ...membershipJson(value.segment, result), ...readFrom(this, itemIndex) } }, pairedItem: { item: itemIndex } },
		pass: Boolean(result),
	}));
	if (results.length > 0) await hintUnknownCustomers(this, store, results.map((r) => r.value.customerId));
	return gate(this, decided, [...failed, ...storeFailed]);
}
