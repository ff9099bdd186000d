import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { wholeNumber } from '../../../core/check';
import { activityName } from '../../../core/guard';
import type { Store } from '../../../core/store';
import { isoUtc } from '../../../core/time';
import { prepareItems, runBatch } from '../../shared/errors';
import { itemParameter } from '../../shared/parameters';

export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { prepared, failed } = prepareItems(this, items, (i) => {
		const customerId = String(this.getNodeParameter('historyCustomerId', i, '') ?? '').trim();
		return {
			activity: activityName(itemParameter(this, 'activity', i)),
			customerId: customerId || undefined,
			limit: wholeNumber(this.getNodeParameter('limit', i), 'limit', 1, 10_000),
		};
	});
	const { results, failed: storeFailed } = await runBatch(this, prepared, async (queries) => {
		const out = [];
		for (const query of queries) out.push(await store.guardHistory(query));
		return out;
	});
	const entries = results.flatMap((rows, n) =>
		rows.map((row) => ({
			json: { activity: row.activity, customerId: row.customerId, entryKey: row.key, enteredAt: isoUtc(row.enteredAt), ...(row.heldOut && { heldOut: true }) },
			pairedItem: { item: prepared[n].itemIndex },
		})),
	);
	return [[...failed, ...storeFailed, ...entries]];
}
