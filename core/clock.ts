/**
 * The one injectable source of "now". Production code receives a Clock and never calls
 * Date.now() itself, so tests and replays can pin and move time.
 */
import { DateTime, type DurationLikeObject } from 'luxon';
import { parseInstant } from './time';

export interface Clock {
	/** Current instant in epoch milliseconds. */
	now(): number;
}

/** The real clock. */
export const systemClock: Clock = {
	now: () => Date.now(),
};

/** A clock that only moves when told to, for tests and simulations. */
export class ManualClock implements Clock {
	private current: number;

	/** `start`: epoch ms or an ISO 8601 string (without an offset it is read as UTC). */
	constructor(start: number | string) {
		this.current = parseInstant(start, 'start');
	}

	now(): number {
		return this.current;
	}

	/** Jump to an instant (epoch ms or ISO 8601), forwards or backwards. */
	set(instant: number | string): void {
		this.current = parseInstant(instant, 'instant');
	}

	/**
	 * Move by a duration: epoch ms, or a luxon duration object such as `{ days: 3, hours: 2 }`.
	 * Calendar units (days and up) are added in UTC, so `{ months: 1 }` from 31 January is
	 * 28/29 February. Negative values move backwards. Returns the new now.
	 */
	advance(by: DurationLikeObject | number): number {
		let next: number;
		if (typeof by === 'number') {
			next = this.current + by;
		} else {
			const moved = DateTime.fromMillis(this.current, { zone: 'utc' }).plus(by);
			next = moved.isValid ? moved.toMillis() : Number.NaN;
		}
		if (!Number.isFinite(next) || Math.abs(next) > 8.64e15) {
			throw new RangeError(`ManualClock.advance: ${JSON.stringify(by)} leaves the range of dates`);
		}
		this.current = next;
		return next;
	}
}
