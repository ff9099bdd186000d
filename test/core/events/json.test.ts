import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../../core/errors';
import { MAX_JSON_DEPTH, locateSyntaxError, parseJsonBody } from '../../../core/events/json';
import { at, fixture, fixtureBytes } from './helpers';

function inputError(field: string, pattern: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
		assert.equal(error.field, field);
		assert.match(error.message, pattern);
		assert.ok(error.hint, 'an InputError from the body carries a hint');
		return true;
	};
}

describe('parseJsonBody', () => {
	it('keeps all 18 digits of Shopify ids that JSON.parse rounds', () => {
		const raw = fixtureBytes('shopify-orders-create.json');
		assert.equal((JSON.parse(raw.toString('utf8')) as { id: number }).id, 820982911946154500);
		const order = parseJsonBody(raw);
		assert.equal(at(order, 'id'), '820982911946154508');
		assert.equal(at(order, 'customer', 'id'), '115310627314723954');
		assert.equal(at(order, 'customer', 'default_address', 'customer_id'), '115310627314723954');
		assert.equal(at(order, 'line_items', 0, 'id'), '487817672276298554');
		assert.equal(at(order, 'line_items', 0, 'product_id'), '788032119674292922');
		assert.equal(at(order, 'line_items', 3, 'sales_line_item_group_id'), 142831562);
		assert.equal(at(order, 'shipping_lines', 0, 'id'), '271878346596884015');
		assert.equal(at(order, 'admin_graphql_api_id'), 'gid://shopify/Order/820982911946154508');
	});

	it('leaves safe integers, decimals, exponents and other values as JSON.parse does', () => {
		const value = parseJsonBody(
			'{"a":9007199254740991,"b":-9007199254740993,"c":0.1,"d":1e21,"e":-0,"f":[true,null,"x"],"g":1.0,"h":12345678901234567890.5}',
		);
		assert.deepEqual(value, {
			a: 9007199254740991,
			b: '-9007199254740993',
			c: 0.1,
			d: 1e21,
			e: -0,
			f: [true, null, 'x'],
			g: 1,
			h: 12345678901234567000,
		});
	});

	it('reads Buffers, strings and Uint8Arrays, and drops a byte order mark', () => {
		const text = '{"name":"Caf\u00e9 \u2013 Kaffee"}';
		const expected = { name: 'Caf\u00e9 \u2013 Kaffee' };
		assert.deepEqual(parseJsonBody(text), expected);
		assert.deepEqual(parseJsonBody(Buffer.from(text)), expected);
		assert.deepEqual(parseJsonBody(new Uint8Array(Buffer.from(text))), expected);
		assert.deepEqual(parseJsonBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])), expected);
		assert.deepEqual(parseJsonBody(`\ufeff${text}`), expected);
		const slice = Buffer.from(`xx${text}yy`).subarray(2, 2 + Buffer.byteLength(text));
		assert.deepEqual(parseJsonBody(slice), expected);
	});

	it('parses every fixture to the same value as JSON.parse apart from big integers', () => {
		for (const name of ['shopify-customers-create.json', 'woocommerce-order-created.json', 'woocommerce-customer-created.json'] as const) {
			const plain = JSON.parse(fixtureBytes(name).toString('utf8')) as Record<string, unknown>;
			const exact = fixture(name);
			const normalized = JSON.parse(JSON.stringify(exact, (_k, v: unknown) => (typeof v === 'string' && /^\d{16,}$/.test(v) ? Number(v) : v))) as unknown;
			assert.deepEqual(normalized, plain, name);
		}
	});

	it('says where malformed JSON goes wrong', () => {
		assert.throws(() => parseJsonBody('{"a":}'), inputError('body', /is not valid JSON: unexpected "}" where a value was expected at position 5 \(line 1, column 6\)/));
		assert.throws(() => parseJsonBody('{"a":1'), inputError('body', /the body ends where "," or "}" was expected at position 6/));
		assert.throws(() => parseJsonBody('{"a":1,\n"b":tru}'), inputError('body', /where "true" was expected at position 15 \(line 2, column 8\)/));
		assert.throws(() => parseJsonBody('[1,]'), inputError('body', /unexpected "]" where a value was expected at position 3/));
		assert.throws(() => parseJsonBody('{"a":"x'), inputError('body', /a string is not closed at position 5/));
		assert.throws(() => parseJsonBody('{a:1}'), inputError('body', /unexpected "a" where a property name in double quotes was expected at position 1/));
		assert.throws(() => parseJsonBody('01'), inputError('body', /unexpected "1" where the end of the body was expected at position 1/));
		assert.throws(() => parseJsonBody('webhook_id=5'), inputError('body', /unexpected "w" where a value was expected at position 0/));
		assert.throws(() => parseJsonBody('"\\x"'), inputError('body', /bad escape sequence in a string at position 1/));
		assert.throws(() => parseJsonBody('"a\u0001"'), inputError('body', /control character must be escaped inside a string at position 2/));
	});

	it('refuses empty, non-UTF-8 and too deeply nested bodies with an InputError', () => {
		assert.throws(() => parseJsonBody(''), inputError('body', /is empty/));
		assert.throws(() => parseJsonBody(Buffer.from(' \n ')), inputError('body', /is empty/));
		assert.throws(() => parseJsonBody(Buffer.from([0x7b, 0xff, 0x7d])), inputError('body', /is not UTF-8 text/));
		const ok = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
		assert.ok(Array.isArray(parseJsonBody(ok)));
		const deep = '['.repeat(100_000) + ']'.repeat(100_000);
		assert.throws(() => parseJsonBody(deep), inputError('body', new RegExp(`nests deeper than ${MAX_JSON_DEPTH} levels at position ${MAX_JSON_DEPTH}`)));
		// brackets inside strings do not count
		assert.equal(parseJsonBody(JSON.stringify('['.repeat(1000))), '['.repeat(1000));
	});
});

