import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InputError } from '../../../core/errors';
import { prepareAdd, type MembershipLength } from '../../../core/segments';
import type { Store } from '../../../core/store';
import { instantIn, isoUtc } from '../../../core/time';
import { hintUnknownCustomers, nodeClock } from '../../shared/store';
import { unitOptions } from '../../shared/units';
import { membershipJson, prepare, runBySegment, segmentOf } from './common';
import { itemParameter, readFrom } from '../../shared/parameters';

const show = (extra: Record<string, string[]> = {}) => ({ show: { resource: ['membership'], operation: ['add'], ...extra } });

export const description: INodeProperties[] = [
	{
		displayName: 'Membership',
		name: 'membership',
		type: 'options',
		options: [
			{ name: 'For a Duration', value: 'for', description: 'Ends a number of minutes, hours, days, weeks, months or years from now' },
			{ name: 'Forever', value: 'forever', description: 'Until the customer is removed' },
			{ name: 'Until a Date', value: 'until', description: 'Ends at a date and time' },
		],
		default: 'forever',
		description: 'How long the customer stays in the segment. Adding a member again sets this anew.',
		displayOptions: show(),
	},
	{
		displayName: 'Until',
		name: 'until',
		type: 'dateTime',
		default: '',
		required: true,
		description: "The membership ends at this date and time. A date without a UTC offset is read in the workflow's time zone.",
		displayOptions: show({ membership: ['until'] }),
	},
	{
		displayName: 'Duration',
		name: 'durationAmount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		displayOptions: show({ membership: ['for'] }),
	},
	{
		displayName: 'Duration Unit',
		name: 'durationUnit',
		type: 'options',
		options: unitOptions(['minutes', 'hours', 'days', 'weeks', 'months', 'years']),
		default: 'days',
		description: "Days and longer are calendar units in the workflow's time zone",
		displayOptions: show({ membership: ['for'] }),
	},
	{
		displayName: 'Create Segment If Missing',
		name: 'createIfMissing',
		type: 'boolean',
		default: true,
		description: 'Whether to create the segment when no segment has this name; when off, a missing segment is an error',
		displayOptions: show(),
	},
];

function lengthOf(ctx: IExecuteFunctions, i: number, zone: string): MembershipLength {
	const kind = ctx.getNodeParameter('membership', i, 'forever') as string;
	if (kind === 'until') return { kind, until: instantIn(ctx.getNodeParameter('until', i), zone) };
	if (kind === 'for') return { kind, amount: ctx.getNodeParameter('durationAmount', i), unit: ctx.getNodeParameter('durationUnit', i) };
	if (kind !== 'forever') throw new InputError('membership', `"${kind}" is not a kind of membership`, 'Pick Forever, Until a Date or For a Duration.');
	return { kind };
}

/** Adds (or renews) memberships: segments created first when asked, then one store call per segment. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const zone = this.getTimezone();
	const { prepared, failed } = prepare(this, items, (i) => {
		const add = prepareAdd(itemParameter(this, 'customerId', i), lengthOf(this, i, zone), now, zone);
		if (add.until !== undefined && add.until <= now) {
			const field = this.getNodeParameter('membership', i) === 'until' ? 'until' : 'duration';
			throw new InputError(field, `the membership would end at ${isoUtc(add.until)}, which is not in the future`, 'Pick a later date, a longer duration, or Forever.');
		}
		return { segment: segmentOf(this, i), add, create: this.getNodeParameter('createIfMissing', i, true) as boolean };
	});
	const toCreate = [...new Set(prepared.filter((p) => p.value.create).map((p) => p.value.segment))];
	const { results, failed: storeFailed } = await runBySegment(
		this,
		prepared,
		async (segment, adds) => {
			if (toCreate.includes(segment)) await store.ensureSegments([segment], now);
			return store.segmentAdd(segment, adds.map((a) => a.add), now);
		},
		(segment) => (toCreate.includes(segment) ? Promise.resolve() : store.segmentCheck(segment, [], now)),
	);
	const out: INodeExecutionData[] = [...failed, ...storeFailed];
	for (const { itemIndex, value, result } of results) {
		out.push({ json: { ...items[itemIndex].json, segment: { ...membershipJson(value.segment, result, { added: result.added }), ...readFrom(this, itemIndex) } }, pairedItem: { item: itemIndex } });
	}
	if (results.length > 0) await hintUnknownCustomers(this, store, results.map((r) => r.value.add.customerId));
	return [out];
}
