import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * Outputs of a node whose gate operation has two named outputs (like n8n's IF) while its other
 * operations have one: an expression n8n evaluates against the node's parameters. `third`: a third
 * output the gate has while its own condition holds (e.g. an option is set).
 */
export function gateOutputs(condition: string, yes: string, no: string, third?: { name: string; when: string }): `={{${string}}}` {
	const two = `{ "type": "main", "displayName": "${yes}" }, { "type": "main", "displayName": "${no}" }`;
	const gated = third ? `(${third.when} ? [${two}, { "type": "main", "displayName": "${third.name}" }] : [${two}])` : `[${two}]`;
	return `={{ ${condition} ? ${gated} : [{ "type": "main" }] }}`;
}

/** The input item an output item comes from (every item a node emits is paired with one). */
function itemIndexOf(item: INodeExecutionData): number {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	return typeof paired === 'number' ? paired : (paired?.item ?? 0);
}

const inInputOrder = (items: INodeExecutionData[]) => items.sort((a, b) => itemIndexOf(a) - itemIndexOf(b));

/**
 * Whether n8n runs the node as an AI agent's tool: through an agent that calls the tool itself
 * (isToolExecution) or through the engine for an agent that asks it to (the node's type is then
 * the tool variant n8n makes of a usableAsTool node, named with the suffix Tool).
 */
export function runsAsTool(ctx: IExecuteFunctions): boolean {
	return (typeof ctx.isToolExecution === 'function' && ctx.isToolExecution()) || ctx.getNode().type.endsWith('Tool');
}

/**
 * A gate's outputs, each in input order: decided items on the output of their verdict, failed ones
 * (continueOnFail) on the negative output, as n8n's If sends a failed item to false, so a store
 * outage never sends a customer down the path that acts on them. Under "continue using error
 * output" n8n moves the failed items from there to its Error output. Run as an agent's tool,
 * which is handed only the first output, every item goes out on that one, carrying its verdict.
 * `third`: the gate has a third output (see gateOutputs) for the items marked `third`; without
 * it, such items go to the negative output.
 */
export function gate(
	ctx: IExecuteFunctions,
	decided: Array<{ item: INodeExecutionData; pass: boolean; third?: boolean }>,
	failed: INodeExecutionData[],
	third = false,
): INodeExecutionData[][] {
	const yes: INodeExecutionData[] = [];
	const no: INodeExecutionData[] = [...failed];
	const other: INodeExecutionData[] = [];
	if (runsAsTool(ctx)) return [inInputOrder([...decided.map((d) => d.item), ...failed])];
	for (const d of decided) (d.third ? (third ? other : no) : d.pass ? yes : no).push(d.item);
	return third ? [inInputOrder(yes), inInputOrder(no), inInputOrder(other)] : [inInputOrder(yes), inInputOrder(no)];
}

/** Drops undefined fields, so output JSON holds only what applies. */
export function compact<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
