import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { freshBucket } from "../harness.ts";
import type { Column, WarehouseRow } from "../../lib/contract/warehouse.ts";
import { decodeParquet, encodeParquet } from "../../lib/parquet/mod.ts";
import { checkObjectDigest, RangedObject, TAIL_BYTES } from "../../lib/load/ranged_file.ts";
import { openParquet } from "../../lib/load/staging.ts";
import { MemoryStore } from "../../lib/io/memory_store.ts";

const columns: Column[] = [
  { name: "id", type: "int32", nullable: false },
  { name: "text", type: "utf8", nullable: false },
];

/** 60,000 rows of incompressible-ish text in row groups of 5,000: a file well past the kept tail. */
function rows(): WarehouseRow[] {
  return Array.from({ length: 60_000 }, (_, i) => ({
    id: i,
    text: createHash("sha256").update(String(i)).digest("hex"),
  }));
}

async function decodeAll(file: Uint8Array | RangedObject): Promise<WarehouseRow[]> {
  const out: WarehouseRow[] = [];
  const beforeRowGroup = file instanceof RangedObject ? file.prefetch.bind(file) : undefined;
  for await (const batch of decodeParquet(file, columns, { beforeRowGroup })) out.push(...batch);
  return out;
}

const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

Deno.test("Bucket.getRange() returns exactly the bytes asked for, with the object's ETag; past the end fails", async () => {
  const bucket = await freshBucket("rng");
  const bytes = new Uint8Array(300_000).map((_, i) => i % 253);
  await bucket.put("f.bin", bytes, "application/octet-stream");
  const a = await bucket.getRange("f.bin", 1_000, 1_010);
  assert.deepEqual([...a.body], [...bytes.subarray(1_000, 1_010)]);
  assert.match(a.etag, /^"[0-9a-f]{32}"$/);
  const b = await bucket.getRange("f.bin", 299_990, 300_000, a.etag);
  assert.deepEqual([...b.body], [...bytes.subarray(299_990)]);
  await assert.rejects(bucket.getRange("f.bin", 299_990, 300_010), /returned 10 bytes, expected 20/);
  await assert.rejects(bucket.getRange("f.bin", 5, 5), /Range 5-5 of s3:\/\/.*f\.bin is empty or invalid/);
  await assert.rejects(bucket.getRange("missing.bin", 0, 1), (e: Error) => e.name === "NoSuchKey");
});

Deno.test("a RangedObject over s3rver decodes the same rows as the bytes, by ranged GETs, after one tail read", async () => {
  const bucket = await freshBucket("rng");
  const expected = rows();
  const bytes = await encodeParquet(columns, expected, { rowGroupSize: 5_000 });
  assert.ok(bytes.length > 4 * TAIL_BYTES, `file of ${bytes.length} bytes`);
  await bucket.put("t/f.parquet", bytes, "application/octet-stream");
  const view = await RangedObject.open(bucket, "t/f.parquet", bytes.length);
  assert.equal(view.size, bytes.length);
  // Blob slice semantics: relative, clamped, negative from the end
  assert.deepEqual(new Uint8Array(await view.slice(-4).arrayBuffer()), bytes.subarray(-4));
  assert.deepEqual(
    new Uint8Array(await view.slice(10, 20).slice(2, 5).arrayBuffer()),
    bytes.subarray(12, 15),
  );
  assert.equal(view.slice(20, 10).size, 0);
  assert.equal(view.slice(0, bytes.length + 100).size, bytes.length);
  assert.equal(view.requests, 1); // the slice of 10..20 only: the tail was kept
  const decoded = await decodeAll(view);
  assert.equal(decoded.length, 60_000);
  assert.deepEqual(decoded[0], { id: 0, text: expected[0]!.text });
  assert.deepEqual(decoded[59_999], { id: 59_999, text: expected[59_999]!.text });
  assert.deepEqual(decoded, await decodeAll(bytes));
  assert.ok(view.requests >= 12, `${view.requests} ranged GETs for 12 row groups`);
  await checkObjectDigest(bucket, {
    key: "t/f.parquet",
    rows: 60_000,
    bytes: bytes.length,
    sha256: sha(bytes),
  }, view.etag);
});

