/**
 * What the Customer Segment operations share: reading the segment, turning the core's errors
 * into the editor's labels, and running a batch per segment with errors tied to an item.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { InputError, NotFoundError } from '../../../core/errors';
import { segmentName } from '../../../core/segments';
import type { MembershipRow } from '../../../core/store';
import { isoUtc } from '../../../core/time';
import { errorItem, nodeError, prepareItems, runByGroup, type Prepared } from '../../shared/errors';

/** The core's field names as the editor labels them. */
const LABELS: Record<string, string> = {
	customerId: 'Customer ID',
	segment: 'Segment',
	name: 'Name',
	newName: 'New Name',
	until: 'Until',
	duration: 'Duration',
	durationUnit: 'Duration Unit',
	membership: 'Membership',
	zone: 'Time Zone',
	limit: 'Limit',
	offset: 'Offset',
};

const HINTS: Record<string, string> = {
	durationUnit: 'Pick one of the units in the list.',
	limit: 'Enter a whole number from 1 to 10000, or turn on Return All.',
	offset: 'Enter a whole number of 0 or more: how many members to skip.',
};

/** A core or store error as n8n shows it: the editor's label, the item, and what to change. */
export function toNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number | undefined): NodeOperationError {
	if (!(error instanceof InputError)) return nodeError(ctx, error, itemIndex);
	const reason = error.message.slice(error.field.length + 2);
	// 'Segment "X" does not exist in this store' says it all; other messages need the field's label.
	const message = error instanceof NotFoundError ? reason : `${LABELS[error.field] ?? error.field}: ${reason}`;
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description: HINTS[error.field] ?? error.hint,
	});
}

/** prepareItems with the editor's labels in the messages. */
export function prepare<T>(ctx: IExecuteFunctions, items: INodeExecutionData[], read: (itemIndex: number) => T) {
	return prepareItems(ctx, items, (i) => {
		try {
			return read(i);
		} catch (error) {
			throw toNodeError(ctx, error, i);
		}
	});
}

/** The segment named on item i (resource locator: from the list or by name). */
export function segmentOf(ctx: IExecuteFunctions, i: number): string {
	return segmentName(ctx.getNodeParameter('segment', i, '', { extractValue: true }));
}

/**
 * Runs `run` once per segment (one store call each) with errors in the editor's labels; `verify`
 * checks every segment first when there are several (see runByGroup).
 */
export function runBySegment<T extends { segment: string }, R>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	run: (segment: string, values: T[]) => Promise<R[]>,
	verify?: (segment: string) => Promise<unknown>,
) {
	return runByGroup(ctx, prepared, (value) => value.segment, run, { verify, asError: (error, itemIndex) => toNodeError(ctx, error, itemIndex) });
}

/** Runs `run` for each prepared item on its own; a failure is tied to that item. */
export async function runEach<T, R>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	run: (value: T) => Promise<R>,
): Promise<{ results: Array<Prepared<T> & { result: R }>; failed: INodeExecutionData[] }> {
	const results: Array<Prepared<T> & { result: R }> = [];
	const failed: INodeExecutionData[] = [];
	for (const p of prepared) {
		try {
			results.push({ ...p, result: await run(p.value) });
		} catch (error) {
			if (!ctx.continueOnFail()) throw toNodeError(ctx, error, p.itemIndex);
			failed.push(errorItem(toNodeError(ctx, error, p.itemIndex), p.itemIndex));
		}
	}
	return { results, failed };
}

/** A membership as items carry it: ISO times, no empty fields. */
export function membershipJson(name: string, row: MembershipRow | undefined, extra: IDataObject = {}): IDataObject {
	const out: IDataObject = { name, member: row !== undefined, ...extra };
	if (row) {
		out.addedAt = isoUtc(row.addedAt);
		if (row.expiresAt !== undefined) out.expiresAt = isoUtc(row.expiresAt);
	}
	return out;
}
