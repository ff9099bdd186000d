import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { InputError } from '../../core/errors';
import { productOf } from '../../core/ledger';

const NOW = Date.parse('2026-05-04T09:00:00Z');

const inputError = (field: string, message: RegExp) => (error: unknown) => error instanceof InputError && error.field === field && message.test(error.message);

describe('productOf', () => {
	it("reads a Shopify product as n8n's Shopify node gives it: product type and tags; a GraphQL product's collections too", () => {
		assert.deepEqual(productOf('shopifyProducts', { id: 8012345678901, title: 'Dino hoodie', product_type: 'Boys', tags: 'Hoodies, Summer, ', updated_at: '2026-04-01T10:00:00-04:00' }, NOW), {
			id: '8012345678901',
			title: 'Dino hoodie',
			categories: ['Boys', 'Hoodies', 'Summer'],
			updatedAt: Date.parse('2026-04-01T14:00:00Z'),
		});
		const graphql = { id: 'gid://shopify/Product/42', productType: 'Girls', tags: ['Dresses'], collections: { nodes: [{ title: 'Kids' }] }, updatedAt: '2026-04-01T10:00:00Z' };
		assert.deepEqual(productOf('shopifyProducts', graphql, NOW).categories, ['Girls', 'Dresses', 'Kids']);
		assert.equal(productOf('shopifyProducts', graphql, NOW).id, '42');
		assert.equal(productOf('shopifyProducts', { id: 1, product_type: '' }, NOW).updatedAt, NOW, 'no update time: now');
		assert.throws(() => productOf('shopifyProducts', { title: 'x' }, NOW), inputError('id', /is required/));
		assert.throws(() => productOf('shopifyProducts', { id: 2 ** 60 }, NOW), inputError('id', /lost digits/));
	});

	it("reads a WooCommerce product as n8n's WooCommerce node gives it: categories[].name, date_modified_gmt in UTC", () => {
		assert.deepEqual(
			productOf('woocommerceProducts', { id: 93, name: 'Flower dress', categories: [{ id: 15, name: 'Girls' }, { id: 16, name: 'Dresses' }], tags: [{ name: 'sale' }], date_modified_gmt: '2026-04-01T10:00:00' }, NOW),
			{ id: '93', title: 'Flower dress', categories: ['Girls', 'Dresses'], updatedAt: Date.parse('2026-04-01T10:00:00Z') },
		);
		assert.throws(() => productOf('woocommerceProducts', { id: 93, categories: 'Girls' }, NOW), inputError('categories', /expected a list/));
	});

	it('reads a mapped row: comma-separated categories, dates in the zone given', () => {
		assert.deepEqual(productOf('mapped', { productId: ' 93 ', categories: 'Girls, Dresses', title: '', updatedAt: '2026-04-01 10:00' }, NOW, 'Europe/Berlin'), {
			id: '93',
			categories: ['Girls', 'Dresses'],
			updatedAt: Date.parse('2026-04-01T08:00:00Z'),
		});
		assert.deepEqual(productOf('mapped', { productId: 'p', categories: '' }, NOW), { id: 'p', categories: [], updatedAt: NOW });
		assert.throws(() => productOf('mapped', { productId: '', categories: 'Boys' }, NOW), inputError('productId', /is required/));
	});
});
