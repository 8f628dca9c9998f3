/**
 * Exactly-once change capture under hard timing: many updates between runs, late commits of real concurrent
 * transactions inside the lag window, a future-dated row, and overlapping runs (in one process and in two).
 */
import assert from "node:assert/strict";
import { cycle, etl, ingest, insertSalesOrder, load, transform, withPipeline } from "./_helpers.ts";
import type { IngestManifest } from "../../lib/run/mod.ts";
import type { Bucket } from "../../lib/io/s3.ts";

async function rowsOf(
  bucket: Bucket,
  manifestKey: string,
  table: string,
): Promise<Record<string, unknown>[]> {
  const m = (await bucket.getJson<IngestManifest>(manifestKey))!;
  const object = m.tables[table as keyof IngestManifest["tables"]].object;
  if (!object) return [];
  const text = new TextDecoder().decode(await bucket.get(object.key));
  return text.trimEnd().split("\n").map((l) => JSON.parse(l));
}

Deno.test("a row updated many times between runs reaches the warehouse once, as its latest version", () =>
  withPipeline("xo1", async (p) => {
    await cycle(p);
    for (let i = 1; i <= 5; i++) {
      await p.src.sql.unsafe(
        `UPDATE sales_order SET units_sold = ${i}, unit_price = ${i}.0${i},
         last_updated = '2023-01-01 00:00:0${i}.00${i}' WHERE sales_order_id = 1`,
      );
    }
    await cycle(p);
    assert.equal(await cycle(p), null);
    const rows = await p.wh.sql`SELECT units_sold, unit_price::text, last_updated_time::text
      FROM fact_sales_order WHERE sales_order_id = 1 ORDER BY last_updated_date, last_updated_time`;
    assert.deepEqual(rows.map((r) => [r.units_sold, r.unit_price, r.last_updated_time]), [
      [42972, "3.94", "14:20:52.186"],
      [5, "5.05", "00:00:05.005"],
    ]);
  }));

Deno.test("late commits of a real concurrent transaction inside the lag window are captured exactly once", () =>
  withPipeline("xo2", async (p) => {
    await cycle(p);
    // A long transaction stamps its rows 1 s after the sales watermark, then a short one commits later rows
    // (3 s after), then a run reads; the long transaction commits only after that run.
    const long = await p.src.sql.reserve();
    try {
      await long.unsafe("BEGIN");
      await long.unsafe(
        `UPDATE sales_order SET units_sold = 111, last_updated = '2022-11-03 14:20:53.186' WHERE sales_order_id = 1`,
      );
      await insertSalesOrder(p.src.sql, 2, { last_updated: `'2022-11-03 14:20:55.5'` });
      const r2 = await ingest(p);
      assert.equal(r2.status, "committed");
      await transform(p, r2.runId!);
      await load(p, r2.runId!);
      await long.unsafe("COMMIT");
    } finally {
      long.release();
    }
    const r3 = await ingest(p);
    assert.equal(r3.status, "committed", "the late commit (2 s behind the watermark, lag 300 s) is captured");
    const rows = await rowsOf(p.ingestion, r3.manifestKey!, "sales_order");
    assert.deepEqual(rows.map((r) => [r.sales_order_id, r.units_sold]), [[1, 111]]);
    await transform(p, r3.runId!);
    await load(p, r3.runId!);
    assert.equal((await ingest(p)).status, "no_changes");
    const facts = await p.wh.sql`SELECT sales_order_id, units_sold FROM fact_sales_order
      ORDER BY sales_order_id, last_updated_date, last_updated_time`;
    assert.deepEqual(facts.map((r) => [r.sales_order_id, r.units_sold]), [[1, 42972], [1, 111], [2, 42972]]);
  }));

Deno.test("a future-dated last_updated (a writer's clock ahead) does not hide later changes of the table", () =>
  withPipeline("xo3", async (p) => {
    await ingest(p);
    // One writer's clock runs a day ahead: its row carries tomorrow's time. The watermark must not jump there,
    // or every correctly stamped change of the next 24 hours falls behind the lag window and is never read.
    await p.src.sql.unsafe(
      `UPDATE address SET city = 'Skewed', last_updated = now() AT TIME ZONE 'UTC' + interval '1 day'
       WHERE address_id = 1`,
    );
    const r2 = await ingest(p);
    assert.equal(r2.status, "committed");
    await p.src.sql.unsafe(
      `UPDATE address SET city = 'Honest', last_updated = now() AT TIME ZONE 'UTC' WHERE address_id = 2`,
    );
    const r3 = await ingest(p);
    assert.equal(r3.status, "committed", "address 2's change, stamped now, is captured");
    const rows = await rowsOf(p.ingestion, r3.manifestKey!, "address");
    assert.deepEqual(rows.map((r) => [r.address_id, r.city]), [[2, "Honest"]]);
  }));

