/**
 * `etl reconcile --repair` on a warehouse emptied by hand: every key of every table differs (about 86,000 here).
 * The repair reads them by plain queries of 10,000 keys and writes each object as a stream; one COPY per table on
 * the locked connection hung once the rows passed the socket's buffers (ToteSys left in ClientWrite).
 *
 * @module
 */
import assert from "node:assert/strict";
import { etl, withPipeline } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";

Deno.test("reconcile --repair of a warehouse truncated by hand (20,000 orders, every key) completes; reconcile is then equal", () =>
  withPipeline("replarge", async (p) => {
    await seedDatabase(p.src.sql, { orders: 20_000, seed: 7, createSchema: true });
    assert.equal((await etl(p, ["run"])).code, 0);
    await p.wh.sql.unsafe(
      `TRUNCATE fact_sales_order, fact_purchase_order, fact_payment, fact_deletion, dim_transaction, dim_design,
        dim_staff, dim_location, dim_counterparty, dim_currency, dim_payment_type`, // dim_date is no source's
    );
    const repaired = await etl(p, ["reconcile", "--repair"]);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.match(repaired.stderr, /Repair run \S+ written, transformed and loaded \(\d{5,} key\(s\)\)/);
    const again = await etl(p, ["reconcile"]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_payment`;
    const [m] = await p.src.sql`SELECT count(*)::int AS n FROM payment`;
    assert.equal(n!.n, m!.n);
  }, false));
