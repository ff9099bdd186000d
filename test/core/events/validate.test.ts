import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { EVENT_TYPES, OCCASION_TYPES } from '../../../core/event';
import { InputError } from '../../../core/errors';
import { validateEvent } from '../../../core/events/validate';

function inputError(field: string, pattern?: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
		assert.equal(error.field, field);
		if (pattern) assert.match(error.message, pattern);
		return true;
	};
}

/** A generic order event as a user would POST it, with values in many accepted shapes. */
function orderPayload(): Record<string, unknown> {
	return {
		id: 'ord-1001-placed',
		type: 'order.placed',
		occurredAt: '2026-05-01T11:00:00+02:00',
		customer: {
			id: 42,
			email: '  Jane.Doe@Example.COM ',
			phone: '+49 30 1234567',
			firstName: 'Jane',
			lastName: 'Doe',
			birthday: '--05-17',
			timezone: 'europe/berlin',
			locale: 'de_DE',
			acceptsMarketing: true,
		},
		order: {
			id: 1001,
			total: 59.9,
			currency: 'eur',
			couponCodes: ['WELCOME10', ' WELCOME10 ', ''],
			lines: [
				{ productId: 7, sku: 'TEE-M', name: 'T-shirt', categories: ['Shirts', 'Sale'], quantity: 2, price: '19.95' },
				{ productId: '8', quantity: '1', price: 20 },
			],
			status: 'Paid',
		},
		unknownField: 'dropped',
	};
}

