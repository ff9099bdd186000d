import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { wholeNumber } from '../../../core/check';
import type { CustomerRow, MembershipRow, Store } from '../../../core/store';
import { isoUtc } from '../../../core/time';
import { nodeClock } from '../../shared/store';
import { membershipJson, prepare, runEach, segmentOf } from './common';

const show = (extra: Record<string, boolean[]> = {}) => ({ show: { resource: ['membership'], operation: ['list'], ...extra } });

/** Members read per store call when Return All pages through a segment. */
export const PAGE_SIZE = 500;

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show(),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: show({ returnAll: [false] }),
	},
	{
		displayName: 'Offset',
		name: 'offset',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How many members to skip (members are ordered by customer ID), to read a large segment page by page',
		displayOptions: show({ returnAll: [false] }),
	},
	{
		displayName: 'Include Customer Profile',
		name: 'includeProfile',
		type: 'boolean',
		default: true,
		description: 'Whether to add what the store knows of each member (email, phone, name, time zone…) to `customer`, for sending emails or texts',
		displayOptions: show(),
	},
];

/** The canonical event's customer shape from a stored profile. */
function customerJson(id: string, row: CustomerRow | undefined): IDataObject {
	if (!row) return { id };
	const out: IDataObject = { id };
	for (const key of ['email', 'phone', 'firstName', 'lastName', 'birthday', 'timezone', 'locale', 'acceptsMarketing'] as const) {
		if (row[key] !== undefined) out[key] = row[key];
	}
	if (row.registeredAt !== undefined) out.registeredAt = isoUtc(row.registeredAt);
	if (row.lastOrderAt !== undefined) out.lastOrderAt = isoUtc(row.lastOrderAt);
	return out;
}

/** One item per current member, paired with the item that asked. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepare(this, items, (i) => {
		const returnAll = this.getNodeParameter('returnAll', i, false) as boolean;
		return {
			segment: segmentOf(this, i),
			returnAll,
			limit: returnAll ? undefined : wholeNumber(this.getNodeParameter('limit', i, 50), 'limit', 1, 10_000),
			offset: returnAll ? 0 : wholeNumber(this.getNodeParameter('offset', i, 0), 'offset', 0),
			includeProfile: this.getNodeParameter('includeProfile', i, true) as boolean,
		};
	});
	const { results, failed: storeFailed } = await runEach(this, prepared, async (query) => {
		let members: MembershipRow[];
		if (query.limit !== undefined) {
			members = await store.segmentMembers(query.segment, now, query.limit, query.offset);
		} else {
			members = [];
			for (;;) {
				const page = await store.segmentMembers(query.segment, now, PAGE_SIZE, members.length);
				members.push(...page);
				if (page.length < PAGE_SIZE) break;
			}
		}
		const profiles: Array<CustomerRow | undefined> = [];
		if (query.includeProfile) for (const m of members) profiles.push(await store.getCustomer(m.customerId));
		return members.map((m, n) => ({ customer: customerJson(m.customerId, profiles[n]), segment: membershipJson(query.segment, m) }));
	});
	return [[...failed, ...storeFailed, ...results.flatMap(({ itemIndex, result }) => result.map((json) => ({ json, pairedItem: { item: itemIndex } })))]];
}
