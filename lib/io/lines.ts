/**
 * Splits a byte stream into text lines (UTF-8, `\n`-terminated; a last line without `\n` is kept).
 *
 * @module
 */

/** A bound on the length of one line, in bytes, and the error to throw past it. */
export interface LineLimit {
  /** The most bytes (UTF-8) a line may have. */
  bytes: number;
  /** The error for a longer line, given its first characters (up to 200) and its bytes so far. */
  tooLong: (start: string, bytes: number) => Error;
}

/**
 * Yields the lines of `chunks` without their `\n`, all the lines a chunk completes as one array (none when it
 * completes none): one step of an async iteration per chunk, not per line, which at 4.3M rows was a CPU second of
 * promises in each of the ingest and the transform. A line longer than a chunk is kept as its pieces until its end
 * arrives, so its cost is linear in its length (joining the unfinished line to every chunk and splitting it again
 * was quadratic: an ingest reading a row of 10M escape-heavy characters took 32 s to reach its end, 1.8 s now).
 * With a `limit`, a line passing `limit.bytes` throws `limit.tooLong(...)` as soon as the bytes show it, before
 * they are decoded: a COPY row arrives as one chunk however large, and decoding a 27 MB one into a string could
 * fill a capped heap by itself.
 *
 * @throws the error of `limit.tooLong` for a line longer than `limit.bytes`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { textLineBatches } from "./lines.ts";
 * const chunks = ["a\nb", "c\nd\ne", "\n"].map((s) => new TextEncoder().encode(s));
 * assert.deepEqual(await Array.fromAsync(textLineBatches(ReadableStream.from(chunks))), [["a"], ["bc", "d"], ["e"]]);
 * ```
 */
export async function* textLineBatches(
  chunks: AsyncIterable<Uint8Array>,
  limit?: LineLimit,
): AsyncGenerator<string[]> {
  const decoder = new TextDecoder();
  const bound = limit ? new LineBound(limit) : null;
  let pieces: string[] = []; // the unfinished line
  for await (const chunk of chunks) {
    bound?.check(chunk); // bytes first: a line past the bound is refused before anything of it is decoded
    const text = decoder.decode(chunk, { stream: true });
    const first = text.indexOf("\n");
    if (first < 0) {
      if (text !== "") pieces.push(text);
      continue;
    }
    pieces.push(text.slice(0, first));
    const lines = text.slice(first + 1).split("\n");
    const rest = lines.pop()!;
    lines.unshift(pieces.join(""));
    pieces = rest === "" ? [] : [rest];
    yield lines;
  }
  const tail = decoder.decode();
  if (tail !== "") pieces.push(tail);
  if (pieces.length > 0) yield [pieces.join("")];
}

/**
 * Yields the lines of `chunks` one by one, as {@link textLineBatches} splits them (same bound, same error).
 *
 * @throws the error of `limit.tooLong` for a line longer than `limit.bytes`.
 */
export async function* textLines(
  chunks: AsyncIterable<Uint8Array>,
  limit?: LineLimit,
): AsyncGenerator<string> {
  for await (const lines of textLineBatches(chunks, limit)) yield* lines;
}

/** The byte bound of {@link LineLimit} over a stream of chunks: the unfinished line's bytes and first bytes. */
class LineBound {
  private pending = 0; // the unfinished line's bytes
  private head: Uint8Array = new Uint8Array(0); // its first bytes (up to 800), for the error

  constructor(private readonly limit: LineLimit) {}

  /** Counts `chunk`'s bytes into the lines they continue or start. @throws when a line passes the bound. */
  check(chunk: Uint8Array): void {
    const max = this.limit.bytes;
    const nl = indexOf(chunk, 10);
    const until = nl < 0 ? chunk.length : nl;
    if (this.pending + until > max) throw this.tooLong(this.pending + until, chunk);
    if (chunk.length > max) {
      for (let from = nl + 1; from < chunk.length;) {
        const found = indexOf(chunk, 10, from);
        const end = found < 0 ? chunk.length : found;
        if (end - from > max) throw this.tooLong(end - from, chunk.subarray(from), false);
        from = end + 1;
      }
    }
    if (nl < 0) {
      if (this.pending === 0) this.head = chunk.subarray(0, 800);
      this.pending += chunk.length;
    } else {
      const last = Uint8Array.prototype.lastIndexOf.call(chunk, 10);
      this.head = chunk.subarray(last + 1, last + 801); // a view, no copy: only an error reads it
      this.pending = chunk.length - last - 1;
    }
  }

  /** The limit's error for a line of `bytes` that goes on with `more` (after `head` when it continues it). */
  private tooLong(bytes: number, more: Uint8Array, continued = true): Error {
    const start = new Uint8Array([...(continued ? this.head : []), ...more.subarray(0, 800)]);
    return this.limit.tooLong(new TextDecoder().decode(start).replace(/\uFFFD+$/, "").slice(0, 200), bytes);
  }
}

/** `Uint8Array.prototype.indexOf`, also for a Node Buffer (whose own `indexOf` is a slower polyfill in Deno). */
const indexOf = (bytes: Uint8Array, byte: number, from = 0) =>
  Uint8Array.prototype.indexOf.call(bytes, byte, from);

/**
 * Parses JSON Lines: yields the value of each non-empty line of `chunks`.
 *
 * @param where names the object in errors, e.g. `Ingestion object sales_order/2026/12/02/RUN.jsonl`.
 * @param atEnd called once every line is parsed, before the generator ends (a whole-object check, such as its
 *   digest, that must come after a bad line is named: C5); what it throws is thrown.
 * @throws Error naming `where`, the line (1-based, counting every line) and the parser's reason when a line is not
 *   valid JSON: an altered line, or the last line of a truncated object (C5).
 * @example
 * ```ts
 * import { jsonLines } from "./lines.ts";
 * const bytes = new TextEncoder().encode('{"a":1}\n{"a":2}\n');
 * for await (const row of jsonLines(ReadableStream.from([bytes]), "example")) console.log(row);
 * ```
 */
export async function* jsonLines<T = unknown>(
  chunks: AsyncIterable<Uint8Array>,
  where: string,
  atEnd?: () => void,
): AsyncGenerator<T> {
  let n = 0;
  for await (const lines of textLineBatches(chunks)) {
    for (const line of lines) {
      n++;
      if (line === "") continue;
      let value: T;
      try {
        value = JSON.parse(line) as T;
      } catch (err) {
        throw new Error(
          `${where} line ${n} is not valid JSON (truncated or altered?): ${(err as Error).message}; ` +
            `the line starts ${JSON.stringify(line.slice(0, 60))}`,
          { cause: err },
        );
      }
      yield value;
    }
  }
  atEnd?.();
}
