/**
 * S3 oddities: a committed run whose objects were deleted or tampered with, and prefixes of more than 1,000 keys
 * (ListObjectsV2 pages).
 */
import assert from "node:assert/strict";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { digest, ingest, load, transform, withPipeline } from "./_helpers.ts";
import { freshBucket } from "../harness.ts";
import {
  INGEST_POINTER_KEY,
  type IngestManifest,
  ingestManifestKey,
  ingestStateKey,
} from "../../lib/run/mod.ts";
import { readIngestState } from "../../lib/ingest/stage.ts";
import { type TransformManifest, transformManifestKey } from "../../lib/transform/manifest.ts";

Deno.test("a manifest whose data object was deleted: the transform fails naming the key, commits nothing", () =>
  withPipeline("s31", async (p) => {
    const r = await ingest(p);
    const m = (await p.ingestion.getJson<IngestManifest>(r.manifestKey!))!;
    const key = m.tables.payment.object!.key;
    await p.ingestion.client.send(new DeleteObjectCommand({ Bucket: p.ingestion.name, Key: key }));
    // The operator needs to know which object: S3's own "The specified key does not exist." does not say.
    await assert.rejects(transform(p, r.runId!), (e: Error) => e.message.includes(key));
    assert.equal(await p.processed.exists(transformManifestKey(r.runId!)), false);
  }));

Deno.test("a data object tampered with (same length): the transform fails on its SHA-256, commits nothing", () =>
  withPipeline("s32", async (p) => {
    const r = await ingest(p);
    const m = (await p.ingestion.getJson<IngestManifest>(r.manifestKey!))!;
    const key = m.tables.sales_order.object!.key;
    const text = new TextDecoder().decode(await p.ingestion.get(key));
    const forged = text.replace('"units_sold":42972', '"units_sold":92972');
    assert.notEqual(forged, text);
    await p.ingestion.put(key, forged, "application/x-ndjson");
    await assert.rejects(transform(p, r.runId!), /SHA-256/);
    assert.equal(await p.processed.exists(transformManifestKey(r.runId!)), false);
  }));

Deno.test("a Parquet file tampered with: the load fails and nothing of the run is visible", () =>
  withPipeline("s33", async (p) => {
    const r = await ingest(p);
    await transform(p, r.runId!);
    const m = (await p.processed.getJson<TransformManifest>(transformManifestKey(r.runId!)))!;
    const key = m.tables.fact_payment!.key;
    const bytes = (await p.processed.get(key))!;
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    await p.processed.put(key, bytes);
    const empty = await digest(p.wh.sql);
    await assert.rejects(load(p, r.runId!), /fact_payment/);
    const after = await digest(p.wh.sql);
    for (const t of Object.keys(after)) assert.equal(after[t]!.split(":")[0], "0", `${t} is empty`);
    assert.ok(empty);
  }));

Deno.test("Bucket.list pages past 1,000 keys, with and without startAfter", async () => {
  const bucket = await freshBucket("s34");
  const keys = Array.from({ length: 2_345 }, (_, i) => `p/${String(i).padStart(5, "0")}`);
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(keys.slice(i, i + 50).map((k) => bucket.put(k, "x")));
  }
  await bucket.put("q/other", "x");
  assert.deepEqual(await bucket.list("p/"), keys);
  assert.deepEqual(await bucket.list("p/", "p/00100"), keys.slice(101));
  assert.deepEqual(await bucket.list("p/", "p/01500"), keys.slice(1501));
});

Deno.test("readIngestState finds the newest of more than 1,000 manifests after a stale pointer", async () => {
  const bucket = await freshBucket("s35");
  const ids = Array.from(
    { length: 1_203 },
    (_, i) => `20261201T${String(100000000 + i).slice(1)}Z-abcdef`,
  );
  for (let i = 0; i < ids.length; i += 50) {
    await Promise.all(ids.slice(i, i + 50).map((id) => bucket.put(ingestManifestKey(id), "{}")));
  }
  const last = ids[ids.length - 1]!;
  await bucket.put(ingestStateKey(last), JSON.stringify({ run_id: last, tables: {} }));
  assert.equal((await readIngestState(bucket)).run_id, last);
  await bucket.put(INGEST_POINTER_KEY, JSON.stringify({ run_id: ids[3] }));
  assert.equal((await readIngestState(bucket)).run_id, last);
});

Deno.test("a stray non-manifest object under _manifests/ingest/ does not reset ingestion to a first run", () =>
  withPipeline("s36", async (p) => {
    await ingest(p);
    // e.g. an operator's note, or an archive folder: the key sorts after every run id
    await p.ingestion.put("_manifests/ingest/README.md", "Manifests of the ingest runs");
    const r = await ingest(p);
    assert.equal(r.status, "no_changes", `captured again: ${JSON.stringify(r.tables)}`);
  }));
