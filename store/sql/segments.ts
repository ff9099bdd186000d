import { InputError, NotFoundError } from '../../core/errors';
import type { Millis, MembershipRow, SegmentAdd, SegmentRow } from '../../core/store';
import type { Querier, Row } from '../driver';
import { likePattern, opt } from './util';

const toSegment = (row: Row): SegmentRow => ({
	id: Number(row.id),
	name: String(row.name),
	createdAt: Number(row.created_at),
	members: Number(row.members ?? 0),
});

const toMembership = (row: Row): MembershipRow => ({
	customerId: String(row.customer_id),
	addedAt: Number(row.added_at),
	expiresAt: opt(row.expires_at),
});

const SEGMENT_COLUMNS = `s.id, s.name, s.created_at,
	(SELECT COUNT(*) FROM segment_members m WHERE m.segment_id = s.id) AS members`;

export async function segmentId(q: Querier, name: string): Promise<number> {
	const row = await q.get('SELECT id FROM segments WHERE name = $1', [name]);
	if (!row) {
		throw new NotFoundError('segment', 'Segment', name, 'Pick a segment from the list, check the spelling, or create it first (Customer Segment > Create, or "Create If Missing" on Add).');
	}
	return Number(row.id);
}

export async function listSegments(q: Querier, search = ''): Promise<SegmentRow[]> {
	const rows = await q.all(
		`SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE lower(s.name) LIKE $1 ESCAPE '\\' ORDER BY s.name LIMIT 500`,
		[likePattern(search)],
	);
	return rows.map(toSegment);
}

export async function ensureSegments(q: Querier, names: string[], now: Millis): Promise<SegmentRow[]> {
	const rows: SegmentRow[] = [];
	for (const name of names) {
		await q.run('INSERT INTO segments (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, now]);
		rows.push(toSegment((await q.get(`SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.name = $1`, [name]))!));
	}
	return rows;
}

export async function renameSegment(q: Querier, from: string, to: string): Promise<SegmentRow> {
	const id = await segmentId(q, from);
	if (from !== to && (await q.get('SELECT id FROM segments WHERE name = $1', [to]))) {
		throw new InputError('newName', `a segment named "${to}" already exists`, 'Choose another name, or delete the other segment first.');
	}
	await q.run('UPDATE segments SET name = $2 WHERE id = $1', [id, to]);
	return toSegment((await q.get(`SELECT ${SEGMENT_COLUMNS} FROM segments s WHERE s.id = $1`, [id]))!);
}

export async function deleteSegment(q: Querier, name: string): Promise<{ removedMembers: number }> {
	const id = await segmentId(q, name);
	const removedMembers = await q.run('DELETE FROM segment_members WHERE segment_id = $1', [id]);
	await q.run('DELETE FROM segments WHERE id = $1', [id]);
	return { removedMembers };
}

export async function segmentAdd(
	q: Querier,
	segment: string,
	adds: SegmentAdd[],
	now: Millis,
): Promise<Array<MembershipRow & { added: boolean }>> {
	const id = await segmentId(q, segment);
	const out: Array<MembershipRow & { added: boolean }> = [];
	for (const { customerId, until } of adds) {
		const expiresAt = until ?? null;
		const inserted = await q.get(
			`INSERT INTO segment_members (segment_id, customer_id, added_at, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (segment_id, customer_id) DO NOTHING RETURNING customer_id, added_at, expires_at`,
			[id, customerId, now, expiresAt],
		);
		if (inserted) {
			out.push({ ...toMembership(inserted), added: true });
			continue;
		}
		// An expired membership counts as not in: adding again starts a new one.
		const renewed = await q.get(
			`UPDATE segment_members SET added_at = $3, expires_at = $4
			WHERE segment_id = $1 AND customer_id = $2 AND expires_at IS NOT NULL AND expires_at <= $3
			RETURNING customer_id, added_at, expires_at`,
			[id, customerId, now, expiresAt],
		);
		if (renewed) {
			out.push({ ...toMembership(renewed), added: true });
			continue;
		}
		const kept = await q.get(
			`UPDATE segment_members SET expires_at = $3 WHERE segment_id = $1 AND customer_id = $2
			RETURNING customer_id, added_at, expires_at`,
			[id, customerId, expiresAt],
		);
		out.push({ ...toMembership(kept!), added: false });
	}
	return out;
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
