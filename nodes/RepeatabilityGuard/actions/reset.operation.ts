import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { customerIdOf } from '../../../core/check';
import { activityName } from '../../../core/guard';
import type { Store } from '../../../core/store';
import { prepareItems, runBatch } from '../../shared/errors';
import { itemParameter, readFrom } from '../../shared/parameters';

export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const { prepared, failed } = prepareItems(this, items, (i) => ({
		activity: activityName(itemParameter(this, 'activity', i)),
		customerId: customerIdOf(itemParameter(this, 'customerId', i)),
	}));
	const { results, failed: storeFailed } = await runBatch(this, prepared, async (resets) => {
		const out = [];
		for (const r of resets) out.push({ ...r, ...(await store.guardReset(r.activity, r.customerId)) });
		return out;
	});
	return [[...failed, ...storeFailed, ...results.map((reset, n) => ({ json: { ...items[prepared[n].itemIndex].json, guardReset: { ...reset, ...readFrom(this, prepared[n].itemIndex) } }, pairedItem: { item: prepared[n].itemIndex } }))]];
}
