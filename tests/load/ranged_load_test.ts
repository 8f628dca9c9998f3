import assert from "node:assert/strict";
import { digest, ingest, transform, withPipeline } from "../adversarial/_helpers.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { transformManifestKey } from "../../lib/run/layout.ts";
import type { TransformManifest } from "../../lib/run/manifest.ts";
import { freshDatabase } from "../harness.ts";

Deno.test("every file read by ranged GETs (rangedFileBytes 0) gives the warehouse of whole-file reads", () =>
  withPipeline("rgl", async (p) => {
    const r = await ingest(p);
    await transform(p, r.runId!);
    const result = await runLoad({
      now: () => Date.now(),
      sql: p.wh.sql,
      processed: p.processed,
      runId: r.runId!,
      rangedFileBytes: 0,
    });
    assert.equal(result.status, "loaded");
    assert.equal(result.tables.fact_payment?.staged, 2);
    const wh2 = await freshDatabase("rgw");
    try {
      await runLoad({ now: () => Date.now(), sql: wh2.sql, processed: p.processed, runId: r.runId! });
      assert.deepEqual(await digest(p.wh.sql), await digest(wh2.sql));
    } finally {
      await wh2.drop();
    }
  }));

Deno.test("a tampered file read by ranged GETs fails the load on its SHA-256, naming the key, before any merge", () =>
  withPipeline("rgt", async (p) => {
    const r = await ingest(p);
    await transform(p, r.runId!);
    const m = (await p.processed.getJson<TransformManifest>(transformManifestKey(r.runId!)))!;
    const { key, sha256 } = m.tables.fact_payment!;
    const bytes = (await p.processed.get(key))!;
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    await p.processed.put(key, bytes);
    const load0 = runLoad({
      now: () => Date.now(),
      sql: p.wh.sql,
      processed: p.processed,
      runId: r.runId!,
      rangedFileBytes: 0,
    });
    const where = key.replaceAll(".", "\\.").replaceAll("/", "\\/");
    await assert.rejects(
      load0,
      new RegExp(
        `failed at fact_payment: Parquet file ${where} has SHA-256 [0-9a-f]{64}, the manifest says ${sha256}`,
      ),
    );
    const after = await digest(p.wh.sql);
    for (const t of Object.keys(after)) assert.equal(after[t]!.split(":")[0], "0", `${t} is empty`);
  }));
