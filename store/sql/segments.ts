import { InputError, NotFoundError } from '../../core/errors';
import type { Millis, MembershipRow, SegmentAdd, SegmentRow } from '../../core/store';
import type { Dialect, Querier, Row } from '../driver';
import { isUniqueViolation, likePattern, opt } from './util';

const toSegment = (row: Row): SegmentRow => ({
	id: Number(row.id),
	name: String(row.name),
	createdAt: Number(row.created_at),
	members: Number(row.members ?? 0),
});

export const toMembership = (row: Row): MembershipRow => ({
	customerId: String(row.customer_id),
	addedAt: Number(row.added_at),
	expiresAt: opt(row.expires_at),
});

const SEGMENT_COLUMNS = `s.id, s.name, s.created_at,
	(SELECT COUNT(*) FROM segment_members m WHERE m.segment_id = s.id) AS members`;

const notFound = (name: string) =>
	new NotFoundError('segment', 'Segment', name, 'Pick a segment from the list, check the spelling, or create it first (Customer Segment > Create, or "Create If Missing" on Add).');

export async function segmentId(q: Querier, name: string, lock = ''): Promise<number> {
	const row = await q.get(`SELECT id FROM segments WHERE name = $1${lock}`, [name]);
	if (!row) throw notFound(name);
	return Number(row.id);
}

/** PostgreSQL: holds the segment row until the transaction ends, so a concurrent Delete waits (SQLite runs one write at a time). */
const keyShare = (dialect: Dialect) => (dialect.name === 'postgres' ? ' FOR KEY SHARE' : '');

export async function listSegments(q: Querier, search = ''): Promise<SegmentRow[]> {
	const rows = await q.all(
		`SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE lower(s.name) LIKE $1 ESCAPE '\\' ORDER BY s.name LIMIT 500`,
		[likePattern(search)],
	);
	return rows.map(toSegment);
}

export async function ensureSegments(q: Querier, names: string[], now: Millis): Promise<Array<SegmentRow & { created: boolean }>> {
	const rows: Array<SegmentRow & { created: boolean }> = [];
	for (const name of names) rows.push(await ensureSegment(q, name, now));
	return rows;
}

/** The insert decides who creates the segment; a segment deleted before it is read is created again. */
async function ensureSegment(q: Querier, name: string, now: Millis): Promise<SegmentRow & { created: boolean }> {
	for (;;) {
		const created = await q.get(
			'INSERT INTO segments (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, name, created_at',
			[name, now],
		);
		if (created) return { ...toSegment(created), created: true };
		const existing = await q.get(`SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.name = $1`, [name]);
		if (existing) return { ...toSegment(existing), created: false };
	}
}

export async function renameSegment(q: Querier, from: string, to: string): Promise<SegmentRow> {
	let row: Row | undefined;
	try {
		row = await q.get(
			`UPDATE segments SET name = $2 WHERE name = $1
			RETURNING id, name, created_at, (SELECT COUNT(*) FROM segment_members m WHERE m.segment_id = segments.id) AS members`,
			[from, to],
		);
	} catch (error) {
		if (!isUniqueViolation(error)) throw error;
		throw new InputError('newName', `a segment named "${to}" already exists`, 'Choose another name, or delete the other segment first.');
	}
	if (!row) throw notFound(from);
	return toSegment(row);
}

export async function deleteSegment(q: Querier, name: string): Promise<{ removedMembers: number }> {
	const row = await q.get('DELETE FROM segments WHERE name = $1 RETURNING id', [name]);
	if (!row) throw notFound(name);
	return { removedMembers: await q.run('DELETE FROM segment_members WHERE segment_id = $1', [Number(row.id)]) };
}

export async function segmentAdd(
	q: Querier,
	dialect: Dialect,
	segment: string,
	adds: SegmentAdd[],
	now: Millis,
): Promise<Array<MembershipRow & { added: boolean }>> {
	const id = await segmentId(q, segment, keyShare(dialect));
	const out: Array<MembershipRow & { added: boolean }> = [];
	for (const { customerId, until } of adds) out.push(await addMember(q, id, customerId, until ?? null, now));
	return out;
}

/**
 * The upsert decides: it starts a membership where there is none or where it has expired (an
 * expired membership counts as not in). Where an active one stands, its WHERE leaves the row as
 * it is but still locks it, so the UPDATE after it finds the row and sets the new end; the loop
 * only guards that step.
 */
async function addMember(q: Querier, id: number, customerId: string, expiresAt: Millis | null, now: Millis): Promise<MembershipRow & { added: boolean }> {
	for (;;) {
		const added = await q.get(
			`INSERT INTO segment_members (segment_id, customer_id, added_at, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (segment_id, customer_id) DO UPDATE SET added_at = excluded.added_at, expires_at = excluded.expires_at
			WHERE segment_members.expires_at IS NOT NULL AND segment_members.expires_at <= excluded.added_at
			RETURNING customer_id, added_at, expires_at`,
			[id, customerId, now, expiresAt],
		);
		if (added) return { ...toMembership(added), added: true };
		const kept = await q.get(
			`UPDATE segment_members SET expires_at = $3 WHERE segment_id = $1 AND customer_id = $2
			RETURNING customer_id, added_at, expires_at`,
			[id, customerId, expiresAt],
		);
		if (kept) return { ...toMembership(kept), added: false };
	}
}

export async function segmentRemove(q: Querier, segment: string, customerIds: string[]): Promise<boolean[]> {
	const id = await segmentId(q, segment);
	const out: boolean[] = [];
	for (const customerId of customerIds) {
		out.push((await q.run('DELETE FROM segment_members WHERE segment_id = $1 AND customer_id = $2', [id, customerId])) > 0);
	}
	return out;
}

const active = (param: string) => `(expires_at IS NULL OR expires_at > ${param})`;

export async function segmentCheck(
	q: Querier,
	segment: string,
	customerIds: string[],
	now: Millis,
): Promise<Array<MembershipRow | undefined>> {
	const id = await segmentId(q, segment);
	const out: Array<MembershipRow | undefined> = [];
	for (const customerId of customerIds) {
		const row = await q.get(
			`SELECT customer_id, added_at, expires_at FROM segment_members WHERE segment_id = $1 AND customer_id = $2 AND ${active('$3')}`,
			[id, customerId, now],
		);
		out.push(row ? toMembership(row) : undefined);
	}
	return out;
}

export async function segmentMembers(q: Querier, segment: string, now: Millis, limit: number, offset: number): Promise<MembershipRow[]> {
	const id = await segmentId(q, segment);
	const rows = await q.all(
		`SELECT customer_id, added_at, expires_at FROM segment_members WHERE segment_id = $1 AND ${active('$2')}
		ORDER BY customer_id LIMIT $3 OFFSET $4`,
		[id, now, limit, offset],
	);
	return rows.map(toMembership);
}

export async function segmentsOf(q: Querier, customerId: string, now: Millis): Promise<Array<{ segment: string } & MembershipRow>> {
	const rows = await q.all(
		`SELECT s.name, m.customer_id, m.added_at, m.expires_at FROM segment_members m JOIN segments s ON s.id = m.segment_id
		WHERE m.customer_id = $1 AND (m.expires_at IS NULL OR m.expires_at > $2) ORDER BY s.name`,
		[customerId, now],
	);
	return rows.map((row) => ({ segment: String(row.name), ...toMembership(row) }));
}
