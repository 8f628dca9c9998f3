/**
 * Checked conversions of ingested values (JSON from lib/ingest) into warehouse values. Each throws a
 * {@link BadRowError} naming table, key, column and value.
 *
 * @module
 */
import { civilFromDays, daysFromCivil, parseTimestamp } from "../time.ts";
import { BadRowError } from "./bad_row.ts";

/** A source row as ingested: JSON values. */
export type SourceRow = Record<string, unknown>;

/** Reads a NOT NULL integer column. */
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

/** Reads a nullable integer column. */
export function intOrNull(table: string, row: SourceRow, key: number, col: string): number | null {
  return row[col] == null ? null : int(table, row, key, col);
}

/** Reads a NOT NULL text column. */
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

/** Reads a nullable text column. */
export function textOrNull(table: string, row: SourceRow, key: number, col: string): string | null {
  return row[col] == null ? null : text(table, row, key, col);
}

/** Reads a NOT NULL boolean column. */
export function bool(table: string, row: SourceRow, key: number, col: string): boolean {
  const v = row[col];
  if (typeof v !== "boolean") throw new BadRowError(table, key, col, v ?? null, "is not a boolean");
  return v;
}

const MONEY_RE = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Reads an exact money value (NUMERIC text) as text with two decimals, e.g. `"3.9"` → `"3.90"`, `"3.940"` →
 * `"3.94"`. Never goes through binary floating point. Rejects a value whose digits beyond the second decimal are
 * not all zero (it would have to be rounded) and one with more than `integerDigits` digits before the point (it
 * would not fit the warehouse column: numeric(10,2) allows 8; the Parquet decimal(12,2) allows 10).
 */
export function money(table: string, row: SourceRow, key: number, col: string, integerDigits = 10): string {
  const v = row[col];
  const m = typeof v === "string" ? MONEY_RE.exec(v) : null;
  if (!m) throw new BadRowError(table, key, col, v ?? null, "is not an exact amount");
  const frac = m[3] ?? "";
  if (/[1-9]/.test(frac.slice(2))) {
    throw new BadRowError(table, key, col, v, "has more than 2 decimals; it would have to be rounded");
  }
  const whole = m[2]!.replace(/^0+(?=\d)/, "");
  if (whole.length > integerDigits) {
    throw new BadRowError(table, key, col, v, `has more than ${integerDigits} digits before the point`);
  }
  return `${m[1]}${whole}.${frac.slice(0, 2).padEnd(2, "0")}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Checks `YYYY-MM-DD` text and returns its day number since 1970-01-01, or throws naming the row. */
export function dateDays(table: string, row: SourceRow, key: number, col: string): number {
  const v = row[col];
  const m = typeof v === "string" ? DATE_RE.exec(v) : null;
  if (!m) throw new BadRowError(table, key, col, v ?? null, "is not a date (YYYY-MM-DD)");
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = daysFromCivil(y, mo, d);
  const [cy, cm, cd] = civilFromDays(days);
  if (cy !== y || cm !== mo || cd !== d) throw new BadRowError(table, key, col, v, "is not a calendar date");
  return days;
}

/**
 * Splits a timestamp (`YYYY-MM-DD HH:MM:SS.ffffff`) into its date and its time (microseconds kept), checking it.
 * @returns `[date text, time text, day number]`.
 */
export function splitTimestamp(
  table: string,
  row: SourceRow,
  key: number,
  col: string,
): [date: string, time: string, days: number] {
  const v = row[col];
  if (typeof v !== "string") throw new BadRowError(table, key, col, v ?? null, "is not a timestamp");
  let us: bigint;
  try {
    us = parseTimestamp(v);
  } catch {
    throw new BadRowError(table, key, col, v, "is not a timestamp (YYYY-MM-DD HH:MM:SS.ffffff)");
  }
  const days = Number(us / 86_400_000_000n) - (us < 0n && us % 86_400_000_000n !== 0n ? 1 : 0);
  const frac = v.length > 20 ? v.slice(20).padEnd(6, "0") : "000000";
  return [v.slice(0, 10), `${v.slice(11, 19)}.${frac}`, days];
}
