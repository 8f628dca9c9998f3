/**
 * Streams a text file's lines (UTF-8) without reading the whole file into memory.
 *
 * @module
 */

/**
 * Yields the lines of the file at `path`, without their `\n` (a trailing `\r` is dropped too).
 *
 * @throws Deno.errors.NotFound (and other open/read errors) from the file system.
 */
export async function* readLines(path: string | URL): AsyncGenerator<string> {
  const file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder();
  let rest = "";
  try {
    for await (const chunk of file.readable) {
      const text = rest + decoder.decode(chunk, { stream: true });
      let from = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", from)) {
        const end = nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        yield text.slice(from, end);
        from = nl + 1;
      }
      rest = text.slice(from);
    }
    rest += decoder.decode();
    if (rest !== "") yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
  } finally {
    // `for await` over file.readable closes the file when it completes; close it on early exit too.
    try {
      file.close();
    } catch {
      // already closed
    }
  }
}
