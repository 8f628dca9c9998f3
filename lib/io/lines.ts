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
