/**
 * node:assert/strict for jest (jest.config.js maps the module here). Jest runs each test file in
 * a VM context of its own, while values made by Node's built-ins (node:sqlite rows, structuredClone)
 * belong to the main context: arrays and plain objects equal in every field then differ in
 * prototype, which deepStrictEqual checks. The deep comparisons first copy arrays and plain
 * objects of either context into this one; everything else is compared as it is.
 */
import { strict as assert } from 'node:assert';

const isPlainObject = (value: object): boolean => {
	const proto = Object.getPrototypeOf(value) as object | null;
	return proto !== null && Object.getPrototypeOf(proto) === null && typeof (proto as { hasOwnProperty?: unknown }).hasOwnProperty === 'function';
};

function local(value: unknown, seen = new Map<object, unknown>()): unknown {
	if (typeof value !== 'object' || value === null) return value;
	if (seen.has(value)) return seen.get(value);
	if (Array.isArray(value)) {
		const copy: unknown[] = [];
		seen.set(value, copy);
		for (const [i, item] of value.entries()) copy[i] = local(item, seen);
		return copy;
	}
	if (!isPlainObject(value)) return value;
	const copy: Record<string, unknown> = {};
	seen.set(value, copy);
	for (const key of Object.keys(value)) copy[key] = local((value as Record<string, unknown>)[key], seen);
	return copy;
}

const strict = Object.assign(
	(value: unknown, message?: string | Error) => assert.ok(value, message),
	assert,
	{
		deepEqual: (actual: unknown, expected: unknown, message?: string | Error) => assert.deepStrictEqual(local(actual), local(expected), message),
		deepStrictEqual: (actual: unknown, expected: unknown, message?: string | Error) => assert.deepStrictEqual(local(actual), local(expected), message),
		notDeepEqual: (actual: unknown, expected: unknown, message?: string | Error) => assert.notDeepStrictEqual(local(actual), local(expected), message),
		notDeepStrictEqual: (actual: unknown, expected: unknown, message?: string | Error) => assert.notDeepStrictEqual(local(actual), local(expected), message),
	},
);
(strict as { strict?: unknown }).strict = strict;

export = strict;
