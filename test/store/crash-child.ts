/**
 * Child process for crash.test.ts: writes batches of events for ever, printing after each commit,
 * until its parent kills it with SIGKILL in the middle of one.
 */
import type { CanonicalEvent } from '../../core/event';
import { storeAt, type StoreLocation } from '../../store/open';

const [locationJson, batchSizeText] = process.argv.slice(2);
const location = JSON.parse(locationJson) as StoreLocation;
const batchSize = Number(batchSizeText);
const store = storeAt(location);

function event(batch: number, i: number): CanonicalEvent {
	const id = `${batch}-${i}`;
	return {
		id: `crash:${id}`,
		type: 'order.placed',
		occurredAt: new Date(1_767_225_600_000 + i).toISOString(),
		source: 'generic',
		customer: { id: `crash-customer-${id}` },
		order: { id: `crash-order-${id}`, total: '1.00', currency: 'EUR', couponCodes: [], promotions: [], lines: [] },
	};
}

async function main() {
	for (let batch = 0; ; batch++) {
		await store.recordEvents(Array.from({ length: batchSize }, (_, i) => event(batch, i)), Date.now());
		process.stdout.write(`committed ${batch}\n`);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
