/**
 * JSON bodies without losing digits. Shopify ids (820982911946154508) are above 2^53, where
 * plain JSON.parse rounds them (to 820982911946154500). parseJsonBody keeps every integer that a
 * number cannot hold exactly as its source text, using the reviver's `context.source`
 * (JSON.parse source text access, Node >= 21).
 */
import { InputError } from '../errors';

/** Deeper bodies are refused before parsing: JSON.parse with a reviver recurses per level. */
export const MAX_JSON_DEPTH = 256;

const BODY_HINT = 'Send the event as a JSON object in the request body, with Content-Type: application/json.';
const INTEGER = /^-?\d+$/;
const SIXTEEN_DIGITS = /\d{16}/;
const decoder = new TextDecoder('utf-8', { fatal: true });

let sourceAccessChecked = false;

function keepIntegerDigits(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
	if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
		const source = context?.source;
		if (source !== undefined && INTEGER.test(source)) return source;
	}
	return value;
}

function assertSourceAccess(): void {
	if (sourceAccessChecked) return;
	const probe: unknown = JSON.parse('1', (_key: string, _value: unknown, context?: { source?: string }) => context?.source);
	if (probe !== '1') {
		throw new Error(`JSON.parse source text access is missing on Node ${process.version}; Node >= 22 is required`);
	}
	sourceAccessChecked = true;
}

/**
 * Parse a request body. Integers outside the safe range come back as strings of their digits;
 * everything else is as JSON.parse returns it. Invalid UTF-8, an empty body, nesting deeper than
 * MAX_JSON_DEPTH and malformed JSON are InputErrors on `body` that say where the problem is.
 */
export function parseJsonBody(raw: Buffer | Uint8Array | string): unknown {
	assertSourceAccess();
	let text: string;
	if (typeof raw === 'string') {
		text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
	} else {
		try {
			text = decoder.decode(raw); // drops a leading byte order mark
		} catch {
			throw new InputError('body', 'is not UTF-8 text', BODY_HINT);
		}
	}
	if (text.trim() === '') throw new InputError('body', 'is empty', BODY_HINT);
	checkDepth(text);
	try {
		// A reviver makes JSON.parse about 5x slower; only a run of 16+ digits can be an unsafe integer.
		return SIXTEEN_DIGITS.test(text) ? JSON.parse(text, keepIntegerDigits) : JSON.parse(text);
	} catch (error) {
		if (error instanceof SyntaxError) {
			const found = locateSyntaxError(text);
			const where = found ?? { position: 0, problem: error.message };
			throw new InputError('body', `is not valid JSON: ${where.problem} ${at(text, where.position)}`, BODY_HINT);
		}
		if (error instanceof RangeError) {
			throw new InputError('body', 'nests too deeply to parse', BODY_HINT);
		}
		throw error;
	}
}

function at(text: string, position: number): string {
	let line = 1;
	let column = 1;
	for (let i = 0; i < position && i < text.length; i++) {
		if (text.charCodeAt(i) === 10) {
			line++;
			column = 1;
		} else column++;
	}
	return `at position ${position} (line ${line}, column ${column})`;
}

/** Brackets outside strings deeper than MAX_JSON_DEPTH: an InputError at the first too-deep one. */
function checkDepth(text: string): void {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 92) i++; // backslash: skip the escaped character
			else if (c === 34) inString = false;
		} else if (c === 34) inString = true;
		else if (c === 123 || c === 91) {
			if (++depth > MAX_JSON_DEPTH) {
				throw new InputError('body', `nests deeper than ${MAX_JSON_DEPTH} levels ${at(text, i)}`, BODY_HINT);
			}
		} else if (c === 125 || c === 93) depth--;
	}
}

interface SyntaxProblem {
	position: number;
	problem: string;
}

class Found extends Error {
	constructor(readonly where: SyntaxProblem) {
		super(where.problem);
	}
}

/**
 * Where a JSON text first goes wrong, by the JSON grammar (RFC 8259). V8's messages do not always
 * carry a position ("Unexpected token '}', ... is not valid JSON"); this scanner runs only after
 * JSON.parse failed, on a text whose nesting checkDepth has bounded.
 */
export function locateSyntaxError(text: string): SyntaxProblem | undefined {
	let i = 0;
	const fail = (problem: string, position = i): never => {
		throw new Found({ position, problem });
	};
	const unexpected = (expected: string): never => {
		if (i >= text.length) return fail(`the body ends where ${expected} was expected`);
		return fail(`unexpected ${JSON.stringify(text.charAt(i))} where ${expected} was expected`);
	};
	const skipSpace = () => {
		while (i < text.length) {
			const c = text.charCodeAt(i);
			if (c === 32 || c === 9 || c === 10 || c === 13) i++;
			else break;
		}
	};
	const literal = (word: string) => {
		for (let k = 0; k < word.length; k++, i++) {
			if (text.charAt(i) !== word.charAt(k)) unexpected(`"${word}"`);
		}
	};
	const digits = (what: string) => {
		const start = i;
		while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
		if (i === start) unexpected(what);
	};
	const number = () => {
		if (text.charAt(i) === '-') i++;
		if (text.charAt(i) === '0') i++;
		else digits('a digit');
		if (text.charAt(i) === '.') {
			i++;
			digits('a digit after the decimal point');
		}
		if (text.charAt(i) === 'e' || text.charAt(i) === 'E') {
			i++;
			if (text.charAt(i) === '+' || text.charAt(i) === '-') i++;
			digits('a digit in the exponent');
		}
	};
	const string = () => {
		const start = i;
		i++; // opening quote
		for (;;) {
			if (i >= text.length) fail('a string is not closed', start);
			const c = text.charCodeAt(i);
			if (c === 34) {
				i++;
				return;
			}
			if (c < 32) fail('a control character must be escaped inside a string');
			if (c === 92) {
				const next = text.charAt(i + 1);
				if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
				else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
				else fail('bad escape sequence in a string');
			} else i++;
		}
	};
	const value = (): void => {
		skipSpace();
		const c = text.charAt(i);
		if (c === '{') {
			i++;
			skipSpace();
			if (text.charAt(i) === '}') {
				i++;
				return;
			}
			for (;;) {
				skipSpace();
				if (text.charAt(i) !== '"') unexpected('a property name in double quotes');
				string();
				skipSpace();
				if (text.charAt(i) !== ':') unexpected('":"');
				i++;
				value();
				skipSpace();
				if (text.charAt(i) === ',') i++;
				else if (text.charAt(i) === '}') {
					i++;
					return;
				} else unexpected('"," or "}"');
			}
		} else if (c === '[') {
			i++;
			skipSpace();
			if (text.charAt(i) === ']') {
				i++;
				return;
			}
			for (;;) {
				value();
				skipSpace();
				if (text.charAt(i) === ',') i++;
				else if (text.charAt(i) === ']') {
					i++;
					return;
				} else unexpected('"," or "]"');
			}
		} else if (c === '"') string();
		else if (c === '-' || (c >= '0' && c <= '9')) number();
		else if (c === 't') literal('true');
		else if (c === 'f') literal('false');
		else if (c === 'n') literal('null');
		else unexpected('a value');
	};
	try {
		value();
		skipSpace();
		if (i < text.length) unexpected('the end of the body');
		return undefined;
	} catch (error) {
		if (error instanceof Found) return error.where;
		throw error;
	}
}
