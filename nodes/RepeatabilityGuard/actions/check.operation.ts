import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { entryKeyWarning, prepareGuard, runGuard } from '../../../core/guard';
import type { Store } from '../../../core/store';
import { prepareItems, runBatch } from '../../shared/errors';
import { gate } from '../../shared/outputs';
import { hintUnknownCustomers, nodeClock } from '../../shared/store';
import { itemParameter, readFrom, startingEventId } from '../../shared/parameters';

export async function execute(this: IExecuteFunctions, store: Store, items: INodeExecutionData[]): Promise<INodeExecutionData[][]> {
	const now = nodeClock().now();
	const { prepared, failed } = prepareItems(this, items, (i) => {
		// Only the fields the chosen policy shows exist on the node.
		const policy = this.getNodeParameter('policy', i) as string;
		return prepareGuard({
			activity: itemParameter(this, 'activity', i),
			customerId: itemParameter(this, 'customerId', i),
			key: itemParameter(this, 'entryKey', i),
			policy,
			times: policy === 'atMost' ? this.getNodeParameter('times', i) : undefined,
			periodAmount: policy === 'perPeriod' ? this.getNodeParameter('periodAmount', i) : undefined,
			periodUnit: policy === 'perPeriod' ? this.getNodeParameter('periodUnit', i) : undefined,
			controlPercent: this.getNodeParameter('controlGroup', i, 0),
		});
	});
	const { results, failed: storeFailed } = await runBatch(this, prepared, (requests) => runGuard(store, requests, now));
	const decided = results.map((guard, n) => {
		const { itemIndex } = prepared[n];
		const item = { json: { ...items[itemIndex].json, guard: { ...guard, ...readFrom(this, itemIndex) } }, pairedItem: { item: itemIndex } };
		return { item, pass: guard.entered, third: guard.heldOut === true };
	});
	if (results.length) {
		const raw = this.getNode().parameters.entryKey;
		const perRun = new Set([this.getExecutionId(), String(startingEventId(this, prepared[0].itemIndex))]);
		const warning = entryKeyWarning(prepared.map((p) => p.value), perRun, typeof raw === 'string' && !raw.startsWith('='));
		if (warning) this.addExecutionHints({ message: warning, location: 'outputPane' });
		await hintUnknownCustomers(this, store, prepared.map((p) => p.value.customerId));
	}
	const control = Number(this.getNodeParameter('controlGroup', 0, 0)) > 0;
	return gate(this, decided, [...failed, ...storeFailed], control);
}
