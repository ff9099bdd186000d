import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { openStore } from '../../shared/store';
import * as assign from './assign.operation';
import * as generate from './generate.operation';
import * as importCodes from './import.operation';
import * as redeem from './redeem.operation';
import * as status from './status.operation';
import * as sync from './sync.operation';

const operations = { assign, generate, import: importCodes, status, redeem, sync } as const;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
	if (!Object.hasOwn(operations, operation)) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const store = await openStore(this);
	return operations[operation].execute.call(this, store, this.getInputData());
}
