/**
 * Coupon codes are kept as given and compared by their key: the one rule for "the same code",
 * used by the store (unique per pool, look-ups) and by Purchase Check.
 */

/** Characters nobody can see or type: format characters (zero-width space and joiners, word joiner, BOM, soft hyphen) and other default-ignorables. */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * The comparison key of a code: Unicode NFKC (full-width and compatibility forms fold), invisible
 * characters removed, trimmed, lower-cased with toLowerCase (locale-free; ß stays ß, so
 * `Straße10` and `STRASSE10` stay two codes).
 */
export function codeKey(code: string): string {
	return code.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
}

/** The first invisible character in a code, as U+XXXX, or undefined. */
export function invisibleIn(code: string): string | undefined {
	const found = code.match(INVISIBLE)?.[0];
	return found === undefined ? undefined : `U+${found.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Splits codes, in one pass, into the first of each codeKey and the later ones (repeats), both in input order. */
export function splitRepeats(codes: string[]): { unique: string[]; repeats: string[] } {
	const seen = new Set<string>();
	const unique: string[] = [];
	const repeats: string[] = [];
	for (const code of codes) {
		const key = codeKey(code);
		if (seen.has(key)) {
			repeats.push(code);
		} else {
			seen.add(key);
			unique.push(code);
		}
	}
	return { unique, repeats };
}
