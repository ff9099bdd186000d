/**
 * The Repeatability Guard's control group: a pure function of activity and customer id, so every
 * worker and every run holds out the same customers, in the proportion asked for.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { InputError } from '../../core/errors';
import { controlDraw, controlPercent, inControlGroup, prepareGuard } from '../../core/guard';

const ids = (n: number, first = 0) => Array.from({ length: n }, (_, i) => String(first + i));

describe('control group', () => {
	it('draws from SHA-256 of activity, NUL, customer id: the first 32 bits over 2^32', () => {
		// Digests from coreutils: printf 'welcome\0%s' c1 | sha256sum
		assert.equal(controlDraw('welcome', 'c1'), 0x454187b5 / 2 ** 32);
		assert.equal(controlDraw('welcome', 'c2'), 0x31875dbf / 2 ** 32);
		assert.equal(controlDraw('welcome', '42'), 0x14d6bcc1 / 2 ** 32);
	});

	it('holds out the same customers in every process: fixed members at 10 % and 20 %', () => {
		const c = Array.from({ length: 40 }, (_, i) => `c${i}`);
		// Computed with Python's hashlib, not with this code.
		assert.deepEqual(
			c.filter((id) => inControlGroup('welcome', id, 10)),
			['c4', 'c15', 'c16', 'c17', 'c22', 'c39'],
		);
		assert.deepEqual(
			c.filter((id) => inControlGroup('welcome', id, 20)),
			['c2', 'c4', 'c10', 'c14', 'c15', 'c16', 'c17', 'c21', 'c22', 'c24', 'c29', 'c39'],
		);
	});

	it('10,000 customers at 10 % hold out 10 % ± 1 point, in every activity', () => {
		for (const activity of ['welcome', 'birthday', 'win-back']) {
			const held = ids(10_000, 7_000_000).filter((id) => inControlGroup(activity, id, 10)).length;
			assert.ok(held >= 900 && held <= 1100, `${activity}: ${held} of 10,000`);
		}
	});

	it('raising the percentage from 10 to 20 keeps every customer held out at 10', () => {
		const customers = ids(10_000);
		const at10 = customers.filter((id) => inControlGroup('welcome', id, 10));
		const at20 = new Set(customers.filter((id) => inControlGroup('welcome', id, 20)));
		assert.ok(at10.length > 900);
		assert.ok(at20.size > 1900 && at20.size < 2100, `${at20.size} of 10,000 at 20 %`);
		assert.deepEqual(at10.filter((id) => !at20.has(id)), []);
	});

	it('activities draw independently: the control groups of two activities barely overlap', () => {
		const customers = ids(10_000);
		const a = new Set(customers.filter((id) => inControlGroup('welcome', id, 10)));
		const both = customers.filter((id) => a.has(id) && inControlGroup('birthday', id, 10)).length;
		// Independent draws share about 1 % of customers (10 % of 10 %), not 10 %.
		assert.ok(both > 50 && both < 150, `${both} in both`);
	});

	it('0 % holds out nobody; a request is marked only when held out', () => {
		assert.equal(ids(1000).some((id) => inControlGroup('welcome', id, 0)), false);
		const base = { activity: 'welcome', key: 'e1', policy: 'once' };
		assert.equal(prepareGuard({ ...base, customerId: 'c4', controlPercent: 10 }).holdOut, true);
		assert.equal('holdOut' in prepareGuard({ ...base, customerId: 'c4' }), false);
		assert.equal('holdOut' in prepareGuard({ ...base, customerId: 'c1', controlPercent: 10 }), false);
	});

	it('refuses a percentage outside 0 to 99.9 with what to enter', () => {
		for (const bad of [100, -1, 'ten', Number.NaN, {}]) {
			assert.throws(
				() => controlPercent(bad),
				(e: unknown) => e instanceof InputError && e.field === 'controlGroup' && /percentage from 0 to 99\.9/.test(e.message) && /10 for 10 %/.test(e.hint ?? ''),
				String(bad),
			);
		}
		assert.deepEqual([controlPercent(undefined), controlPercent(''), controlPercent('12.5'), controlPercent(99.9)], [0, 0, 12.5, 99.9]);
	});
});
