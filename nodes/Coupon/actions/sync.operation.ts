import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { poolName } from '../../../core/coupons';
import type { Store } from '../../../core/store';
import { errorItem, nodeError } from '../../shared/errors';
import { nodeClock } from '../../shared/store';
import { locatorValue } from './fields';
import { pushToShop, shopApi } from './shop';

export const properties: INodeProperties[] = [];

/** Sync to Shop: creates the pool's codes not in the shop yet (after a failed run), once per execution; one output item. */
export async function execute(this: IExecuteFunctions, store: Store): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	try {
		const pool = poolName(locatorValue(this, 'pool', 0));
		return [[{ json: { ...(await pushToShop(this, await shopApi(this), store, pool, now)) }, pairedItem: { item: 0 } }]];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this, error, 0);
		return [[errorItem(error, 0)]];
	}
}
