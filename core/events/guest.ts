/**
 * Customer ids for buyers the shop has no customer account for: `email:<address>` (lower case),
 * else `phone:+<digits>` (the number as given, reduced to its digits with a leading +; a leading
 * 00 international prefix becomes +). Neither: the buyer is anonymous (undefined).
 */
import type { Customer } from '../event';

/** `phone:+<digits>` for a phone number with at least 5 digits, else undefined. */
export function phoneId(phone: string | undefined): string | undefined {
	if (phone === undefined) return undefined;
	const digits = phone.replace(/\D/g, '');
	const international = phone.trim().startsWith('00') ? digits.slice(2) : digits;
	return international.length >= 5 ? `phone:+${international}` : undefined;
}

/** A guest customer keyed by email, else by phone; undefined when there is neither. */
export function guestCustomer(email: string | undefined, phone: string | undefined): Customer | undefined {
	if (email !== undefined) return { id: `email:${email}`, email, ...(phone !== undefined && { phone }) };
	const id = phoneId(phone);
	return id === undefined ? undefined : { id, phone: phone! };
}
