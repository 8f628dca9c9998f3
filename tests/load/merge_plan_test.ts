/**
 * A fact merge must not scan the fact table once per staged row. After a failed load of a big run, autovacuum
 * removes the rolled-back rows and records the fact table as empty (reltuples 0, no pages); the retry's merge was
 * then planned with a sequential scan of the fact table inside its per-row lateral lookup, re-run for every staged
 * row over the pages the same statement was filling: quadratic (a 300k-order retry spent minutes in
 * fact_sales_order's merge where the first attempt took seconds). The count of sequential scans that PostgreSQL
 * keeps per table tells the plans apart without timing anything.
 */
import assert from "node:assert/strict";
import { ingest, open, transform } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";
import { runLoad } from "../../lib/load/stage.ts";
import { migrate } from "../../lib/load/migrations.ts";
import { connect } from "../../lib/io/pg.ts";

const ORDERS = 3_000;

Deno.test("a fact merge into a table recorded as empty looks rows up by index, not by a scan per row", async () => {
  const p = await open("mplan", false);
  try {
    await seedDatabase(p.src.sql, { orders: ORDERS, seed: 4, createSchema: true });
    const r = await ingest(p);
    await transform(p, r.runId!);
    await migrate(p.wh.sql);
    // What autovacuum leaves after a rolled-back load: the fact table recorded as empty, with no pages.
    await p.wh.sql.unsafe("VACUUM fact_sales_order");
    const [rel] = await p.wh
      .sql`SELECT reltuples::int8 AS n FROM pg_class WHERE relname = 'fact_sales_order'`;
    assert.equal(Number(rel!.n), 0);
    const conn = connect(p.wh.url, { max: 1 });
    const [me] = await conn`SELECT pg_backend_pid() AS pid`;
    const result = await runLoad({
      now: () => Date.now(),
      sql: conn,
      processed: p.processed,
      runId: r.runId!,
    });
    assert.deepEqual(result.tables.fact_sales_order, { staged: ORDERS, merged: ORDERS });
    await conn.end();
    const stats = await tableStats(p.wh.sql, Number(me!.pid), "fact_sales_order", ORDERS);
    assert.ok(stats.seqScans < 10, `fact_sales_order was scanned ${stats.seqScans} times for ${ORDERS} rows`);
  } finally {
    await p.close();
  }
});

/** The table's sequential scans, once the load's backend (`pid`) has exited and its `inserted` rows are counted. */
async function tableStats(
  sql: ReturnType<typeof connect>,
  pid: number,
  table: string,
  inserted: number,
): Promise<{ seqScans: number }> {
  for (let i = 0; i < 100; i++) {
    await sql`SELECT pg_stat_clear_snapshot()`;
    const [gone] = await sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid}`;
    const [s] = await sql`SELECT seq_scan::int8 AS seq, n_tup_ins::int8 AS ins FROM pg_stat_user_tables
      WHERE relname = ${table}`;
    if (gone!.n === 0 && Number(s!.ins) >= inserted) return { seqScans: Number(s!.seq) };
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`The statistics of table ${table} did not count the load's ${inserted} rows within 10 s`);
}
