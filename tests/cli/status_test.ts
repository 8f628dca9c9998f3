/**
 * `etl status` (text and JSON) against a real history on the real services: a completed run, a run with a
 * quarantined currency and a sales order waiting for it, a run whose load failed, a run left half-way (ingested
 * only), and a reconcile that found the differences those leave.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  cycle,
  etl,
  ingest,
  insertSalesOrder,
  load,
  transform,
  withPipeline,
} from "../adversarial/_helpers.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { BASE_TS } from "../fixtures/totesys_rows.ts";
import type { PipelineStatus } from "../../lib/status/mod.ts";

Deno.test("etl status: runs completed, failed and half-way; pending; freshness; quarantine; waiting; reconcile", () =>
  withPipeline("status", async (p) => {
    // Before anything ran: empty, and it says so.
    const empty = await etl(p, ["status"]);
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /^Runs: 0 ingested/);
    assert.match(empty.stdout, /Warehouse: not migrated yet/);

    const r1 = (await cycle(p))!;
    // r2: a currency the warehouse cannot take (quarantined) and a sales order that references it (waits).
    await p.src.sql`INSERT INTO currency VALUES (3, 'XYZ', '2023-01-01', '2023-01-01')`;
    await insertSalesOrder(p.src.sql, 2, { currency_id: "3", last_updated: "'2023-01-01'" });
    const r2 = (await ingest(p)).runId!;
    await transform(p, r2, "quarantine");
    await load(p, r2);
    // r3: transformed, its load fails.
    await p.src
      .sql`UPDATE sales_order SET units_sold = 7, last_updated = '2024-01-01' WHERE sales_order_id = 1`;
    const r3 = (await ingest(p)).runId!;
    await transform(p, r3, "quarantine");
    await assert.rejects(
      runLoad({
        now: () => Date.now(),
        sql: p.wh.sql,
        processed: p.processed,
        runId: r3,
        afterTable: () => {
          throw new Error("disk full (test)");
        },
      }),
      /disk full \(test\)/,
    );
    // r4: ingested only (left half-way).
    await p.src.sql`UPDATE payment SET paid = true, last_updated = '2024-02-01' WHERE payment_id = 1`;
    const r4 = (await ingest(p)).runId!;
    assert.deepEqual([r1, r2, r3, r4], [r1, r2, r3, r4].toSorted());

    const rec = await etl(p, ["reconcile"]);
    assert.equal(rec.code, 1, rec.stderr); // r3 and r4 are not loaded, sales order 2 waits

    const res = await etl(p, ["status", "--json", "--runs=3"]);
    assert.equal(res.code, 0, res.stderr);
    const s = JSON.parse(res.stdout) as PipelineStatus;
    assert.equal(s.totalRuns, 4);
    assert.deepEqual(s.runs.map((r) => [r.runId, r.stage]), [
      [r4, "ingested"],
      [r3, "failed"],
      [r2, "loaded"],
    ]);
    const [s4, s3, s2] = s.runs as [
      PipelineStatus["runs"][0],
      PipelineStatus["runs"][0],
      PipelineStatus["runs"][0],
    ];
    assert.deepEqual([s4.ingestedRows, s4.transformedRows, s4.loadedRows, s4.error], [1, null, null, null]);
    assert.equal(s3.ingestedRows, 1);
    assert.match(s3.error!, new RegExp(`^Load of run ${r3} failed at \\w+: disk full \\(test\\)$`));
    assert.equal(s3.loadedRows, null);
    assert.equal(s2.ingestedRows, 2); // currency 3, sales order 2
    assert.equal(s2.quarantinedRows >= 1, true);
    assert.equal(s2.loadedRows !== null && s2.loadedRows >= 0, true);
    assert.deepEqual(s.pending, { count: 2, first: r3, last: r4, failed: 1 });

    const t = Object.fromEntries(s.tables.map((x) => [x.table, x]));
    // Capture position: the latest manifest's snapshot text, for every table.
    for (const x of s.tables) {
      assert.equal(x.capturedBy, r4);
      assert.match(x.watermark!, /^\d+:\d+:[\d,]*$/);
    }
    assert.deepEqual(
      [t.sales_order!.newestInSource, t.sales_order!.newestLoaded, t.sales_order!.lagSeconds],
      ["2024-01-01 00:00:00.000000", "2022-11-03 14:20:52.186000", 36_581_948],
    );
    assert.deepEqual(
      [t.payment!.newestInSource, t.payment!.newestLoaded],
      ["2024-02-01 00:00:00.000000", "2022-11-03 14:20:52.187000"],
    );
    assert.deepEqual(
      [t.address!.newestInSource, t.address!.newestLoaded, t.address!.lagSeconds],
      [`${BASE_TS}000`, `${BASE_TS}000`, 0],
    );
    assert.deepEqual([t.currency!.newestInSource, t.currency!.newestLoaded], [
      "2023-01-01 00:00:00.000000",
      `${BASE_TS}000`,
    ]);
    assert.equal(t.currency!.quarantined, 1);
    assert.equal(t.sales_order!.waiting, 1);
    assert.deepEqual(s.waiting.map((w) => [w.source, w.column, w.value]), [[
      "sales_order",
      "currency_id",
      3,
    ]]);

    assert.equal(s.reconcile?.outcome, "different");
    const so = s.reconcile!.tables.find((x) => x.table === "fact_sales_order_current")!;
    assert.deepEqual(so.keys, [1, 2]);

    // The text form says the same.
    const text = await etl(p, ["status"]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^Runs: 4 ingested; last 4, newest first/);
    assert.match(text.stdout, new RegExp(`${r3}\\s+failed .*load failed: Load of run ${r3} failed at`));
    assert.match(text.stdout, new RegExp(`${r4}\\s+ingested .*transform pending`));
    assert.match(
      text.stdout,
      new RegExp(`Pending \\(ingested, not loaded\\): 2 runs \\(${r3} \\.\\. ${r4}\\)`),
    );
    assert.match(
      text.stdout,
      /\nsales_order\s+2024-01-01 00:00:00\.000000\s+2022-11-03 14:20:52\.186000\s+423 d\s+1\s+1/,
    );
    assert.match(text.stdout, /sales_order currency_id=3: /);
    assert.match(
      text.stdout,
      /Last reconcile: .*differing key\(s\): .*fact_sales_order_current 2 \(keys 1, 2\)/,
    );

    // After `etl run` everything is loaded except what waits; reconcile is recorded again.
    const run = await etl(p, ["run"], { TRANSFORM_BAD_ROWS: "quarantine" });
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^Completing 2 runs \\(${r3} \\.\\. ${r4}\\) ingested earlier and not loaded yet ` +
          `\\(left half-way, or a chunked first run\\)\n`,
      ),
    );
    const after = JSON.parse((await etl(p, ["status", "--json"])).stdout) as PipelineStatus;
    assert.deepEqual(after.pending, { count: 0, first: null, last: null, failed: 0 });
    assert.deepEqual(after.runs.map((r) => r.stage), ["loaded", "loaded", "loaded", "loaded"]);
    assert.equal(after.tables.find((x) => x.table === "payment")!.lagSeconds, 0);
  }));
