import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { segmentName } from '../../../core/segments';
import type { Store } from '../../../core/store';
import { prepare, runEach, segmentOf } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'New Name',
		name: 'newName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. VIP customers',
		description: 'The segment keeps its members; no other segment may have this name',
		displayOptions: { show: { resource: ['segment'], operation: ['rename'] } },
	},
];

/** Renames one segment per item. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { prepared, failed } = prepare(this, items, (i) => ({
		from: segmentOf(this, i),
		to: segmentName(this.getNodeParameter('newName', i), 'newName'),
	}));
	const { results, failed: storeFailed } = await runEach(this, prepared, ({ from, to }) => store.renameSegment(from, to));
	return [
		[
			...failed,
			...storeFailed,
			...results.map(({ itemIndex, value, result }) => ({
				json: { ...items[itemIndex].json, segment: { name: result.name, previousName: value.from, members: result.members } },
				pairedItem: { item: itemIndex },
			})),
		],
	];
}
