import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { InputError } from '../../../core/errors';
import { parseJsonBody } from '../../../core/events/json';
import { SHOPIFY_TOPICS, normalizeShopify } from '../../../core/events/shopify';
import { UnsupportedTopicError } from '../../../core/events/unsupported';
import { validateEvent } from '../../../core/events/validate';
import { fixture, type Json } from './helpers';

function inputError(field: string, pattern?: RegExp) {
	return (error: unknown) => {
		assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
		assert.equal(error.field, field);
		if (pattern) assert.match(error.message, pattern);
		return true;
	};
}

const order = () => fixture('shopify-orders-create.json');
const customer = () => fixture('shopify-customers-create.json');
const checkout = () => fixture('shopify-checkouts-create.json');

/** The sample order as it arrives on orders/updated or orders/paid: not cancelled, paid. */
function paidOrder(): Json {
	return { ...order(), cancel_reason: null, cancelled_at: null, financial_status: 'paid', updated_at: '2022-01-02T10:30:00-05:00' };
}

describe('normalizeShopify: orders', () => {
	it('orders/create: the sample order, with every id at its full 18 digits', () => {
		const event = normalizeShopify('orders/create', order(), {});
		assert.equal(event.id, 'shopify:order.placed:820982911946154508');
		assert.equal(event.type, 'order.placed');
		assert.equal(event.source, 'shopify');
		assert.equal(event.occurredAt, '2022-01-01T00:00:00.000Z'); // processed_at 2021-12-31T19:00:00-05:00
		assert.deepEqual(event.customer, {
			id: '115310627314723954',
			email: 'john@example.com',
			firstName: 'John',
			lastName: 'Smith',
			locale: 'en',
			acceptsMarketing: true,
		});
		assert.equal(event.order?.id, '820982911946154508');
		assert.equal(event.order?.total, '404.95');
		assert.equal(event.order?.currency, 'USD');
		assert.deepEqual(event.order?.couponCodes, []);
		assert.deepEqual(event.order?.promotions, []);
		assert.equal(event.order?.status, 'cancelled'); // the sample has cancelled_at set
		assert.deepEqual(event.order?.lines, [
			{ productId: '788032119674292922', sku: 'SKU2006-001', name: 'Aviator sunglasses', categories: [], quantity: 1, price: '89.99' },
			// custom items without a product are keyed on their SKU
			{ productId: 'sku:LENS-PROTECT-2YR', sku: 'LENS-PROTECT-2YR', name: 'Lens Protection Plan (2 Year)', categories: [], quantity: 1, price: '19.99' },
			{ productId: 'sku:CASE-LEATHER-PREM', sku: 'CASE-LEATHER-PREM', name: 'Premium Leather Case', categories: [], quantity: 1, price: '24.99' },
			{ productId: '788032119674292922', sku: 'SKU2006-020', name: 'Mid-century lounger', categories: [], quantity: 1, price: '159.99' },
			{ productId: '788032119674292922', sku: 'SKU2006-035', name: 'Coffee table', categories: [], quantity: 1, price: '119.99' },
		]);
		assert.deepEqual(validateEvent(event), event);
	});

	it('reads discount codes and automatic/script promotions', () => {
		const body = {
			...paidOrder(),
			discount_codes: [
				{ code: 'SPRING10', amount: '10.00', type: 'fixed_amount' },
				{ code: ' FREESHIP ', amount: '10.00', type: 'shipping' },
				{ code: 'SPRING10', amount: '0.00', type: 'fixed_amount' },
			],
			discount_applications: [
				{ type: 'discount_code', code: 'SPRING10', value: '10.0', value_type: 'fixed_amount', allocation_method: 'across', target_selection: 'all', target_type: 'line_item' },
				{ type: 'automatic', title: 'Buy 2 get 10% off', description: 'Buy 2 get 10% off', value: '10.0', value_type: 'percentage', allocation_method: 'across', target_selection: 'entitled', target_type: 'line_item' },
				{ type: 'script', title: 'VIP pricing', description: 'Script discount', value: '5.0', value_type: 'fixed_amount', allocation_method: 'each', target_selection: 'entitled', target_type: 'line_item' },
				{ type: 'manual', title: 'Staff goodwill', description: 'manual', value: '5.0', value_type: 'fixed_amount', allocation_method: 'each', target_selection: 'explicit', target_type: 'line_item' },
			],
		};
		const event = normalizeShopify('orders/create', body, {});
		assert.deepEqual(event.order?.couponCodes, ['SPRING10', 'FREESHIP']);
		assert.deepEqual(event.order?.promotions, ['Buy 2 get 10% off', 'VIP pricing']);
		assert.equal(event.order?.status, 'paid');
	});

	it('a guest order (no customer) is keyed on the lower-cased email', () => {
		const body = { ...order(), customer: null, email: ' Jon@Example.com ' };
		const event = normalizeShopify('orders/create', body, {});
		assert.equal(event.customer?.id, 'email:jon@example.com');
		assert.equal(event.customer?.email, 'jon@example.com');
		assert.equal(event.customer?.firstName, 'Steve'); // from the billing address
		const noEmail: Json = { ...order(), email: null, contact_email: 'Contact@Example.com' };
		delete noEmail.customer;
		assert.equal(normalizeShopify('orders/create', noEmail, {}).customer?.id, 'email:contact@example.com');
	});

	it('an order without customer or email is a guest keyed by its phone, else (a point-of-sale sale) has no customer', () => {
		const phoneOnly = { ...order(), customer: null, email: null, contact_email: '', phone: '+1 (555) 625-1199' };
		const byPhone = normalizeShopify('orders/create', phoneOnly, {});
		assert.deepEqual(byPhone.customer, { id: 'phone:+15556251199', phone: '+1 (555) 625-1199', firstName: 'Steve', lastName: 'Shipper', locale: 'en', acceptsMarketing: true });
		const billingPhone = { ...order(), customer: null, email: null, contact_email: '', phone: null, billing_address: { ...(order().billing_address as object), phone: '0049 170 1234567' } };
		assert.equal(normalizeShopify('orders/create', billingPhone, {}).customer?.id, 'phone:+491701234567', 'the billing address phone; 00 is +');
		const pos = { ...order(), customer: null, email: null, contact_email: '', phone: null, billing_address: null, shipping_address: null };
		const anonymous = normalizeShopify('orders/create', pos, {});
		assert.equal(anonymous.customer, undefined);
		assert.equal(anonymous.order?.id, '820982911946154508');
		assert.deepEqual(validateEvent(anonymous), anonymous);
	});

	it('refunds: successful refund transactions in the order currency are the amount refunded, at most the total', () => {
		assert.equal(normalizeShopify('orders/create', order(), {}).order?.refunded, '0.00', 'the sample has no refunds');
		const refund = (amount: string, extra: Record<string, unknown> = {}) => ({ kind: 'refund', status: 'success', amount, currency: 'USD', ...extra });
		const body = {
			...order(),
			financial_status: 'partially_refunded',
			refunds: [
				{ id: 1, transactions: [refund('10.00'), refund('5.00', { status: 'failure' }), { kind: 'sale', status: 'success', amount: '404.95' }] },
				{ id: 2, transactions: [refund('2.50')] },
			],
		};
		assert.equal(normalizeShopify('orders/updated', body, {}).order?.refunded, '12.50');
		const over = { ...order(), refunds: [{ id: 3, transactions: [refund('500.00')] }] };
		assert.equal(normalizeShopify('orders/updated', over, {}).order?.refunded, '404.95');
		assert.equal(normalizeShopify('orders/updated', { ...order(), refunds: undefined }, {}).order?.refunded, undefined, 'not known');
	});

	it('orders/paid is order.placed keyed on the order, like orders/create (one placement per order)', () => {
		const first = normalizeShopify('orders/paid', paidOrder(), {});
		const again = normalizeShopify('orders/paid', paidOrder(), {});
		assert.equal(first.type, 'order.placed');
		assert.equal(first.id, 'shopify:order.placed:820982911946154508');
		assert.equal(normalizeShopify('orders/create', paidOrder(), {}).id, first.id);
		assert.deepEqual(again, first);
	});

	it('orders/updated is order.updated with status, keyed on updated_at', () => {
		const event = normalizeShopify('orders/updated', paidOrder(), {});
		assert.equal(event.type, 'order.updated');
		assert.equal(event.id, 'shopify:orders/updated:820982911946154508:2022-01-02T15:30:00.000Z');
		assert.equal(event.occurredAt, '2022-01-02T15:30:00.000Z');
		assert.equal(event.order?.status, 'paid');
		// a redelivery of the same state has the same id; a later state a new one
		assert.equal(normalizeShopify('orders/updated', paidOrder(), {}).id, event.id);
		const refunded = { ...paidOrder(), financial_status: 'refunded', updated_at: '2022-01-03T08:00:00-05:00' };
		const later = normalizeShopify('orders/updated', refunded, {});
		assert.equal(later.id, 'shopify:orders/updated:820982911946154508:2022-01-03T13:00:00.000Z');
		assert.equal(later.order?.status, 'refunded');
	});

	it('orders/updated without updated_at falls back to X-Shopify-Event-Id, else fails', () => {
		const body = { ...paidOrder(), updated_at: null };
		const event = normalizeShopify('orders/updated', body, { 'X-Shopify-Event-Id': '59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f' });
		assert.equal(event.id, 'shopify:orders/updated:820982911946154508:59d6d79c-595f-4e7e-bc6f-72f5c3d0c66f');
		assert.throws(() => normalizeShopify('orders/updated', body, {}), inputError('updated_at', /is required/));
	});

	it('orders/cancelled is order.updated with status cancelled at cancelled_at', () => {
		const event = normalizeShopify('orders/cancelled', { ...order(), cancelled_at: '2022-01-05T12:00:00+01:00' }, {});
		assert.equal(event.type, 'order.updated');
		assert.equal(event.id, 'shopify:orders/cancelled:820982911946154508');
		assert.equal(event.occurredAt, '2022-01-05T11:00:00.000Z');
		assert.equal(event.order?.status, 'cancelled');
	});

	it('takes categories from the product type and tags of a line when present', () => {
		const body = order();
		const lines = body.line_items as Json[];
		lines[0] = { ...lines[0], product_type: 'Sunglasses', tags: 'summer, sale ,summer' };
		lines[3] = { ...lines[3], product_tags: ['Furniture', ' ', 'Lounge'] };
		const event = normalizeShopify('orders/create', body, {});
		assert.deepEqual(event.order?.lines[0].categories, ['Sunglasses', 'summer', 'sale']);
		assert.deepEqual(event.order?.lines[3].categories, ['Furniture', 'Lounge']);
		assert.deepEqual(event.order?.lines[1].categories, []);
		// the order's own tags ("tag1, tag2") describe the order, not its products
		assert.ok(!event.order?.lines.some((line) => line.categories.includes('tag1')));
	});

	it('a custom line without product_id and sku is keyed on its line id', () => {
		const body = order();
		const lines = body.line_items as Json[];
		lines[1] = { ...lines[1], sku: null };
		assert.equal(normalizeShopify('orders/create', body, {}).order?.lines[1].productId, 'line:789012345678901234');
	});

	it('ids already rounded by JSON.parse are recovered from admin_graphql_api_id', () => {
		const rounded = JSON.parse(JSON.stringify(paidOrder())) as Json;
		rounded.id = 820982911946154500;
		(rounded.customer as Json).id = 115310627314723950;
		(rounded.line_items as Json[]).forEach((line) => (line.product_id = null));
		const event = normalizeShopify('orders/create', rounded, {});
		assert.equal(event.order?.id, '820982911946154508');
		assert.equal(event.customer?.id, '115310627314723954');
		const lost = paidOrder();
		(lost.line_items as Json[])[0].product_id = 788032119674292900;
		assert.throws(() => normalizeShopify('orders/create', lost, {}), inputError('line_items[0].product_id', /lost digits/));
	});

	it('names the vendor field that is wrong', () => {
		const body = order();
		(body.line_items as Json[])[2].price = 'n/a';
		assert.throws(() => normalizeShopify('orders/create', body, {}), inputError('line_items[2].price', /not a decimal amount/));
		assert.throws(() => normalizeShopify('orders/create', { ...order(), total_price: null }, {}), inputError('total_price', /is required/));
		assert.throws(() => normalizeShopify('orders/create', { ...order(), currency: 7 }, {}), inputError('currency'));
		assert.throws(() => normalizeShopify('orders/create', { ...order(), line_items: 'x' }, {}), inputError('line_items', /expected a list/));
		assert.throws(() => normalizeShopify('orders/create', { ...order(), processed_at: '31/12/2021' }, {}), inputError('processed_at'));
		assert.throws(() => normalizeShopify('orders/create', [order()], {}), inputError('body', /expected an object/));
	});

	it('refuses a negative total or price, a currency that is not ISO 4217 and an order dated 9999', () => {
		assert.throws(() => normalizeShopify('orders/create', { ...paidOrder(), total_price: '-409.94' }, {}), inputError('total_price', /-409.94 is below zero/));
		assert.throws(() => normalizeShopify('checkouts/create', { ...checkout(), total_price: '-1.00' }, {}), inputError('total_price', /below zero/));
		const body = paidOrder();
		(body.line_items as Json[])[0].price = '-199.00';
		assert.throws(() => normalizeShopify('orders/create', body, {}), inputError('line_items[0].price', /below zero/));
		assert.throws(() => normalizeShopify('orders/create', { ...paidOrder(), currency: 'XXX' }, {}), inputError('currency', /not an ISO 4217 currency/));
		const now = Date.parse('2022-01-03T00:00:00Z');
		assert.throws(
			() => normalizeShopify('orders/create', { ...paidOrder(), processed_at: '9999-01-01T00:00:00-05:00' }, {}, now),
			inputError('occurredAt', /more than a day after now/),
		);
		assert.equal(normalizeShopify('orders/create', paidOrder(), {}, now).order?.total, '404.95');
	});
});

