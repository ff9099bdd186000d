/**
 * HTTP headers as the trigger receives them (Node's IncomingHttpHeaders, or any plain record).
 * Header names are case-insensitive (HTTP/2 lower-cases them; Shopify asks receivers to treat
 * them so): every lookup here ignores case.
 */

export type HeaderMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The value of a header by case-insensitive name: the first one if repeated; blank -> undefined. */
export function headerValue(headers: HeaderMap | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const raw = headers[key];
		const value = typeof raw === 'string' ? raw : Array.isArray(raw) ? (raw as readonly unknown[])[0] : undefined;
		if (typeof value !== 'string') continue;
		const trimmed = value.trim();
		if (trimmed !== '') return trimmed;
	}
	return undefined;
}

/** Whether any header name starts with `prefix` (case-insensitive). */
export function hasHeaderPrefix(headers: HeaderMap | undefined, prefix: string): boolean {
	if (!headers) return false;
	const wanted = prefix.toLowerCase();
	return Object.keys(headers).some((key) => key.toLowerCase().startsWith(wanted));
}
