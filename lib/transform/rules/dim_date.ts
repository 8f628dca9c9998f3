/**
 * dim_date: a contiguous calendar (issue 4; docs/design.md section 5).
 *
 * Conventions (also in the warehouse DDL comments): `date_id` is the date; `day_of_week` is ISO 8601,
 * 1 = Monday … 7 = Sunday; `day_name` and `month_name` are English, unpadded ("Monday", "March"); `quarter` is
 * 1..4. The range is whole calendar years: from 1 January of the earliest referenced date's year to
 * 31 December of the latest's, which gives every referenced date (future agreed dates included) a margin.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { addDays, civilFromDays, formatDate, isoWeekday, parseDate } from "../../values/mod.ts";

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * The whole-year range `[first, last]` (YYYY-MM-DD) covering dates `min` to `max` (YYYY-MM-DD text).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dateRangeCovering } from "./dim_date.ts";
 * assert.deepEqual(dateRangeCovering("2022-11-03", "2024-12-01"), ["2022-01-01", "2024-12-31"]);
 * ```
 */
export function dateRangeCovering(min: string, max: string): [string, string] {
  return [`${min.slice(0, 4)}-01-01`, `${max.slice(0, 4)}-12-31`];
}

/** The union range of two ranges (either may be null). */
export function unionRange(
  a: [string, string] | null,
  b: [string, string] | null,
): [string, string] | null {
  if (!a) return b;
  if (!b) return a;
  return [a[0] < b[0] ? a[0] : b[0], a[1] > b[1] ? a[1] : b[1]];
}

/** The day before `date` (YYYY-MM-DD). @throws ValueError (lib/values) when `date` is not a calendar date. */
export function dayBefore(date: string): string {
  return addDays(date, -1);
}

/** The day after `date` (YYYY-MM-DD). @throws ValueError (lib/values) when `date` is not a calendar date. */
export function dayAfter(date: string): string {
  return addDays(date, 1);
}

/**
 * One dim_date row per day from `first` to `last` inclusive (YYYY-MM-DD), in date order, generated lazily so a
 * wide range (dates such as 9999-12-31 occur as "open-ended" markers) never sits in memory at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimDateRows } from "./dim_date.ts";
 * const [row] = dimDateRows("2024-02-29", "2024-02-29");
 * assert.deepEqual(row, { date_id: "2024-02-29", year: 2024, month: 2, day: 29, day_of_week: 4,
 *   day_name: "Thursday", month_name: "February", quarter: 1 });
 * ```
 */
export function* dimDateRows(first: string, last: string): Generator<WarehouseRow> {
  const from = parseDate(first);
  const to = parseDate(last);
  for (let d = from; d <= to; d++) {
    const [year, month, day] = civilFromDays(d);
    const isoDow = isoWeekday(d);
    yield {
      date_id: formatDate(d),
      year,
      month,
      day,
      day_of_week: isoDow,
      day_name: DAY_NAMES[isoDow - 1]!,
      month_name: MONTH_NAMES[month - 1]!,
      quarter: Math.floor((month - 1) / 3) + 1,
    };
  }
}

/**
 * The dim_date rows of `next` that `prev` lacks (ranges only grow): at most two stretches, in date order. Loads
 * apply runs in order, so each run writes only the days its dates add to the range.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newDateRows } from "./dim_date.ts";
 * const rows = [...newDateRows(["2023-01-01", "2023-12-31"], ["2022-01-01", "2024-12-31"])];
 * assert.equal(rows.length, 365 + 366);
 * assert.equal(rows[0]!.date_id, "2022-01-01");
 * ```
 */
export function* newDateRows(prev: [string, string] | null, next: [string, string]): Generator<WarehouseRow> {
  if (!prev) {
    yield* dimDateRows(next[0], next[1]);
    return;
  }
  if (next[0] < prev[0]) yield* dimDateRows(next[0], dayBefore(prev[0]));
  if (next[1] > prev[1]) yield* dimDateRows(dayAfter(prev[1]), next[1]);
}
