/**
 * Errors the core raises. Nodes turn them into NodeOperationError with the same message and
 * a description that says what to change.
 */

/** Bad input: names the field and says what to change. Nothing was written. */
export class InputError extends Error {
	readonly field: string;
	readonly hint?: string;

	constructor(field: string, message: string, hint?: string) {
		super(`${field}: ${message}`);
		this.name = 'InputError';
		this.field = field;
		this.hint = hint;
	}
}

/** A referenced thing (segment, coupon pool) does not exist in the store. */
export class NotFoundError extends InputError {
	constructor(field: string, what: string, name: string, hint?: string) {
		super(field, `${what} "${name}" does not exist in this store`, hint);
		this.name = 'NotFoundError';
	}
}

/** The store could not be opened, migrated or reached. */
export class StoreError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'StoreError';
	}
}

/** A value quoted for an error message, cut to 60 characters: a message never repeats a huge value. */
export function quote(value: unknown): string {
	const text = typeof value === 'string' ? value : String(value);
	return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
