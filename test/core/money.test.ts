import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { InputError } from '../../core/errors';
import { compareAmounts, currencyExponent, fromMinor, normalizeCurrency, normalizeDecimal, toMinor } from '../../core/money';

describe('money', () => {
	it('knows minor units per currency', () => {
		assert.equal(currencyExponent('EUR'), 2);
		assert.equal(currencyExponent('JPY'), 0);
		assert.equal(currencyExponent('KWD'), 3);
	});

	it('converts decimal strings to minor units without floats', () => {
		assert.equal(toMinor('404.95', 'USD'), 40495n);
		assert.equal(toMinor('0.1', 'EUR') + toMinor('0.2', 'EUR'), 30n);
		assert.equal(toMinor('1500', 'JPY'), 1500n);
		assert.equal(toMinor('1.005', 'EUR'), 101n, 'half rounds away from zero');
		assert.equal(toMinor('-2.50', 'EUR'), -250n);
		assert.equal(toMinor('90071992547409.91', 'EUR'), 9007199254740991n, 'the largest amount stored exactly');
		assert.throws(() => toMinor('99999999999999999.99', 'EUR', 'order.total'), (e: unknown) => e instanceof InputError && e.field === 'order.total');
	});

	it('formats minor units back', () => {
		assert.equal(fromMinor(40495n, 'USD'), '404.95');
		assert.equal(fromMinor(5, 'EUR'), '0.05');
		assert.equal(fromMinor(-250, 'EUR'), '-2.50');
		assert.equal(fromMinor(1500, 'JPY'), '1500');
	});

	it('reads vendor numbers through their decimal text', () => {
		assert.equal(normalizeDecimal(18), '18');
		assert.equal(normalizeDecimal(18.5), '18.5');
		assert.equal(normalizeDecimal(1e21), '1000000000000000000000');
		assert.equal(normalizeDecimal(5e-7), '0.0000005');
		assert.equal(normalizeDecimal(' 19.99 '), '19.99');
	});

	it('compares amounts exactly', () => {
		assert.equal(compareAmounts('1000.00', '1000', 'EUR'), 0);
		assert.equal(compareAmounts('1000.01', '1000', 'EUR'), 1);
		assert.equal(compareAmounts('999.99', '1000', 'EUR'), -1);
	});

	it('rejects what is not money, naming the field', () => {
		for (const bad of ['abc', '1,5', '', '1e5', NaN, Infinity, null, {}, []]) {
			assert.throws(() => normalizeDecimal(bad, 'order.total'), (e: unknown) => e instanceof InputError && e.field === 'order.total');
		}
		assert.throws(() => normalizeCurrency('euro'), (e: unknown) => e instanceof InputError && e.field === 'currency');
		assert.equal(normalizeCurrency(' eur '), 'EUR');
	});
});

describe('money input from JSON', () => {
	it('names the field for objects that are not currency codes', () => {
		assert.throws(() => normalizeCurrency({ toString: 1 }, 'order.currency'), (e: unknown) => e instanceof InputError && e.field === 'order.currency');
	});
});
