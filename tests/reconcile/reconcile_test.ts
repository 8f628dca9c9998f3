/**
 * `reconcile` against a real ToteSys and warehouse (issue 11): equal after a run; each kind of difference named
 * with its table and key; boundaries of the bisection (first and last key, gaps, one-row and empty tables).
 */
import assert from "node:assert/strict";
import { cycle, withPipeline } from "../adversarial/_helpers.ts";
import { reconcile, type ReconcileResult, ROW_TEXTS_KEPT } from "../../lib/reconcile/mod.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";
import { PAIRS } from "../../lib/reconcile/pairs.ts";
import type { Pipeline } from "../fixtures/pipeline.ts";

function found(r: ReconcileResult): string[] {
  return r.tables.flatMap((t) => t.differences.map((d) => `${t.table}:${d.key}:${d.kind}`));
}

const check = (p: Pipeline, extra: { fanout?: number; leaf?: number } = {}) =>
  reconcile({ source: p.src.sql, warehouse: p.wh.sql, ...extra });

Deno.test("reconcile: equal after a run; names a silent edit, a deleted row, hand edits, extra and missing rows", () =>
  withPipeline("rec1", async (p) => {
    await cycle(p);
    const equal = await check(p);
    assert.equal(equal.differences, 0, JSON.stringify(found(equal)));
    assert.deepEqual(equal.tables.map((t) => t.table), PAIRS.map((p) => p.name));
    // spelled out for the tables of this fixture (a table added later only has to compare equal)
    const spelled = [
      ["dim_location", 2, 2],
      ["dim_currency", 2, 2],
      ["dim_design", 1, 1],
      ["dim_payment_type", 1, 1],
      ["dim_staff", 1, 1],
      ["dim_counterparty", 1, 1],
      ["dim_transaction", 2, 2],
      ["fact_sales_order_current", 1, 1],
      ["fact_purchase_order_current", 1, 1],
      ["fact_payment_current", 2, 2],
    ];
    assert.deepEqual(
      spelled.map(([name]) => equal.tables.find((t) => t.table === name)!)
        .map((t) => [t.table, t.sourceRows, t.warehouseRows]),
      spelled,
    );
    // in ToteSys, not yet carried: a silent edit and a delete
    await p.src.sql`UPDATE design SET file_location = '/x' WHERE design_id = 1`;
    await p.src.sql`DELETE FROM payment WHERE payment_id = 2`;
    // in the warehouse, by hand: a changed row, an extra row, a missing fact version
    await p.wh.sql`UPDATE dim_location SET city = 'Nowhere' WHERE location_id = 1`;
    await p.wh.sql`INSERT INTO dim_currency VALUES (9, 'EUR', 'Euro', '2022-01-01', 'x')`;
    await p.wh.sql`DELETE FROM fact_purchase_order WHERE purchase_order_id = 1`;
    const r = await check(p);
    assert.deepEqual(found(r), [
      "dim_location:1:different",
      "dim_currency:9:extra",
      "dim_design:1:different",
      "fact_purchase_order_current:1:missing",
      "fact_payment_current:2:extra",
    ]);
    const design = r.tables.find((t) => t.table === "dim_design")!.differences[0]!;
    assert.equal(design.source, "Wooden\x1f/x\x1fwooden-20220717-npgz.json");
    assert.equal(design.warehouse, "Wooden\x1f/usr\x1fwooden-20220717-npgz.json");
  }));

