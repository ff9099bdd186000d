import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { Store } from '../../../core/store';
import { prepare, runEach, segmentOf } from './common';

/** Deletes each named segment once (items naming the same segment share the result), with its memberships. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { prepared, failed } = prepare(this, items, (i) => segmentOf(this, i));
	const deleted = new Map<string, Promise<{ removedMembers: number }>>();
	const { results, failed: storeFailed } = await runEach(this, prepared, (segment) => {
		let done = deleted.get(segment);
		if (!done) deleted.set(segment, (done = store.deleteSegment(segment)));
		return done;
	});
	return [
		[
			...failed,
			...storeFailed,
			...results.map(({ itemIndex, value, result }) => ({
				json: { ...items[itemIndex].json, segment: { name: value, deleted: true, removedMembers: result.removedMembers } },
				pairedItem: { item: itemIndex },
			})),
		],
	];
}
