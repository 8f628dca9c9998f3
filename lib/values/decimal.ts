/**
 * Money: exact decimal text (`"3.25"`, scale 2) and its unscaled integer (`325n`, Arrow/Parquet decimal128(12,2)).
 * Never through binary floating point, never rounded.
 *
 * @module
 */
import { ValueError } from "./error.ts";

/** Precision of the Parquet/Arrow decimal used for money: decimal128(12, 2) (docs/design.md section 4). */
export const DECIMAL_PRECISION = 12;
/** Scale of the Parquet/Arrow decimal used for money: 2 digits after the point. */
export const DECIMAL_SCALE = 2;
/** Digits before the point that decimal({@link DECIMAL_PRECISION},{@link DECIMAL_SCALE}) holds: 10. */
export const DECIMAL_INTEGER_DIGITS = DECIMAL_PRECISION - DECIMAL_SCALE;

/** Largest unscaled decimal(12,2) magnitude: 9999999999.99. */
const MAX_UNSCALED = 10n ** BigInt(DECIMAL_PRECISION) - 1n;
const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;
const AMOUNT_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses exact decimal text into its unscaled decimal(12,2) integer: `"3.25"` → `325n`, `"-0.01"` → `-1n`,
 * `"7"` → `700n`, `"7.5"` → `750n`.
 *
 * Takes the text (optional `-`, digits, optionally `.` and 1 or 2 digits) and the column name for messages;
 * returns the value times 100 as a bigint.
 *
 * @throws ValueError naming the column and quoting the text when it is not decimal text (`shape`), has more than 2
 *   decimal places (`decimals`: `"2.675"` is never rounded), or is outside ±9999999999.99 (`range`).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDecimal } from "./mod.ts";
 * assert.equal(parseDecimal("3.25"), 325n);
 * assert.throws(() => parseDecimal("2.675", "unit_price"), /more than 2 decimal places/);
 * ```
 */
export function parseDecimal(text: string, column = "value"): bigint {
  const m = DECIMAL_RE.exec(text);
  if (!m) {
    if (/^-?\d+\.\d{3,}$/.test(text)) {
      throw new ValueError(column, text, "decimals", "more than 2 decimal places");
    }
    throw new ValueError(column, text, "shape", "not decimal text like 3.25");
  }
  const unscaled = BigInt(`${m[1]}${m[2]}${(m[3] ?? "").padEnd(2, "0")}`);
  if (unscaled > MAX_UNSCALED || unscaled < -MAX_UNSCALED) {
    throw new ValueError(column, text, "range", "out of range for decimal(12,2)");
  }
  return unscaled;
}

/**
 * Formats an unscaled decimal(12,2) integer as canonical text with exactly 2 decimals: `325n` → `"3.25"`,
 * `-1n` → `"-0.01"`, `0n` → `"0.00"`.
 *
 * @throws ValueError (problem `range`) when the value is outside ±9999999999.99.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDecimal } from "./mod.ts";
 * assert.equal(formatDecimal(-1n), "-0.01");
 * ```
 */
export function formatDecimal(unscaled: bigint): string {
  if (unscaled > MAX_UNSCALED || unscaled < -MAX_UNSCALED) {
    throw new ValueError("decimal", unscaled, "range", "out of range for decimal(12,2)", "decode");
  }
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * Canonical money text of an exact amount as PostgreSQL's NUMERIC gives it (any number of decimals): exactly 2
 * decimals, leading zeros dropped, text to text (`"3.9"` → `"3.90"`, `"3.940"` → `"3.94"`, `"007"` → `"7.00"`).
 *
 * Takes the text, the most digits allowed before the point (default {@link DECIMAL_INTEGER_DIGITS}, what the
 * Parquet decimal(12,2) holds; a numeric(10,2) warehouse column allows 8) and the column name for messages.
 *
 * @throws ValueError: `shape` when it is not decimal text; `decimals` when a digit beyond the second decimal is
 *   not zero (it would have to be rounded); `range` when it has more than `integerDigits` digits before the point.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseAmount } from "./mod.ts";
 * assert.equal(normaliseAmount("3.940"), "3.94");
 * assert.throws(() => normaliseAmount("123456789.00", 8), /more than 8 digits before the point/);
 * ```
 */
export function normaliseAmount(
  text: string,
  integerDigits = DECIMAL_INTEGER_DIGITS,
  column = "value",
): string {
  const m = AMOUNT_RE.exec(text);
  if (!m) throw new ValueError(column, text, "shape", "not an exact amount");
  const fraction = m[3] ?? "";
  if (/[1-9]/.test(fraction.slice(DECIMAL_SCALE))) {
    throw new ValueError(column, text, "decimals", `more than ${DECIMAL_SCALE} decimals`);
  }
  const whole = m[2]!.replace(/^0+(?=\d)/, "");
  if (whole.length > integerDigits) {
    throw new ValueError(column, text, "range", `more than ${integerDigits} digits before the point`);
  }
  return `${m[1]}${whole}.${fraction.slice(0, DECIMAL_SCALE).padEnd(DECIMAL_SCALE, "0")}`;
}
