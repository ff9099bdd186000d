import { InputError } from '../errors';

/**
 * A vendor delivery for a topic this package does not turn into events (products/update,
 * order.deleted, ...). It is an InputError on `topic`; the trigger may answer it with a 2xx and
 * ignore it, since vendors disable webhooks that keep failing (WooCommerce after 5 failures).
 */
export class UnsupportedTopicError extends InputError {
	readonly source: string;
	readonly topic: string;

	constructor(source: 'shopify' | 'woocommerce', topic: string, supported: readonly string[]) {
		const shown = topic.length > 60 ? `${topic.slice(0, 57)}...` : topic;
		super(
			'topic',
			`${source === 'shopify' ? 'Shopify' : 'WooCommerce'} topic ${JSON.stringify(shown)} is not supported`,
			`Subscribe the webhook to one of: ${supported.join(', ')}.`,
		);
		this.name = 'UnsupportedTopicError';
		this.source = source;
		this.topic = topic;
	}
}
