/**
 * Observability in AWS: the Lambda handlers publish their stage's metrics in the embedded metric format (rows per
 * table, freshness, quarantined rows, deletions, duration) from the results they return, and every log line of an
 * invocation carries its level and the Lambda request id. Real PostgreSQL and S3 emulator; stdout is captured.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { IngestResult } from "../../lib/ingest/stage.ts";
import { withPipeline } from "../adversarial/_helpers.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { runLambda } from "../../lib/io/lambda_runtime.ts";
import { ingestManifestKey } from "../../lib/run/mod.ts";
import { transformManifestKey } from "../../lib/transform/manifest.ts";
import { migrate } from "../../lib/load/migrations.ts";
import { handler as ingestHandler } from "../../main/ingest.ts";
import { handler as transformHandler } from "../../main/transform.ts";
import { handler as loadHandler } from "../../main/load.ts";
import { startRuntimeApiStub } from "../deploy/runtime_api_stub.ts";

type Emf = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
};

/** Runs `fn` with console.log captured; returns its result and the EMF lines printed. */
async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; emf: Emf[] }> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.map(String).join(" "));
  try {
    const result = await fn();
    return { result, emf: lines.filter((l) => l.startsWith('{"_aws"')).map((l) => JSON.parse(l)) };
  } finally {
    console.log = original;
  }
}

/** The value of `metric` in the EMF line whose dimensions are exactly `dims`. */
function value(emf: Emf[], metric: string, dims: Record<string, string>): unknown {
  const line = emf.find((l) =>
    JSON.stringify(l._aws.CloudWatchMetrics[0]!.Dimensions[0]) === JSON.stringify(Object.keys(dims)) &&
    Object.entries(dims).every(([k, v]) => l[k] === v) && metric in l
  );
  return line?.[metric];
}

function envFor(
  p: { src: { url: string }; wh: { url: string }; ingestion: { name: string }; processed: { name: string } },
) {
  Deno.env.set("TOTESYS_DATABASE_URL", p.src.url);
  Deno.env.set("WAREHOUSE_DATABASE_URL", p.wh.url);
  Deno.env.set("INGESTION_BUCKET", p.ingestion.name);
  Deno.env.set("PROCESSED_BUCKET", p.processed.name);
}

Deno.test("each stage's handler publishes its metrics in EMF, with the values the stage reports", async () => {
  const saved = ["TOTESYS_DATABASE_URL", "WAREHOUSE_DATABASE_URL", "INGESTION_BUCKET", "PROCESSED_BUCKET"]
    .map((k) => [k, Deno.env.get(k)] as const);
  try {
    await withPipeline("emf", async (p) => {
      envFor(p);
      const event = (bucket: string, key: string) => ({
        detail: { bucket: { name: bucket }, object: { key } },
      });
      const t0 = Date.now();
      const ing = await capture(async () => (await ingestHandler({})) as IngestResult);
      const t1 = Date.now();
      const runId = ing.result.runId!;
      assert.equal(ing.result.status, "committed");
      for (const [table, t] of Object.entries(ing.result.tables)) {
        assert.equal(value(ing.emf, "RowsIngested", { Stage: "ingest", Table: table }), t!.rows, table);
        assert.equal(value(ing.emf, "Deletions", { Stage: "ingest", Table: table }), 0, table);
      }
      // freshness: now minus the newest last_updated ToteSys holds, per table
      const [so] = await p.src.sql`SELECT to_char(max(last_updated), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS lu
        FROM sales_order`;
      const newest = Date.parse(so!.lu);
      const fresh = value(ing.emf, "FreshnessSeconds", { Stage: "ingest", Table: "sales_order" }) as number;
      assert.ok(
        fresh >= Math.floor((t0 - newest) / 1000) - 1 && fresh <= Math.ceil((t1 - newest) / 1000) + 1,
        `${fresh}`,
      );
      assert.equal(typeof value(ing.emf, "Duration", { Stage: "ingest" }), "number");
      assert.equal(ing.emf[0]!._aws.CloudWatchMetrics[0]!.Namespace, "TerrificTotes");

      const tr = await capture(() => transformHandler(event(p.ingestion.name, ingestManifestKey(runId))));
      for (const [table, n] of Object.entries(tr.result[0]!.tables)) {
        assert.equal(value(tr.emf, "RowsTransformed", { Stage: "transform", Table: table }), n, table);
      }
      assert.equal(value(tr.emf, "QuarantinedRows", { Stage: "transform" }), 0);

      await migrate(p.wh.sql);
      const ld = await capture(() => loadHandler(event(p.processed.name, transformManifestKey(runId))));
      const [facts] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_sales_order`;
      assert.equal(value(ld.emf, "RowsLoaded", { Stage: "load", Table: "fact_sales_order" }), facts!.n);
      assert.ok(facts!.n > 0);
      assert.equal(typeof value(ld.emf, "Duration", { Stage: "load" }), "number");
    });
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
});

Deno.test("log lines of a Lambda invocation carry the level and the request id, and only during it", async () => {
  const lines: Record<string, unknown>[] = [];
  const previous = setLogSink((l) => lines.push(JSON.parse(l)));
  const stub = startRuntimeApiStub([{ requestId: "req-log-1", event: {} }, {
    requestId: "req-log-2",
    event: {},
  }]);
  try {
    let n = 0;
    const { log } = await import("../../lib/io/log.ts");
    await runLambda(() => {
      log("info", "test", "working");
      if (++n === 2) return Promise.reject(new Error("second fails"));
      return Promise.resolve(n);
    }, { runtimeApi: stub.address, maxInvocations: 2 });
    log("info", "test", "between invocations");
    assert.deepEqual(
      lines.map((l) => [l.level, l.msg, l.requestId]),
      [
        ["info", "working", "req-log-1"],
        ["info", "working", "req-log-2"],
        ["error", "invocation failed", "req-log-2"],
        ["info", "between invocations", undefined],
      ],
    );
  } finally {
    setLogSink(previous);
    await stub.close();
  }
});
