import assert from "node:assert/strict";
import { freshBucket } from "../harness.ts";

Deno.test("Bucket.list() follows continuation tokens past 1,000 keys, in key order, and honours startAfter", async () => {
  const bucket = await freshBucket("list");
  const keys = Array.from(
    { length: 1_105 },
    (_, i) => `_manifests/ingest/run-${String(i).padStart(5, "0")}.json`,
  );
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(keys.slice(i, i + 50).map((k) => bucket.put(k, "{}")));
  }
  await bucket.put("_state/ingest/current.json", "{}");
  const listed = await bucket.list("_manifests/ingest/");
  assert.equal(listed.length, 1_105);
  assert.deepEqual(listed, keys);
  const after = await bucket.list("_manifests/ingest/", keys[1_049]);
  assert.deepEqual(after, keys.slice(1_050));
  assert.deepEqual(await bucket.list("_manifests/ingest/", keys[1_104]), []);
});

Deno.test("Bucket.upload() streams a multi-part object that reads back byte for byte", async () => {
  const bucket = await freshBucket("mpu");
  const part = new Uint8Array(3 * 1024 * 1024).map((_, i) => i % 251);
  await bucket.upload(
    "big.bin",
    (async function* () {
      for (let i = 0; i < 4; i++) yield part; // 12 MiB: two 8 MiB parts are needed
    })(),
    "application/octet-stream",
    5 * 1024 * 1024,
  );
  const back = (await bucket.get("big.bin"))!;
  assert.equal(back.length, 12 * 1024 * 1024);
  for (let i = 0; i < 4; i++) assert.deepEqual(back.subarray(i * part.length, (i + 1) * part.length), part);
  assert.equal(await bucket.get("missing.bin"), undefined);
  assert.equal(await bucket.exists("big.bin"), true);
  assert.equal(await bucket.exists("missing.bin"), false);
});
