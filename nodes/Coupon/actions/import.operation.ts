import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { requireText } from '../../../core/check';
import { splitRepeats } from '../../../core/codes';
import { importCodes, normalizeCode, poolName } from '../../../core/coupons';
import { InputError } from '../../../core/errors';
import type { Store } from '../../../core/store';
import { errorItem, nodeError, prepareItems } from '../../shared/errors';
import { fieldAt } from '../../shared/parameters';
import { nodeClock } from '../../shared/store';
import { createInShopField, pushToShop, shopApi } from './shop';
import { discountFields, forOperations, locatorValue, readDiscount, readValidUntil, withFieldHint } from './fields';

const show = forOperations('import');

export const properties: INodeProperties[] = [
	{
		displayName: 'Create Pool If Missing',
		name: 'createPool',
		type: 'boolean',
		default: true,
		description: 'Whether to create the pool when no pool of that name exists yet. Off: an unknown pool name is an error, which catches typos.',
		displayOptions: show,
	},
	{
		displayName: 'Codes From',
		name: 'source',
		type: 'options',
		options: [
			{ name: 'Input Items', value: 'items', description: 'One code per input item, read from a field (e.g. rows of a spreadsheet or CSV)' },
			{ name: 'Pasted List', value: 'list', description: 'Codes typed or pasted into this node' },
		],
		default: 'items',
		displayOptions: show,
	},
	{
		displayName: 'Field Name',
		name: 'codeField',
		type: 'string',
		default: 'code',
		required: true,
		description: 'The field of each input item that holds its code; use dots for nested fields, e.g. coupon.code',
		displayOptions: { show: { operation: ['import'], source: ['items'] } },
	},
	{
		displayName: 'Codes',
		name: 'codes',
		type: 'string',
		typeOptions: { rows: 8 },
		default: '',
		required: true,
		placeholder: 'SPRING-4K7Q\nSPRING-9XMT',
		description: 'One code per line, or separated by commas, semicolons or spaces',
		displayOptions: { show: { operation: ['import'], source: ['list'] } },
	},
	...discountFields('import'),
	createInShopField('import'),
];

/**
 * Import Codes: every code of the execution in one store call, one output item with the counts.
 * Codes repeated in the input and codes already in the pool (the same codeKey) are skipped and counted.
 */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const source = this.getNodeParameter('source', 0, 'items') as 'items' | 'list';
	let codes: string[] = [];
	let failed: INodeExecutionData[] = [];
	let settings: { pool: string; createPool: boolean; discount: ReturnType<typeof readDiscount>; validUntil?: number; inShop: boolean };
	try {
		settings = {
			pool: poolName(locatorValue(this, 'pool', 0)),
			createPool: this.getNodeParameter('createPool', 0, true) as boolean,
			discount: readDiscount(this, 0),
			validUntil: readValidUntil(this, 0),
			inShop: this.getNodeParameter('createInShop', 0, false) as boolean,
		};
		if (source === 'list') {
			const pasted = String(this.getNodeParameter('codes', 0, '') ?? '');
			codes = pasted
				.split(/[\s,;]+/)
				.filter(Boolean)
				.map((code, n) => normalizeCode(code, `codes (entry ${n + 1})`));
		}
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this, withFieldHint(error), 0);
		return [[errorItem(error, 0)]];
	}
	if (source === 'items') {
		const field = this.getNodeParameter('codeField', 0, 'code') as string;
		const read = prepareItems(this, items, (i) => {
			const value = fieldAt(items[i].json, field);
			if (value === undefined || value === null || value === '') {
				throw new InputError(field, 'has no code in this item', `Set Field Name to the field that holds the code; this item has: ${Object.keys(items[i].json).join(', ') || 'no fields'}.`);
			}
			return normalizeCode(requireText(value, field, 'Set Field Name to the field that holds the code as text, e.g. coupon.code for a nested field.'), field);
		});
		codes = read.prepared.map((p) => p.value);
		failed = read.failed;
		if (codes.length === 0 && failed.length > 0) return [failed];
	}

	const { unique, repeats } = splitRepeats(codes);
	const repeated = repeats.length;
	const paired = source === 'items' ? items.map((_, item) => ({ item })) : { item: 0 };
	try {
		const api = settings.inShop ? await shopApi(this) : undefined;
		const result = await importCodes(store, now, { ...settings, codes: unique });
		const json = {
			pool: result.pool,
			received: codes.length,
			added: result.added,
			skipped: result.skipped + repeated,
			repeatedInInput: repeated,
			alreadyInPool: result.skippedCodes.length,
			skippedCodes: [...new Set([...repeats, ...result.skippedCodes])],
			...(api ? { shop: await pushToShop(this, api, store, result.pool, now) } : {}),
		};
		return [[...failed, { json, pairedItem: paired }]];
	} catch (error) {
		// The pool and settings come from the first item's parameters.
		if (!this.continueOnFail()) throw nodeError(this, error, 0);
		return [[...failed, errorItem(error, 0)]];
	}
}
