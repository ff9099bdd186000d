/**
 * Shopify GraphQL Admin API: one basic code discount per pool and terms (discountCodeBasicCreate
 * with the first code, recorded before any other code is added to it: percentage or fixed amount
 * off the order, usage limit 1 per code, once per customer, from now until the codes' Valid
 * Until), the other codes added to it in bulk (discountRedeemCodeBulkAdd, at most 250 a call),
 * which runs in the background: discountRedeemCodeBulkCreation is polled until done and names
 * each code's errors. A code it calls taken that is in this discount already (added by a call
 * whose answer was lost) counts as created. A THROTTLED answer is waited out from its
 * throttleStatus (restoreRate points a second).
 */
import { isoUtc } from '../time';
import type { CodeInput, Millis, ShopMark } from '../store';
import { ShopError, shopifyGraphql, sleep, type ShopHttp, type Wait } from '../shop';
import type { ShopCodesApi } from './index';

export { SHOPIFY_API_VERSION } from '../shop';
export const SHOPIFY_BULK = 250;
const MAX_POLLS = 60;
interface UserError {
	code?: string;
	field?: string[];
	message?: string;
}

const CREATE = `mutation CreateDiscount($basicCodeDiscount: DiscountCodeBasicInput!) {
	discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
		codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { codes(first: 1) { nodes { id code } } } } }
		userErrors { code field message }
	}
}`;
const BULK_ADD = `mutation AddCodes($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
	discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) {
		bulkCreation { id }
		userErrors { code field message }
	}
}`;
const BY_CODE = `query DiscountByCode($code: String!) {
	codeDiscountNodeByCode(code: $code) { id }
}`;
const BULK_STATUS = `query BulkCreation($id: ID!) {
	discountRedeemCodeBulkCreation(id: $id) {
		id done codesCount importedCount failedCount
		codes(first: ${SHOPIFY_BULK}) { nodes { code errors { code field message } discountRedeemCode { id } } }
	}
}`;

/** The discount's input: its value and limits from the codes' terms. */
export function basicDiscount(c: CodeInput, title: string, now: Millis): Record<string, unknown> {
	const value =
		c.discountKind === 'percent'
			? { percentage: Number(c.discountValue) / 100 }
			: { discountAmount: { amount: c.discountValue, appliesOnEachItem: false } };
	return {
		title,
		code: c.code,
		startsAt: isoUtc(now),
		endsAt: c.validUntil === undefined ? null : isoUtc(c.validUntil),
		context: { all: 'ALL' },
		customerGets: { value, items: { all: true } },
		appliesOncePerCustomer: true,
		usageLimit: 1,
		...(c.minimumOrder ? { minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: c.minimumOrder } } } : {}),
	};
}

const messages = (errors: UserError[]) => errors.map((e) => e.message ?? e.code).join('; ');

export function shopifyCodes(http: ShopHttp, shopSubdomain: string, wait: Wait = sleep, pollMs = 1000): ShopCodesApi {
	const graphql = shopifyGraphql(http, shopSubdomain, wait);

	async function createDiscount(first: CodeInput, title: string, now: Millis): Promise<{ discount?: string; mark: ShopMark }> {
		const data = await graphql<{
			discountCodeBasicCreate: {
				codeDiscountNode?: { id: string; codeDiscount?: { codes?: { nodes?: Array<{ id: string }> } } };
				userErrors: UserError[];
			};
		}>(CREATE, { basicCodeDiscount: basicDiscount(first, title, now) });
		const { codeDiscountNode, userErrors } = data.discountCodeBasicCreate;
		if (codeDiscountNode) {
			const id = codeDiscountNode.codeDiscount?.codes?.nodes?.[0]?.id;
			return { discount: codeDiscountNode.id, mark: { code: first.code, state: 'created', shopId: id, shopDiscount: codeDiscountNode.id } };
		}
		// A code the shop will not take (e.g. taken by another discount) is refused; anything else is the discount's fault.
		if (userErrors.length > 0 && userErrors.every((e) => e.field?.includes('code'))) {
			return { mark: { code: first.code, state: 'refused', error: messages(userErrors) } };
		}
		throw new ShopError(`Shopify did not create the discount: ${messages(userErrors) || 'no reason given'}`);
	}

	/** A code the shop calls taken that is in this discount already: added by a call whose answer was lost. */
	async function inDiscount(code: string, discount: string): Promise<boolean> {
		const found = await graphql<{ codeDiscountNodeByCode: { id: string } | null }>(BY_CODE, { code });
		return found.codeDiscountNodeByCode?.id === discount;
	}

	async function bulkAdd(discount: string, codes: CodeInput[]): Promise<ShopMark[]> {
		const added = await graphql<{ discountRedeemCodeBulkAdd: { bulkCreation?: { id: string }; userErrors: UserError[] } }>(BULK_ADD, {
			discountId: discount,
			codes: codes.map((c) => ({ code: c.code })),
		});
		const creation = added.discountRedeemCodeBulkAdd.bulkCreation;
		if (!creation) throw new ShopError(`Shopify did not add the codes: ${messages(added.discountRedeemCodeBulkAdd.userErrors) || 'no reason given'}`);
		for (let poll = 0; poll < MAX_POLLS; poll++) {
			await wait(Math.min(pollMs * 2 ** poll, 5 * pollMs));
			const status = await graphql<{
				discountRedeemCodeBulkCreation: {
					done: boolean;
					codes: { nodes: Array<{ code: string; errors: UserError[]; discountRedeemCode?: { id: string } | null }> };
				} | null;
			}>(BULK_STATUS, { id: creation.id });
			const bulk = status.discountRedeemCodeBulkCreation;
			if (!bulk) throw new ShopError(`Shopify does not know the bulk creation ${creation.id}`);
			if (!bulk.done) continue;
			const marks: ShopMark[] = [];
			for (const n of bulk.codes.nodes) {
				if (n.discountRedeemCode && n.errors.length === 0) marks.push({ code: n.code, state: 'created', shopId: n.discountRedeemCode.id, shopDiscount: discount });
				else if (await inDiscount(n.code, discount)) marks.push({ code: n.code, state: 'created', shopDiscount: discount });
				else marks.push({ code: n.code, state: 'refused', error: messages(n.errors) || 'not created' });
			}
			return marks;
		}
		throw new ShopError(`Shopify has not finished the bulk creation ${creation.id}; its codes stay pending`);
	}

	return {
		batchSize: SHOPIFY_BULK,
		async create(codes, discount, title, now) {
			if (discount) return { discount, marks: await bulkAdd(discount, codes) };
			// The discount alone first: it is recorded before any code is added to it.
			const made = await createDiscount(codes[0], title, now);
			return { discount: made.discount, marks: [made.mark] };
		},
	};
}
