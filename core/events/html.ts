/**
 * HTML entity decoding for the text WordPress/WooCommerce sends: product names such as
 * "Ship Your Idea &ndash; Black" or "Salt &amp; Pepper" (wptexturize writes &#8211;, &#8217;),
 * and webhook secrets, which WooCommerce decodes with wp_specialchars_decode() before signing.
 */

/** Latin-1 names, U+00A0 .. U+00FF in order. */
const LATIN1 = (
	'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr ' +
	'deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
	'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ' +
	'ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
	'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml ' +
	'eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'
).split(' ');

const NAMED = new Map<string, number>([
	['amp', 38],
	['lt', 60],
	['gt', 62],
	['quot', 34],
	['apos', 39],
	['OElig', 338],
	['oelig', 339],
	['Scaron', 352],
	['scaron', 353],
	['Yuml', 376],
	['fnof', 402],
	['circ', 710],
	['tilde', 732],
	['ensp', 8194],
	['emsp', 8195],
	['thinsp', 8201],
	['zwnj', 8204],
	['zwj', 8205],
	['lrm', 8206],
	['rlm', 8207],
	['ndash', 8211],
	['mdash', 8212],
	['lsquo', 8216],
	['rsquo', 8217],
	['sbquo', 8218],
	['ldquo', 8220],
	['rdquo', 8221],
	['bdquo', 8222],
	['dagger', 8224],
	['Dagger', 8225],
	['bull', 8226],
	['hellip', 8230],
	['permil', 8240],
	['prime', 8242],
	['Prime', 8243],
	['lsaquo', 8249],
	['rsaquo', 8250],
	['euro', 8364],
	['trade', 8482],
	['larr', 8592],
	['rarr', 8594],
	['minus', 8722],
	['hearts', 9829],
	...LATIN1.map((name, index): [string, number] => [name, 0xa0 + index]),
]);

function fromCodePoint(code: number): string {
	if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
		return '\ufffd';
	}
	return String.fromCodePoint(code);
}

const ENTITY = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([A-Za-z][A-Za-z0-9]{1,9}));/g;

/**
 * Decode named (the HTML 4 Latin-1 and typographic set WordPress uses) and numeric character
 * references in one pass, so "&amp;lt;" becomes "&lt;", not "<". Unknown names stay as written.
 */
export function decodeHtmlEntities(input: string): string {
	if (!input.includes('&')) return input;
	return input.replace(ENTITY, (match, decimal?: string, hex?: string, name?: string) => {
		if (decimal !== undefined) return fromCodePoint(Number(decimal));
		if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
		const code = name === undefined ? undefined : NAMED.get(name);
		return code === undefined ? match : String.fromCodePoint(code);
	});
}

const WP_SPECIALCHARS = /&(?:(lt|gt|amp|quot);|#0*(60|62|38|34|39);|#[xX]0*(26|22|27);)/g;
const WP_DECIMAL: Record<string, string> = { '60': '<', '62': '>', '38': '&', '34': '"', '39': "'" };
const WP_NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const WP_HEX: Record<string, string> = { '26': '&', '22': '"', '27': "'" };

/**
 * WordPress's wp_specialchars_decode($text, ENT_QUOTES): only &lt; &gt; &amp; &quot;, the decimal
 * forms of < > & " ' (leading zeros allowed) and the hex forms of & " ' are decoded, in one pass. WooCommerce signs deliveries with the
 * webhook secret decoded this way (class-wc-webhook.php, get_secret()).
 */
export function wpSpecialcharsDecode(input: string): string {
	if (!input.includes('&')) return input;
	return input.replace(WP_SPECIALCHARS, (match, name?: string, decimal?: string, hex?: string) => {
		if (name !== undefined) return WP_NAMED[name] ?? match;
		if (decimal !== undefined) return WP_DECIMAL[decimal] ?? match;
		if (hex !== undefined) return WP_HEX[hex] ?? match;
		return match;
	});
}
