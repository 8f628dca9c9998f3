/**
 * Bad source rows: the error that names them, and the quarantine record.
 *
 * Policy (issue 4; `TRANSFORM_BAD_ROWS`): `fail` (the default) stops the run with a {@link BadRowError} naming
 * table, key, column and value, so nothing reaches the warehouse until the row is fixed at the source or the
 * policy is changed; `quarantine` writes the row to `_quarantine/` in the processed zone, lists it in the
 * transform manifest and goes on. Either way no row vanishes silently.
 *
 * @module
 */

/** What to do with a row that cannot become a warehouse row. */
export type BadRowPolicy = "fail" | "quarantine";

/**
 * A source row that cannot be transformed. The message names table, key, column and value:
 * `Cannot transform sales_order 5031: agreed_payment_date "2024-02-30" is not a calendar date`.
 */
export class BadRowError extends Error {
  /**
   * @param table the source table whose row is bad (or the joined table whose row makes it bad)
   * @param key that row's primary key
   * @param column the column at fault
   * @param value its value as ingested
   * @param reason what is wrong, starting with a verb ("is not a calendar date")
   */
  constructor(
    readonly table: string,
    readonly key: string | number,
    readonly column: string,
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`Cannot transform ${table} ${key}: ${column} ${quoteValue(value)} ${reason}`);
    this.name = "BadRowError";
  }
}

/** Characters of a bad value quoted in full in an error message; a longer one is cut there. */
export const QUOTED_VALUE_CHARS = 200;

/**
 * A bad value as an error quotes it: its JSON, cut after {@link QUOTED_VALUE_CHARS} characters with the whole
 * length said, so that a huge value cannot push the reason off the end of a log line (CloudWatch keeps 256 KB of
 * an event). The quarantine record keeps the whole value.
 *
 * @example
 * ```ts
 * import { quoteValue } from "./bad_row.ts";
 * quoteValue("2024-02-30"); // '"2024-02-30"'
 * quoteValue("x".repeat(1000)).endsWith('…" (1,000 characters)'); // true
 * ```
 */
export function quoteValue(value: unknown): string {
  if (typeof value !== "string" || value.length <= QUOTED_VALUE_CHARS) {
    return JSON.stringify(value) ?? String(value);
  }
  // not between the two halves of a surrogate pair (an emoji)
  const end = /[\uD800-\uDBFF]/.test(value[QUOTED_VALUE_CHARS - 1]!)
    ? QUOTED_VALUE_CHARS - 1
    : QUOTED_VALUE_CHARS;
  const head = JSON.stringify(value.slice(0, end));
  return `${head.slice(0, -1)}…" (${value.length.toLocaleString("en-GB")} characters)`;
}

/** A quarantined row: the reason and the source row as ingested. */
export interface QuarantineRecord {
  source_table: string;
  key: string | number;
  column: string;
  value: unknown;
  reason: string;
  row: Record<string, unknown>;
}

/** The quarantine record of a bad row. */
export function quarantineRecord(err: BadRowError, row: Record<string, unknown>): QuarantineRecord {
  return {
    source_table: err.table,
    key: err.key,
    column: err.column,
    value: err.value,
    reason: err.reason,
    row,
  };
}
