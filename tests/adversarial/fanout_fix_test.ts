/**
 * C8: under the default `fail` policy, a bad referenced row (a department, an address) fails every dimension row
 * it fans out into; once it is fixed at the source, the next run carries on: the failed rows are recognised as
 * superseded by the newer version of the referenced row, which re-emits them.
 */
import assert from "node:assert/strict";
import { cycle, withPipeline } from "./_helpers.ts";
import { reconcile } from "../../lib/reconcile/mod.ts";

const differences = async (p: Parameters<Parameters<typeof withPipeline>[1]>[0]) =>
  (await reconcile({ source: p.src.sql, warehouse: p.wh.sql })).tables.flatMap((t) =>
    t.differences.map((d) => `${t.table}:${d.key}:${d.kind}`)
  );

Deno.test("C8: a fixed department unblocks the staff rows it fans out into (fail policy)", () =>
  withPipeline("c8a", async (p) => {
    await cycle(p);
    await p.src.sql`UPDATE department SET location = NULL, last_updated = now() WHERE department_id = 1`;
    await assert.rejects(cycle(p), /Cannot transform department 1: location null is NULL/);
    await p.src.sql`UPDATE department SET location = 'Leeds' WHERE department_id = 1`; // fixed (silently)
    assert.ok(await cycle(p), "the run after the fix carries on");
    const [staff] = await p.wh.sql`SELECT location FROM dim_staff WHERE staff_id = 1`;
    assert.equal(staff!.location, "Leeds");
    assert.deepEqual(await differences(p), []);
  }));

Deno.test("C8: a fixed address unblocks its location and the counterparties whose legal address it is", () =>
  withPipeline("c8b", async (p) => {
    await cycle(p);
    await p.src.sql.unsafe(`ALTER TABLE address ALTER COLUMN city DROP NOT NULL`);
    await p.src.sql`UPDATE address SET city = NULL WHERE address_id = 2`; // counterparty 1's legal address
    await assert.rejects(cycle(p), /Cannot transform address 2: city null/);
    await p.src.sql`UPDATE address SET city = 'York' WHERE address_id = 2`;
    assert.ok(await cycle(p));
    const [cp] = await p.wh
      .sql`SELECT counterparty_legal_city FROM dim_counterparty WHERE counterparty_id = 1`;
    const [loc] = await p.wh.sql`SELECT city FROM dim_location WHERE location_id = 2`;
    assert.deepEqual([cp!.counterparty_legal_city, loc!.city], ["York", "York"]);
    assert.deepEqual(await differences(p), []);
  }));

Deno.test("a bad row deleted at the source instead of fixed unblocks the pipeline (fail policy)", () =>
  withPipeline("c8c", async (p) => {
    await p.src.sql.unsafe(`INSERT INTO sales_order SELECT 2, created_at, last_updated, design_id, staff_id,
      counterparty_id, units_sold, unit_price, currency_id, agreed_delivery_date, agreed_payment_date,
      agreed_delivery_location_id FROM sales_order WHERE sales_order_id = 1`);
    await cycle(p);
    await p.src.sql`UPDATE sales_order SET agreed_delivery_date = '2023-02-30' WHERE sales_order_id = 2`;
    await assert.rejects(cycle(p), /Cannot transform sales_order 2: agreed_delivery_date "2023-02-30"/);
    await p.src.sql`DELETE FROM sales_order WHERE sales_order_id = 2`;
    assert.ok(await cycle(p), "the run that records the deletion carries on");
    assert.deepEqual(await differences(p), []);
  }));
