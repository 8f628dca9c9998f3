/**
 * Timestamps: `"YYYY-MM-DD HH:MM:SS.ffffff"` text (UTC by ToteSys convention, docs/design.md section 2; no zone;
 * 0 to 6 fractional digits in, always 6 out) and bigint microseconds since 1970-01-01 00:00:00 (Arrow/Parquet
 * timestamp(us), no time zone). Never through a JS `Date`; exact to the microsecond.
 *
 * @module
 */
import { MAX_DAYS, MIN_DAYS } from "./civil.ts";
import { dateProblemAt, daysAt, formatDate } from "./date.ts";
import { ValueError } from "./error.ts";
import { SPACE } from "./_text.ts";
import { formatTimeMicros, NOT_A_TIME, NOT_A_TIME_OF_DAY, scanTime } from "./time.ts";

const MICROS_PER_DAY = 86_400_000_000n;

/**
 * Checks timestamp text; returns the microseconds since midnight of its time of day (its date is checked, not
 * converted). Throws the {@link ValueError} of its problem.
 */
function checkTimestamp(text: string, column: string): number {
  const shaped = text.length >= 19 && text.charCodeAt(10) === SPACE;
  const date = shaped ? dateProblemAt(text, 0) : "shape";
  const micros = date === undefined ? scanTime(text, 11) : 0;
  if (date === "shape" || micros === NOT_A_TIME) {
    throw new ValueError(column, text, "shape", "not a timestamp YYYY-MM-DD HH:MM:SS.ffffff");
  }
  if (date) throw new ValueError(column, text, "calendar", "not a calendar date");
  if (micros === NOT_A_TIME_OF_DAY) throw new ValueError(column, text, "calendar", "not a time of day");
  return micros;
}

/**
 * Parses a timestamp `"YYYY-MM-DD HH:MM:SS.ffffff"` (UTC, no zone) into microseconds since 1970-01-01 00:00:00:
 * `"1970-01-01 00:00:00.000001"` → `1n`.
 *
 * @throws ValueError naming the column and quoting the text when it is not in that form (`shape`), not a
 *   calendar date or not a time of day (`calendar`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTimestamp } from "./mod.ts";
 * assert.equal(parseTimestamp("1970-01-02 00:00:00.000001"), 86_400_000_001n);
 * ```
 */
export function parseTimestamp(text: string, column = "value"): bigint {
  const micros = checkTimestamp(text, column);
  return BigInt(daysAt(text, 0)) * MICROS_PER_DAY + BigInt(micros);
}

/**
 * Formats epoch microseconds as `"YYYY-MM-DD HH:MM:SS.ffffff"` (UTC), always with 6 fractional digits:
 * `-1n` → `"1969-12-31 23:59:59.999999"`.
 *
 * @throws ValueError (problem `range`) when the date is outside 0001-01-01..9999-12-31.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTimestamp } from "./mod.ts";
 * assert.equal(formatTimestamp(-1n), "1969-12-31 23:59:59.999999");
 * ```
 */
export function formatTimestamp(micros: bigint): string {
  let days = micros / MICROS_PER_DAY;
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  if (days < BigInt(MIN_DAYS) || days > BigInt(MAX_DAYS)) {
    throw new ValueError("timestamp", micros, "range", "not within 0001-01-01..9999-12-31", "decode");
  }
  return `${formatDate(Number(days))} ${formatTimeMicros(Number(rest))}`;
}

/**
 * Splits timestamp text into its date and its time of day, as text, after checking it: no conversion, the
 * fraction padded to 6 digits (microseconds kept). UTC in, UTC out.
 *
 * @throws ValueError as {@link parseTimestamp}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitTimestamp } from "./mod.ts";
 * assert.deepEqual(splitTimestamp("2022-11-03 14:20:49.962"), ["2022-11-03", "14:20:49.962000"]);
 * ```
 */
export function splitTimestamp(text: string, column = "value"): [date: string, time: string] {
  checkTimestamp(text, column);
  const fraction = text.length > 20 ? text.slice(20).padEnd(6, "0") : "000000";
  return [text.slice(0, 10), `${text.slice(11, 19)}.${fraction}`];
}

/**
 * Timestamp text with exactly 6 fractional digits, checked: `"2022-11-03 14:20:49.962"` →
 * `"2022-11-03 14:20:49.962000"`.
 *
 * @throws ValueError as {@link parseTimestamp}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseTimestamp } from "./mod.ts";
 * assert.equal(normaliseTimestamp("2022-11-03 14:20:49"), "2022-11-03 14:20:49.000000");
 * ```
 */
export function normaliseTimestamp(text: string, column = "value"): string {
  const [date, time] = splitTimestamp(text, column);
  return `${date} ${time}`;
}

/**
 * ToteSys timestamp text of an ISO 8601 UTC instant as JS writes it (`toISOString()`): the `T` becomes a space
 * and the `Z` goes; the fractional digits stay as they are (milliseconds). Text to text, not checked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { timestampOfIso } from "./mod.ts";
 * assert.equal(timestampOfIso("2026-11-30T10:00:01.123Z"), "2026-11-30 10:00:01.123");
 * ```
 */
export function timestampOfIso(iso: string): string {
  return iso.replace("T", " ").replace("Z", "");
}
