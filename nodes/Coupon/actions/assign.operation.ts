import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { wholeNumber } from '../../../core/check';
import { describeClaim, poolName, prepareAssign, type Expiry } from '../../../core/coupons';
import type { ClaimRequest, Store } from '../../../core/store';
import { DURATION_UNITS } from '../../../core/time';
import { prepareItems, runByGroup } from '../../shared/errors';
import { customerIdField } from '../../shared/locators';
import { compact, gate } from '../../shared/outputs';
import { hintUnknownCustomers, nodeClock } from '../../shared/store';
import { forOperations, hinted, locatorValue } from './fields';
import { unitOptions } from '../../shared/units';
import { itemParameter, readFrom } from '../../shared/parameters';

const show = forOperations('assign');

export const properties: INodeProperties[] = [
	customerIdField(show),
	{
		displayName: 'Assignment',
		name: 'assignment',
		type: 'options',
		options: [
			{
				name: 'One Code per Customer',
				value: 'perCustomer',
				description:
					'The customer is the key: the same customer always gets the same code from this pool again, however often this runs',
			},
			{
				name: 'A New Code Each Time',
				value: 'each',
				description:
					"Each new Assignment Key of a customer gets its own code; the same key gets the same code again, so a retried execution hands out nothing new. Another customer with that key gets a code of their own.",
			},
		],
		default: 'perCustomer',
		displayOptions: show,
	},
	{
		displayName: 'Assignment Key',
		name: 'assignmentKey',
		type: 'string',
		default: '={{ $json.id }}',
		required: true,
		description:
			"Identifies this customer's assignment: the same customer with the same key always gets the same code. Default: the ID of the event that started the workflow, so every order gets its own code and a retry gets the same one.",
		displayOptions: { show: { operation: ['assign'], assignment: ['each'] } },
	},
	{
		displayName: 'Expiry',
		name: 'expiry',
		type: 'options',
		options: [
			{ name: 'Never', value: 'never', description: 'The assigned code does not expire' },
			{ name: 'At a Date', value: 'at', description: 'The assigned code expires at a fixed instant' },
			{ name: 'After a Duration', value: 'after', description: 'The assigned code expires a time after it is assigned' },
		],
		default: 'never',
		description: 'When the code expires for the customer, e.g. to say "valid for 30 days" in the email',
		displayOptions: show,
	},
	{
		displayName: 'Expires At',
		name: 'expiresAt',
		type: 'dateTime',
		default: '',
		required: true,
		description: "The code's expiry. A date without a UTC offset is read in the workflow's time zone.",
		displayOptions: { show: { operation: ['assign'], expiry: ['at'] } },
	},
	{
		displayName: 'Expires After',
		name: 'expiresAfter',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 30,
		description: 'How long after assignment the code expires. Days and longer are calendar units in the workflow time zone.',
		displayOptions: { show: { operation: ['assign'], expiry: ['after'] } },
	},
	{
		displayName: 'Unit',
		name: 'expiresAfterUnit',
		type: 'options',
		options: unitOptions(DURATION_UNITS),
		default: 'days',
		displayOptions: { show: { operation: ['assign'], expiry: ['after'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Low-Stock Threshold',
				name: 'lowStockThreshold',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10,
				description: 'When this many free codes or fewer are left after assigning, the execution shows a hint naming the pool',
			},
		],
	},
];

interface Assignment {
	pool: string;
	request: ClaimRequest;
	lowStockThreshold?: number;
}

function readExpiry(ctx: IExecuteFunctions, i: number): Expiry {
	const kind = ctx.getNodeParameter('expiry', i, 'never');
	if (kind === 'at') return { kind, at: ctx.getNodeParameter('expiresAt', i, '') };
	if (kind === 'after') {
		return { kind, amount: ctx.getNodeParameter('expiresAfter', i, undefined), unit: ctx.getNodeParameter('expiresAfterUnit', i, 'days') };
	}
	return { kind: 'never' };
}

/** Assign From Pool: one store call per pool for every item; outputs Assigned and Pool Empty. */
export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const zone = this.getTimezone();
	const { prepared, failed } = prepareItems(this, items, (i) =>
		hinted((): Assignment => {
			const pool = poolName(locatorValue(this, 'pool', i));
			const mode = this.getNodeParameter('assignment', i, 'perCustomer') as 'perCustomer' | 'each';
			const request = prepareAssign(
				{
					customerId: itemParameter(this, 'customerId', i),
					key: mode === 'each' ? itemParameter(this, 'assignmentKey', i) : undefined,
					mode,
					expiry: readExpiry(this, i),
					zone,
				},
				now,
			);
			const threshold = (this.getNodeParameter('options', i, {}) as IDataObject).lowStockThreshold;
			return {
				pool,
				request,
				lowStockThreshold: threshold === undefined ? undefined : wholeNumber(threshold, 'lowStockThreshold', 0),
			};
		}),
	);

	const { results, failed: storeFailed } = await runByGroup(this, prepared, (a) => a.pool, (pool, assignments) =>
		store.claimCodes(pool, assignments.map((a) => a.request), now),
	);

	const decided = results.map(({ itemIndex, value, result }) => {
		const claim = describeClaim(result, now);
		const customerId = result.assigned ? result.customerId : value.request.customerId;
		const coupon = compact({ ...claim, discount: claim.discount && compact(claim.discount), customerId, ...readFrom(this, itemIndex) });
		return { item: { json: { ...items[itemIndex].json, coupon }, pairedItem: { item: itemIndex } }, pass: result.assigned };
	});

	await hintLowStock(this, store, results.map((r) => r.value), now);
	await hintUnknownCustomers(this, store, results.map((r) => r.value.request.customerId));
	return gate(this, decided, [...failed, ...storeFailed]);
}

/** One hint per pool whose free codes are at or below the threshold after this execution. */
async function hintLowStock(ctx: IExecuteFunctions, store: Store, assignments: Assignment[], now: number): Promise<void> {
	const thresholds = new Map<string, number>();
	for (const { pool, lowStockThreshold } of assignments) {
		if (lowStockThreshold === undefined) continue;
		thresholds.set(pool, Math.max(lowStockThreshold, thresholds.get(pool) ?? 0));
	}
	for (const [pool, threshold] of thresholds) {
		const { free } = await store.poolStatus(pool, now);
		if (free > threshold) continue;
		ctx.addExecutionHints({
			message:
				free === 0
					? `Coupon pool "${pool}" has no free codes left (low-stock threshold ${threshold}). Customers now take the Pool Empty output: generate or import more codes.`
					: `Coupon pool "${pool}" is running low: ${free} free code${free === 1 ? '' : 's'} left (low-stock threshold ${threshold}). Generate or import more codes.`,
			location: 'outputPane',
		});
	}
}
