import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { structures, withEnv } from "./_load_env.ts";

setLogSink(() => {});

/** Runs `fn` while collecting the `into` field of each "Table loaded" log line, per table. */
async function loadPaths(fn: () => Promise<unknown>): Promise<Record<string, string>> {
  const paths: Record<string, string> = {};
  const prev = setLogSink((line) => {
    const l = JSON.parse(line);
    if (l.msg === "Table loaded") paths[l.table] = l.into ?? "merge";
  });
  try {
    await fn();
  } finally {
    setLogSink(prev);
  }
  return paths;
}

Deno.test("a large run into empty tables (indexes rebuilt after a plain insert) gives the merge's warehouse, keys and indexes", () =>
  withEnv(async ({ src, wh, processed, prepare, snapshot }) => {
    const r1 = await prepare();
    const wh2 = await freshDatabase("ldw4");
    try {
      const now = () => Date.now();
      const empty = await loadPaths(() => runLoad({ now, sql: wh.sql, processed, runId: r1, bulkRows: 1 }));
      assert.equal(empty.fact_sales_order, "empty table, indexes rebuilt");
      assert.equal(empty.dim_staff, "empty table, indexes rebuilt");
      assert.equal(empty.dim_date, "empty table, indexes rebuilt");
      const merged = await loadPaths(() => runLoad({ now, sql: wh2.sql, processed, runId: r1 }));
      assert.equal(merged.fact_sales_order, "merge");
      assert.equal(await snapshot(), await snapshot(wh2.sql));
      const [ids] = await wh
        .sql`SELECT string_agg(sales_record_id || ':' || sales_order_id, ',' ORDER BY 1) AS s
        FROM fact_sales_order`;
      const [ids2] = await wh2
        .sql`SELECT string_agg(sales_record_id || ':' || sales_order_id, ',' ORDER BY 1) AS s
        FROM fact_sales_order`;
      assert.equal(ids!.s, ids2!.s, "record ids numbered in natural-key order, as the merge numbers them");
      assert.deepEqual(await structures(wh.sql), await structures(wh2.sql));
      // the next run finds the tables filled: the ordinary merge, with the same outcome
      await src.sql`UPDATE sales_order SET units_sold = 7, last_updated = '2023-05-05 12:00:00'
        WHERE sales_order_id = 1`;
      const r2 = await prepare();
      const next = await loadPaths(() => runLoad({ now, sql: wh.sql, processed, runId: r2, bulkRows: 1 }));
      assert.equal(next.fact_sales_order, "merge");
      await runLoad({ now, sql: wh2.sql, processed, runId: r2 });
      assert.equal(await snapshot(), await snapshot(wh2.sql));
    } finally {
      await wh2.drop();
    }
  }));
