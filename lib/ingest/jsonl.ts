/**
 * A table's changed rows, from the lines of the COPY that reads them (lib/ingest/catalog.ts `changesCopySql`) to
 * the chunks of its JSON Lines object: pure over an async iterable, so it is tested without a database.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { parseCopyLine } from "./catalog.ts";
import { RefusedInputError } from "../io/cli.ts";
import type { LineLimit } from "../io/lines.ts";

/**
 * Chunks are cut once they reach this many characters (64 Ki): memory stays near one chunk per table, and the
 * joined string stays under V8's largest regular object (128 KiB), so it dies young; 1 MiB strings went to the
 * large-object space, which only a full collection frees.
 */
export const CHUNK_CHARS = 1 << 16;
const LAST_UPDATED = '"last_updated":"';

/** What the chunks held, known once they have all been read. */
export class JsonlStats {
  /** Rows read so far. */
  rows = 0;
  /** Bytes of the chunks given so far (UTF-8). */
  bytes = 0;
  /** The newest `last_updated` among the rows (the 26 characters `YYYY-MM-DD HH:MM:SS.ffffff`), or null. */
  maxLastUpdated: string | null = null;
  readonly #hash: Hash = createHash("sha256");

  /** Counts a chunk's bytes into the size and the hash. */
  add(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** The SHA-256 of every chunk so far, lower-case hex (once: the hash is final after it). */
  sha256(): string {
    return this.#hash.digest("hex");
  }
}

/**
 * The most characters of JSON one row may have (4 Mi). A stage's V8 heap is capped (lib/ingest's rows pass
 * through it as strings several times over), and two rows of 16 MB ended the ingest with "Fatal JavaScript out of
 * memory" and no word of which row; past this, the run stops naming the row instead. ToteSys's rows are a few
 * hundred characters.
 */
export const MAX_ROW_CHARS = 4 << 20;

/**
 * The error for a row over {@link MAX_ROW_CHARS}: table, key, the row's size and its longest column (a
 * `RefusedInputError`: the same row fails every time, so a retry cannot help).
 *
 * @example
 * ```ts
 * import { rowTooLarge } from "./jsonl.ts";
 * rowTooLarge("design", 2, '{"design_id":2,"design_name":"xxxx"}', 10).message.startsWith(
 *   "Row design 2 is 36 characters of JSON, more than the 10 a row may have (its longest column: design_name",
 * ); // true
 * ```
 */
export function rowTooLarge(
  table: string,
  pk: number,
  json: string,
  limit: number = MAX_ROW_CHARS,
): RefusedInputError {
  let longest = "";
  let longestChars = -1;
  try {
    for (const [column, value] of Object.entries(JSON.parse(json) as Record<string, unknown>)) {
      const chars = typeof value === "string" ? value.length : JSON.stringify(value)?.length ?? 0;
      if (chars > longestChars) [longest, longestChars] = [column, chars];
    }
  } catch { /* not JSON: the size alone is said */ }
  const n = (x: number) => x.toLocaleString("en-GB");
  const column = longestChars >= 0 ? ` (its longest column: ${longest}, ${n(longestChars)} characters)` : "";
  return new RefusedInputError(
    `Row ${table} ${pk} is ${n(json.length)} characters of JSON, more than the ${n(limit)} a row may have` +
      `${column}: the ingest stops rather than run out of memory, and changes nothing; shorten the value in ToteSys`,
  );
}

/**
 * The bound on a COPY line of `table`, in bytes ({@link MAX_ROW_CHARS} twice over, since COPY doubles a
 * backslash), for lib/io/lines.ts `textLines`: a line past it stops the read before any of it is decoded, naming
 * the row by the key at the line's start. A row of 9M tabs (27 MB of COPY text, arriving as one chunk) otherwise
 * came into the stage's capped heap whole, before {@link jsonlChunks} could refuse it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { copyLineLimit } from "./jsonl.ts";
 * const limit = copyLineLimit("design");
 * assert.equal(limit.bytes, 8 << 20);
 * assert.match(limit.tooLong("2\t901\t{\"design_id\":2", 9_000_000).message, /^Row design 2 is at least 9,000,000 bytes as read from ToteSys, more than the 8,388,608/);
 * ```
 */
export function copyLineLimit(table: string): LineLimit {
  const bytes = 2 * MAX_ROW_CHARS;
  const n = (x: number) => x.toLocaleString("en-GB");
  return {
    bytes,
    tooLong: (start, seen) =>
      new RefusedInputError(
        `Row ${table} ${start.slice(0, start.indexOf("\t"))} is at least ${
          n(seen)
        } bytes as read from ToteSys, ` +
          `more than the ${n(bytes)} a row may have (its JSON passes ${n(MAX_ROW_CHARS)} characters): the ` +
          `ingest stops rather than run out of memory, and changes nothing; shorten the value in ToteSys`,
      ),
  };
}

/**
 * The JSON Lines chunks of a table's COPY lines (`pk \t xid \t json`): each row's JSON on its own line, in chunks of
 * about {@link CHUNK_CHARS} characters, each ending with a newline. `lines` gives lines one by one or in batches
 * (lib/io/lines.ts `textLineBatches`). `onRow` is called with each row's key and xid,
 * and the running row count. A row over `limits.maxRowChars` ({@link MAX_ROW_CHARS}) throws {@link rowTooLarge}'s
 * error, naming `limits.table`.
 *
 * @example
 * ```ts
 * import { JsonlStats, jsonlChunks } from "./jsonl.ts";
 * import assert from "node:assert/strict";
 *
 * async function* lines() {
 *   yield '7\t1001\t{"staff_id":7,"last_updated":"2026-11-30 09:00:00.000001"}';
 *   yield '8\t1002\t{"staff_id":8,"last_updated":"2026-11-30 08:00:00.000000"}';
 * }
 * const stats = new JsonlStats();
 * const keys: number[] = [];
 * let text = "";
 * for await (const chunk of jsonlChunks(lines(), stats, (pk) => keys.push(pk))) text += new TextDecoder().decode(chunk);
 * assert.equal(text.split("\n").length, 3);
 * assert.deepEqual(keys, [7, 8]);
 * assert.equal(stats.rows, 2);
 * assert.equal(stats.maxLastUpdated, "2026-11-30 09:00:00.000001");
 * ```
 */
export async function* jsonlChunks(
  lines: AsyncIterable<string | string[]>,
  stats: JsonlStats,
  onRow: (pk: number, xid: number, rows: number) => void,
  limits: { table?: string; maxRowChars?: number } = {},
): AsyncGenerator<Uint8Array> {
  const maxRowChars = limits.maxRowChars ?? MAX_ROW_CHARS;
  const encoder = new TextEncoder();
  let buf: string[] = [];
  let size = 0;
  const flush = () => {
    const out = encoder.encode(buf.join("\n") + "\n");
    buf = [];
    size = 0;
    stats.add(out);
    return out;
  };
  /** Adds one COPY line; returns a chunk when the buffer is full. */
  const take = (line: string): Uint8Array | null => {
    const { pk, xid, json } = parseCopyLine(line);
    if (json.length > maxRowChars) throw rowTooLarge(limits.table ?? "row", pk, json, maxRowChars);
    const at = json.indexOf(LAST_UPDATED);
    if (at >= 0 && json.charCodeAt(at + LAST_UPDATED.length) <= 57) { // a digit: not 'infinity' (C6)
      const lu = json.slice(at + LAST_UPDATED.length, at + LAST_UPDATED.length + 26);
      if (stats.maxLastUpdated === null || lu > stats.maxLastUpdated) stats.maxLastUpdated = lu;
    }
    stats.rows++;
    onRow(pk, xid, stats.rows);
    buf.push(json);
    size += json.length + 1;
    return size >= CHUNK_CHARS ? flush() : null;
  };
  for await (const item of lines) {
    if (typeof item === "string") {
      const out = take(item);
      if (out) yield out;
      continue;
    }
    for (const line of item) { // a batch of lines (lib/io/lines.ts textLineBatches)
      const out = take(line);
      if (out) yield out;
    }
  }
  if (buf.length > 0) yield flush();
}
