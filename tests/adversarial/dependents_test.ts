/**
 * Rows that depend on other rows: facts held back because a dimension row they reference was bad, the keys the
 * transform remembers to decide that (and states written before it remembered them), and dim_transaction, which
 * fact_payment references too.
 */
import assert from "node:assert/strict";
import { cycle, etl, ingest, insertSalesOrder, load, transform, withPipeline } from "./_helpers.ts";
import { type TransformState, transformStateKey } from "../../lib/transform/manifest.ts";

Deno.test("a transform state written before `emitted` existed: the next incremental run still loads its facts", () =>
  withPipeline("dep1", async (p) => {
    const r1 = (await cycle(p))!;
    // The previous release wrote states without `emitted` (lib/transform/manifest.ts TransformState): an
    // existing deployment upgrades with such states in its processed zone.
    const key = transformStateKey(r1);
    const state = (await p.processed.getJson<TransformState>(key))!;
    delete state.emitted;
    await p.processed.put(key, JSON.stringify(state));
    await p.src
      .sql`UPDATE sales_order SET units_sold = 5, last_updated = '2023-01-01' WHERE sales_order_id = 1`;
    const r2 = await ingest(p);
    const t = await transform(p, r2.runId!);
    assert.equal(t.quarantined, 0);
    await load(p, r2.runId!);
    const [n] = await p.wh.sql`SELECT count(*)::int AS n FROM fact_sales_order`;
    assert.equal(n!.n, 2);
  }));

Deno.test("quarantine policy: a payment whose transaction is quarantined does not block the load", () =>
  withPipeline("dep2", async (p) => {
    await p.src.sql.unsafe(`ALTER TABLE transaction ALTER COLUMN transaction_type DROP NOT NULL`);
    await p.src.sql`UPDATE transaction SET transaction_type = NULL WHERE transaction_id = 2`;
    const r = await ingest(p);
    const t = await transform(p, r.runId!, "quarantine");
    assert.ok(t.quarantined >= 1);
    await load(p, r.runId!); // payment 2 references transaction 2 (fact_payment -> dim_transaction)
    const rows = await p.wh.sql`SELECT payment_id FROM fact_payment ORDER BY 1`;
    assert.deepEqual(rows.map((x) => x.payment_id), [1]);
  }));

Deno.test("quarantine policy: a sales order held back by a bad currency arrives once the currency is fixed", () =>
  withPipeline("dep3", async (p) => {
    const env = { TRANSFORM_BAD_ROWS: "quarantine" };
    assert.equal((await etl(p, ["run"], env)).code, 0);
    await p.src.sql`INSERT INTO currency VALUES (3, 'XYZ', '2023-01-01', '2023-01-01')`;
    await insertSalesOrder(p.src.sql, 2, { currency_id: "3", last_updated: "'2023-01-01'" });
    await etl(p, ["run"], env);
    // Only the currency was wrong, and only the currency is fixed at the source.
    await p.src
      .sql`UPDATE currency SET currency_code = 'EUR', last_updated = '2023-01-02' WHERE currency_id = 3`;
    const fixed = await etl(p, ["run"], env);
    assert.equal(fixed.code, 0, fixed.stderr);
    const rows = await p.wh.sql`SELECT sales_order_id, currency_id FROM fact_sales_order ORDER BY 1`;
    assert.deepEqual(rows.map((x) => [x.sales_order_id, x.currency_id]), [[1, 1], [2, 3]]);
  }));

Deno.test("fail policy: a bad currency used by a sales order, fixed at the source: `etl run` completes", () =>
  withPipeline("dep4", async (p) => {
    assert.equal((await etl(p, ["run"])).code, 0);
    await p.src.sql`INSERT INTO currency VALUES (3, 'XYZ', '2023-01-01', '2023-01-01')`;
    await insertSalesOrder(p.src.sql, 2, { currency_id: "3", last_updated: "'2023-01-01'" });
    const failed = await etl(p, ["run"]);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /XYZ/);
    await p.src
      .sql`UPDATE currency SET currency_code = 'EUR', last_updated = '2023-01-02' WHERE currency_id = 3`;
    const fixed = await etl(p, ["run"]);
    assert.equal(fixed.code, 0, fixed.stderr);
    const rows = await p.wh.sql`SELECT sales_order_id FROM fact_sales_order ORDER BY 1`;
    assert.deepEqual(rows.map((x) => x.sales_order_id), [1, 2]);
  }));
