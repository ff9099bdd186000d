import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import { openStore } from '../../shared/store';
import * as check from './check.operation';
import * as history from './history.operation';
import * as reset from './reset.operation';

const operations = { check, reset, history } as const;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
	if (!Object.hasOwn(operations, operation)) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const store = await openStore(this);
	return operations[operation].execute.call(this, store, this.getInputData());
}
