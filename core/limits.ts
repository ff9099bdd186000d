/**
 * The bounds on input, in one place: every value that reaches the store has passed them, so both
 * dialects hold the same values and refuse the same ones, before anything is written.
 *
 * Lengths are in UTF-16 code units (JavaScript's length), at most 3 bytes of UTF-8 each. They keep
 * every key of the store's indexes below PostgreSQL's limit for an index row (2704 bytes): the
 * widest, (activity, customer id, entry key), is at most 3 * (200 + 320 + 320) = 2520 bytes.
 *
 * Identifiers (ids, keys, emails, codes, labels, segment and pool names, URLs) are compared and
 * indexed: one with a NUL character (PostgreSQL cannot store it) or an unpaired UTF-16 surrogate
 * (UTF-8 cannot encode it, so PostgreSQL would store U+FFFD and two ids would become one) is
 * refused. Free text (names, SKUs, statuses) is only shown: NUL characters are removed and
 * unpaired surrogates become U+FFFD, the same on every store.
 */
import { InputError } from './errors';

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Ids: customers, events, orders, carts, products; idempotency keys (entry, assignment). */
export const MAX_ID_LENGTH = 320;
/** Segment, coupon pool and guard activity names. */
export const MAX_NAME_LENGTH = 200;
/** Categories, coupon codes and promotions of an order, and purchase check values. */
export const MAX_LABEL_LENGTH = 255;
/** Coupon codes of a pool. */
export const MAX_CODE_LENGTH = 64;
/** An email address (RFC 5321). */
export const MAX_EMAIL_LENGTH = 254;
export const MAX_URL_LENGTH = 2048;
/** Names, SKUs, phone numbers, statuses and other free text. */
export const MAX_TEXT_LENGTH = 1024;
/** A decimal amount as written ("19.99"). */
export const MAX_AMOUNT_LENGTH = 64;
/** Lines of one order or cart. */
export const MAX_LINES = 5000;
/** Entries of one list of labels (categories of a line, coupon codes of an order). */
export const MAX_LABELS = 1000;

/** The earliest instant an event, a registration or a birth may have: 1900-01-01T00:00:00Z. */
export const EARLIEST_INSTANT_MS = Date.UTC(1900, 0, 1);
export const EARLIEST_YEAR = 1900;

/** How far ahead of now a sender's clock may run: an event may be at most one day in the future. */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

/** An InputError when `text` is longer than `max`; the message gives the length, never the text. */
export function checkLength(text: string, field: string, max: number, hint?: string): string {
	if (text.length > max) throw new InputError(field, `is ${text.length} characters long; at most ${max} are allowed`, hint ?? `Shorten it to ${max} characters or fewer.`);
	return text;
}

/** An identifier as given, or an InputError for a NUL character, an unpaired surrogate or a length over `max`. */
export function identifier(text: string, field: string, max: number, hint?: string): string {
	if (text.includes('\u0000')) {
		throw new InputError(field, 'contains a NUL character (\\u0000)', 'Remove the NUL character: ids, codes, emails and names cannot hold it.');
	}
	if (text.search(UNPAIRED_SURROGATE) !== -1) {
		throw new InputError(field, 'contains an unpaired UTF-16 surrogate, which is not a character', 'Send valid Unicode text (UTF-8).');
	}
	return checkLength(text, field, max, hint);
}

/** Free text without NUL characters and with unpaired surrogates as U+FFFD, or an InputError when over `max`. */
export function freeText(text: string, field: string, max = MAX_TEXT_LENGTH): string {
	return checkLength(text.replaceAll('\u0000', '').replace(UNPAIRED_SURROGATE, '\uFFFD'), field, max);
}
