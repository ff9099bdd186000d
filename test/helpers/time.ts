/** Assertions the core's time and birthday tests share. */
import assert from 'node:assert/strict';
import { InputError } from '../../core/errors';

/** Epoch ms of an ISO instant written in a test. */
export const ms = (iso: string): number => {
	const value = Date.parse(iso);
	assert.ok(Number.isFinite(value), `bad test instant ${iso}`);
	return value;
};

/** Asserts fn throws an InputError for `field` (and, optionally, a message matching `message`). */
export function throwsField(fn: () => unknown, field: string, message?: RegExp): InputError {
	let caught: unknown;
	try {
		fn();
	} catch (error) {
		caught = error;
	}
	assert.ok(caught instanceof InputError, `expected an InputError for ${field}, got ${String(caught)}`);
	assert.equal(caught.field, field);
	assert.ok(caught.message.startsWith(`${field}: `), caught.message);
	if (message) assert.match(caught.message, message);
	return caught;
}