describe('locateSyntaxError', () => {
	it('agrees with JSON.parse on what is valid', () => {
		const samples = ['{}', '[]', '1', '-0.5e+3', '"\\u00e9"', ' true ', 'null', '{"a":[1,{"b":null}]}', '1.', '-', '.5', '[1 2]', '{"a" 1}', 'nul', '"\\u12"', '{"a":1,}', ''];
		for (const text of samples) {
			let valid = true;
			try {
				JSON.parse(text);
			} catch {
				valid = false;
			}
			assert.equal(locateSyntaxError(text) === undefined, valid, text);
		}
	});
});

describe('parseJsonBody properties', () => {
	it('equals JSON.parse, with exactly the unsafe integer literals as digit strings', () => {
		const bigOrJson = fc.oneof(
			fc.bigInt({ min: -(10n ** 22n), max: 10n ** 22n }).map((n) => ({ text: `${n}`, value: Number.isSafeInteger(Number(n)) ? Number(n) : `${n}` })),
			fc.jsonValue({ maxDepth: 3 }).map((v) => {
				const text = JSON.stringify(v) ?? 'null';
				// the oracle: JSON.parse, then unsafe integers written as plain digits become those digits
				const value = JSON.parse(text, (_k, n: unknown) =>
					typeof n === 'number' && Number.isInteger(n) && !Number.isSafeInteger(n) && /^-?\d+$/.test(`${n}`) ? `${n}` : n,
				) as unknown;
				return { text, value };
			}),
		);
		fc.assert(
			fc.property(fc.array(bigOrJson, { maxLength: 6 }), fc.boolean(), (parts, asObject) => {
				const text = asObject
					? `{${parts.map((p, i) => `"k${i}": ${p.text}`).join(',\n')}}`
					: `[${parts.map((p) => p.text).join(', ')}]`;
				const expected = asObject ? Object.fromEntries(parts.map((p, i) => [`k${i}`, p.value])) : parts.map((p) => p.value);
				assert.deepEqual(parseJsonBody(text), expected);
				assert.deepEqual(parseJsonBody(Buffer.from(text)), expected);
			}),
			{ numRuns: 300 },
		);
	});

	it('refuses exactly what JSON.parse refuses, always with an InputError', () => {
		const nearJson = fc.oneof(
			fc.json({ maxDepth: 3 }),
			fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.string({ maxLength: 3 })).map(([t, at, junk]) => t.slice(0, at % (t.length + 1)) + junk + t.slice(at % (t.length + 1))),
			fc.string({ maxLength: 30 }),
		);
		fc.assert(
			fc.property(nearJson, (text) => {
				let valid = true;
				try {
					JSON.parse(text);
				} catch {
					valid = false;
				}
				try {
					parseJsonBody(text);
					assert.ok(valid, `parseJsonBody accepted ${JSON.stringify(text)}`);
				} catch (error) {
					assert.ok(error instanceof InputError, String(error));
					assert.ok(!valid || text.trim() === '', `parseJsonBody refused ${JSON.stringify(text)}: ${(error as Error).message}`);
					if (text.trim() !== '') assert.match(error.message, /at position \d+ \(line \d+, column \d+\)/);
				}
				if (text.trim() !== '') assert.equal(locateSyntaxError(text) === undefined, valid, text);
			}),
			{ numRuns: 1000 },
		);
	});
});
