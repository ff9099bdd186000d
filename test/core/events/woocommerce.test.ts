import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors';
import { decodeHtmlEntities, wpSpecialcharsDecode } from '../../../core/events/html';
import { UnsupportedTopicError } from '../../../core/events/unsupported';
import { validateEvent } from '../../../core/events/validate';
import { WOOCOMMERCE_TOPICS, normalizeWooCommerce } from '../../../core/events/woocommerce';
import { fixture, type Json } from './helpers';

function inputError(field: string, pattern?: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
		assert.equal(error.field, field);
		if (pattern) assert.match(error.message, pattern);
		return true;
	};
}

const order = () => fixture('woocommerce-order-created.json');
const customer = () => fixture('woocommerce-customer-created.json');

describe('normalizeWooCommerce: orders', () => {
	it('order.created: the sample guest order', () => {
		const event = normalizeWooCommerce('order.created', order(), {});
		assert.deepEqual(event, {
			id: 'woocommerce:order.created:727',
			type: 'order.placed',
			// date_created_gmt "2017-03-22T19:28:02" is UTC; date_created is site-local (UTC-3)
			occurredAt: '2017-03-22T19:28:02.000Z',
			source: 'woocommerce',
			customer: {
				id: 'email:john.doe@example.com',
				email: 'john.doe@example.com',
				phone: '(555) 555-5555',
				firstName: 'John',
				lastName: 'Doe',
			},
			order: {
				id: '727',
				total: '29.35',
				currency: 'USD',
				couponCodes: [],
				promotions: [],
				lines: [
					{ productId: '93', name: 'Woo Single #1', categories: [], quantity: 2, price: '3' },
					{ productId: '22', sku: 'Bar3', name: 'Ship Your Idea \u2013 Color: Black, Size: M Test', categories: [], quantity: 1, price: '12' },
				],
				status: 'processing',
				refunded: '0.00',
			},
		});
		assert.deepEqual(validateEvent(event), event);
	});

	it('refunds: their totals (negative in the resource) are the amount refunded, at most the total', () => {
		const refunded = (refunds: unknown) => normalizeWooCommerce('order.updated', { ...order(), refunds }, {}).order?.refunded;
		assert.equal(refunded([{ id: 1, reason: 'damaged', total: '-10.00' }, { id: 2, reason: '', total: '-2.35' }]), '12.35');
		assert.equal(refunded([{ id: 1, reason: 'all', total: '-100.00' }]), '29.35');
		assert.equal(refunded(undefined), undefined, 'not known');
	});

	it('a registered customer\'s order with coupon lines and fractional prices', () => {
		const body: Json = {
			...order(),
			customer_id: 25,
			billing: { ...(order().billing as Json), email: 'John.Doe@Example.com' },
			coupon_lines: [
				{ id: 320, code: 'summer10', discount: '1.20', discount_tax: '0.00', meta_data: [] },
				{ id: 321, code: 'salt&amp;pepper', discount: '0.50', discount_tax: '0.00', meta_data: [] },
			],
		};
		const lines = body.line_items as Json[];
		lines[0] = { ...lines[0], quantity: 3, price: 3.3333333333333335 };
		lines[1] = { ...lines[1], price: 11.5 };
		const event = normalizeWooCommerce('order.created', body, {});
		assert.equal(event.customer?.id, '25');
		assert.equal(event.customer?.email, 'john.doe@example.com');
		assert.deepEqual(event.order?.couponCodes, ['summer10', 'salt&pepper']);
		assert.equal(event.order?.lines[0].price, '3.3333333333333335');
		assert.equal(event.order?.lines[1].price, '11.5');
	});

	it('order.updated carries the status and is keyed on date_modified_gmt', () => {
		const body = { ...order(), status: 'completed', date_modified_gmt: '2017-03-23T08:00:00', date_completed_gmt: '2017-03-23T08:00:00' };
		const event = normalizeWooCommerce('order.updated', body, {});
		assert.equal(event.type, 'order.updated');
		assert.equal(event.id, 'woocommerce:order.updated:727:2017-03-23T08:00:00.000Z');
		assert.equal(event.occurredAt, '2017-03-23T08:00:00.000Z');
		assert.equal(event.order?.status, 'completed');
		assert.equal(normalizeWooCommerce('order.updated', { ...body }, {}).id, event.id);
		// processing on an order never seen before is still just an order.updated
		const processing = normalizeWooCommerce('order.updated', order(), {});
		assert.equal(processing.order?.status, 'processing');
		assert.equal(processing.id, 'woocommerce:order.updated:727:2017-03-22T19:28:08.000Z');
	});

	it('decodes HTML entities in product names', () => {
		const body = order();
		const lines = body.line_items as Json[];
		lines[0] = { ...lines[0], name: 'Salt &amp; Pepper &#8211; Grinder &#x2014; Chef&#8217;s choice &quot;XL&quot; &eacute;t&eacute; &bogus;' };
		const event = normalizeWooCommerce('order.created', body, {});
		assert.equal(event.order?.lines[0].name, 'Salt & Pepper \u2013 Grinder \u2014 Chef\u2019s choice "XL" \u00e9t\u00e9 &bogus;');
	});

	it('reads categories from a line\'s categories or meta_data when present', () => {
		const body = order();
		const lines = body.line_items as Json[];
		lines[0] = { ...lines[0], categories: [{ id: 9, name: 'Clothing &amp; Shoes' }, 'Sale'] };
		lines[1] = { ...lines[1], meta_data: [...(lines[1].meta_data as Json[]), { id: 2097, key: 'product_cat', value: 'Posters, Art' }] };
		const event = normalizeWooCommerce('order.created', body, {});
		assert.deepEqual(event.order?.lines[0].categories, ['Clothing & Shoes', 'Sale']);
		// pa_color / size meta entries are attributes, not categories
		assert.deepEqual(event.order?.lines[1].categories, ['Posters', 'Art']);
	});

	it('keys lines of deleted products (product_id 0) on the SKU, else the line id', () => {
		const body = order();
		const lines = body.line_items as Json[];
		lines[0] = { ...lines[0], product_id: 0 };
		lines[1] = { ...lines[1], product_id: 0 };
		const event = normalizeWooCommerce('order.created', body, {});
		assert.equal(event.order?.lines[0].productId, 'line:315');
		assert.equal(event.order?.lines[1].productId, 'sku:Bar3');
	});

	it('a guest order without billing email is keyed by phone, without either has no customer; bad fields are named', () => {
		const noEmail = { ...order(), billing: { ...(order().billing as Json), email: '' } };
		assert.deepEqual(normalizeWooCommerce('order.created', noEmail, {}).customer, { id: 'phone:+5555555555', phone: '(555) 555-5555', firstName: 'John', lastName: 'Doe' });
		const admin = { ...order(), billing: { ...(order().billing as Json), email: '', phone: '' } };
		const anonymous = normalizeWooCommerce('order.created', admin, {});
		assert.equal(anonymous.customer, undefined, 'an admin order without email or phone has no customer');
		assert.deepEqual(validateEvent(anonymous), anonymous);
		assert.throws(() => normalizeWooCommerce('order.created', { ...order(), date_created_gmt: null, date_modified_gmt: null }, {}), inputError('date_created_gmt', /is required/));
		assert.throws(() => normalizeWooCommerce('order.created', { ...order(), date_created_gmt: '22/03/2017' }, {}), inputError('date_created_gmt'));
		const badPrice = order();
		(badPrice.line_items as Json[])[1].price = 'twelve';
		assert.throws(() => normalizeWooCommerce('order.created', badPrice, {}), inputError('line_items[1].price'));
		assert.throws(() => normalizeWooCommerce('order.created', { ...order(), total: undefined }, {}), inputError('total', /is required/));
		assert.throws(() => normalizeWooCommerce('order.created', 'webhook_id=1', {}), inputError('body', /expected an object/));
	});

	it('refuses a negative order total or line price, a currency that is not ISO 4217 and a date in year 0000', () => {
		assert.throws(() => normalizeWooCommerce('order.created', { ...order(), total: '-10.00' }, {}), inputError('total', /-10.00 is below zero/));
		const body = order();
		(body.line_items as Json[])[0].price = -3;
		assert.throws(() => normalizeWooCommerce('order.created', body, {}), inputError('line_items[0].price', /below zero/));
		assert.throws(() => normalizeWooCommerce('order.created', { ...order(), currency: 'ZZZ' }, {}), inputError('currency', /not an ISO 4217 currency/));
		assert.throws(() => normalizeWooCommerce('order.created', { ...order(), date_created_gmt: '0000-01-01T00:00:00' }, {}), inputError('occurredAt', /before 1900/));
	});

	it('an explicit offset on a GMT date is honoured', () => {
		const event = normalizeWooCommerce('order.created', { ...order(), date_created_gmt: '2017-03-22T19:28:02+00:00' }, {});
		assert.equal(event.occurredAt, '2017-03-22T19:28:02.000Z');
	});
});

