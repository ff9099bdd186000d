import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { openStore } from '../../shared/store';
import * as check from './check.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const store = await openStore(this);
	return check.execute.call(this, store, this.getInputData());
}
