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
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

type Resolver = (ctx: IExecuteFunctions, itemIndex: number) => unknown;

const json = (ctx: IExecuteFunctions, itemIndex: number): IDataObject | undefined => ctx.getInputData()[itemIndex]?.json;

/** What each default expression reads; `$json.a.b` of a missing `a` is undefined (the node then says the field is missing). */
const RESOLVERS: Record<string, Resolver> = {
	'={{ $json.customer.id }}': (ctx, i) => {
		const customer = json(ctx, i)?.customer;
		return customer !== null && typeof customer === 'object' ? (customer as IDataObject).id : undefined;
	},
	'={{ $json.id }}': (ctx, i) => json(ctx, i)?.id,
	'={{ $json.occurredAt }}': (ctx, i) => json(ctx, i)?.occurredAt,
	'={{ $workflow.id }}': (ctx) => ctx.getWorkflow().id,
};

/** The expressions resolved natively (tests check every node default against this list). */
export const NATIVE_DEFAULTS: readonly string[] = Object.keys(RESOLVERS);

/** getNodeParameter(name, itemIndex, fallback), with the node's default expressions read natively. */
export function itemParameter(ctx: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	const raw = ctx.getNode().parameters[name];
	const resolve = typeof raw === 'string' ? RESOLVERS[raw] : undefined;
	if (resolve) {
		const value = resolve(ctx, itemIndex);
		return value === undefined && fallback !== undefined ? fallback : value;
	}
	return fallback === undefined ? ctx.getNodeParameter(name, itemIndex) : ctx.getNodeParameter(name, itemIndex, fallback);
}
