import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';
import { openStore } from './store';

function locator(displayName: string, name: string, searchListMethod: string, placeholder: string, description: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod, searchable: true } },
			{ displayName: 'By Name', name: 'name', type: 'string', placeholder },
		],
	};
}

export const segmentLocator = (description = 'The segment, from the store or by name') =>
	locator('Segment', 'segment', 'searchSegments', 'e.g. Big spenders', description);

export const poolLocator = (description = 'The coupon pool, from the store or by name') =>
	locator('Coupon Pool', 'pool', 'searchPools', 'e.g. thank-you-20', description);

export async function searchSegments(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const store = await openStore(this);
	const rows = await store.listSegments(filter);
	return { results: rows.map((r) => ({ name: `${r.name} (${r.members} ${r.members === 1 ? 'member' : 'members'})`, value: r.name })) };
}

export async function searchPools(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const store = await openStore(this);
	const rows = await store.listPools(filter);
	return { results: rows.map((r) => ({ name: r.name, value: r.name })) };
}

/** Customer ID field: defaults to the canonical event's customer, so a node after a Storefront trigger needs no typing. */
export const customerIdField = (displayOptions?: INodeProperties['displayOptions']): INodeProperties => ({
	displayName: 'Customer ID',
	name: 'customerId',
	type: 'string',
	default: '={{ $json.customer.id }}',
	required: true,
	description: 'The customer this item is about. The default reads it from a Storefront Trigger event.',
	displayOptions,
});
