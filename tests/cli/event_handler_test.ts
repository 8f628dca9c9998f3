/**
 * C1 through the real transform Lambda handler: an event with a malformed key beside a valid manifest key
 * transforms the valid run and logs a line quoting the bad key.
 *
 * @module
 */
import assert from "node:assert/strict";
import { etlEnv, ingest, withPipeline } from "../adversarial/_helpers.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { handler } from "../../main/transform.ts";
import { ingestManifestKey } from "../../lib/run/mod.ts";
import { transformManifestKey } from "../../lib/transform/manifest.ts";

Deno.test("C1: the transform handler skips a malformed key with a log line quoting it and transforms the valid one", () =>
  withPipeline("c1", async (p) => {
    const runId = (await ingest(p)).runId!;
    for (const [k, v] of Object.entries(etlEnv(p))) Deno.env.set(k, v);
    const lines: string[] = [];
    const prev = setLogSink((l) => lines.push(l));
    try {
      const bad = "_manifests/ingest/100%.json";
      const results = await handler({
        Records: [{ s3: { object: { key: bad } } }, { s3: { object: { key: ingestManifestKey(runId) } } }],
      });
      assert.deepEqual(results.map((r) => r.runId), [runId]);
      assert.ok(await p.processed.exists(transformManifestKey(runId)));
      const warn = lines.map((l) => JSON.parse(l)).find((l) => l.level === "warn" && l.key === bad);
      assert.ok(warn, lines.join("\n"));
      assert.equal(warn.msg, `Skipping an object key with a malformed URL escape: "${bad}"`);
    } finally {
      setLogSink(prev);
    }
  }));
