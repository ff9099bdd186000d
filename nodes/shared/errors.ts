import { NodeOperationError, type IExecuteFunctions, type INode, type INodeExecutionData } from 'n8n-workflow';
import { InputError } from '../../core/errors';

/** The core's errors as n8n shows them: message, item index, and what to change. Any node context (execute, poll, webhook) will do. */
export function nodeError(ctx: { getNode(): INode }, error: unknown, itemIndex?: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const err = error instanceof Error ? error : new Error(String(error));
	return new NodeOperationError(ctx.getNode(), err, {
		itemIndex,
		message: err.message,
		description: error instanceof InputError ? error.hint : undefined,
	});
}

/** The error item continueOnFail puts on the first output, paired with its input item. */
export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	return { json: { error: error instanceof Error ? error.message : String(error) }, pairedItem: { item: itemIndex } };
}

/** An input item read and checked, ready for the store. */
export interface Prepared<T> {
	itemIndex: number;
	value: T;
}

/**
 * Prepares every item (validation only, nothing written). An invalid item is returned as failed
 * under continueOnFail (the caller routes it: a gate sends it to its negative output), else the
 * whole execution fails with the item's index, and the store is never called for a batch that
 * contains it.
 */
export function prepareItems<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (itemIndex: number) => T,
): { prepared: Array<Prepared<T>>; failed: INodeExecutionData[] } {
	const prepared: Array<Prepared<T>> = [];
	const failed: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push({ itemIndex, value: prepare(itemIndex) });
		} catch (error) {
			if (!ctx.continueOnFail()) throw nodeError(ctx, error, itemIndex);
			failed.push(errorItem(error, itemIndex));
		}
	}
	return { prepared, failed };
}

/** Runs the batch; a store failure under continueOnFail becomes an error item for each prepared item. */
export async function runBatch<T, R>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	run: (values: T[]) => Promise<R[]>,
): Promise<{ results: R[]; failed: INodeExecutionData[] }> {
	if (prepared.length === 0) return { results: [], failed: [] };
	try {
		return { results: await run(prepared.map((p) => p.value)), failed: [] };
	} catch (error) {
		if (!ctx.continueOnFail()) throw nodeError(ctx, error, prepared.length === 1 ? prepared[0].itemIndex : undefined);
		return { results: [], failed: prepared.map((p) => errorItem(error, p.itemIndex)) };
	}
}

/**
 * Runs prepared items one group (one coupon pool, one segment) at a time: one store call, so one
 * transaction, per group, groups in the order they first appear. A failing group fails the node
 * with the index of its first item, or under continueOnFail becomes an error item for each of its
 * items while the other groups go on. `verify` (when given and there is more than one group) runs
 * for every group first, so that a missing one stops the execution before anything is written.
 * `asError` turns a failure into the error n8n shows for an item. Both lists come back in item order.
 */
export async function runByGroup<T, R>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	groupOf: (value: T) => string,
	run: (group: string, values: T[]) => Promise<R[]>,
	options: { verify?: (group: string) => Promise<unknown>; asError?: (error: unknown, itemIndex: number) => NodeOperationError } = {},
): Promise<{ results: Array<Prepared<T> & { result: R }>; failed: INodeExecutionData[] }> {
	const asError = options.asError ?? ((error: unknown, itemIndex: number) => nodeError(ctx, error, itemIndex));
	const groups = new Map<string, Array<Prepared<T>>>();
	for (const p of prepared) {
		const key = groupOf(p.value);
		const members = groups.get(key);
		if (members) members.push(p);
		else groups.set(key, [p]);
	}
	const results: Array<Prepared<T> & { result: R }> = [];
	const failed: INodeExecutionData[] = [];
	const fail = (members: Array<Prepared<T>>, error: unknown) => {
		if (!ctx.continueOnFail()) throw asError(error, members[0].itemIndex);
		failed.push(...members.map((m) => errorItem(asError(error, m.itemIndex), m.itemIndex)));
	};
	const ready = new Map(groups);
	if (options.verify && groups.size > 1) {
		for (const [group, members] of groups) {
			try {
				await options.verify(group);
			} catch (error) {
				fail(members, error);
				ready.delete(group);
			}
		}
	}
	for (const [group, members] of ready) {
		let outcomes: R[];
		try {
			outcomes = await run(group, members.map((m) => m.value));
		} catch (error) {
			fail(members, error);
			continue;
		}
		members.forEach((m, n) => results.push({ ...m, result: outcomes[n] }));
	}
	results.sort((a, b) => a.itemIndex - b.itemIndex);
	failed.sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item);
	return { results, failed };
}
