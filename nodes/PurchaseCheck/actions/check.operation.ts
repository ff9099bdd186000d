import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { InputError } from '../../../core/errors';
import { preparePurchaseCheck, runPurchaseChecks, type PurchaseCheckInput } from '../../../core/purchases';
import type { Store } from '../../../core/store';
import { instantIn, normalizeZone, parseInstant, type TimeWindow } from '../../../core/time';
import { nodeError, prepareItems, runBatch } from '../../shared/errors';
import { gate } from '../../shared/outputs';
import { hintUnknownCustomers, nodeClock } from '../../shared/store';
import { itemParameter, readFrom } from '../../shared/parameters';

/** One condition row as the fixedCollection stores it. */
interface ConditionRow {
	kind?: string;
	compare?: string;
	orders?: unknown;
	amount?: unknown;
	currency?: unknown;
	categories?: unknown;
	products?: unknown;
	skus?: unknown;
	couponCodes?: unknown;
	promotions?: unknown;
}

/** The row field that holds the list of each "any of these" kind, and its label. */
const LIST_FIELDS: Record<string, { field: keyof ConditionRow; label: string }> = {
	boughtCategories: { field: 'categories', label: 'Categories' },
	boughtProducts: { field: 'products', label: 'Product IDs' },
	boughtSkus: { field: 'skus', label: 'SKUs' },
	usedCoupons: { field: 'couponCodes', label: 'Coupon Codes' },
	usedPromotions: { field: 'promotions', label: 'Promotions' },
};

const PICK_FROM_LIST = 'Pick one of the options in the list (an expression here must give one of their values).';

/** The core's field names as the editor labels them, with a hint where the core gives none. */
function fieldLabel(field: string, window: string, kinds: Array<string | undefined>): { label: string; hint?: string } {
	const condition = /^conditions\[(\d+)\]\.(\w+)$/.exec(field);
	if (condition) {
		const index = Number(condition[1]);
		const kind = kinds[index];
		const sub = condition[2];
		const label =
			sub === 'kind'
				? 'Type'
				: sub === 'compare'
					? 'Compare'
					: sub === 'value'
						? 'Number of Orders'
						: sub === 'amount'
							? 'Amount'
							: sub === 'currency'
								? 'Currency'
								: (LIST_FIELDS[kind ?? '']?.label ?? 'Values');
		const hint = sub === 'kind' || sub === 'compare' ? PICK_FROM_LIST : sub === 'value' ? 'Enter a whole number of 0 or more, e.g. 1.' : undefined;
		return { label: `Condition ${index + 1}, ${label}`, hint };
	}
	switch (field) {
		case 'customerId':
			return { label: 'Customer ID' };
		case 'conditions':
			return { label: 'Conditions' };
		case 'combine':
			return { label: 'Combine', hint: PICK_FROM_LIST };
		case 'window':
		case 'window.kind':
			return { label: 'Time Window', hint: PICK_FROM_LIST };
		case 'window.amount':
			return { label: 'Window Length' };
		case 'window.unit':
			return { label: 'Window Unit' };
		case 'window.from':
			return { label: window === 'between' ? 'From' : 'Since' };
		case 'window.to':
			return { label: 'To' };
		case 'zone':
			return { label: 'Time Zone' };
		case 'eventTime':
			return {
				label: 'Event Time',
				hint: "Map the time of the event that started this execution, e.g. {{ $json.occurredAt }}, or {{ $('Storefront Trigger').item.json.occurredAt }} when a node in between replaced the item.",
			};
		default:
			return { label: field };
	}
}

