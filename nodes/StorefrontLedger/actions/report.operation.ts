import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { reportFileName, reportPng } from '../../../core/chart';
import { requireText } from '../../../core/check';
import { activityReports, prepareReport } from '../../../core/report';
import type { Store } from '../../../core/store';
import { instantIn } from '../../../core/time';
import { prepareItems, runBatch } from '../../shared/errors';
import { itemParameter } from '../../shared/parameters';
import { nodeClock } from '../../shared/store';

const show = { show: { operation: ['report'] } };

export const properties: INodeProperties[] = [
	{
		displayName: 'Activities',
		name: 'activities',
		type: 'string',
		default: '={{ $workflow.id }}',
		required: true,
		description: "The Repeatability Guard activities to report on, separated by commas; one output item each. Default: this workflow's.",
		displayOptions: show,
	},
	{
		displayName: 'From',
		name: 'from',
		type: 'dateTime',
		default: '',
		required: true,
		description: "Start of the date range: customers whose first entry into the activity in the range is at or after it. A date without an offset is read in the workflow's time zone.",
		displayOptions: show,
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'dateTime',
		default: '',
		description: 'End of the date range (not included); empty for now',
		displayOptions: show,
	},
	{
		displayName: 'Conversion Window (Days)',
		name: 'windowDays',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3650 },
		default: 14,
		description: "Orders count when placed within this many days after the customer's first entry in the range",
		displayOptions: show,
	},
	{
		displayName: 'Coupon Pools',
		name: 'pools',
		type: 'string',
		default: '',
		placeholder: 'welcome-codes, birthday-codes',
		description: 'Count only codes of these pools, separated by commas; empty for every pool',
		displayOptions: show,
	},
	{
		displayName: 'Attach Picture',
		name: 'attachPicture',
		type: 'boolean',
		default: false,
		description: 'Whether to add a PNG chart to each report item: the funnel and the conversion rates of both groups with their 95 % intervals, ready to attach to an email',
		displayOptions: show,
	},
	{
		displayName: 'Put Picture in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'chart',
		required: true,
		description: 'The name of the binary field the PNG goes in',
		displayOptions: { show: { operation: ['report'], attachPicture: [true] } },
	},
];

const pictureField = (name: unknown) =>
	requireText(name, 'binaryPropertyName', 'Enter the name of the binary field the picture goes in, e.g. chart, or switch Attach Picture off.', 100);

/** Activity Report: for each input item, one output item per activity, paired with the input item. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const zone = this.getTimezone();
	const { prepared, failed } = prepareItems(this, items, (i) => {
		const to = this.getNodeParameter('to', i, '');
		const queries = prepareReport({
			activities: itemParameter(this, 'activities', i),
			from: instantIn(this.getNodeParameter('from', i, ''), zone),
			to: to === '' || to === null || to === undefined ? now : instantIn(to, zone),
			windowDays: this.getNodeParameter('windowDays', i, 14),
			pools: this.getNodeParameter('pools', i, ''),
		});
		const picture = this.getNodeParameter('attachPicture', i, false) ? pictureField(this.getNodeParameter('binaryPropertyName', i, 'chart')) : undefined;
		return { queries, picture };
	});
	const { results, failed: storeFailed } = await runBatch(this, prepared, async (batches) => {
		const out = [];
		for (const { queries } of batches) out.push(await activityReports(store, queries));
		return out;
	});
	const reports: INodeExecutionData[] = [];
	for (const [n, list] of results.entries()) {
		const { itemIndex, value } = prepared[n];
		for (const report of list) {
			const item: INodeExecutionData = { json: report as unknown as IDataObject, pairedItem: { item: itemIndex } };
			if (value.picture) item.binary = { [value.picture]: await this.helpers.prepareBinaryData(await reportPng(report), reportFileName(report), 'image/png') };
			reports.push(item);
		}
	}
	return [[...failed, ...storeFailed, ...reports]];
}