Deno.test("an object replaced after the view opened: reads and the hash pass fail naming the key and both ETags", async () => {
  const bucket = await freshBucket("rng");
  const bytes = await encodeParquet(columns, rows(), { rowGroupSize: 5_000 });
  await bucket.put("t/f.parquet", bytes, "application/octet-stream");
  const view = await RangedObject.open(bucket, "t/f.parquet", bytes.length);
  const replaced = bytes.slice();
  replaced[100] = replaced[100]! ^ 0xff;
  await bucket.put("t/f.parquet", replaced, "application/octet-stream");
  const changed = new RegExp(
    `Object s3://${bucket.name}/t/f\\.parquet changed while it was being read: ETag "[0-9a-f]{32}", expected ${view.etag}`,
  );
  const file = { key: "t/f.parquet", rows: 60_000, bytes: bytes.length, sha256: sha(bytes) };
  await assert.rejects(checkObjectDigest(bucket, file, view.etag), changed);
  // A failed read never rejects (parquet-wasm would trap): no bytes, and the error kept for check()
  assert.equal((await view.slice(0, 1_000).arrayBuffer()).byteLength, 0);
  assert.equal((view.failure as Error).name, "ObjectChanged");
  assert.throws(() => view.check(), changed);
  // Replaced while decoding: no trap, and check() reports the change (copyLines calls it)
  const fresh = await RangedObject.open(bucket, "t/f.parquet", bytes.length);
  await bucket.put("t/f.parquet", bytes, "application/octet-stream");
  await assert.rejects(decodeAll(fresh), /changed while it was being read/); // from prefetch, before the decoder
  assert.equal(fresh.requests, 1);
});

Deno.test("the hash pass names the key, the digest found and the manifest's when they differ", async () => {
  const bucket = await freshBucket("rng");
  const bytes = new Uint8Array(200_000).map((_, i) => i % 7);
  await bucket.put("t/g.parquet", bytes, "application/octet-stream");
  const { etag } = await bucket.getRange("t/g.parquet", 0, 2); // s3rver answers bytes=0-0 with the whole object
  const wrong = "0".repeat(64);
  await assert.rejects(
    checkObjectDigest(bucket, { key: "t/g.parquet", rows: 1, bytes: bytes.length, sha256: wrong }, etag),
    new RegExp(`Parquet file t/g\\.parquet has SHA-256 ${sha(bytes)}, the manifest says ${wrong}`),
  );
});

Deno.test("openParquet(): under the threshold one checked GET; from it a ranged view, checked by a hash pass first", async () => {
  const store = new MemoryStore();
  const bytes = await encodeParquet(columns, rows().slice(0, 100));
  await store.put("f.parquet", bytes, "application/octet-stream");
  const file = { key: "f.parquet", rows: 100, bytes: bytes.length, sha256: sha(bytes) };
  const whole = await openParquet(store, file);
  assert.ok(whole instanceof Uint8Array);
  assert.deepEqual(whole, bytes);
  const ranged = await openParquet(store, file, 0);
  assert.ok(ranged instanceof RangedObject);
  assert.equal((await decodeAll(ranged)).length, 100);
  await assert.rejects(
    openParquet(store, { ...file, sha256: "f".repeat(64) }, 0),
    /Parquet file f\.parquet has SHA-256 [0-9a-f]{64}, the manifest says f{64}/,
  );
  await assert.rejects(
    openParquet(store, { ...file, key: "gone.parquet" }, 0),
    /Parquet file gone\.parquet listed in the manifest is missing/,
  );
});

Deno.test("MemoryStore.getRange() and stream() pinned to a version tag refuse a replaced object", async () => {
  const store = new MemoryStore();
  await store.put("k", new Uint8Array([1, 2, 3, 4, 5]), "application/octet-stream");
  const { body, etag } = await store.getRange("k", 1, 3);
  assert.deepEqual([...body], [2, 3]);
  await assert.rejects(store.getRange("k", 3, 9), /Range 3-9 is not within object "k" \(5 bytes\)/);
  await store.put("k", new Uint8Array([1, 2, 3, 4, 5]), "application/octet-stream");
  await assert.rejects(store.getRange("k", 0, 1, etag), /Object "k" changed while it was being read/);
  await assert.rejects(Array.fromAsync(store.stream("k", etag)), (e: Error) => e.name === "ObjectChanged");
  const again = await store.getRange("k", 0, 5);
  assert.notEqual(again.etag, etag);
  assert.deepEqual((await Array.fromAsync(store.stream("k", again.etag))).map((c) => [...c]), [[
    1,
    2,
    3,
    4,
    5,
  ]]);
});