describe('validateEvent', () => {
	it('normalizes a generic order event', () => {
		assert.deepEqual(validateEvent(orderPayload()), {
			id: 'ord-1001-placed',
			type: 'order.placed',
			occurredAt: '2026-05-01T09:00:00.000Z',
			source: 'generic',
			customer: {
				id: '42',
				email: 'jane.doe@example.com',
				phone: '+49 30 1234567',
				firstName: 'Jane',
				lastName: 'Doe',
				birthday: '--05-17',
				timezone: 'Europe/Berlin',
				locale: 'de-DE',
				acceptsMarketing: true,
			},
			order: {
				id: '1001',
				total: '59.9',
				currency: 'EUR',
				couponCodes: ['WELCOME10'],
				promotions: [],
				lines: [
					{ productId: '7', sku: 'TEE-M', name: 'T-shirt', categories: ['Shirts', 'Sale'], quantity: 2, price: '19.95' },
					{ productId: '8', categories: [], quantity: 1, price: '20' },
				],
				status: 'paid',
			},
		});
	});

	it('is idempotent', () => {
		const once = validateEvent(orderPayload());
		assert.deepEqual(validateEvent(once), once);
		assert.deepEqual(validateEvent(JSON.parse(JSON.stringify(once))), once);
	});

	it('keeps the minimal event minimal', () => {
		assert.deepEqual(validateEvent({ id: 'e1', type: 'customer.registered', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c1' } }), {
			id: 'e1',
			type: 'customer.registered',
			occurredAt: '2026-01-01T00:00:00.000Z',
			source: 'generic',
			customer: { id: 'c1' },
		});
	});

	it('reads occurredAt with any offset into UTC with milliseconds', () => {
		const at = (occurredAt: string) => validateEvent({ id: 'e', type: 'page.visited', occurredAt, customer: { id: 'c' }, page: { url: 'https://shop.example.com/' } }).occurredAt;
		assert.equal(at('2021-12-31T19:00:00-05:00'), '2022-01-01T00:00:00.000Z');
		assert.equal(at('2026-03-29T02:30:00+0530'), '2026-03-28T21:00:00.000Z');
		assert.equal(at('2026-03-29 02:30+01'), '2026-03-29T01:30:00.000Z');
		assert.equal(at('2025-07-10T16:15:47.123456Z'), '2025-07-10T16:15:47.123Z');
		assert.equal(at('2024-02-29T23:59:59.9z'), '2024-02-29T23:59:59.900Z');
		assert.throws(() => at('2026-05-01T09:00:00'), inputError('occurredAt', /has no time zone offset/));
		assert.throws(() => at('2026-05-01'), inputError('occurredAt', /is not an ISO 8601 date and time/));
		assert.throws(() => at('2023-02-29T00:00:00Z'), inputError('occurredAt', /is not a calendar date/));
		assert.throws(() => at('2026-05-01T24:00:00Z'), inputError('occurredAt', /is not a time of day/));
		assert.throws(() => at('yesterday'), inputError('occurredAt'));
		assert.throws(() => validateEvent({ id: 'e', type: 'customer.updated', occurredAt: 1714550400000, customer: { id: 'c' } }), inputError('occurredAt', /expected a date and time, got 1714550400000/));
	});

	it('names the path of a bad field', () => {
		const DELETE = Symbol('delete');
		/** validateEvent on orderPayload() with the value at `path` replaced (or deleted). */
		const bad = (path: Array<string | number>, value: unknown) => {
			const payload = orderPayload();
			let parent = payload as Record<string | number, unknown>;
			for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
			const last = path[path.length - 1];
			if (value === DELETE) delete parent[last];
			else parent[last] = value;
			return () => validateEvent(payload);
		};
		assert.throws(bad(['order', 'lines', 2], { productId: 'x', quantity: 1, price: 'free' }), inputError('order.lines[2].price', /"free" is not a decimal amount/));
		assert.throws(bad(['order', 'lines', 1, 'quantity'], -1), inputError('order.lines[1].quantity', /is not a whole number/));
		assert.throws(bad(['order', 'lines', 0, 'quantity'], 1.5), inputError('order.lines[0].quantity'));
		assert.throws(bad(['order', 'lines', 0, 'productId'], DELETE), inputError('order.lines[0].productId', /is required/));
		assert.throws(bad(['order', 'lines', 0, 'categories'], 'Shirts'), inputError('order.lines[0].categories', /expected a list/));
		assert.throws(bad(['order', 'lines', 0, 'categories'], ['ok', {}]), inputError('order.lines[0].categories[1]', /expected text/));
		assert.throws(bad(['order', 'lines'], {}), inputError('order.lines', /expected a list of lines/));
		assert.throws(bad(['order', 'lines', 0], 'tee'), inputError('order.lines[0]', /expected an object/));
		assert.throws(bad(['order', 'currency'], 'euro'), inputError('order.currency', /not a currency code/));
		assert.throws(bad(['order', 'currency'], ['EUR']), inputError('order.currency', /expected a currency code, got a list/));
		assert.throws(bad(['order', 'total'], DELETE), inputError('order.total', /is required/));
		assert.throws(bad(['order', 'couponCodes'], 'WELCOME10'), inputError('order.couponCodes'));
		assert.throws(bad(['customer', 'email'], 'jane at example.com'), inputError('customer.email', /is not an email address/));
		assert.throws(bad(['customer', 'birthday'], '1990-02-29'), inputError('customer.birthday', /is not a birthday/));
		assert.throws(bad(['customer', 'timezone'], 'Mars/Olympus'), inputError('customer.timezone', /is not a time zone/));
		assert.throws(bad(['customer', 'timezone'], 'UTC+99'), inputError('customer.timezone'));
		assert.throws(bad(['customer', 'timezone'], 7), inputError('customer.timezone'));
		assert.throws(bad(['customer', 'locale'], 'not a locale!'), inputError('customer.locale'));
		assert.throws(bad(['customer', 'acceptsMarketing'], 'yes'), inputError('customer.acceptsMarketing', /expected true or false/));
		assert.throws(bad(['customer', 'id'], ''), inputError('customer.id', /is required/));
		assert.throws(bad(['customer'], 'c1'), inputError('customer', /expected an object/));
		assert.throws(bad(['order', 'refunded'], '-1.00'), inputError('order.refunded', /below zero/));
		assert.throws(bad(['order', 'refunded'], '1000000'), inputError('order.refunded', /more than the order total/));
		assert.throws(() => validateEvent({ ...orderPayload(), type: 'customer.updated', order: undefined, customer: undefined }), inputError('customer', /is required/));
		assert.throws(bad(['id'], DELETE), inputError('id', /is required/));
		assert.throws(bad(['id'], 1.5), inputError('id', /not a whole number/));
		assert.throws(bad(['id'], 820982911946154508), inputError('id', /above 2\^53 and has lost digits/));
		assert.throws(bad(['source'], 'magento'), inputError('source', /is not an event source/));
		assert.throws(bad(['order'], DELETE), inputError('order', /is required for order.placed events/));
		assert.throws(bad(['id'], 'x'.repeat(321)), inputError('id', /321 characters long; at most 320/));
		assert.throws(bad(['order', 'couponCodes'], ['C'.repeat(256)]), inputError('order.couponCodes[0]', /at most 255/));
	});

	it('lists the allowed types for an unknown type', () => {
		assert.throws(
			() => validateEvent({ id: 'e', type: 'order.shipped', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c' } }),
			(error: unknown) => {
				assert.ok(error instanceof InputError);
				assert.equal(error.field, 'type');
				assert.match(error.message, /"order.shipped" is not an event type/);
				for (const type of [...EVENT_TYPES, ...OCCASION_TYPES]) assert.ok(error.hint?.includes(type), type);
				return true;
			},
		);
		assert.throws(() => validateEvent({ id: 'e', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c' } }), inputError('type', /is required/));
		assert.equal(validateEvent({ id: 'e', type: ' Customer.Birthday ', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c' } }).type, 'customer.birthday');
	});

	it('refuses what is not an event object', () => {
		for (const value of [null, undefined, 'event', 42, [], [{ id: 'e' }]]) {
			assert.throws(() => validateEvent(value), inputError('event', /expected an object/));
		}
	});

	it('checks the other parts of an event', () => {
		const base = { id: 'e', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c' } };
		assert.deepEqual(
			validateEvent({ ...base, type: 'cart.updated', cart: { id: 'cart-9', total: '10', currency: 'usd', lines: [], recoveryUrl: 'https://shop.example.com/cart/9' } }).cart,
			{ id: 'cart-9', total: '10', currency: 'USD', lines: [], recoveryUrl: 'https://shop.example.com/cart/9' },
		);
		assert.throws(() => validateEvent({ ...base, type: 'cart.updated', cart: { id: 'c', total: '1', currency: 'USD', recoveryUrl: 'javascript:alert(1)' } }), inputError('cart.recoveryUrl'));
		assert.throws(() => validateEvent({ ...base, type: 'cart.updated' }), inputError('cart', /is required for cart.updated/));
		assert.deepEqual(validateEvent({ ...base, type: 'cart.item_added', product: { id: 5, name: 'Mug' } }).product, { id: '5', name: 'Mug', categories: [] });
		assert.throws(() => validateEvent({ ...base, type: 'cart.item_added' }), inputError('cart', /is required for cart.item_added events that have no product/));
		assert.deepEqual(validateEvent({ ...base, type: 'page.visited', page: { url: 'https://shop.example.com/sale' } }).page, { url: 'https://shop.example.com/sale' });
		assert.throws(() => validateEvent({ ...base, type: 'page.visited', page: { url: '/sale' } }), inputError('page.url', /is not a web address/));
		assert.deepEqual(validateEvent({ ...base, type: 'subscription.changed', subscription: { status: 'unsubscribed', list: 'news' } }).subscription, { status: 'unsubscribed', list: 'news' });
		assert.throws(() => validateEvent({ ...base, type: 'subscription.changed', subscription: {} }), inputError('subscription.status', /is required/));
		assert.deepEqual(validateEvent({ ...base, type: 'email.interacted', email: { action: 'clicked', campaign: 'spring', link: 'https://x.example/a' } }).email, { action: 'clicked', campaign: 'spring', link: 'https://x.example/a' });
		assert.deepEqual(validateEvent({ ...base, type: 'social.participated', social: { kind: 'review' } }).social, { kind: 'review' });
		assert.throws(() => validateEvent({ ...base, type: 'product.viewed', product: { name: 'Mug' } }), inputError('product.id', /is required/));
		assert.equal(validateEvent({ ...base, type: 'customer.lapsed', source: 'ledger' }).source, 'ledger');
		assert.equal(validateEvent({ ...base, type: 'customer.lapsed' }, { defaultSource: 'shopify' }).source, 'shopify');
	});

	it('takes a product.updated without a customer, with all its categories, and refuses one that lists none', () => {
		const noCustomer = { id: 'e', occurredAt: '2026-01-01T00:00:00Z' };
		const updated = validateEvent({ ...noCustomer, type: 'product.updated', product: { id: 8012345678901, name: 'Dino hoodie', categories: ['Boys', ' Hoodies '] } });
		assert.equal(updated.customer, undefined);
		assert.deepEqual(updated.product, { id: '8012345678901', name: 'Dino hoodie', categories: ['Boys', 'Hoodies'] });
		assert.deepEqual(validateEvent({ ...noCustomer, type: 'product.updated', product: { id: 'p-1', categories: [] } }).product, { id: 'p-1', categories: [] });
		assert.throws(() => validateEvent({ ...noCustomer, type: 'product.updated', product: { id: 'p-1' } }), inputError('product.categories', /is required for product.updated/));
		assert.throws(() => validateEvent({ ...noCustomer, type: 'product.updated' }), inputError('product', /is required for product.updated/));
		assert.throws(
			() => validateEvent({ ...noCustomer, type: 'product.updated', product: { id: 'p-1', categories: ['x'.repeat(256)] } }),
			inputError('product.categories[0]', /at most 255/),
		);
	});

	it('treats null and empty optional fields as absent', () => {
		const event = validateEvent({
			id: ' e1 ',
			type: 'customer.updated',
			occurredAt: '2026-01-01T00:00:00Z',
			customer: { id: 'c', email: '', phone: null, firstName: '  ', birthday: null, timezone: '', locale: null, acceptsMarketing: null, registeredAt: '' },
			order: null,
			page: '',
		});
		assert.deepEqual(event, { id: 'e1', type: 'customer.updated', occurredAt: '2026-01-01T00:00:00.000Z', source: 'generic', customer: { id: 'c' } });
	});

	it('accepts the birthday forms of core/birthdays and reads registeredAt', () => {
		const customer = (extra: Record<string, unknown>) =>
			validateEvent({ id: 'e', type: 'customer.updated', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c', ...extra } }).customer;
		assert.equal(customer({ birthday: '1990-05-17' })?.birthday, '1990-05-17');
		assert.equal(customer({ birthday: '05-17' })?.birthday, '--05-17');
		assert.equal(customer({ birthday: '--02-29' })?.birthday, '--02-29');
		assert.equal(customer({ birthday: '2000-02-29' })?.birthday, '2000-02-29');
		assert.equal(customer({ registeredAt: '2025-12-31T23:00:00-01:00' })?.registeredAt, '2026-01-01T00:00:00.000Z');
		assert.equal(customer({ birthday: '1990-05-17T00:00:00Z' })?.birthday, '1990-05-17');
		assert.equal(customer({ birthday: { month: 5, day: 17 } })?.birthday, '--05-17');
		assert.equal(customer({ timezone: 'UTC' })?.timezone, 'UTC');
		assert.equal(customer({ timezone: 'america/new_york' })?.timezone, 'America/New_York');
	});

	it('never reads inherited properties or calls a value\'s own toString', () => {
		const payload = JSON.parse('{"id":"e","type":"customer.updated","occurredAt":"2026-01-01T00:00:00Z","customer":{"id":{"toString":1},"__proto__":{"email":"x@y.z"}}}') as unknown;
		assert.throws(() => validateEvent(payload), inputError('customer.id', /expected an id, got an object/));
		const inherited = JSON.parse('{"id":"e","type":"order.placed","occurredAt":"2026-01-01T00:00:00Z","customer":{"id":"c"},"order":{"id":"o","total":"1","currency":{"toString":1}}}') as unknown;
		assert.throws(() => validateEvent(inherited), inputError('order.currency', /got an object/));
	});

	it('refuses a negative order total, cart total or line price, naming the field', () => {
		const withOrder = (order: Record<string, unknown>) => ({ ...orderPayload(), order: { ...(orderPayload().order as object), ...order } });
		assert.throws(() => validateEvent(withOrder({ total: '-409.94' })), inputError('order.total', /-409.94 is below zero/));
		assert.throws(() => validateEvent(withOrder({ total: -1 })), inputError('order.total', /below zero/));
		assert.throws(
			() => validateEvent(withOrder({ lines: [{ productId: 'p', quantity: 1, price: '-5.00' }] })),
			inputError('order.lines[0].price', /below zero/),
		);
		const cart = { id: 'e', type: 'cart.updated', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c' } };
		assert.throws(() => validateEvent({ ...cart, cart: { id: 'k', total: '-1', currency: 'EUR' } }), inputError('cart.total', /below zero/));
		assert.equal(validateEvent(withOrder({ total: '-0.00' })).order?.total, '0.00');
		assert.equal(validateEvent(withOrder({ total: '0' })).order?.total, '0');
	});

	it('accepts ISO 4217 currencies of payment only', () => {
		const withCurrency = (currency: unknown) => ({ ...orderPayload(), order: { ...(orderPayload().order as object), currency } });
		for (const code of ['XXX', 'ZZZ', 'XTS', 'XAU', 'xdr', 'ABC']) {
			assert.throws(() => validateEvent(withCurrency(code)), inputError('order.currency', /is not an ISO 4217 currency of payment/), code);
		}
		for (const code of ['EUR', 'usd', 'JPY', 'KWD', 'CHF', 'XOF', 'XCG']) {
			assert.equal(validateEvent(withCurrency(code)).order?.currency, code.toUpperCase());
		}
		const error = (() => {
			try {
				validateEvent(withCurrency('ZZZ'));
			} catch (e) {
				return e as InputError;
			}
			return undefined;
		})();
		assert.match(error?.hint ?? '', /ISO 4217 code/);
	});

	it('accepts times from 1900 up to a day after now, and birth years from 1900 to this year', () => {
		const now = Date.parse('2026-05-01T09:00:00Z');
		const at = (occurredAt: string, customer: Record<string, unknown> = {}) =>
			validateEvent({ id: 'e', type: 'customer.updated', occurredAt, customer: { id: 'c', ...customer } }, { now });
		assert.throws(() => at('0000-01-01T00:00:00Z'), inputError('occurredAt', /before 1900/));
		assert.throws(() => at('1899-12-31T23:59:59Z'), inputError('occurredAt', /before 1900/));
		assert.throws(() => at('9999-12-31T00:00:00Z'), inputError('occurredAt', /more than a day after now \(2026-05-01T09:00:00.000Z\)/));
		assert.throws(() => at('2026-05-02T09:00:01Z'), inputError('occurredAt', /more than a day after now/));
		assert.equal(at('2026-05-02T09:00:00Z').occurredAt, '2026-05-02T09:00:00.000Z', 'a sender clock up to a day ahead');
		assert.equal(at('1900-01-01T00:00:00Z').occurredAt, '1900-01-01T00:00:00.000Z');
		assert.throws(() => at('2026-01-01T00:00:00Z', { registeredAt: '9999-01-01T00:00:00Z' }), inputError('customer.registeredAt', /after now/));
		assert.throws(() => at('2026-01-01T00:00:00Z', { birthday: '9999-05-17' }), inputError('customer.birthday', /9999 is not a birth year from 1900 to 2026/));
		assert.throws(() => at('2026-01-01T00:00:00Z', { birthday: '0001-05-17' }), inputError('customer.birthday', /birth year/));
		assert.equal(at('2026-01-01T00:00:00Z', { birthday: '2026-01-17' }).customer?.birthday, '2026-01-17');
		assert.throws(() => validateEvent({ id: 'e', type: 'customer.updated', occurredAt: '9999-01-01T00:00:00Z', customer: { id: 'c' } }), inputError('occurredAt'), 'the system clock by default');
	});

	it('refuses a NUL or an unpaired surrogate in an id, email, label or URL, naming the field', () => {
		const withOrder = (order: Record<string, unknown>, customer: Record<string, unknown> = {}) => ({
			...orderPayload(),
			customer: { id: 'c', ...customer },
			order: { ...(orderPayload().order as object), ...order },
		});
		const nul = (field: string) => inputError(field, /contains a NUL character/);
		const surrogate = (field: string) => inputError(field, /unpaired UTF-16 surrogate/);
		assert.throws(() => validateEvent({ ...orderPayload(), id: 'evt\u00001' }), nul('id'));
		assert.throws(() => validateEvent(withOrder({}, { id: 'c\u0000' })), nul('customer.id'));
		assert.throws(() => validateEvent(withOrder({}, { id: 'c\uD800' })), surrogate('customer.id'));
		assert.throws(() => validateEvent(withOrder({}, { email: 'a\u0000@example.com' })), nul('customer.email'));
		assert.throws(() => validateEvent(withOrder({ id: 'o\uDC00x' })), surrogate('order.id'));
		assert.throws(() => validateEvent(withOrder({ couponCodes: ['WELCOME\u000010'] })), nul('order.couponCodes[0]'));
		assert.throws(() => validateEvent(withOrder({ lines: [{ productId: 'p', categories: ['Boys', 'Sh\u0000oes'], quantity: 1, price: '1' }] })), nul('order.lines[0].categories[1]'));
		const cart = { id: 'e', type: 'cart.updated', occurredAt: '2026-01-01T00:00:00Z', customer: { id: 'c' } };
		assert.throws(() => validateEvent({ ...cart, cart: { id: 'k', total: '1', currency: 'EUR', recoveryUrl: 'https://shop.example/\u0000' } }), nul('cart.recoveryUrl'));
		assert.equal(validateEvent(withOrder({}, { id: 'c-\uD83D\uDE00' })).customer?.id, 'c-\uD83D\uDE00', 'a paired surrogate is a character');
	});

	it('free text drops NUL characters and turns unpaired surrogates into U+FFFD', () => {
		const event = validateEvent({
			...orderPayload(),
			customer: { id: 'c', firstName: 'Ja\u0000ne', lastName: 'D\uD800oe', phone: '\u0000' },
			order: { ...(orderPayload().order as object), status: 'pa\u0000id', lines: [{ productId: 'p', name: 'Tee\u0000', sku: 'T\uDC00', quantity: 1, price: '1' }] },
		});
		assert.deepEqual(event.customer, { id: 'c', firstName: 'Jane', lastName: 'D\uFFFDoe' });
		assert.equal(event.order?.status, 'paid');
		assert.deepEqual(event.order?.lines[0], { productId: 'p', name: 'Tee', sku: 'T\uFFFD', categories: [], quantity: 1, price: '1' });
		assert.deepEqual(validateEvent(event), event);
	});

	it('bounds every field, with a short message that never repeats the value', () => {
		const huge = 'x'.repeat(1_000_000);
		const withOrder = (order: Record<string, unknown>, customer: Record<string, unknown> = {}) => ({
			...orderPayload(),
			customer: { id: 'c', ...customer },
			order: { ...(orderPayload().order as object), ...order },
		});
		const tooLong = (field: string, max: number) => (error: unknown) => {
			inputError(field, new RegExp(`is 1000000 characters long; at most ${max} are allowed`))(error);
			assert.ok((error as Error).message.length < 200, 'a short message');
			return true;
		};
		assert.throws(() => validateEvent(withOrder({}, { firstName: huge })), tooLong('customer.firstName', 1024));
		assert.throws(() => validateEvent(withOrder({}, { id: huge })), tooLong('customer.id', 320));
		assert.throws(() => validateEvent(withOrder({}, { email: `${huge}@example.com` })), inputError('customer.email', /at most 254/));
		assert.throws(() => validateEvent(withOrder({ id: huge })), tooLong('order.id', 320));
		assert.throws(() => validateEvent(withOrder({ total: '1'.repeat(1_000_000) })), tooLong('order.total', 64));
		assert.throws(() => validateEvent(withOrder({ couponCodes: [huge] })), tooLong('order.couponCodes[0]', 255));
		assert.throws(() => validateEvent(withOrder({ currency: huge })), (error: unknown) => inputError('order.currency')(error) && (error as Error).message.length < 200);
		assert.throws(() => validateEvent({ ...orderPayload(), occurredAt: huge }), (error: unknown) => inputError('occurredAt')(error) && (error as Error).message.length < 200);
		const line = { productId: 'p', quantity: 1, price: '1' };
		assert.throws(() => validateEvent(withOrder({ lines: Array.from({ length: 5001 }, () => line) })), inputError('order.lines', /has 5001 lines; at most 5000/));
		assert.throws(() => validateEvent(withOrder({ couponCodes: Array.from({ length: 1001 }, (_, i) => `C${i}`) })), inputError('order.couponCodes', /at most 1000/));
		assert.equal(validateEvent(withOrder({ lines: Array.from({ length: 5000 }, () => line) })).order?.lines.length, 5000);
	});
});
