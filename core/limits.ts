/**
 * The bounds on input, in one place: every value that reaches the store has passed them, so both
 * dialects hold the same values and refuse the same ones, before anything is written.
 */

/** The earliest instant an event, a registration or a birth may have: 1900-01-01T00:00:00Z. */
export const EARLIEST_INSTANT_MS = Date.UTC(1900, 0, 1);
export const EARLIEST_YEAR = 1900;

/** How far ahead of now a sender's clock may run: an event may be at most one day in the future. */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;