describe('normalizeShopify: customers', () => {
	it('customers/create: the body is the customer', () => {
		const event = normalizeShopify('customers/create', customer(), {});
		assert.deepEqual(event, {
			id: 'shopify:customers/create:706405506930370084',
			type: 'customer.registered',
			occurredAt: '2022-01-01T00:00:00.000Z',
			source: 'shopify',
			customer: {
				id: '706405506930370084',
				email: 'bob@biller.com',
				firstName: 'Bob',
				lastName: 'Biller',
				registeredAt: '2022-01-01T00:00:00.000Z',
			},
		});
	});

	it('customers/update reads marketing consent and is keyed on updated_at', () => {
		const update = (extra: Json) => normalizeShopify('customers/update', { ...customer(), updated_at: '2022-02-01T09:00:00+00:00', ...extra }, {});
		const subscribed = update({ email_marketing_consent: { state: 'subscribed', opt_in_level: 'single_opt_in', consent_updated_at: '2022-02-01T09:00:00+00:00' } });
		assert.equal(subscribed.type, 'customer.updated');
		assert.equal(subscribed.id, 'shopify:customers/update:706405506930370084:2022-02-01T09:00:00.000Z');
		assert.equal(subscribed.occurredAt, '2022-02-01T09:00:00.000Z');
		assert.equal(subscribed.customer?.acceptsMarketing, true);
		assert.equal(subscribed.customer?.registeredAt, '2022-01-01T00:00:00.000Z');
		assert.equal(update({ email_marketing_consent: { state: 'unsubscribed' } }).customer?.acceptsMarketing, false);
		assert.equal(update({ email_marketing_consent: { state: 'pending' } }).customer?.acceptsMarketing, false);
		assert.equal(update({ email_marketing_consent: { state: 'not_subscribed' }, accepts_marketing: true }).customer?.acceptsMarketing, false);
		assert.equal(update({ accepts_marketing: true }).customer?.acceptsMarketing, true);
		assert.equal(update({ email_marketing_consent: null, accepts_marketing: false }).customer?.acceptsMarketing, false);
		assert.equal(update({}).customer?.acceptsMarketing, undefined);
		assert.equal(update({ phone: '+16135550135', email: 'BOB@Biller.com' }).customer?.phone, '+16135550135');
		assert.equal(update({ email: 'BOB@Biller.com' }).customer?.email, 'bob@biller.com');
	});

	it('a customer without an id is an InputError', () => {
		assert.throws(() => normalizeShopify('customers/create', { ...customer(), id: null }, {}), inputError('id', /is required/));
	});
});

