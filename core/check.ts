/** Small input guards shared by the domain operations: each throws an InputError naming the field. */
import { InputError, quote } from './errors';
import { identifier, MAX_ID_LENGTH } from './limits';

/** A non-empty identifier (a name, an id, a key) of at most `max` characters; see identifier in core/limits. */
export function requireText(value: unknown, field: string, hint?: string, max = MAX_ID_LENGTH): string {
	const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!text) throw new InputError(field, typeof value === 'string' || value === undefined || value === null ? 'is empty' : `expected text, got ${typeof value}`, hint);
	return identifier(text, field, max, hint);
}

/** requireText for an optional value: absent or blank is undefined. */
export function optionalText(value: unknown, field: string, hint?: string, max = MAX_ID_LENGTH): string | undefined {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
	return requireText(value, field, hint, max);
}

export function customerIdOf(value: unknown, field = 'customerId'): string {
	return requireText(
		value,
		field,
		'Map the customer ID, e.g. {{ $json.customer.id }} after a Storefront Trigger, or the ID from your shop.',
	);
}

export function wholeNumber(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
	const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
		const range = `${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ' up'}`;
		throw new InputError(field, `${quote(value)} is not a whole number from ${range}`, `Enter a whole number from ${range}.`);
	}
	return n;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
	if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
	throw new InputError(field, `${quote(value)} is not one of ${allowed.join(', ')}`, `Choose one of: ${allowed.join(', ')}.`);
}

/** A list from an array or a comma/newline separated string; trimmed, empties dropped, repeats kept. */
export function textItems(value: unknown): string[] {
	const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\n,]/) : value === undefined || value === null ? [] : [value];
	return raw.map((v) => String(v).trim()).filter(Boolean);
}

/** textItems without repeats. */
export function textList(value: unknown): string[] {
	return [...new Set(textItems(value))];
}
