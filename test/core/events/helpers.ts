/**
 * Shared by the event layer tests: the vendor fixtures (test/fixtures/webhooks, copied unchanged
 * from the published samples) and small builders for variants derived from them in test code.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseJsonBody } from '../../../core/events/json';
import { repoRoot } from '../../helpers/paths';

export const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'webhooks');

export const FIXTURE_FILES = [
	'shopify-orders-create.json',
	'shopify-customers-create.json',
	'shopify-checkouts-create.json',
	'woocommerce-order-created.json',
	'woocommerce-customer-created.json',
] as const;

export type FixtureFile = (typeof FIXTURE_FILES)[number];

/** The fixture's bytes exactly as published. */
export function fixtureBytes(name: FixtureFile): Buffer {
	return readFileSync(path.join(FIXTURES, name));
}

/**
 * Shopify's published orders/create sample is an order that was later cancelled and voided, which
 * starts nothing. This is the same bytes as an open, paid order (ids untouched), for tests of
 * what an order starts.
 */
export function openShopifyOrderBytes(): Buffer {
	const text = fixtureBytes('shopify-orders-create.json').toString('utf8');
	const open = text
		.replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null')
		.replace(/"cancel_reason": "[^"]*"/, '"cancel_reason": null')
		.replace(/"financial_status": "[^"]*"/, '"financial_status": "paid"');
	if (open === text) throw new Error('the Shopify sample changed: update openShopifyOrderBytes');
	return Buffer.from(open);
}

/** The fixture parsed without losing digits; a fresh copy on every call, free to modify. */
export function fixture(name: FixtureFile): Record<string, unknown> {
	return parseJsonBody(fixtureBytes(name)) as Record<string, unknown>;
}

/**
 * JSON text of a value whose big integers are digit strings (as parseJsonBody returns them), with
 * those integers written back as JSON numbers: the body a vendor would send for a variant.
 * Only strings of 16 or more digits are turned back into numbers.
 */
export function toVendorJson(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' && /^\d{16,}$/.test(v) ? `@@${v}@@` : v)).replace(
		/"@@(\d+)@@"/g,
		'$1',
	);
}

export type Json = Record<string, unknown>;

/** Shorthand for reading nested test data without casts everywhere. */
export function at<T = unknown>(value: unknown, ...keys: Array<string | number>): T {
	let current: unknown = value;
	for (const key of keys) current = (current as Record<string | number, unknown>)[key];
	return current as T;
}
