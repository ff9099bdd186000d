import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { Store } from '../../../core/store';
import { openStore } from '../../shared/store';
import * as add from './add.operation';
import * as check from './check.operation';
import * as deleteSegment from './delete.operation';
import * as list from './list.operation';
import * as remove from './remove.operation';
import * as create from './create.operation';
import * as rename from './rename.operation';

type Operation = (this: IExecuteFunctions, store: Store, items: INodeExecutionData[]) => Promise<INodeExecutionData[][]>;

/** Resource -> operation -> execute; dispatch is checked against this map. */
const operations: Record<'membership' | 'segment', Record<string, Operation>> = {
	membership: { add: add.execute, check: check.execute, list: list.execute, remove: remove.execute },
	segment: { create: create.execute, delete: deleteSegment.execute, rename: rename.execute },
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as keyof typeof operations;
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = Object.hasOwn(operations, resource) && Object.hasOwn(operations[resource], operation) ? operations[resource][operation] : undefined;
	if (!execute) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported for "${resource}"`);
	const store = await openStore(this);
	return execute.call(this, store, this.getInputData());
}
