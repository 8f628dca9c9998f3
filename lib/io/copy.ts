/**
 * PostgreSQL `COPY ... FROM STDIN` in text format through postgres.js (`.writable()`), and the text format's
 * field escaping.
 *
 * @module
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Sql } from "./pg.ts";

/** One row for COPY: each field's text, or `null` for SQL NULL. */
export type CopyRow = readonly (string | null)[];

const SPECIAL = /[\\\t\n\r\b\f\v]/;
const SPECIAL_ALL = /[\\\t\n\r\b\f\v]/g;
const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  "\b": "\\b",
  "\f": "\\f",
  "\v": "\\v",
};

/**
 * Encodes one field for COPY's text format: `null` → `\N`; backslash, tab, newline, carriage return, backspace,
 * form feed and vertical tab → their backslash escapes (PostgreSQL docs, "COPY", section "Text Format"). Any other
 * character, `\N` spelled inside a string included, stays as is and round-trips.
 */
export function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

/** Encodes one row as a COPY text line: escaped fields joined by tabs, ending in `\n`. */
export function copyLine(row: CopyRow): string {
  let line = copyField(row[0] ?? null);
  for (let i = 1; i < row.length; i++) line += "\t" + copyField(row[i] ?? null);
  return line + "\n";
}

/**
 * Runs `statement` (a `COPY <table> (<cols>) FROM STDIN`, text format) on `sql` and streams `chunks` into it.
 * Each chunk is COPY text: whole lines, each ending in `\n` (see {@link copyLine}); chunks of 64 KiB–1 MiB keep the
 * protocol overhead small. Back-pressure is honoured: at most a few chunks are buffered.
 *
 * @throws the server's error (e.g. a foreign-key or type violation) when the COPY fails; nothing of it is kept.
 */
export async function copyIn(
  sql: Sql,
  statement: string,
  chunks: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  const query = sql.unsafe(statement);
  // postgres.js 3.4.9 resolves the query with the COPY stream, and when the server's error arrives after the last
  // chunk was sent (a bad value in a small COPY, a failed check at the end), it only calls `query.reject` and never
  // finishes the stream: a plain pipeline would wait forever. Catch that call.
  const failed = new Promise<never>((_, reject) => {
    const q = query as unknown as { reject: (e: unknown) => void; active: boolean };
    q.reject = (e: unknown) => {
      q.active = false;
      reject(e);
    };
  });
  failed.catch(() => {});
  const writable = await query.writable();
  const done = pipeline(Readable.from(chunks, { objectMode: false }), writable);
  done.catch(() => {});
  await Promise.race([done, failed]);
}

/** Quotes an SQL identifier: `"name"` with inner quotes doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
