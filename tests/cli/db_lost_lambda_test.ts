/**
 * C3 in Lambda: a database that goes away mid-invocation fails the invocation at once (an `/error` POST to the
 * Runtime API naming the database), never a hang until the function's timeout. Unlike `etl run`, the Lambda
 * handlers have no process-wide handler that exits: the adapters themselves must reject what is in flight
 * (lib/io/pg.ts) and `sql.end()` must not wait for the dropped connection.
 *
 * @module
 */
import assert from "node:assert/strict";
import { ingest, transform, withPipeline } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";
import { migrate } from "../../lib/load/migrations.ts";
import { transformManifestKey } from "../../lib/transform/manifest.ts";
import { runLambda } from "../../lib/io/lambda_runtime.ts";
import { handler as loadHandler } from "../../main/load.ts";
import { handler as ingestHandler } from "../../main/ingest.ts";
import { startRuntimeApiStub } from "../deploy/runtime_api_stub.ts";
import { type CutAfter, startProxy } from "./_proxy.ts";

/** Sets `vars` for the duration of `fn`, then restores the previous values. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, Deno.env.get(k)]));
  for (const [k, v] of Object.entries(vars)) Deno.env.set(k, v);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(before)) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
}

const cases: {
  name: string;
  db: "wh" | "src";
  cutAfter: CutAfter;
  message: (port: number) => RegExp;
}[] = [
  {
    name: "warehouse during the load's COPY",
    db: "wh",
    cutAfter: { direction: "up", bytes: 2_000_000 },
    message: (port) =>
      new RegExp(
        `^Load of run \\d{8}T\\d{9}Z-adadad failed at \\w+: The warehouse PostgreSQL at 127\\.0\\.0\\.1:${port} ` +
          `closed the connection`,
      ),
  },
  {
    name: "warehouse during a fact merge",
    db: "wh",
    cutAfter: { direction: "up", bytes: 0, after: "INSERT INTO fact_sales_order", delayMs: 30 },
    message: (port) =>
      new RegExp(
        `^Load of run \\d{8}T\\d{9}Z-adadad failed at fact_sales_order: The warehouse PostgreSQL at ` +
          `127\\.0\\.0\\.1:${port} closed the connection`,
      ),
  },
  {
    name: "ToteSys during the ingest's COPY",
    db: "src",
    cutAfter: { direction: "down", bytes: 2_000_000 },
    message: (port) => new RegExp(`The ToteSys PostgreSQL at 127\\.0\\.0\\.1:${port} closed the connection`),
  },
];

for (const c of cases) {
  Deno.test(`Lambda: the ${c.name} goes away: the invocation fails at once naming it (C3)`, () =>
    withPipeline(`lostl${c.db}`, async (p) => {
      await seedDatabase(p.src.sql, { orders: 20_000, seed: 5, createSchema: true });
      let event: unknown = { "detail-type": "Scheduled Event", detail: {} };
      if (c.db === "wh") {
        const r = await ingest(p);
        await transform(p, r.runId!);
        await migrate(p.wh.sql);
        event = {
          "detail-type": "Object Created",
          detail: { bucket: { name: p.processed.name }, object: { key: transformManifestKey(r.runId!) } },
        };
      }
      const target = new URL(c.db === "wh" ? p.wh.url : p.src.url);
      const proxy = await startProxy(target.hostname, Number(target.port), c.cutAfter);
      const via = new URL(target);
      via.port = String(proxy.port);
      const stub = startRuntimeApiStub([{ requestId: "req-lost-1", event }]);
      try {
        await withEnv({
          TOTESYS_DATABASE_URL: c.db === "src" ? via.toString() : p.src.url,
          WAREHOUSE_DATABASE_URL: c.db === "wh" ? via.toString() : p.wh.url,
          INGESTION_BUCKET: p.ingestion.name,
          PROCESSED_BUCKET: p.processed.name,
        }, () =>
          runLambda(c.db === "wh" ? loadHandler : ingestHandler, {
            runtimeApi: stub.address,
            maxInvocations: 1,
          }));
        const ended = performance.now();
        assert.ok(proxy.cutAt() !== null, "never cut");
        // "at once": well inside a Lambda timeout and postgres.js's 30 s timers, with room for a loaded machine
        assert.ok(
          ended - proxy.cutAt()! < 15_000,
          `failed ${Math.round(ended - proxy.cutAt()!)} ms after the cut`,
        );
        const [post] = await stub.waitForPosts(1, 1000);
        assert.equal(post!.path, "/invocation/req-lost-1/error");
        const body = JSON.parse(post!.body) as { errorMessage: string };
        assert.match(body.errorMessage, c.message(proxy.port));
      } finally {
        await stub.close();
        await proxy.close();
      }
    }, false));
}
