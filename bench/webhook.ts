/**
 * npm run bench:webhook — what the Storefront Trigger's webhook() itself costs per delivery, in
 * this process, without n8n's HTTP path around it (bench:trigger measures that path).
 *
 * The node runs as n8n calls it (a webhook context over a real SQLite store in a temp folder, both
 * credentials selected). Four kinds of deliveries:
 *   duplicate: the same signed event again          -> 200 duplicate, nothing written
 *   refused:   unsigned                             -> 401 before the store is touched
 *   filtered:  new signed page.visited events       -> recorded, 200, no execution
 *   started:   new signed order.placed events       -> recorded, start claimed, workflow data
 * Baseline, in the same run: the least any signed-webhook handler does with the same body: an
 * HMAC-SHA256 check in constant time and JSON.parse.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IDataObject, INode, IWebhookFunctions } from 'n8n-workflow';
import { StorefrontTrigger } from '../nodes/StorefrontTrigger/StorefrontTrigger.node';
import { closeAllStores } from '../store/open';

const N = Number(process.env.BENCH_DELIVERIES ?? 20_000);
const SECRET = 'bench-webhook-secret';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dialogue-bench-webhook-'));
const storeCredential = { type: 'sqlite', file: path.join(dir, 'store.sqlite') };
const node: INode = {
	id: 'bench-node',
	name: 'Storefront Trigger',
	type: 'n8n-nodes-dialogue-activities.storefrontTrigger',
	typeVersion: 1.2,
	position: [0, 0],
	parameters: { source: 'auto', events: ['order.placed'], filters: {}, options: {} },
	credentials: { dialogueStoreApi: { id: 'store', name: 'Store' }, storefrontWebhookApi: { id: 'hook', name: 'Hook' } },
};

const sign = (body: Buffer) => createHmac('sha256', SECRET).update(body).digest('base64');

function context(body: Buffer, signed: boolean): IWebhookFunctions {
	const headers: Record<string, string> = { 'content-type': 'application/json', ...(signed && { 'x-dialogue-signature': sign(body) }) };
	const res = {
		status() {
			return res;
		},
		json() {
			return res;
		},
	};
	return {
		getNode: () => node,
		getWorkflow: () => ({ id: 'bench-workflow', active: true }),
		getMode: () => 'webhook',
		getNodeParameter: (name: string, fallback?: unknown) => (name in node.parameters ? node.parameters[name] : fallback),
		getCredentials: async (type: string) => (type === 'dialogueStoreApi' ? storeCredential : { source: 'generic', secret: SECRET }),
		getRequestObject: () => ({ headers, rawBody: body }),
		getResponseObject: () => res,
		getHeaderData: () => headers,
	} as unknown as IWebhookFunctions;
}

const customer = { id: 'bench-customer', email: 'bench@example.test' };
const order = (id: string) =>
	JSON.stringify({ id, type: 'order.placed', occurredAt: '2026-01-01T00:00:00.000Z', customer, order: { id: `order-${id}`, total: '49.90', currency: 'EUR', lines: [{ productId: 'p1', quantity: 1, price: '49.90', categories: ['Shoes'] }] } });
const page = (id: string) => JSON.stringify({ id, type: 'page.visited', occurredAt: '2026-01-01T00:00:00.000Z', customer, page: { url: 'https://shop.example.com/p/1' } });

const KINDS: Array<{ kind: string; body: (n: number) => string; signed: boolean; expect: (r: { status?: string }) => boolean }> = [
	{ kind: 'duplicate', body: () => order('bench-duplicate'), signed: true, expect: (r) => r.status === 'duplicate' },
	{ kind: 'refused', body: (n) => order(`refused-${n}`), signed: false, expect: (r) => r.status === 'unauthorized' },
	{ kind: 'filtered', body: (n) => page(`page-${n}`), signed: true, expect: (r) => r.status === 'recorded' },
	{ kind: 'started', body: (n) => order(`order-${n}`), signed: true, expect: (r) => r.status === 'started' },
];

async function main(): Promise<void> {
	const trigger = new StorefrontTrigger();
	// Answers land in res.json() or in webhookResponse; both are read back to check each kind.
	const answerOf = async (ctx: IWebhookFunctions): Promise<{ status?: string }> => {
		let answer: IDataObject | undefined;
		const res = ctx.getResponseObject() as unknown as { json: (b: IDataObject) => unknown };
		res.json = (b: IDataObject) => (answer = b);
		const result = await trigger.webhook.call(ctx);
		return (answer ?? (result.webhookResponse as IDataObject)) as { status?: string };
	};
	await answerOf(context(Buffer.from(order('bench-duplicate')), true)); // the event the duplicates repeat

	// Baseline: HMAC check + JSON.parse of the same kind of body.
	const bodies = Array.from({ length: 1000 }, (_, n) => Buffer.from(order(`baseline-${n}`)));
	const signatures = bodies.map((b) => Buffer.from(sign(b), 'base64'));
	let t0 = process.hrtime.bigint();
	for (let n = 0; n < N; n++) {
		const body = bodies[n % bodies.length];
		if (!timingSafeEqual(createHmac('sha256', SECRET).update(body).digest(), signatures[n % bodies.length])) throw new Error('baseline signature');
		JSON.parse(body.toString('utf8'));
	}
	const baseline = Number(process.hrtime.bigint() - t0) / 1e6 / N;

	console.log(`Storefront Trigger webhook() in-process, ${N} deliveries per kind, SQLite store, Node ${process.version}`);
	console.log(`baseline: HMAC-SHA256 check + JSON.parse             ${(baseline * 1000).toFixed(1).padStart(7)} µs per delivery`);
	for (const { kind, body, signed, expect } of KINDS) {
		for (let n = 0; n < 500; n++) await answerOf(context(Buffer.from(body(-n - 1)), signed)); // warm-up
		let wrong = 0;
		t0 = process.hrtime.bigint();
		for (let n = 0; n < N; n++) {
			if (!expect(await answerOf(context(Buffer.from(body(n)), signed)))) wrong++;
		}
		const each = Number(process.hrtime.bigint() - t0) / 1e6 / N;
		console.log(
			`${kind.padEnd(10)} ${(each * 1000).toFixed(1).padStart(7)} µs per delivery   ${(each / baseline).toFixed(1).padStart(6)}x baseline` +
				(wrong ? `   (${wrong} unexpected answers)` : ''),
		);
		if (wrong) process.exitCode = 1;
	}
	await closeAllStores();
	fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