Deno.test("reconcile: bisection boundaries (first, last and gapped keys; one-row and empty tables)", () =>
  withPipeline("rec2", async (p) => {
    await p.src.sql.unsafe(
      `INSERT INTO transaction (transaction_id, transaction_type, created_at, last_updated)
      SELECT g, 'SALE', '2022-11-03 14:20:52.186', '2022-11-03 14:20:52.186'
      FROM generate_series(3, 3000) g WHERE g % 7 <> 0 OR g = 2998`,
    );
    await p.src.sql.unsafe(`INSERT INTO transaction VALUES (100000, 'SALE', NULL, NULL, now(), now())`);
    await cycle(p);
    for (const opts of [{}, { fanout: 2, leaf: 1 }, { fanout: 3, leaf: 2 }]) {
      const r = await check(p, opts);
      assert.equal(r.differences, 0, `${JSON.stringify(opts)}: ${found(r)}`);
    }
    // the first key, the last key, keys next to gaps, and a key in the middle of a long gap
    await p.wh.sql.unsafe(
      `UPDATE dim_transaction SET transaction_type = 'X' WHERE transaction_id IN (1, 6, 8, 100000)`,
    );
    await p.wh.sql.unsafe(
      `INSERT INTO dim_transaction VALUES (50000, 'SALE', NULL, NULL, '2022-01-01', 'x')`,
    );
    for (const opts of [{}, { fanout: 2, leaf: 1 }, { fanout: 5, leaf: 3 }]) {
      const r = await check(p, opts);
      assert.deepEqual(found(r), [
        "dim_transaction:1:different",
        "dim_transaction:6:different",
        "dim_transaction:8:different",
        "dim_transaction:50000:extra",
        "dim_transaction:100000:different",
      ], JSON.stringify(opts));
    }
    // a one-row table, then an empty one, on either side
    await p.wh.sql.unsafe(`UPDATE dim_payment_type SET deleted_at = now()`);
    let r = await check(p);
    assert.deepEqual(found(r).filter((x) => x.startsWith("dim_payment_type")), [
      "dim_payment_type:1:missing",
    ]);
    await p.src.sql.unsafe(`DELETE FROM payment; DELETE FROM payment_type`);
    await p.wh.sql.unsafe(`UPDATE dim_payment_type SET deleted_at = now()`);
    r = await check(p);
    const pt = r.tables.find((t) => t.table === "dim_payment_type")!;
    assert.deepEqual([pt.sourceRows, pt.warehouseRows, pt.differences.length], [0, 0, 0]);
  }));

Deno.test("reconcile metrics: one embedded-metric-format line per table and a total", async () => {
  const { reconcileMetricLines } = await import("../../main/reconcile.ts");
  const lines = reconcileMetricLines({
    differences: 3,
    tables: [
      {
        table: "dim_design",
        sourceTable: "design",
        sourceRows: 10,
        warehouseRows: 10,
        differences: [],
        ranges: 1,
        ms: 1,
      },
      {
        table: "fact_payment_current",
        sourceTable: "payment",
        sourceRows: 5,
        warehouseRows: 6,
        differences: [{ key: 1, kind: "extra" }, { key: 2, kind: "missing" }, { key: 3, kind: "different" }],
        ranges: 1,
        ms: 1,
      },
    ],
  }, 1_700_000_000_000).map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => [l.Table, l.ReconcileDifferences, l.ReconcileRows]), [
    ["dim_design", 0, 10],
    ["fact_payment_current", 3, 5],
    ["all", 3, 15],
  ]);
  assert.deepEqual(lines[0]._aws.CloudWatchMetrics[0].Dimensions, [["Table"]]);
  assert.equal(lines[0]._aws.CloudWatchMetrics[0].Namespace, "TerrificTotes");
  assert.equal(lines[0]._aws.Timestamp, 1_700_000_000_000);
});

Deno.test("reconcile keeps every differing key, and the rows' texts of the first ROW_TEXTS_KEPT only", () =>
  withPipeline("rec4", async (p) => {
    await seedDatabase(p.src.sql, { orders: 1_200, seed: 7, createSchema: true });
    await cycle(p);
    await p.wh.sql`DELETE FROM fact_payment`;
    const r = await check(p);
    const t = r.tables.find((x) => x.table === "fact_payment_current")!;
    assert.ok(t.sourceRows > ROW_TEXTS_KEPT + 100, `${t.sourceRows} payments`);
    assert.equal(t.differences.length, t.sourceRows, "every key named");
    assert.ok(t.differences.every((d) => d.kind === "missing"));
    assert.equal(t.differences.filter((d) => d.source !== undefined).length, ROW_TEXTS_KEPT);
    assert.equal(t.differences.filter((d) => d.source === undefined).length, t.sourceRows - ROW_TEXTS_KEPT);
  }, false));
