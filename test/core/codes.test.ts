import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { codeKey, invisibleIn, splitRepeats } from '../../core/codes';

describe('codeKey: when two codes are the same code', () => {
	it('ignores case without changing letters: ß stays ß', () => {
		assert.equal(codeKey('Straße10'), 'straße10');
		assert.equal(codeKey('STRAẞE10'), 'straße10');
		assert.notEqual(codeKey('STRASSE10'), codeKey('Straße10'));
		assert.equal(codeKey('ÄPFEL'), 'äpfel');
	});

	it('folds full-width and compatibility forms (NFKC), drops invisible characters, trims', () => {
		for (const twin of ['ＳＵＭＭＥＲ10', 'SUMMER10\u200b', '\u2060summer\u200d10', 'SUM\u00adMER10', '\ufeffSummer10', ' summer10\u3000']) {
			assert.equal(codeKey(twin), 'summer10', JSON.stringify(twin));
		}
	});

	it('names the first invisible character of a code', () => {
		assert.equal(invisibleIn('SUMMER10\u200b'), 'U+200B');
		assert.equal(invisibleIn('A\u00adB'), 'U+00AD');
		assert.equal(invisibleIn('Straße10'), undefined);
	});
});

describe('splitRepeats: the first of each code, and the repeats', () => {
	it('keeps input order and the first spelling', () => {
		assert.deepEqual(splitRepeats(['summer10', 'A1', 'SUMMER10', 'a1', 'ＳＵＭＭＥＲ10', 'B2']), {
			unique: ['summer10', 'A1', 'B2'],
			repeats: ['SUMMER10', 'a1', 'ＳＵＭＭＥＲ10'],
		});
	});

	it('takes linear time: 100,000 codes in under two seconds', () => {
		const codes = Array.from({ length: 100_000 }, (_, i) => `BULK-${i % 75_000}`);
		const started = process.hrtime.bigint();
		const { unique, repeats } = splitRepeats(codes);
		const ms = Number(process.hrtime.bigint() - started) / 1e6;
		assert.deepEqual([unique.length, repeats.length, repeats[0]], [75_000, 25_000, 'BULK-0']);
		assert.ok(ms < 2_000, `${Math.round(ms)} ms`);
	});
});
