/**
 * Column readers of the rules: one column of an ingested row (JSON from lib/ingest) read as a warehouse value,
 * checked. Dates, timestamps and money are checked by lib/values and stay text; each reader throws a
 * {@link BadRowError} naming table, key, column and value, in the transform's words.
 *
 * @module
 */
import {
  checkDate,
  DECIMAL_INTEGER_DIGITS,
  normaliseAmount,
  splitTimestamp as valueSplitTimestamp,
  ValueError,
  type ValueProblem,
} from "../../values/mod.ts";
import { BadRowError } from "../bad_row.ts";

/** A source row as ingested: JSON values. */
export type SourceRow = Record<string, unknown>;

/** Reads a NOT NULL integer column. @throws BadRowError when it is NULL or not an integer. */
export function int(table: string, row: SourceRow, key: number, col: string): number {
  const v = row[col];
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new BadRowError(
      table,
      key,
      col,
      v ?? null,
      v == null ? "is NULL; the warehouse needs a value" : "is not an integer",
    );
  }
  return v;
}

/** Reads a nullable integer column (`null` stays `null`). @throws BadRowError when it is not an integer. */
export function intOrNull(table: string, row: SourceRow, key: number, col: string): number | null {
  return row[col] == null ? null : int(table, row, key, col);
}

/** Reads a NOT NULL text column. @throws BadRowError when it is NULL or not text. */
export function text(table: string, row: SourceRow, key: number, col: string): string {
  const v = row[col];
  if (typeof v !== "string") {
    throw new BadRowError(
      table,
      key,
      col,
      v ?? null,
      v == null ? "is NULL; the warehouse needs a value" : "is not text",
    );
  }
  return v;
}

/** Reads a nullable text column (`null` stays `null`). @throws BadRowError when it is not text. */
export function textOrNull(table: string, row: SourceRow, key: number, col: string): string | null {
  return row[col] == null ? null : text(table, row, key, col);
}

/** Reads a NOT NULL boolean column. @throws BadRowError when it is not a boolean. */
export function bool(table: string, row: SourceRow, key: number, col: string): boolean {
  const v = row[col];
  if (typeof v !== "boolean") throw new BadRowError(table, key, col, v ?? null, "is not a boolean");
  return v;
}

/** The BadRowError of a value that lib/values refused, in the transform's words. */
function refused(
  table: string,
  key: number,
  col: string,
  value: unknown,
  err: unknown,
  reasons: Partial<Record<ValueProblem, string>>,
): never {
  if (!(err instanceof ValueError)) throw err;
  throw new BadRowError(table, key, col, value, reasons[err.problem] ?? `is not valid: ${err.reason}`);
}

/**
 * Reads an exact money value (NUMERIC text) as text with two decimals, e.g. `"3.9"` → `"3.90"`, `"3.940"` →
 * `"3.94"` (lib/values {@link normaliseAmount}: text to text, never through binary floating point). Rejects a
 * value whose digits beyond the second decimal are not all zero (it would have to be rounded) and one with more
 * than `integerDigits` digits before the point (it would not fit: numeric(10,2) allows 8; the Parquet
 * decimal(12,2) allows 10, the default).
 */
export function money(
  table: string,
  row: SourceRow,
  key: number,
  col: string,
  integerDigits = DECIMAL_INTEGER_DIGITS,
): string {
  const v = row[col];
  if (typeof v !== "string") throw new BadRowError(table, key, col, v ?? null, "is not an exact amount");
  try {
    return normaliseAmount(v, integerDigits, col);
  } catch (err) {
    refused(table, key, col, v, err, {
      shape: "is not an exact amount",
      decimals: "has more than 2 decimals; it would have to be rounded",
      range: `has more than ${integerDigits} digits before the point`,
    });
  }
}

/** Reads `YYYY-MM-DD` text, checked as a calendar date and kept as text (no day number), or throws naming the row. */
export function date(table: string, row: SourceRow, key: number, col: string): string {
  const v = row[col];
  if (typeof v !== "string") throw new BadRowError(table, key, col, v ?? null, "is not a date (YYYY-MM-DD)");
  try {
    return checkDate(v, col);
  } catch (err) {
    refused(table, key, col, v, err, {
      shape: "is not a date (YYYY-MM-DD)",
      calendar: "is not a calendar date",
    });
  }
}

/**
 * Splits a timestamp (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC) into its date and its time of day as text (microseconds
 * kept, 6 fractional digits), checking it; no conversion (lib/values {@link valueSplitTimestamp}).
 */
export function splitTimestamp(
  table: string,
  row: SourceRow,
  key: number,
  col: string,
): [date: string, time: string] {
  const v = row[col];
  if (typeof v !== "string") throw new BadRowError(table, key, col, v ?? null, "is not a timestamp");
  try {
    return valueSplitTimestamp(v, col);
  } catch (err) {
    refused(table, key, col, v, err, {
      shape: "is not a timestamp (YYYY-MM-DD HH:MM:SS.ffffff)",
      calendar: "is not a timestamp (YYYY-MM-DD HH:MM:SS.ffffff)",
    });
  }
}

/** A table's primary key `<table>_id` (read before the key is known: errors name key 0). */
export function pk(table: string, row: SourceRow): number {
  return int(table, row, 0, `${table}_id`);
}

/** A row's `last_updated`, as text (the dimension row's version, `source_last_updated`). */
export function lastUpdated(table: string, row: SourceRow): string {
  return text(table, row, pk(table, row), "last_updated");
}

/** The later of two timestamps of the same text form. */
export function later(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * A fact's four stamp columns: `created_at` and `last_updated` split into a date and a time of day (UTC,
 * microseconds kept), as the Northcoders ERD has them.
 */
export function stamps(table: string, row: SourceRow, key: number): Record<string, string> {
  const [createdDate, createdTime] = splitTimestamp(table, row, key, "created_at");
  const [updatedDate, updatedTime] = splitTimestamp(table, row, key, "last_updated");
  return {
    created_date: createdDate,
    created_time: createdTime,
    last_updated_date: updatedDate,
    last_updated_time: updatedTime,
  };
}
