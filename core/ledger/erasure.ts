/**
 * Erasure: a customer's personal data and history removed from every table, with a suppression
 * record so that older events about them are not recorded again.
 */
import type { Store } from '../store';

export interface ForgetResult {
	/** The customer id, else the email address, asked for. */
	customerId: string;
	/** Something was removed. */
	erased: boolean;
	/** Every id whose rows were erased. */
	customerIds: string[];
	/** Rows removed (coupon codes: anonymized, never handed out again) per table, over every id erased. */
	removed: Record<string, number>;
	total: number;
	/** Other ids of the same person that were erased too: guest ids (`email:<address>`, `phone:+<digits>`), ids with the same email. */
	alsoErased: string[];
	/** Copies the database still holds outside its rows, and when they go. */
	remains?: string;
}

/** Whom to forget: a customer id, or a request; a request's own guestEmail / sameEmail win over the options. */
export type ForgetCustomerRequest = string | { customerId?: string; email?: string; guestEmail?: boolean; sameEmail?: boolean };

/**
 * Erases each customer's personal data and history from every table, all of them in ONE store call
 * (one transaction: all or, on an error, none), and keeps a suppression record so older events
 * about them are not recorded again. With `guestEmail` (default true) the guest ids of the
 * customer's stored email and phone (`email:<address>`, `phone:+<digits>`) are erased too; with
 * `sameEmail`, every id that has the same email. `email` instead of a customer id forgets every id
 * with that address.
 */
export async function forgetCustomers(
	store: Store,
	requests: ForgetCustomerRequest[],
	options: { guestEmail?: boolean; sameEmail?: boolean; now?: number } = {},
): Promise<ForgetResult[]> {
	if (requests.length === 0) return [];
	const asked = requests.map((request) => {
		const { customerId, email, guestEmail, sameEmail } = typeof request === 'string' ? { customerId: request } : request;
		return { customerId, email, guests: (guestEmail ?? options.guestEmail) !== false, sameEmail: (sameEmail ?? options.sameEmail) === true };
	});
	const reports = await store.forgetCustomers(asked, options.now);
	return reports.map((report, i) => {
		const total = Object.values(report.removed).reduce((a, b) => a + b, 0);
		return {
			customerId: report.customerId,
			erased: total > 0,
			customerIds: report.customerIds,
			removed: report.removed,
			total,
			alsoErased: report.customerIds.filter((id) => id !== asked[i].customerId),
			...(report.remains !== undefined && { remains: report.remains }),
		};
	});
}