describe('normalizeShopify: checkouts', () => {
	it('checkouts/create: keyed on token, with the recovery URL', () => {
		const event = normalizeShopify('checkouts/create', checkout(), {});
		assert.equal(event.id, 'shopify:checkouts/create:123123123');
		assert.equal(event.type, 'cart.updated');
		assert.equal(event.occurredAt, '2022-01-01T00:00:00.000Z');
		assert.equal(event.customer?.id, '603851970716743426');
		assert.equal(event.customer?.acceptsMarketing, false);
		assert.deepEqual(event.cart, {
			id: '123123123',
			total: '421.88',
			currency: 'USD',
			lines: [
				{ productId: '632910392', sku: 'IPOD2008PINK', name: 'IPod Nano - 8GB', categories: [], quantity: 1, price: '199.00' },
				{ productId: '632910392', sku: 'IPOD2008PINK', name: 'IPod Nano - 8GB', categories: [], quantity: 1, price: '199.00' },
			],
			recoveryUrl: 'https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token',
		});
	});

	it('checkouts/update is keyed on token and updated_at; a guest checkout on its email', () => {
		const body = { ...checkout(), customer: null, updated_at: '2022-01-01T19:30:00-05:00' };
		const event = normalizeShopify('checkouts/update', body, {});
		assert.equal(event.id, 'shopify:checkouts/update:123123123:2022-01-02T00:30:00.000Z');
		assert.equal(event.customer?.id, 'email:example@email.com');
		assert.throws(() => normalizeShopify('checkouts/update', { ...checkout(), token: null }, {}), inputError('token', /is required/));
	});

	it('a checkout without a usable recovery URL has none', () => {
		const event = normalizeShopify('checkouts/create', { ...checkout(), abandoned_checkout_url: 'not a url' }, {});
		assert.equal(event.cart?.recoveryUrl, undefined);
	});
});

describe('normalizeShopify: topics', () => {
	it('refuses other topics with an UnsupportedTopicError listing the supported ones', () => {
		for (const topic of ['products/update', 'orders/fulfilled', '', 'order.created']) {
			assert.throws(
				() => normalizeShopify(topic, order(), {}),
				(error: unknown) => {
					assert.ok(error instanceof UnsupportedTopicError);
					assert.ok(error instanceof InputError);
					assert.equal(error.field, 'topic');
					for (const supported of SHOPIFY_TOPICS) assert.ok(error.hint?.includes(supported));
					return true;
				},
			);
		}
	});

	it('reads topics case-insensitively', () => {
		assert.equal(normalizeShopify(' Orders/Create ', order(), {}).id, 'shopify:order.placed:820982911946154508');
	});

	it('reads a minimal customer body with a small numeric id', () => {
		const raw = JSON.stringify({ id: 1, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z', email: 'a@b.co' });
		assert.equal(normalizeShopify('customers/create', parseJsonBody(raw), {}).customer?.id, '1');
	});
});
