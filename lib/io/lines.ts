/**
 * Splits a byte stream into text lines (UTF-8, `\n`-terminated; a last line without `\n` is kept).
 *
 * @module
 */

/** Yields the lines of `chunks` without their `\n`. */
export async function* textLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const chunk of chunks) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    rest = lines.pop()!;
    for (const line of lines) yield line;
  }
  rest += decoder.decode();
  if (rest !== "") yield rest;
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
