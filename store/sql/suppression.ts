/**
 * Suppression of forgotten customers. A forget keeps, for each id and email it erased, only an
 * HMAC-SHA256 of it under the store's own random key (store_secrets) and the time of the forget:
 * nothing that names the person, yet an event about them that occurred before the forget (a
 * redelivery, a backfill) is recognised and not recorded again.
 *
 * Recording takes the key row FOR SHARE and a forget FOR UPDATE (PostgreSQL; SQLite writes one at a
 * time), so a forget never commits between a recording's check and its writes.
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { StoreError } from '../../core/errors';
import type { Customer } from '../../core/event';
import type { Millis } from '../../core/store';
import type { Dialect, Querier } from '../driver';

export type Identity = `id:${string}` | `email:${string}`;

export const idIdentity = (id: string): Identity => `id:${id}`;
export const emailIdentity = (email: string): Identity => `email:${email.trim().toLowerCase()}`;
const GUEST_EMAIL = /^email:(.+)$/s;

/** The email a guest id (`email:<address>`) stands for. */
export const guestEmail = (id: string): string | undefined => GUEST_EMAIL.exec(id)?.[1];

/** The identities an event's customer is known by: the id, the email, the email of a guest id. */
export function identitiesOf(customer: Customer | undefined): Identity[] {
	if (!customer) return [];
	const emails = [customer.email, guestEmail(customer.id)].filter((e): e is string => e !== undefined && e.trim() !== '');
	return [...new Set([idIdentity(customer.id), ...emails.map(emailIdentity)])];
}

export type Hasher = (identity: Identity) => string;

/** The store's key, read with the lock that orders recordings and forgets (share: recording, update: forget). */
export async function suppressionHasher(q: Querier, dialect: Dialect, lock: 'share' | 'update'): Promise<Hasher> {
	const forLock = dialect.name === 'postgres' ? (lock === 'share' ? ' FOR SHARE' : ' FOR UPDATE') : '';
	const row = await q.get(`SELECT value FROM store_secrets WHERE name = 'suppression_key'${forLock}`);
	if (!row) throw new StoreError('The store has no suppression key (store_secrets): it was removed by hand. Restore it from a backup of the store.');
	const key = createSecretKey(Buffer.from(String(row.value), 'hex'));
	const hashes = new Map<Identity, string>();
	return (identity) => {
		let hash = hashes.get(identity);
		if (hash === undefined) {
			hash = createHmac('sha256', key).update(identity).digest('hex');
			hashes.set(identity, hash);
		}
		return hash;
	};
}

export async function suppress(q: Querier, hashes: string[], at: Millis): Promise<void> {
	for (const hash of new Set(hashes)) {
		await q.run(
			`INSERT INTO suppressions (hash, forgotten_at) VALUES ($1, $2)
			ON CONFLICT (hash) DO UPDATE SET forgotten_at = excluded.forgotten_at WHERE suppressions.forgotten_at < excluded.forgotten_at`,
			[hash, at],
		);
	}
}

/** How many identity hashes the event statement checks; fewer are padded with NULL, which matches nothing. */
export const CHECKED_IDENTITIES = 3;
