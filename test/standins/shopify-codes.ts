/**
 * A local stand-in for the parts of Shopify's GraphQL Admin API that create discount codes, on
 * 127.0.0.1, answering with the published shapes:
 * - discountCodeBasicCreate: a DiscountCodeNode with its first code, or userErrors (a code already
 *   in the shop: field ["basicCodeDiscount", "code"], code TAKEN);
 * - discountRedeemCodeBulkAdd: at most 250 codes, else a userError TOO_MANY_ARGUMENTS; the codes
 *   are created in the background: the bulk creation is not done at its first poll;
 * - discountRedeemCodeBulkCreation: done, counts and each code with its errors (TAKEN for a code
 *   the shop already has) or its DiscountRedeemCode.
 * Cost: every call costs `cost` points of a leaky bucket of `bucket` points restored at
 * `restoreRate` a second; a call the bucket cannot pay is answered 200 with errors[0].extensions
 * .code THROTTLED and extensions.cost.throttleStatus, as Shopify does.
 * `throttleAt`: those requests (1-based) are throttled whatever the bucket holds (it is then empty).
 * `failBulkAdd` answers the bulk add with that number (1-based) with 500 once: a partial failure.
 * codeDiscountNodeByCode: the discount that holds a code, or null.
 * `failDonePoll`: the first poll that finds its bulk creation done (the codes are created) is
 * answered 500: an answer lost after the shop did the work.
 * `pollsBeforeDone`: polls of a bulk creation answered not done yet (default 1).
 * `accessToken`: then a request must carry it in X-Shopify-Access-Token, the header Shopify reads
 * it from; else 401 {"errors":"[API] Invalid API key or access token ..."}.
 * `handle` answers a request as the server does (to serve the stand-in behind ./https-proxy).
 */
import * as http from 'node:http';
import { SHOPIFY_API_VERSION } from '../../core/shop';

export interface ShopifyCodesStandIn {
	url: string;
	/** Codes by their upper-case form: the discount each belongs to. */
	codes: Map<string, { id: string; discountId: string }>;
	/** Each code as it was created, in order: a code twice would show here twice. */
	created: string[];
	discounts: Array<{ id: string; input: Record<string, unknown> }>;
	throttled: number;
	bulkAdds: number;
	/** Requests answered, by operation. */
	calls: string[];
	/** Requests refused for their credentials, with the headers they carried. */
	unauthorized: Array<{ token?: string; authorization?: string }>;
	handle: http.RequestListener;
	close(): Promise<void>;
}

interface Options {
	bucket?: number;
	restoreRate?: number;
	cost?: number;
	/** Codes the shop holds already (another discount's). */
	taken?: string[];
	failBulkAdd?: number;
	throttleAt?: number[];
	pollsBeforeDone?: number;
	failDonePoll?: boolean;
	accessToken?: string;
}

const GID = 'gid://shopify';

interface Variables {
	basicCodeDiscount?: unknown;
	codes?: Array<{ code: string }>;
	discountId?: string;
	id?: string;
	code?: string;
}

