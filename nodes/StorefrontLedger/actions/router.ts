import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';
import type { Store } from '../../../core/store';
import { runsAsTool } from '../../shared/outputs';
import { openStore } from '../../shared/store';
import * as forget from './forget.operation';
import * as products from './products.operation';
import * as profile from './profile.operation';
import * as record from './record.operation';
import * as report from './report.operation';

type Operation = (this: IExecuteFunctions, store: Store, items: INodeExecutionData[]) => Promise<INodeExecutionData[][]>;

const operations: Record<'record' | 'products' | 'profile' | 'report' | 'forget', Operation> = {
	record: record.execute,
	products: products.execute,
	report: report.execute,
	profile: profile.execute,
	forget: forget.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as keyof typeof operations;
	const execute = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	if (!execute) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	if (operation === 'forget' && runsAsTool(this)) {
		throw new NodeOperationError(this.getNode(), 'Forget Customer does not run as an AI agent tool', {
			description: 'Erasing a customer cannot be undone, so an agent may not decide it: run Forget Customer as a workflow step, and give the agent Get Customer Profile or Record Events.',
		});
	}
	const store = await openStore(this);
	return execute.call(this, store, this.getInputData());
}
