import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { poolName } from '../../../core/coupons';
import type { Store } from '../../../core/store';
import { prepareItems, runByGroup } from '../../shared/errors';
import { nodeClock } from '../../shared/store';
import { locatorValue } from './fields';

export const properties: INodeProperties[] = [];

/** Pool Status: one item per input item; each pool is counted once per execution. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepareItems(this, items, (i) => poolName(locatorValue(this, 'pool', i)));
	const { results, failed: storeFailed } = await runByGroup(this, prepared, (pool) => pool, async (pool, members) => {
		const status = await store.poolStatus(pool, now);
		return members.map(() => status);
	});
	return [[...failed, ...storeFailed, ...results.map(({ itemIndex, result }) => ({ json: { ...result }, pairedItem: { item: itemIndex } }))]];
}
