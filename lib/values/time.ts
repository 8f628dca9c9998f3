/**
 * Times of day: `"HH:MM:SS.ffffff"` text (UTC by ToteSys convention, no zone; 0 to 6 fractional digits in,
 * always 6 out) and microseconds since midnight (Arrow/Parquet time64(us)). Exact to the microsecond.
 *
 * @module
 */
import { ValueError } from "./error.ts";
import { COLON, digitsAt, pad, POINT, TWO_DIGITS } from "./_text.ts";

/** Microseconds in a second. */
export const MICROS_PER_SECOND = 1_000_000;
/** Microseconds in a day, as a number (exact: below 2^53). */
export const MICROS_PER_DAY = 86_400_000_000;

const FRACTION_SCALE = [1, 100_000, 10_000, 1000, 100, 10, 1];

/** {@link scanTime}'s result for text that is not `HH:MM:SS[.f{1,6}]`. */
export const NOT_A_TIME = -1;
/** {@link scanTime}'s result for the right shape but no time of day (hour 24, minute 60). */
export const NOT_A_TIME_OF_DAY = -2;

/**
 * Microseconds since midnight of the `HH:MM:SS[.f{1,6}]` from `start` to the end of `text`, in one pass: an
 * integer number (< 86_400_000_000, so exact), or {@link NOT_A_TIME} / {@link NOT_A_TIME_OF_DAY}. Internal to the
 * values module.
 */
export function scanTime(text: string, start: number): number {
  const length = text.length - start;
  const fractionDigits = length - 9;
  if (length !== 8 && !(fractionDigits >= 1 && fractionDigits <= 6)) return NOT_A_TIME;
  const hours = digitsAt(text, start, 2);
  const minutes = digitsAt(text, start + 3, 2);
  const seconds = digitsAt(text, start + 6, 2);
  const fraction = length === 8 ? 0 : digitsAt(text, start + 9, fractionDigits);
  if (
    hours < 0 || minutes < 0 || seconds < 0 || fraction < 0 || text.charCodeAt(start + 2) !== COLON ||
    text.charCodeAt(start + 5) !== COLON || (length > 8 && text.charCodeAt(start + 8) !== POINT)
  ) {
    return NOT_A_TIME;
  }
  if (hours > 23 || minutes > 59 || seconds > 59) return NOT_A_TIME_OF_DAY;
  return ((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND +
    fraction * FRACTION_SCALE[length === 8 ? 0 : fractionDigits]!;
}

/**
 * Parses a time of day into microseconds since midnight as an exact integer number (below 2^37), without a
 * bigint: the Parquet writer's fast path. See {@link parseTime}.
 */
export function parseTimeMicros(text: string, column = "value"): number {
  const micros = scanTime(text, 0);
  if (micros === NOT_A_TIME) throw new ValueError(column, text, "shape", "not a time HH:MM:SS.ffffff");
  if (micros === NOT_A_TIME_OF_DAY) throw new ValueError(column, text, "calendar", "not a time of day");
  return micros;
}

/** Formats microseconds since midnight, an integer number in [0, 86_400_000_000), unchecked: see {@link formatTime}. */
export function formatTimeMicros(micros: number): string {
  const fraction = micros % MICROS_PER_SECOND;
  const totalSeconds = (micros - fraction) / MICROS_PER_SECOND;
  const seconds = totalSeconds % 60;
  const totalMinutes = (totalSeconds - seconds) / 60;
  const minutes = totalMinutes % 60;
  const hours = (totalMinutes - minutes) / 60;
  return `${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${pad(fraction, 6)}`;
}

/**
 * Parses a time of day `"HH:MM:SS.ffffff"` into microseconds since midnight: `"00:00:01.5"` → `1_500_000n`.
 *
 * Takes the text (0 to 6 fractional digits, the point omitted with none; hours 00–23) and the column name for
 * messages; returns bigint microseconds (Arrow time64(us)).
 *
 * @throws ValueError naming the column and quoting the text when it is not a time of day.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseTime } from "./mod.ts";
 * assert.equal(parseTime("10:00:00.500123"), 36_000_500_123n);
 * ```
 */
export function parseTime(text: string, column = "value"): bigint {
  return BigInt(parseTimeMicros(text, column));
}

/**
 * Formats microseconds since midnight as `"HH:MM:SS.ffffff"`, always with 6 fractional digits:
 * `0n` → `"00:00:00.000000"`.
 *
 * @throws ValueError (problem `range`) outside [0, 86_400_000_000).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTime } from "./mod.ts";
 * assert.equal(formatTime(36_000_500_123n), "10:00:00.500123");
 * ```
 */
export function formatTime(micros: bigint): string {
  if (micros < 0n || micros >= BigInt(MICROS_PER_DAY)) {
    throw new ValueError("time", micros, "range", "not microseconds within a day", "decode");
  }
  return formatTimeMicros(Number(micros));
}
