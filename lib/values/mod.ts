/**
 * The one values module of the pipeline: dates, times of day, timestamps and money, as the exact text they
 * travel in (JSON Lines, warehouse rows, COPY) and as the integers Parquet stores. No JS `Date`, no floating
 * point, no time zone: dates are calendar days, times and timestamps UTC by ToteSys convention (docs/design.md
 * section 2), exact to the microsecond; money exact to the cent.
 *
 * Values change form only when they must: the transform checks date and timestamp text and keeps it as text
 * ({@link checkDate}, {@link splitTimestamp}); the Parquet codec turns text into integers and back
 * ({@link parseDate}/{@link formatDate} and the others). Every refusal is a {@link ValueError}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkDate, formatDecimal, normaliseAmount, parseDecimal, splitTimestamp } from "./mod.ts";
 * assert.deepEqual(splitTimestamp("2024-11-13 10:00:00.500123"), ["2024-11-13", "10:00:00.500123"]);
 * assert.equal(checkDate("2024-12-01"), "2024-12-01");
 * assert.equal(formatDecimal(parseDecimal(normaliseAmount("3.9"))), "3.90");
 * ```
 *
 * @module
 */
export * from "./civil.ts";
export { addDays, checkDate, formatDate, parseDate } from "./date.ts";
export * from "./decimal.ts";
export * from "./error.ts";
export {
  formatTime,
  formatTimeMicros,
  MICROS_PER_DAY,
  MICROS_PER_SECOND,
  parseTime,
  parseTimeMicros,
} from "./time.ts";
export * from "./timestamp.ts";