export async function shopifyCodesStandIn(options: Options = {}): Promise<ShopifyCodesStandIn> {
	const bucket = options.bucket ?? 1000;
	const restoreRate = options.restoreRate ?? 50;
	const cost = options.cost ?? 10;
	let available = bucket;
	let lastAt = Date.now();
	let seq = 0;
	let requests = 0;
	const bulks = new Map<string, { polls: number; codes: string[]; results?: Array<Record<string, unknown>>; discountId: string }>();
	const state: ShopifyCodesStandIn = {
		url: '',
		codes: new Map((options.taken ?? []).map((code) => [code.toUpperCase(), { id: `${GID}/DiscountRedeemCode/taken-${code}`, discountId: `${GID}/DiscountCodeNode/other` }])),
		created: [],
		discounts: [],
		throttled: 0,
		bulkAdds: 0,
		calls: [],
		unauthorized: [],
		handle: () => undefined,
		close: async () => undefined,
	};

	const addCode = (code: string, discountId: string) => {
		const id = `${GID}/DiscountRedeemCode/${++seq}`;
		state.codes.set(code.toUpperCase(), { id, discountId });
		state.created.push(code);
		return id;
	};
	const taken = (code: string) => state.codes.has(code.toUpperCase());

	function answer(query: string, variables: Variables): unknown {
		if (query.includes('discountCodeBasicCreate(')) {
			state.calls.push('discountCodeBasicCreate');
			const input = variables.basicCodeDiscount as Record<string, unknown> & { code: string };
			if (taken(input.code)) {
				return { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ code: 'TAKEN', field: ['basicCodeDiscount', 'code'], message: 'Code must be unique. Please try a different code.' }] } };
			}
			const id = `${GID}/DiscountCodeNode/${++seq}`;
			state.discounts.push({ id, input });
			const codeId = addCode(input.code, id);
			return {
				discountCodeBasicCreate: { codeDiscountNode: { id, codeDiscount: { codes: { nodes: [{ id: codeId, code: input.code }] } } }, userErrors: [] },
			};
		}
		if (query.includes('discountRedeemCodeBulkAdd(')) {
			state.calls.push('discountRedeemCodeBulkAdd');
			const codes = (variables.codes ?? []).map((c) => c.code);
			if (codes.length > 250) {
				return { discountRedeemCodeBulkAdd: { bulkCreation: null, userErrors: [{ code: 'TOO_MANY_ARGUMENTS', field: ['codes'], message: 'Codes exceeds the maximum of 250' }] } };
			}
			if (!state.discounts.some((d) => d.id === variables.discountId)) {
				return { discountRedeemCodeBulkAdd: { bulkCreation: null, userErrors: [{ code: null, field: ['discountId'], message: 'Discount does not exist' }] } };
			}
			const id = `${GID}/DiscountRedeemCodeBulkCreation/${++seq}`;
			bulks.set(id, { polls: 0, codes, discountId: String(variables.discountId) });
			return { discountRedeemCodeBulkAdd: { bulkCreation: { id }, userErrors: [] } };
		}
		if (query.includes('codeDiscountNodeByCode(')) {
			state.calls.push('codeDiscountNodeByCode');
			const held = state.codes.get(String(variables.code).toUpperCase());
			return { codeDiscountNodeByCode: held ? { id: held.discountId } : null };
		}
		if (query.includes('discountRedeemCodeBulkCreation(')) {
			state.calls.push('discountRedeemCodeBulkCreation');
			const bulk = bulks.get(String(variables.id));
			if (!bulk) return { discountRedeemCodeBulkCreation: null };
			bulk.polls++;
			if (bulk.polls > (options.pollsBeforeDone ?? 1) && !bulk.results) {
				bulk.results = bulk.codes.map((code) =>
					taken(code)
						? { code, errors: [{ code: 'TAKEN', field: ['code'], message: 'Code must be unique. Please try a different code.' }], discountRedeemCode: null }
						: { code, errors: [], discountRedeemCode: { id: addCode(code, bulk.discountId) } },
				);
			}
			const done = bulk.results !== undefined;
			const failed = bulk.results?.filter((r) => (r.errors as unknown[]).length > 0).length ?? 0;
			return {
				discountRedeemCodeBulkCreation: {
					id: variables.id,
					done,
					codesCount: bulk.codes.length,
					importedCount: done ? bulk.codes.length - failed : 0,
					failedCount: failed,
					codes: { nodes: bulk.results ?? [] },
				},
			};
		}
		throw new Error(`stand-in: unknown operation ${query.slice(0, 80)}`);
	}

	state.handle = (req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			const send = (status: number, body: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.method !== 'POST' || req.url !== `/admin/api/${SHOPIFY_API_VERSION}/graphql.json`) return send(404, { errors: 'Not Found' });
			const token = req.headers['x-shopify-access-token'] as string | undefined;
			if (options.accessToken !== undefined && token !== options.accessToken) {
				state.unauthorized.push({ token, authorization: req.headers.authorization });
				return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
			}
			const now = Date.now();
			available = Math.min(bucket, available + ((now - lastAt) / 1000) * restoreRate);
			lastAt = now;
			const throttleStatus = () => ({ maximumAvailable: bucket, currentlyAvailable: Math.floor(available), restoreRate });
			if (options.throttleAt?.includes(++requests)) available = 0;
			if (available < cost) {
				state.throttled++;
				return send(200, {
					errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
					extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: throttleStatus() } },
				});
			}
			const { query, variables } = JSON.parse(raw) as { query: string; variables: Variables };
			if (query.includes('discountRedeemCodeBulkAdd(') && ++state.bulkAdds === options.failBulkAdd) {
				return send(500, { errors: [{ message: 'Internal error. Looks like something went wrong on our end.' }] });
			}
			available -= cost;
			try {
				const data = answer(query, variables) as { discountRedeemCodeBulkCreation?: { done: boolean } | null };
				if (options.failDonePoll && data.discountRedeemCodeBulkCreation?.done) {
					options.failDonePoll = false;
					return send(502, { errors: [{ message: 'Bad Gateway' }] });
				}
				send(200, { data, extensions: { cost: { requestedQueryCost: cost, actualQueryCost: cost, throttleStatus: throttleStatus() } } });
			} catch (error) {
				send(200, { errors: [{ message: (error as Error).message }] });
			}
		});
	};
	const server = http.createServer(state.handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	state.url = `http://127.0.0.1:${port}`;
	state.close = () => new Promise((resolve) => server.close(() => resolve()));
	return state;
}
