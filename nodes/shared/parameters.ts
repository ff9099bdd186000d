/**
 * Parameters whose default is an expression, read without n8n's expression sandbox while the node
 * still holds exactly that default.
 *
 * Why: n8n 2.x evaluates expressions in an isolated-vm isolate, and with lazy acquisition
 * (N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE) an execution builds one only when it evaluates its first
 * expression, about 50 ms of CPU here (bench/trigger.ts). Our defaults are plain reads of the
 * incoming item or of the workflow, so they are resolved here the way n8n resolves the known
 * templates of its own Webhook node: only an exact match of the default, anything else (an edited
 * or a different expression, a fixed value) goes to getNodeParameter as usual. The editor shows
 * and saves the same default either way.
 *
 * The defaults that read the starting event (customer, event id, event time) also look past a node
 * that replaced the item (Send Email, HTTP Request, Edit Fields): when the item lacks the field,
 * the nearest earlier item it descends from (n8n's paired items) that has it gives the value, and
 * readFrom() names that node for the output.
 */
import type { IDataObject, IExecuteFunctions, IWorkflowDataProxyData } from 'n8n-workflow';

/** What a default reads from an item's JSON; undefined or null: the item lacks it. */
type Read = (json: IDataObject) => unknown;

const customerId: Read = (json) => {
	const customer = json.customer;
	return customer !== null && typeof customer === 'object' ? (customer as IDataObject).id : undefined;
};

/** The Repeatability Guard's Entry Key: the starting event's id, else this execution's id (a batch run). */
export const ENTRY_KEY_DEFAULT = '={{ $json.id ?? $execution.id }}';

/** Defaults that read the item, each with what it falls back to when no earlier item has the field either. */
const ITEM_DEFAULTS: Record<string, { read: Read; otherwise?: (ctx: IExecuteFunctions) => unknown }> = {
	'={{ $json.customer.id }}': { read: customerId },
	'={{ $json.id }}': { read: (json) => json.id },
	'={{ $json.occurredAt }}': { read: (json) => json.occurredAt },
	[ENTRY_KEY_DEFAULT]: { read: (json) => json.id, otherwise: (ctx) => ctx.getExecutionId() },
};

const WORKFLOW_DEFAULTS: Record<string, (ctx: IExecuteFunctions) => unknown> = {
	'={{ $workflow.id }}': (ctx) => ctx.getWorkflow().id,
};

/** The expressions resolved natively (tests check every node default against this list). */
export const NATIVE_DEFAULTS: readonly string[] = [...Object.keys(ITEM_DEFAULTS), ...Object.keys(WORKFLOW_DEFAULTS)];

const missing = (value: unknown) => value === undefined || value === null;

/** Per execute call: the data proxy (paired-item lookups) and, per item, parameter -> the node that gave it. */
const calls = new WeakMap<IExecuteFunctions, { proxy?: IWorkflowDataProxyData; origins: Map<number, IDataObject> }>();

function callOf(ctx: IExecuteFunctions) {
	let call = calls.get(ctx);
	if (!call) calls.set(ctx, (call = { origins: new Map() }));
	return call;
}

/**
 * The value `read` finds on the nearest earlier item this input item descends from: the parents of
 * the node that sent it first, then theirs (breadth first). Nodes the item does not descend from
 * (another branch) are passed over.
 */
function fromEarlierItems(ctx: IExecuteFunctions, itemIndex: number, read: Read): { value: unknown; node: string } | undefined {
	const source = ctx.getExecuteData().source?.main?.[0];
	if (!source) return undefined;
	const call = callOf(ctx);
	call.proxy ??= ctx.getWorkflowDataProxy(itemIndex);
	const seen = new Set([source.previousNode]);
	for (let level = [source.previousNode]; level.length > 0; ) {
		const next: string[] = [];
		for (const name of level) {
			for (const { name: parent } of ctx.getParentNodes(name, { depth: 1 })) {
				if (seen.has(parent)) continue;
				seen.add(parent);
				next.push(parent);
				let item;
				try {
					item = call.proxy.$getPairedItem(parent, source, { item: itemIndex });
				} catch {
					continue;
				}
				const value = item ? read(item.json) : undefined;
				if (!missing(value)) return { value, node: parent };
			}
		}
		level = next;
	}
	return undefined;
}

/** getNodeParameter(name, itemIndex, fallback), with the node's default expressions read natively. */
export function itemParameter(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	const raw = ctx.getNode().parameters[name];
	if (typeof raw === 'string' && (ITEM_DEFAULTS[raw] || WORKFLOW_DEFAULTS[raw])) {
		let value: unknown;
		const itemDefault = ITEM_DEFAULTS[raw];
		if (itemDefault) {
			const json = ctx.getInputData()[itemIndex]?.json;
			value = json ? itemDefault.read(json) : undefined;
			if (missing(value)) {
				const found = fromEarlierItems(ctx, itemIndex, itemDefault.read);
				if (found) {
					value = found.value;
					const origins = callOf(ctx).origins;
					origins.set(itemIndex, { ...origins.get(itemIndex), [name]: found.node });
				} else if (itemDefault.otherwise) {
					value = itemDefault.otherwise(ctx);
				}
			}
		} else {
			value = WORKFLOW_DEFAULTS[raw](ctx);
		}
		return value === undefined && fallback !== undefined ? fallback : value;
	}
	return fallback === undefined ? ctx.getNodeParameter(name, itemIndex) : ctx.getNodeParameter(name, itemIndex, fallback);
}

/** The ID of the event that started the execution: the item's `id`, else the nearest earlier item's. */
export function startingEventId(ctx: IExecuteFunctions, itemIndex: number): unknown {
	const read = ITEM_DEFAULTS['={{ $json.id }}'].read;
	const json = ctx.getInputData()[itemIndex]?.json;
	const own = json ? read(json) : undefined;
	return missing(own) ? fromEarlierItems(ctx, itemIndex, read)?.value : own;
}

/**
 * `{ readFrom: { <parameter>: <node name> } }` when a default of this item was read from an earlier
 * node's item (spread into the node's result object), else `{}`.
 */
export function readFrom(ctx: IExecuteFunctions, itemIndex: number): { readFrom?: IDataObject } {
	const origins = calls.get(ctx)?.origins.get(itemIndex);
	return origins ? { readFrom: origins } : {};
}

/** The value at a field path of an item's JSON: a top-level key as written (dots and all), else dot-separated nested keys. */
export function fieldAt(json: IDataObject, path: string): unknown {
	if (path in json) return json[path];
	let value: unknown = json;
	for (const part of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as IDataObject)[part];
	}
	return value;
}