describe('normalizeWooCommerce: customers', () => {
	it('customer.created: the sample customer', () => {
		assert.deepEqual(normalizeWooCommerce('customer.created', customer(), {}), {
			id: 'woocommerce:customer.created:25',
			type: 'customer.registered',
			occurredAt: '2017-03-21T19:09:28.000Z',
			source: 'woocommerce',
			customer: {
				id: '25',
				email: 'john.doe@example.com',
				phone: '(555) 555-5555',
				firstName: 'John',
				lastName: 'Doe',
				registeredAt: '2017-03-21T19:09:28.000Z',
			},
		});
	});

	it('customer.updated is keyed on date_modified_gmt', () => {
		const event = normalizeWooCommerce('customer.updated', { ...customer(), first_name: 'Johnny', date_modified_gmt: '2017-04-01T10:00:00' }, {});
		assert.equal(event.type, 'customer.updated');
		assert.equal(event.id, 'woocommerce:customer.updated:25:2017-04-01T10:00:00.000Z');
		assert.equal(event.customer?.firstName, 'Johnny');
		const neverModified = normalizeWooCommerce('customer.updated', { ...customer(), date_modified_gmt: null }, {});
		assert.equal(neverModified.id, 'woocommerce:customer.updated:25:2017-03-21T19:09:28.000Z');
	});

	it('a customer without an id is an InputError', () => {
		assert.throws(() => normalizeWooCommerce('customer.created', { ...customer(), id: 0 }, {}), inputError('id', /is required/));
	});
});

