import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { InputError } from '../../core/errors';
import { EVENT_TYPES } from '../../core/event';
import { SHOPIFY_TOPICS, WOOCOMMERCE_TOPICS } from '../../core/events';
import { registrationTopics } from '../../core/registration';

describe('registrationTopics', () => {
	it('takes the topics of the chosen events only', () => {
		assert.deepEqual(registrationTopics('shopify', new Set(['order.placed'])), ['orders/create']);
		assert.deepEqual(registrationTopics('shopify', new Set(['cart.updated', 'customer.updated'])), ['customers/update', 'checkouts/create', 'checkouts/update']);
		assert.deepEqual(registrationTopics('woocommerce', new Set(['order.updated', 'page.visited'])), ['order.updated']);
	});

	it('takes every topic for Any Event and for record only', () => {
		const shopify = ['customers/create', 'customers/update', 'orders/create', 'orders/updated', 'checkouts/create', 'checkouts/update'];
		assert.deepEqual(registrationTopics('shopify', 'any'), shopify);
		assert.deepEqual(registrationTopics('shopify', new Set()), shopify);
		assert.deepEqual(registrationTopics('woocommerce', 'any'), ['customer.created', 'customer.updated', 'order.created', 'order.updated']);
	});

	it('registers only topics the trigger reads', () => {
		const all = new Set<string>(EVENT_TYPES);
		for (const topic of registrationTopics('shopify', all)) assert.ok((SHOPIFY_TOPICS as readonly string[]).includes(topic), topic);
		for (const topic of registrationTopics('woocommerce', all)) assert.ok((WOOCOMMERCE_TOPICS as readonly string[]).includes(topic), topic);
	});

	it('refuses a choice the shop sends nothing for, naming the events it does send', () => {
		assert.throws(
			() => registrationTopics('woocommerce', new Set(['cart.updated', 'page.visited'])),
			(error: unknown) => error instanceof InputError && error.field === 'events' && /WooCommerce sends none/.test(error.message) && /order\.placed/.test(error.hint ?? ''),
		);
	});
});
