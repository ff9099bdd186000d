/** Gregorian calendar facts that every date reader shares. */

export function isLeapYear(year: number): boolean {
	return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The days in `month` (1-12): 29 for February when the year is not known. */
export function daysInMonth(month: number, year?: number): number {
	if (month === 2 && year !== undefined && !isLeapYear(year)) return 28;
	return MONTH_DAYS[month - 1];
}
