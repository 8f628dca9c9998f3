import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { CHUNK_CHARS, jsonlChunks, JsonlStats, MAX_ROW_CHARS } from "./jsonl.ts";

async function* from(lines: string[]): AsyncGenerator<string> {
  for (const l of lines) yield l;
}

async function all(lines: string[]): Promise<{ chunks: Uint8Array[]; stats: JsonlStats; rows: number[][] }> {
  const stats = new JsonlStats();
  const rows: number[][] = [];
  const chunks: Uint8Array[] = [];
  for await (const c of jsonlChunks(from(lines), stats, (pk, xid, n) => rows.push([pk, xid, n]))) {
    chunks.push(c);
  }
  return { chunks, stats, rows };
}

Deno.test("jsonlChunks() gives nothing for no rows", async () => {
  const { chunks, stats } = await all([]);
  assert.deepEqual(chunks, []);
  assert.equal(stats.rows, 0);
  assert.equal(stats.maxLastUpdated, null);
});

Deno.test("jsonlChunks() writes each row's JSON on its line and reports key, xid and count", async () => {
  const { chunks, stats, rows } = await all([
    '3\t900\t{"currency_id":3,"last_updated":"2022-11-03 14:20:49.962000"}',
    '1\t901\t{"currency_id":1,"last_updated":"2022-11-03 14:20:49.962001"}',
    '2\t902\t{"currency_id":2}',
  ]);
  const text = chunks.map((c) => new TextDecoder().decode(c)).join("");
  assert.equal(
    text,
    '{"currency_id":3,"last_updated":"2022-11-03 14:20:49.962000"}\n' +
      '{"currency_id":1,"last_updated":"2022-11-03 14:20:49.962001"}\n{"currency_id":2}\n',
  );
  assert.deepEqual(rows, [[3, 900, 1], [1, 901, 2], [2, 902, 3]]);
  assert.equal(stats.rows, 3);
  assert.equal(stats.bytes, new TextEncoder().encode(text).length);
  assert.equal(stats.maxLastUpdated, "2022-11-03 14:20:49.962001");
  assert.equal(stats.sha256(), createHash("sha256").update(text).digest("hex"));
});

Deno.test("jsonlChunks() cuts chunks near CHUNK_CHARS, each ending with a newline, the hash over all of them", async () => {
  const big = "x".repeat(CHUNK_CHARS / 10);
  const lines = Array.from({ length: 25 }, (_, i) => `${i + 1}\t5\t{"n":"${big}"}`);
  const { chunks, stats } = await all(lines);
  assert.equal(chunks.length, 3, "10 rows of a tenth each fill a chunk: 10, 10 and 5 rows");
  for (const c of chunks.slice(0, 2)) {
    assert.ok(c.length >= CHUNK_CHARS && c.length < CHUNK_CHARS * 1.2, `${c.length}`);
  }
  const hash = createHash("sha256");
  for (const c of chunks) {
    assert.equal(c[c.length - 1], 10);
    hash.update(c);
  }
  assert.equal(stats.sha256(), hash.digest("hex"));
  assert.equal(stats.rows, 25);
});

Deno.test("jsonlChunks() stops at a row over the limit, naming table, key, size and longest column", async () => {
  const rows = [
    `1\t5\t{"design_id":1,"design_name":"a"}`,
    `2\t5\t{"design_id":2,"design_name":"${"é".repeat(500)}"}`,
  ];
  async function* lines() {
    yield* rows;
  }
  const seen: number[] = [];
  await assert.rejects(
    async () => {
      for await (
        const _ of jsonlChunks(lines(), new JsonlStats(), (pk) => seen.push(pk), {
          table: "design",
          maxRowChars: 400,
        })
      ) { /* drain */ }
    },
    {
      message:
        "Row design 2 is 532 characters of JSON, more than the 400 a row may have (its longest column: " +
        "design_name, 500 characters): the ingest stops rather than run out of memory, and changes nothing; " +
        "shorten the value in ToteSys",
    },
  );
  assert.deepEqual(seen, [1], "the rows before it were read");
  assert.equal(MAX_ROW_CHARS, 4 << 20);
});

Deno.test("jsonlChunks() gives the same bytes, keys and counts for lines in batches as for lines one by one", async () => {
  const lines = Array.from(
    { length: 5000 },
    (_, i) => `${i + 1}\t${700 + i}\t{"staff_id":${i + 1},"x":"${"y".repeat(i % 97)}"}`,
  );
  const one = await all(lines);
  async function* batches(): AsyncGenerator<string[]> {
    for (let i = 0; i < lines.length; i += 333) yield lines.slice(i, i + 333);
  }
  const stats = new JsonlStats();
  const rows: number[][] = [];
  const chunks: Uint8Array[] = [];
  for await (const c of jsonlChunks(batches(), stats, (pk, xid, n) => rows.push([pk, xid, n]))) {
    chunks.push(c);
  }
  const text = (cs: Uint8Array[]) => cs.map((c) => new TextDecoder().decode(c)).join("");
  assert.equal(text(chunks), text(one.chunks));
  assert.ok(chunks.length > 1);
  assert.deepEqual(rows, one.rows);
  assert.equal(rows[4999]!.join(","), "5000,5699,5000");
  assert.equal(stats.rows, 5000);
});
