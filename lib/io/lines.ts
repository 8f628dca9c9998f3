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
 * Yields the lines of `chunks` without their `\n`. A line longer than a chunk is kept as its pieces until its end
 * arrives, so its cost is linear in its length (joining the unfinished line to every chunk and splitting it again
 * was quadratic: an ingest reading a row of 10M escape-heavy characters took 32 s to reach its end, 1.8 s now).
 * With a `limit`, a line passing `limit.bytes` throws `limit.tooLong(...)` as soon as the bytes show it, before
 * they are decoded: a COPY row arrives as one chunk however large, and decoding a 27 MB one into a string could
 * fill a capped heap by itself.
 *
 * @throws the error of `limit.tooLong` for a line longer than `limit.bytes`.
 */
export async function* textLines(
  chunks: AsyncIterable<Uint8Array>,
  limit?: LineLimit,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const max = limit?.bytes ?? Infinity;
  let pieces: string[] = []; // the unfinished line
  let pending = 0; // its bytes
  let head: Uint8Array = new Uint8Array(0); // its first bytes (up to 800), for the error
  const tooLong = (bytes: number, more: Uint8Array) => {
    const start = new Uint8Array([...head, ...more.subarray(0, 800)]);
    return limit!.tooLong(new TextDecoder().decode(start).replace(/\uFFFD+$/, "").slice(0, 200), bytes);
  };
  for await (const chunk of chunks) {
    if (limit) {
      // bytes first: a line past the bound is refused before anything of it is decoded
      const nl = chunk.indexOf(10);
      const until = nl < 0 ? chunk.length : nl;
      if (pending + until > max) throw tooLong(pending + until, chunk);
      if (chunk.length > max) {
        for (let from = nl + 1; from < chunk.length;) {
          const found = chunk.indexOf(10, from);
          const end = found < 0 ? chunk.length : found;
          if (end - from > max) throw tooLong(end - from, chunk.subarray(from));
          from = end + 1;
        }
      }
      const last = nl < 0 ? -1 : chunk.lastIndexOf(10);
      if (nl < 0) {
        if (pending === 0) head = chunk.subarray(0, 800);
        pending += chunk.length;
      } else {
        head = chunk.subarray(last + 1, last + 801); // a view, no copy: only an error reads it
        pending = chunk.length - last - 1;
      }
    }
    const text = decoder.decode(chunk, { stream: true });
    const first = text.indexOf("\n");
    if (first < 0) {
      if (text !== "") pieces.push(text);
      continue;
    }
    pieces.push(text.slice(0, first));
    yield pieces.join("");
    pieces = [];
    const lines = text.slice(first + 1).split("\n");
    const rest = lines.pop()!;
    for (const line of lines) yield line;
    if (rest !== "") pieces.push(rest);
  }
  const tail = decoder.decode();
  if (tail !== "") pieces.push(tail);
  if (pieces.length > 0) yield pieces.join("");
}

/**
 * Parses JSON Lines: yields the value of each non-empty line of `chunks`.
 *
 * @param where names the object in errors, e.g. `Ingestion object sales_order/2026/12/02/RUN.jsonl`.
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
): AsyncGenerator<T> {
  let n = 0;
  for await (const line of textLines(chunks)) {
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
