import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { errorItem, nodeError } from '../../shared/errors';

export interface Prepared<T> {
	itemIndex: number;
	value: T;
}

/**
 * Runs prepared items one group (one coupon pool) at a time: one store call, so one transaction,
 * per group. A failing group (e.g. an unknown pool, where the store wrote nothing) fails the node
 * with the index of its first item, or under continueOnFail becomes an error item for each of its
 * items while the other groups go on. Results come back in item order.
 */
export async function runByGroup<T, R>(
	ctx: IExecuteFunctions,
	prepared: Array<Prepared<T>>,
	groupOf: (value: T) => string,
	run: (group: string, values: T[]) => Promise<R[]>,
): Promise<{ results: Array<Prepared<T> & { result: R; group: string }>; failed: INodeExecutionData[] }> {
	const groups = new Map<string, Array<Prepared<T>>>();
	for (const p of prepared) {
		const key = groupOf(p.value);
		const members = groups.get(key);
		if (members) members.push(p);
		else groups.set(key, [p]);
	}
	const results: Array<Prepared<T> & { result: R; group: string }> = [];
	const failed: INodeExecutionData[] = [];
	for (const [group, members] of groups) {
		let outcomes: R[];
		try {
			outcomes = await run(group, members.map((m) => m.value));
		} catch (error) {
			if (!ctx.continueOnFail()) throw nodeError(ctx, error, members[0].itemIndex);
			failed.push(...members.map((m) => errorItem(error, m.itemIndex)));
			continue;
		}
		members.forEach((m, n) => results.push({ ...m, result: outcomes[n], group }));
	}
	results.sort((a, b) => a.itemIndex - b.itemIndex);
	failed.sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item);
	return { results, failed };
}

/** Drops undefined fields, so output JSON holds only what applies. */
export function compact<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
