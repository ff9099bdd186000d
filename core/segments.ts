/**
 * Customer Segment: membership with optional expiry.
 */
import { customerIdOf, requireText } from './check';
import { MAX_NAME_LENGTH } from './limits';
import type { SegmentAdd } from './store';
import { addDuration, DURATION_UNITS, normalizeAmount, parseInstant, type DurationUnit } from './time';
import { oneOf } from './check';

export function segmentName(value: unknown, field = 'segment'): string {
	return requireText(value, field, 'Pick a segment from the list or type its name, e.g. Big spenders.', MAX_NAME_LENGTH);
}

export type MembershipLength =
	| { kind: 'forever' }
	| { kind: 'until'; until: unknown }
	| { kind: 'for'; amount: unknown; unit: unknown };

export function prepareAdd(customerId: unknown, length: MembershipLength, now: number, zone = 'UTC'): SegmentAdd {
	const id = customerIdOf(customerId);
	if (length.kind === 'until') return { customerId: id, until: parseInstant(length.until, 'until') };
	if (length.kind === 'for') {
		const unit = oneOf(length.unit, DURATION_UNITS, 'durationUnit') as DurationUnit;
		return { customerId: id, until: addDuration(now, normalizeAmount(length.amount, 'duration'), unit, zone, 'duration') };
	}
	return { customerId: id };
}
