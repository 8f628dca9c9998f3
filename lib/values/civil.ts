/**
 * Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), integers only: no JS `Date`,
 * no time zone (Howard Hinnant's `days_from_civil` / `civil_from_days`).
 *
 * @module
 */

/** 0001-01-01 in days since 1970-01-01: the first day written as `YYYY-MM-DD`. */
export const MIN_DAYS = -719_162;
/** 9999-12-31 in days since 1970-01-01: the last day written as `YYYY-MM-DD`. */
export const MAX_DAYS = 2_932_896;

/**
 * Days since 1970-01-01 of a calendar date (year, month 1–12, day 1–31); the date is not checked (see
 * {@link daysInMonth}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { daysFromCivil } from "./mod.ts";
 * assert.equal(daysFromCivil(1970, 1, 1), 0);
 * assert.equal(daysFromCivil(2024, 2, 29), 19_782);
 * ```
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The calendar date `[year, month, day]` of a day number since 1970-01-01 (inverse of {@link daysFromCivil}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { civilFromDays } from "./mod.ts";
 * assert.deepEqual(civilFromDays(-1), [1969, 12, 31]);
 * ```
 */
export function civilFromDays(days: number): [year: number, month: number, day: number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Whether `year` is a Gregorian leap year (2000 is, 1900 is not). */
export function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1–12) of `year`: 28 to 31. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month]!;
}

/**
 * ISO 8601 day of the week of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday, 4).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isoWeekday } from "./mod.ts";
 * assert.equal(isoWeekday(0), 4);
 * assert.equal(isoWeekday(-3), 1);
 * ```
 */
export function isoWeekday(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}
