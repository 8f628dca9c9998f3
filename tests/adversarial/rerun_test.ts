/**
 * Re-runs: the same transform twice (one after the other and at once), the same load twice at once, and loads
 * out of order when a later run's facts use a dimension row first seen in an earlier run.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { digest, ingest, load, transform, withPipeline } from "./_helpers.ts";
import type { Bucket } from "../../lib/io/s3.ts";

async function contents(bucket: Bucket): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of await bucket.list("")) {
    const bytes = await bucket.get(key);
    out[key] = createHash("sha256").update(bytes!).digest("hex");
  }
  return out;
}

Deno.test("the same run transformed twice, and twice at once, writes byte-identical objects", () =>
  withPipeline("rr1", async (p) => {
    const r1 = await ingest(p);
    await transform(p, r1.runId!);
    const first = await contents(p.processed);
    await transform(p, r1.runId!);
    assert.deepEqual(await contents(p.processed), first);
    await Promise.all([transform(p, r1.runId!), transform(p, r1.runId!)]);
    assert.deepEqual(await contents(p.processed), first);
    assert.ok(Object.keys(first).some((k) => k.startsWith("fact_payment/")));
  }));

Deno.test("the same run loaded twice at once: one loads, the other reports it was loaded; nothing doubles", () =>
  withPipeline("rr2", async (p) => {
    const r1 = await ingest(p);
    await transform(p, r1.runId!);
    const results = await Promise.all([load(p, r1.runId!), load(p, r1.runId!)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ["already_loaded", "loaded"]);
    const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_payment`;
    assert.equal(n!.n, 2);
  }));

Deno.test("loads out of order: a later run whose facts use a design first ingested by an earlier run", () =>
  withPipeline("rr3", async (p) => {
    const r0 = await ingest(p);
    await transform(p, r0.runId!);
    await load(p, r0.runId!);
    // run 1: a new design; run 2: a sales order of that design
    await p.src.sql`INSERT INTO design VALUES (2, '2023-01-01 00:00:00', 'Steel', '/opt', 'steel.json',
      '2023-01-01 00:00:00')`;
    const r1 = await ingest(p);
    await p.src
      .sql`INSERT INTO sales_order SELECT 2, '2023-01-02', '2023-01-02', 2, staff_id, counterparty_id,
      units_sold, unit_price, currency_id, agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id
      FROM sales_order WHERE sales_order_id = 1`;
    const r2 = await ingest(p);
    await transform(p, r2.runId!); // catches up run 1's transform too
    // The transform manifests of run 1 and run 2 both exist; their load events may arrive in either order.
    await load(p, r2.runId!);
    await load(p, r1.runId!);
    const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_sales_order WHERE design_id = 2`;
    assert.equal(n!.n, 1);
  }));

Deno.test("loads in reverse order end with the same warehouse as loads in order", async () => {
  const digests: Record<string, string>[] = [];
  for (const reverse of [false, true]) {
    await withPipeline("rr4", async (p) => {
      const runs: string[] = [];
      runs.push((await ingest(p)).runId!);
      await p.src.sql`UPDATE address SET city = 'Leeds', last_updated = '2023-02-02' WHERE address_id = 2`;
      await p.src.sql`UPDATE payment SET paid = true, last_updated = '2023-02-02' WHERE payment_id = 1`;
      runs.push((await ingest(p)).runId!);
      await p.src.sql`UPDATE address SET city = 'York', last_updated = '2023-03-03' WHERE address_id = 2`;
      await p.src.sql`UPDATE payment SET paid = false, last_updated = '2023-03-03' WHERE payment_id = 1`;
      runs.push((await ingest(p)).runId!);
      await transform(p, runs[2]!);
      await load(p, runs[0]!); // the first run always goes first: the others reference its dimensions
      for (const id of reverse ? [runs[2]!, runs[1]!] : [runs[1]!, runs[2]!]) await load(p, id);
      digests.push(await digest(p.wh.sql));
      const [loc] = await p.wh.sql`SELECT city FROM dim_location WHERE location_id = 2`;
      const [cp] = await p.wh
        .sql`SELECT counterparty_legal_city FROM dim_counterparty WHERE counterparty_id = 1`;
      assert.deepEqual([loc!.city, cp!.counterparty_legal_city], ["York", "York"]);
    });
  }
  assert.deepEqual(digests[1], digests[0]);
});
