/**
 * Dates: `"YYYY-MM-DD"` text (years 0001–9999, proleptic Gregorian, no time zone: a calendar day) and day
 * numbers since 1970-01-01 (Arrow/Parquet date32).
 *
 * @module
 */
import { civilFromDays, daysFromCivil, daysInMonth, MAX_DAYS, MIN_DAYS } from "./civil.ts";
import { ValueError } from "./error.ts";
import { DASH, digitsAt, pad } from "./_text.ts";

/**
 * Checks the `YYYY-MM-DD` at `start` of `text` without converting it: `undefined` when it is a calendar date,
 * otherwise the problem (`shape` or `calendar`). Internal to the values module (timestamps reuse it).
 */
export function dateProblemAt(text: string, start: number): "shape" | "calendar" | undefined {
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  if (
    year < 0 || month < 0 || day < 0 || text.charCodeAt(start + 4) !== DASH ||
    text.charCodeAt(start + 7) !== DASH
  ) {
    return "shape";
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return "calendar";
  return undefined;
}

/** Days since 1970-01-01 of the `YYYY-MM-DD` at `start` of `text`, which {@link dateProblemAt} accepted. */
export function daysAt(text: string, start: number): number {
  return daysFromCivil(digitsAt(text, start, 4), digitsAt(text, start + 5, 2), digitsAt(text, start + 8, 2));
}

/** Throws the {@link ValueError} of a date problem. */
export function dateError(column: string, text: string, problem: "shape" | "calendar"): never {
  throw problem === "shape"
    ? new ValueError(column, text, "shape", "not a date YYYY-MM-DD")
    : new ValueError(column, text, "calendar", "not a calendar date");
}

/**
 * Checks date text, keeping it as text (no round trip through a day number): returns `text` itself.
 *
 * @throws ValueError naming `column` and quoting the text: problem `shape` when it is not `YYYY-MM-DD`,
 *   `calendar` when it is no calendar day (`"2024-02-30"`, `"2023-02-29"`, `"0000-01-01"`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkDate } from "./mod.ts";
 * assert.equal(checkDate("2024-02-29"), "2024-02-29");
 * assert.throws(() => checkDate("2023-02-29", "payment_date"), /not a calendar date/);
 * ```
 */
export function checkDate(text: string, column = "value"): string {
  const problem = text.length === 10 ? dateProblemAt(text, 0) : "shape";
  if (problem) dateError(column, text, problem);
  return text;
}

/**
 * Parses a date `"YYYY-MM-DD"` into days since 1970-01-01: `"1970-01-01"` → 0, `"1969-12-31"` → -1.
 *
 * Takes the text (years 0001–9999) and the column name for messages; returns the day number (Arrow date32).
 *
 * @throws ValueError naming the column and quoting the text when it is not in that form or not a calendar date
 *   (`"2024-02-30"`, `"2023-02-29"`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDate } from "./mod.ts";
 * assert.equal(parseDate("2024-02-29"), 19_782);
 * ```
 */
export function parseDate(text: string, column = "value"): number {
  return daysAt(checkDate(text, column), 0);
}

/**
 * Formats days since 1970-01-01 as `"YYYY-MM-DD"`: 0 → `"1970-01-01"`, 19_782 → `"2024-02-29"`.
 *
 * Takes an integer day number between 0001-01-01 (-719162) and 9999-12-31 (2932896); returns the text.
 *
 * @throws ValueError (problem `range`) outside that range or on a non-integer.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDate } from "./mod.ts";
 * assert.equal(formatDate(19_782), "2024-02-29");
 * ```
 */
export function formatDate(days: number): string {
  if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
    throw new ValueError("date", days, "range", "not a day between 0001-01-01 and 9999-12-31", "decode");
  }
  const [year, month, day] = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * The date `count` days after `date` (before, when negative), as `YYYY-MM-DD` text.
 *
 * @throws ValueError as {@link parseDate} and {@link formatDate}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { addDays } from "./mod.ts";
 * assert.equal(addDays("2024-02-28", 1), "2024-02-29");
 * assert.equal(addDays("2025-01-01", -1), "2024-12-31");
 * ```
 */
export function addDays(date: string, count: number): string {
  return formatDate(parseDate(date) + count);
}
