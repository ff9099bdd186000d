import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { segmentName } from '../../../core/segments';
import type { Store } from '../../../core/store';
import { isoUtc } from '../../../core/time';
import { runBatch } from '../../shared/errors';
import { nodeClock } from '../../shared/store';
import { prepare } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Big spenders',
		description: 'Name of the new segment; names are case-sensitive',
		displayOptions: { show: { resource: ['segment'], operation: ['create'] } },
	},
];

/** Creates the segments that do not exist yet, all in one store call; existing ones are left as they are. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepare(this, items, (i) => segmentName(this.getNodeParameter('name', i), 'name'));
	const { results, failed: storeFailed } = await runBatch(this, prepared, (names) => store.ensureSegments(names, now));
	return [
		[
			...failed,
			...storeFailed,
			...results.map((row, n) => ({
				json: {
					...items[prepared[n].itemIndex].json,
					segment: { name: row.name, created: row.created, createdAt: isoUtc(row.createdAt), members: row.members },
				},
				pairedItem: { item: prepared[n].itemIndex },
			})),
		],
	];
}