describe('normalizeWooCommerce: topics', () => {
	it('refuses other topics, listing the supported ones', () => {
		for (const topic of ['order.deleted', 'product.updated', 'action.woocommerce_add_to_cart', 'orders/create']) {
			assert.throws(
				() => normalizeWooCommerce(topic, order(), {}),
				(error: unknown) => {
					assert.ok(error instanceof UnsupportedTopicError);
					assert.equal(error.field, 'topic');
					assert.equal(error.source, 'woocommerce');
					for (const supported of WOOCOMMERCE_TOPICS) assert.ok(error.hint?.includes(supported));
					return true;
				},
			);
		}
	});
});

describe('HTML entities', () => {
	it('decodeHtmlEntities decodes named and numeric references once', () => {
		assert.equal(decodeHtmlEntities('Ship Your Idea &ndash; Black'), 'Ship Your Idea \u2013 Black');
		assert.equal(decodeHtmlEntities('&amp;lt; &#60; &#x3C; &#X3c; &lt;'), '&lt; < < < <');
		assert.equal(decodeHtmlEntities('&#0; &#xD800; &#99999999;'), '\ufffd \ufffd \ufffd');
		assert.equal(decodeHtmlEntities('&nbsp;&copy;&yuml;&Yuml;&euro;&hellip;'), '\u00a0\u00a9\u00ff\u0178\u20ac\u2026');
		assert.equal(decodeHtmlEntities('AT&T &unknown; & ;'), 'AT&T &unknown; & ;');
	});

	it('wpSpecialcharsDecode decodes what wp_specialchars_decode(ENT_QUOTES) does, and no more', () => {
		assert.equal(wpSpecialcharsDecode('a&amp;b&lt;c&gt;d&quot;e&#039;f&#39;g&#x27;h&#X27;i&#038;j&#x26;k'), 'a&b<c>d"e\'f\'g\'h\'i&j&k');
		assert.equal(wpSpecialcharsDecode('&amp;amp; &ndash; &#8211; &#x3c; &AMP;'), '&amp; &ndash; &#8211; &#x3c; &AMP;');
		assert.equal(wpSpecialcharsDecode('no entities'), 'no entities');
	});
});
