/** Child process for sqlite-processes.test.ts: one connection of its own, racing its siblings. */
import { storeAt } from '../../store/open';

const [file, op, tag] = process.argv.slice(2);
const store = storeAt({ kind: 'sqlite', file });

async function main() {
	const now = Date.now();
	if (op === 'guard') {
		const results = await Promise.all(
			Array.from({ length: 50 }, (_, i) =>
				store.guardEnter([{ activity: 'race', customerId: 'one', key: `${tag}-${i}`, policy: { kind: 'atMost', times: 3 } }], now),
			),
		);
		process.stdout.write(JSON.stringify(results.flat().filter((r) => r.entered).length));
	} else {
		const results = await Promise.all(
			Array.from({ length: 250 }, (_, i) => store.claimCodes('race', [{ customerId: `${tag}-${i}`, key: `${tag}-${i}` }], now)),
		);
		process.stdout.write(JSON.stringify(results.flat().map((r) => (r.assigned ? r.code : null))));
	}
	await store.close();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