function readWindow(ctx: IExecuteFunctions, i: number, kind: string, zone: string): TimeWindow {
	switch (kind) {
		case 'last':
			return {
				kind,
				amount: ctx.getNodeParameter('windowAmount', i) as number,
				unit: ctx.getNodeParameter('windowUnit', i) as Extract<TimeWindow, { kind: 'last' }>['unit'],
			};
		case 'since':
			return { kind, from: instantIn(ctx.getNodeParameter('since', i), zone) };
		case 'between':
			return { kind, from: instantIn(ctx.getNodeParameter('from', i), zone), to: instantIn(ctx.getNodeParameter('to', i), zone) };
		case 'afterEvent': {
			const value = itemParameter(ctx, 'eventTime', i);
			// Strictly after the event: the order that started the execution is not "since".
			return { kind: 'since', from: parseInstant(instantIn(value, zone), 'eventTime') + 1 };
		}
		case 'sinceExecution': {
			const started = ctx.getExecutionContext()?.establishedAt;
			if (started === undefined) {
				throw new InputError('window', 'this n8n does not say when the execution started', 'Use Since an Instant with the time the execution started, e.g. the timestamp of a Schedule Trigger.');
			}
			return { kind: 'since', from: started };
		}
		default:
			return { kind: kind as 'all' };
	}
}

function readInput(ctx: IExecuteFunctions, i: number, workflowZone: string): PurchaseCheckInput {
	const options = ctx.getNodeParameter('options', i, {}) as { timeZone?: string };
	const zone = typeof options.timeZone === 'string' && options.timeZone.trim() ? normalizeZone(options.timeZone, 'zone') : workflowZone;
	const rows = ((ctx.getNodeParameter('conditions', i, {}) as { condition?: ConditionRow[] }).condition ?? []) as ConditionRow[];
	const conditions = rows.map((row) => {
		const kind = row.kind ?? 'orderCount';
		if (kind === 'orderCount') return { kind, compare: row.compare ?? 'gt', value: row.orders ?? 0 };
		if (kind === 'amountSpent' || kind === 'averageOrderValue') {
			return { kind, compare: row.compare ?? 'gt', amount: row.amount ?? '', currency: row.currency ?? '' };
		}
		const list = LIST_FIELDS[kind];
		return { kind, values: list ? row[list.field] : undefined };
	});
	return {
		customerId: itemParameter(ctx, 'customerId', i),
		conditions,
		combine: ctx.getNodeParameter('combine', i, 'all') as 'all' | 'any',
		window: readWindow(ctx, i, ctx.getNodeParameter('window', i, 'all') as string, zone),
		zone,
	};
}

/** Drops undefined fields so the output JSON is what n8n shows. */
const plain = (value: object): IDataObject => JSON.parse(JSON.stringify(value)) as IDataObject;

export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const workflowZone = this.getTimezone();
	const { prepared, failed } = prepareItems(this, items, (i) => {
		const windowKind = this.getNodeParameter('window', i, 'all') as string;
		let kinds: Array<string | undefined> = [];
		try {
			const input = readInput(this, i, workflowZone);
			kinds = input.conditions.map((c) => (c as { kind?: string }).kind);
			return preparePurchaseCheck(input, now);
		} catch (error) {
			if (!(error instanceof InputError)) throw nodeError(this, error, i);
			// The core names its own fields; say it with the editor's labels.
			const { label, hint } = fieldLabel(error.field, windowKind, kinds);
			throw new NodeOperationError(this.getNode(), `${label}: ${error.message.slice(error.field.length + 2)}`, {
				itemIndex: i,
				description: hint ?? error.hint,
			});
		}
	});
	const { results, failed: storeFailed } = await runBatch(this, prepared, (checks) => runPurchaseChecks(store, checks));
	const decided = results.map((verdict, n) => {
		const { itemIndex } = prepared[n];
		const purchases = plain({ passed: verdict.pass, ...verdict.purchases, ...readFrom(this, itemIndex) });
		return { item: { json: { ...items[itemIndex].json, purchases }, pairedItem: { item: itemIndex } }, pass: verdict.pass };
	});
	// Only when the store answered: a failed batch (continueOnFail) already says why.
	if (results.length > 0) await hintUnknownCustomers(this, store, prepared.map((p) => p.value.customerId));
	return gate(this, decided, [...failed, ...storeFailed]);
}
