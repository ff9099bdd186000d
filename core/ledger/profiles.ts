/**
 * A customer's profile: the stored customer, all-time purchases, current segments, coupon codes
 * and the activities entered.
 */
import type { Customer } from '../event';
import { summarize, type PurchaseSummary } from '../purchases';
import type { CustomerRow, Store } from '../store';
import { isoUtc } from '../time';

/** The canonical event's customer from a stored customer row (times as ISO 8601 UTC). */
export function customerOf(row: CustomerRow): Customer {
	const customer: Customer = { id: row.id };
	if (row.email !== undefined) customer.email = row.email;
	if (row.phone !== undefined) customer.phone = row.phone;
	if (row.firstName !== undefined) customer.firstName = row.firstName;
	if (row.lastName !== undefined) customer.lastName = row.lastName;
	if (row.birthday !== undefined) customer.birthday = row.birthday;
	if (row.timezone !== undefined) customer.timezone = row.timezone;
	if (row.locale !== undefined) customer.locale = row.locale;
	if (row.acceptsMarketing !== undefined) customer.acceptsMarketing = row.acceptsMarketing;
	if (row.registeredAt !== undefined) customer.registeredAt = isoUtc(row.registeredAt);
	return customer;
}

export interface CustomerProfile {
	customerId: string;
	/** false: the store has no customer with this id (the other parts are then empty). */
	found: boolean;
	customer?: Customer & { firstSeenAt: string; updatedAt: string; lastOrderAt?: string };
	/** All-time purchases: counted orders, amounts per currency, categories, products, coupons used. */
	purchases: PurchaseSummary;
	/** Current memberships (expired ones are left out). */
	segments: Array<{ segment: string; addedAt: string; expiresAt?: string }>;
	/** Coupon codes handed to the customer. */
	coupons: Array<{ pool: string; code: string; assignedAt: string; expiresAt?: string; redeemedAt?: string; status: 'held' | 'redeemed' | 'expired' }>;
	/** Activities entered (Repeatability Guard entries), newest first; `heldOut` for an entry held out in a control group. */
	activities: Array<{ activity: string; entryKey: string; enteredAt: string; heldOut?: true }>;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : isoUtc(ms));

/** A customer to profile: the id (validated), and how many of the newest activity entries to show. */
export type ProfileRequest = string | { customerId: string; activityLimit?: number };

/**
 * Profiles of customers, in ONE store call for all of them. A request's own activityLimit wins
 * over options.activityLimit (default 50; 0 for none).
 */
export async function customerProfiles(store: Store, now: number, requests: ProfileRequest[], options: { activityLimit?: number } = {}): Promise<CustomerProfile[]> {
	if (requests.length === 0) return [];
	const queries = requests.map((request) => {
		const { customerId, activityLimit } = typeof request === 'string' ? { customerId: request, activityLimit: undefined } : request;
		return { customerId, activityLimit: activityLimit ?? options.activityLimit ?? 50 };
	});
	const answers = await store.profiles(queries, now);
	return answers.map(({ customerId, customer: row, purchases, segments, codes, activities }) => {
		const profile: CustomerProfile = {
			customerId,
			found: row !== undefined,
			purchases: summarize(purchases, {}),
			segments: segments.map((s) => ({ segment: s.segment, addedAt: isoUtc(s.addedAt), ...(s.expiresAt !== undefined && { expiresAt: isoUtc(s.expiresAt) }) })),
			coupons: codes.map((c) => ({
				pool: c.pool,
				code: c.code,
				assignedAt: isoUtc(c.assignedAt),
				...(c.expiresAt !== undefined && { expiresAt: isoUtc(c.expiresAt) }),
				...(c.redeemedAt !== undefined && { redeemedAt: isoUtc(c.redeemedAt) }),
				status: c.redeemedAt !== undefined ? 'redeemed' : c.expiresAt !== undefined && c.expiresAt <= now ? 'expired' : 'held',
			})),
			activities: activities.map((a) => ({ activity: a.activity, entryKey: a.key, enteredAt: isoUtc(a.enteredAt), ...(a.heldOut && { heldOut: true as const }) })),
		};
		if (row) {
			profile.customer = {
				...customerOf(row),
				firstSeenAt: isoUtc(row.firstSeenAt),
				updatedAt: isoUtc(row.updatedAt),
				...(row.lastOrderAt !== undefined && { lastOrderAt: iso(row.lastOrderAt) }),
			};
		}
		return profile;
	});
}
