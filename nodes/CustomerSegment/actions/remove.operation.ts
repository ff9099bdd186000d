import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { customerIdOf } from '../../../core/check';
import type { Store } from '../../../core/store';
import { nodeClock } from '../../shared/store';
import { prepare, runBySegment, segmentOf } from './common';
import { itemParameter, readFrom } from '../../shared/parameters';

/** Ends memberships; `removed` is false when the customer was not a member. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepare(this, items, (i) => ({
		segment: segmentOf(this, i),
		customerId: customerIdOf(itemParameter(this, 'customerId', i)),
	}));
	const { results, failed: storeFailed } = await runBySegment(
		this,
		prepared,
		(segment, removes) => store.segmentRemove(segment, removes.map((r) => r.customerId)),
		(segment) => store.segmentCheck(segment, [], now),
	);
	return [
		[
			...failed,
			...storeFailed,
			...results.map(({ itemIndex, value, result }) => ({
				json: { ...items[itemIndex].json, segment: { name: value.segment, member: false, removed: result, ...readFrom(this, itemIndex) } },
				pairedItem: { item: itemIndex },
			})),
		],
	];
}
