import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { optionalText, requireText } from '../../../core/check';
import { poolName } from '../../../core/coupons';
import { MAX_CODE_LENGTH } from '../../../core/limits';
import type { RedeemRequest, Store } from '../../../core/store';
import { isoUtc } from '../../../core/time';
import { prepareItems, runByGroup } from '../../shared/errors';
import { poolLocator } from '../../shared/locators';
import { compact } from '../../shared/outputs';
import { nodeClock } from '../../shared/store';
import { forOperations, locatorValue } from './fields';

const show = forOperations('redeem');

export const properties: INodeProperties[] = [
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.order.couponCodes[0] }}',
		description: 'The coupon code the customer used (case, full-width forms and invisible characters do not matter)',
		displayOptions: show,
	},
	{
		...poolLocator('Only mark the code in this pool. Empty: the code in whichever pool holds it.'),
		displayName: 'Coupon Pool (Optional)',
		name: 'redeemPool',
		required: false,
		displayOptions: show,
	},
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1001',
		description: 'The order the code was used in, kept with the code (e.g. the order ID of a Storefront Trigger event); empty for none',
		displayOptions: show,
	},
];

/** Mark Redeemed: every item's code, one store call per pool; a code redeemed before stays as it was. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepareItems(this, items, (i): RedeemRequest => {
		const pool = locatorValue(this, 'redeemPool', i);
		return {
			code: requireText(this.getNodeParameter('code', i), 'code', 'Use the code as the customer typed it.', MAX_CODE_LENGTH),
			pool: pool === '' || pool === undefined || pool === null ? undefined : poolName(pool, 'redeemPool'),
			orderId: optionalText(this.getNodeParameter('orderId', i, ''), 'orderId'),
		};
	});
	const { results, failed: storeFailed } = await runByGroup(this, prepared, (r) => r.pool ?? '', (_pool, requests) =>
		store.redeemCodes(requests, now),
	);
	const out = results.map(({ itemIndex, value, result }) => {
		const coupon = compact({
			code: result.code,
			pool: value.pool,
			found: result.found,
			// Redeemed now, whether by this item or before (then alreadyRedeemed).
			redeemed: result.found,
			alreadyRedeemed: result.found && !result.redeemed,
			redeemedAt: result.redeemedAt === undefined ? undefined : isoUtc(result.redeemedAt),
			orderId: value.orderId,
		});
		return { json: { ...items[itemIndex].json, coupon }, pairedItem: { item: itemIndex } };
	});
	return [[...failed, ...storeFailed, ...out]];
}