Deno.test("two `etl ingest` processes at once: one captures, the other exits 0 without writing", () =>
  withPipeline("xo4", async (p) => {
    const [a, b] = await Promise.all([etl(p, ["ingest"]), etl(p, ["ingest"])]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const statuses = [JSON.parse(a.stdout).status, JSON.parse(b.stdout).status].sort();
    assert.ok(
      ["committed,locked", "committed,no_changes"].includes(statuses.join(",")),
      `statuses ${statuses}`,
    );
    assert.equal((await p.ingestion.list("_manifests/ingest/")).length, 1);
  }));

const MANY_TRANSACTIONS =
  `INSERT INTO transaction (transaction_id, transaction_type, created_at, last_updated)
  SELECT g, 'SALE', '2022-11-03 14:20:52.186', '2022-11-03 14:20:52.186' FROM generate_series(3, 200000) g`;

Deno.test("two `etl run` processes at once leave the warehouse as one run does, without duplicates", () =>
  withPipeline("xo5", async (p) => {
    await p.src.sql.unsafe(MANY_TRANSACTIONS); // slow enough for the two to overlap
    const outs = await Promise.all([etl(p, ["run"]), etl(p, ["run"])]);
    // whichever lost the race, a last plain run must finish everything
    const last = await etl(p, ["run"]);
    assert.equal(last.code, 0, last.stderr);
    const counts = await p.wh.sql`SELECT
      (SELECT count(*)::int FROM fact_sales_order) so, (SELECT count(*)::int FROM fact_payment) pay,
      (SELECT count(*)::int FROM fact_purchase_order) po, (SELECT count(*)::int FROM dim_staff) st,
      (SELECT count(*)::int FROM dim_transaction) tx,
      (SELECT count(*)::int FROM etl_load_log WHERE outcome = 'loaded') loads`;
    assert.deepEqual(
      { ...counts[0] },
      { so: 1, pay: 2, po: 1, st: 1, tx: 200000, loads: 1 },
      outs.map((o) => o.stderr).join(),
    );
  }));

Deno.test("two `etl run` processes at once both exit 0 (the README: the second exits cleanly, saying why)", () =>
  withPipeline("xo6", async (p) => {
    await p.src.sql.unsafe(MANY_TRANSACTIONS); // slow enough for the two to overlap
    const outs = await Promise.all([etl(p, ["run"]), etl(p, ["run"])]);
    for (const o of outs) assert.equal(o.code, 0, `exit ${o.code}: ${o.stderr}`);
  }));

Deno.test("a row committed later with the previous run's newest last_updated, to the microsecond, is captured", () =>
  withPipeline("xo7", async (p) => {
    const r1 = await ingest(p);
    assert.equal(r1.status, "committed");
    await insertSalesOrder(p.src.sql, 2, {}); // same last_updated as sales order 1: the watermark, exactly
    const r2 = await ingest(p);
    assert.equal(r2.status, "committed", "sales order 2 (last_updated = watermark) is captured");
    const rows = await rowsOf(p.ingestion, r2.manifestKey!, "sales_order");
    assert.deepEqual(rows.map((r) => r.sales_order_id), [2]);
  }));

Deno.test("README's current-state query after a late commit whose last_updated is older than the captured one", () =>
  withPipeline("xo8", async (p) => {
    // A long transaction began at 14:20:52.000 and stamps last_updated with its start time (PostgreSQL now()).
    // Meanwhile sales order 1 was updated at 14:20:52.186 and captured. The long transaction then updates the
    // same order and commits: its version is the current state, though its last_updated is older.
    await cycle(p);
    await p.src.sql`UPDATE sales_order SET units_sold = 7, last_updated = '2022-11-03 14:20:52.000'
      WHERE sales_order_id = 1`;
    await cycle(p);
    const [src] = await p.src.sql`SELECT units_sold FROM sales_order WHERE sales_order_id = 1`;
    // the README's query (section "Querying the warehouse")
    const [current] = await p.wh.sql`SELECT DISTINCT ON (sales_order_id) units_sold FROM fact_sales_order
      ORDER BY sales_order_id, sales_record_id DESC`;
    assert.equal(src!.units_sold, 7);
    assert.equal(current!.units_sold, 7, "the warehouse's current state is ToteSys's current state");
  }));
