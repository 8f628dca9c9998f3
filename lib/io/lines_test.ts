import assert from "node:assert/strict";
import { jsonLines, textLines } from "./lines.ts";

async function collect(chunks: Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of textLines(ReadableStream.from(chunks))) out.push(line);
  return out;
}

/** The bytes of `text` cut every `size` bytes (a cut may fall inside a multi-byte character). */
function cut(text: string, size: number): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

Deno.test("textLines() gives every line whatever the cuts: empty lines, multi-byte characters cut in two, no final newline", async () => {
  const text = "a\n\nbé€😀c\nd\te\\f\nlast";
  const expected = ["a", "", "bé€😀c", "d\te\\f", "last"];
  for (const size of [1, 2, 3, 5, 7, 64]) {
    assert.deepEqual(await collect(cut(text, size)), expected, `size ${size}`);
  }
  assert.deepEqual(await collect(cut("x\n", 1)), ["x"], "a final newline ends the last line");
  assert.deepEqual(await collect([]), []);
});

Deno.test("textLines() joins a line spread over many chunks once, in order", async () => {
  const long = "é€😀\t\\".repeat(200_000); // 1.6 MB over 25 chunks of 64 KiB
  const lines = await collect(cut(`1\n${long}\n2\n${long}`, 65_536));
  assert.equal(lines.length, 4);
  assert.deepEqual([lines[0], lines[2]], ["1", "2"]);
  assert.equal(lines[1], long);
  assert.equal(lines[3], long);
});

Deno.test("textLines() with a limit throws as soon as a line's bytes pass it, spread over chunks or whole in one", async () => {
  const limit = {
    bytes: 1_000,
    tooLong: (start: string, n: number) => new Error(`long ${start.slice(0, 3)} ${n}`),
  };
  const read = async (chunks: Uint8Array[]) => {
    const out: string[] = [];
    for await (const line of textLines(ReadableStream.from(chunks), limit)) out.push(line);
    return out;
  };
  assert.deepEqual(
    await read(cut(`ok\n${"y".repeat(1_000)}\n`, 64)),
    ["ok", "y".repeat(1_000)],
    "at the limit",
  );
  let pulled = 0;
  const endless = async function* () {
    yield new TextEncoder().encode("a\n7\tx");
    for (;;) {
      pulled++;
      yield new TextEncoder().encode("z".repeat(100));
    }
  };
  const lines = textLines(endless(), limit);
  assert.equal((await lines.next()).value, "a");
  await assert.rejects(lines.next(), /^Error: long 7\tx 1003$/);
  assert.equal(pulled, 10, "it stopped reading once the line passed the limit");
  // é is 2 bytes: 600 of them pass 1,000 bytes; a whole line in one chunk, after others, is refused undecoded
  await assert.rejects(read(cut(`a\nb${"é".repeat(600)}\nc\n`, 4096)), /^Error: long béé 1201$/);
  await assert.rejects(
    read([new TextEncoder().encode(`a\n${"q".repeat(2_000)}\nc\n`)]),
    /^Error: long qqq 2000$/,
  );
  // a chunk larger than the bound that ends one line and holds the next, too long: named by its own start
  await assert.rejects(
    read([
      new TextEncoder().encode("1\t9\t{aaaa"),
      new TextEncoder().encode(`aa}\n2\t9${"b".repeat(1_200)}\n`),
    ]),
    /^Error: long 2\t9 1203$/,
  );
});

Deno.test("jsonLines() calls atEnd once after the last line, and names a broken last line before it", async () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const calls: number[] = [];
  const rows: unknown[] = [];
  for await (
    const row of jsonLines(ReadableStream.from([enc('{"a":1}\n{"a"'), enc(":2}\n")]), "x", () => {
      calls.push(rows.length);
    })
  ) rows.push(row);
  assert.deepEqual(rows, [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(calls, [2]);
  let ended = false;
  await assert.rejects(
    Array.fromAsync(jsonLines(ReadableStream.from([enc('{"a":1}\n{"a":')]), "Object k", () => {
      ended = true;
      throw new Error("digest differs");
    })),
    /^Error: Object k line 2 is not valid JSON/,
  );
  assert.equal(ended, false);
});
