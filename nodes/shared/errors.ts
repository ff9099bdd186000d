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

/**
 * Prepares every item (validation only, nothing written). An invalid item is an error item on the
 * first output under continueOnFail, else the whole execution fails with the item's index, and the
 * store is never called for a batch that contains it.
 */
export function prepareItems<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	prepare: (itemIndex: number) => T,
): { prepared: Array<{ itemIndex: number; value: T }>; failed: INodeExecutionData[] } {
	const prepared: Array<{ itemIndex: number; value: T }> = [];
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
	prepared: Array<{ itemIndex: number; value: T }>,
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
