import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { generateCodes } from '../../../core/coupons';
import type { Store } from '../../../core/store';
import { errorItem, nodeError } from '../../shared/errors';
import { nodeClock } from '../../shared/store';
import { createInShopField, pushToShop, shopApi } from './shop';
import { discountFields, forOperations, locatorValue, readDiscount, readValidUntil, withFieldHint } from './fields';

const show = forOperations('generate');

export const properties: INodeProperties[] = [
	{
		displayName: 'Count',
		name: 'count',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100000 },
		default: 100,
		description: 'How many new codes to add to the pool (at most 100,000 per run)',
		displayOptions: show,
	},
	{
		displayName: 'Prefix',
		name: 'prefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. THANKS-',
		description: 'Text every code starts with, kept as typed; no spaces',
		displayOptions: show,
	},
	{
		displayName: 'Random Characters',
		name: 'length',
		type: 'number',
		typeOptions: { minValue: 4, maxValue: 32 },
		default: 8,
		description:
			'How many random characters follow the prefix. They come from an alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B) and are cryptographically random.',
		displayOptions: show,
	},
	...discountFields('generate'),
	createInShopField('generate'),
];

/**
 * Generate Codes: runs once per execution, with the first item's parameters; one output item.
 * Create in Shop: then every code of the pool not in the shop yet is created there.
 */
export async function execute(this: IExecuteFunctions, store: Store): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	try {
		const inShop = this.getNodeParameter('createInShop', 0, false) as boolean;
		const api = inShop ? await shopApi(this) : undefined;
		const result = await generateCodes(store, now, {
			pool: locatorValue(this, 'pool', 0),
			count: this.getNodeParameter('count', 0),
			prefix: this.getNodeParameter('prefix', 0, ''),
			length: this.getNodeParameter('length', 0, 8),
			discount: readDiscount(this, 0),
			validUntil: readValidUntil(this, 0),
			inShop,
		});
		const shop = api ? { shop: await pushToShop(this, api, store, result.pool, now) } : {};
		return [[{ json: { ...result, ...shop }, pairedItem: { item: 0 } }]];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this, withFieldHint(error), 0);
		return [[errorItem(error, 0)]];
	}
}
