/**
 * The currencies an amount may be in: the ISO 4217 codes of currencies of payment. The list's
 * other codes are not money a shop charges: funds codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI,
 * UYW), precious metals (XAU, XAG, XPD, XPT), bond market units (XBA to XBD), the SDR (XDR),
 * SUCRE (XSU), the ADB unit (XUA), the testing code XTS and "no currency" XXX.
 *
 * Minor-unit digits are not kept here: amounts are stored in the minor units that currencyExponent
 * (core/money.ts) has always given, and changing them would misread stored amounts.
 */

/** ISO 4217 currencies of payment in use. */
const ACTIVE = `
AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN
NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP
SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES
VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG`;

/**
 * Currencies withdrawn since 2014 (replaced by a new code or by the euro): orders placed in them
 * are still history that a backfill records, so they stay accepted.
 */
const WITHDRAWN = 'ANG BGN BYR CUC HRK LTL LVL MRO SLL STD VEF ZWL';

export const CURRENCIES: ReadonlySet<string> = new Set(`${ACTIVE} ${WITHDRAWN}`.split(/\s+/).filter((code) => code !== ''));

export function isCurrency(code: string): boolean {
	return CURRENCIES.has(code);
}
