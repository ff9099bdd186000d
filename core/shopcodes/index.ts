/**
 * Coupon codes created in the shop. Codes wait in the store as pending until the shop answers for
 * each: created (then they may be handed out) or refused (then never). A failed call leaves the
 * codes it did not settle pending, and the next sync pushes those only.
 */
import { InputError } from '../errors';
import { ShopError } from '../shop';
import type { CodeInput, Millis, ShopMark, Store } from '../store';

export { ShopError, sleep, type ShopHttp, type ShopResponse, type Wait } from '../shop';

export interface ShopCodesApi {
	/** Codes per call. */
	readonly batchSize: number;
	/**
	 * Creates codes that share their terms in the shop, in the discount given (the shop's discount
	 * for these terms, when it has one per set of terms and one was made before).
	 */
	create(codes: CodeInput[], discount: string | undefined, title: string, now: Millis): Promise<{ discount?: string; marks: ShopMark[] }>;
}

export interface SyncResult {
	pool: string;
	created: number;
	refused: number;
	refusedCodes: Array<{ code: string; error?: string }>;
}

/** The terms a shop discount is made of: codes with equal terms share one. */
export const termsKey = (c: Omit<CodeInput, 'code'>) =>
	JSON.stringify([c.discountKind ?? null, c.discountValue ?? null, c.currency ?? null, c.minimumOrder ?? null, c.validUntil ?? null]);

/** The shop needs a discount to create a code for. */
export function requireShopDiscount(discount: { discountKind?: string }): void {
	if (!discount.discountKind) {
		throw new InputError('discountKind', 'is None, but the shop needs a discount to create codes for', 'Pick Percent or Fixed Amount and enter its value.');
	}
}

/** Pushes every pending code of the pool to the shop, a batch at a time; progress after each batch. */
export async function syncToShop(
	store: Store,
	pool: string,
	api: ShopCodesApi,
	now: Millis,
	progress: (done: SyncResult) => void = () => undefined,
): Promise<SyncResult> {
	const result: SyncResult = { pool, created: 0, refused: 0, refusedCodes: [] };
	const discounts = new Map((await store.shopDiscounts(pool)).map((d) => [termsKey(d), d.shopDiscount]));
	for (;;) {
		const pending = await store.pendingShopCodes(pool, api.batchSize);
		if (pending.length === 0) return result;
		const key = termsKey(pending[0]);
		const batch = pending.filter((c) => termsKey(c) === key);
		const { discount, marks } = await api.create(batch, discounts.get(key), pool, now);
		if (discount) discounts.set(key, discount);
		const changed = await store.markShopCodes(pool, marks);
		for (const mark of marks) {
			if (mark.state === 'created') result.created++;
			else {
				result.refused++;
				result.refusedCodes.push({ code: mark.code, error: mark.error });
			}
		}
		if (changed === 0) throw new ShopError(`the shop answered for none of the ${batch.length} codes sent; they stay pending`);
		progress(result);
	}
}
