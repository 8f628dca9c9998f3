/**
 * The transform's pure core over plain data: no bucket, no database, no clock. The rows are the hand-checked
 * ToteSys rows of tests/fixtures/totesys_rows.ts, as ingest writes them to JSON Lines.
 */
import assert from "node:assert/strict";
import { SOURCE_TABLE_NAMES, type SourceTableName, type WarehouseRow } from "../../lib/contract/mod.ts";
import type { IdRanges } from "../../lib/id_ranges.ts";
import type { IngestManifest, ManifestTable } from "../../lib/run/mod.ts";
import { BadRowError } from "../../lib/transform/bad_row.ts";
import { chainStart, INITIAL_STATE } from "../../lib/transform/chain.ts";
import type { TransformState } from "../../lib/transform/manifest.ts";
import type { SmallChanges } from "../../lib/transform/reference.ts";
import type { SourceRow } from "../../lib/transform/rules/mod.ts";
import { RunCore } from "../../lib/transform/run_core.ts";

const TS = "2022-11-03 14:20:49.962000";
const SMALL: SmallChanges = {
  address: [{
    address_id: 2,
    address_line_1: "179 Alexie Cliffs",
    address_line_2: "Flat 2",
    district: null,
    city: "Aliso Viejo",
    postal_code: "99305-7380",
    country: "San Marino",
    phone: "9621 880720",
    created_at: TS,
    last_updated: TS,
  }],
  currency: [{ currency_id: 1, currency_code: "GBP", created_at: TS, last_updated: TS }],
  department: [{
    department_id: 1,
    department_name: "Sales",
    location: "Manchester",
    manager: "Richard Roma",
    created_at: TS,
    last_updated: TS,
  }],
  design: [{
    design_id: 1,
    created_at: TS,
    design_name: "Wooden",
    file_location: "/usr",
    file_name: "wooden-20220717-npgz.json",
    last_updated: TS,
  }],
  payment_type: [{
    payment_type_id: 1,
    payment_type_name: "SALES_RECEIPT",
    created_at: TS,
    last_updated: TS,
  }],
  counterparty: [{
    counterparty_id: 1,
    counterparty_legal_name: "Fahey and Sons",
    legal_address_id: 2,
    commercial_contact: "Micheal Toy",
    delivery_contact: "Mrs. Lucy Runolfsdottir",
    created_at: TS,
    last_updated: TS,
  }],
  staff: [{
    staff_id: 1,
    first_name: "Jeremie",
    last_name: "Franey",
    department_id: 1,
    email_address: "jeremie.franey@terrifictotes.com",
    created_at: TS,
    last_updated: TS,
  }],
};
const NO_CHANGES: SmallChanges = {
  address: [],
  currency: [],
  department: [],
  design: [],
  payment_type: [],
  counterparty: [],
  staff: [],
};
const salesOrder = (id: number, changes: Partial<SourceRow> = {}): SourceRow => ({
  sales_order_id: id,
  created_at: "2022-11-03 14:20:52.186",
  last_updated: "2022-11-03 14:20:52.186",
  design_id: 1,
  staff_id: 1,
  counterparty_id: 1,
  units_sold: 42972,
  unit_price: "3.94",
  currency_id: 1,
  agreed_delivery_date: "2022-11-07",
  agreed_payment_date: "2022-11-08",
  agreed_delivery_location_id: 2,
  ...changes,
});

/** An ingest manifest whose tables have the given deleted keys (the objects do not matter to the core). */
function manifest(
  runId: string,
  previous: string | null,
  deleted: Partial<Record<SourceTableName, IdRanges>> = {},
) {
  const table = (name: SourceTableName): ManifestTable => ({
    previous_watermark: null,
    watermark: null,
    object: null,
    columns: [],
    added_columns: [],
    ...(deleted[name] ? { deleted: deleted[name] } : {}),
  });
  return {
    kind: "ingest",
    version: 2,
    run_id: runId,
    previous_run_id: previous,
    started_at: "2026-11-30T10:00:00.000Z",
    finished_at: "2026-11-30T10:00:01.500Z",
    tables: Object.fromEntries(SOURCE_TABLE_NAMES.map((t) => [t, table(t)])),
  } as IngestManifest;
}

async function* each(rows: SourceRow[]): AsyncGenerator<SourceRow> {
  yield* rows;
}

async function all(rows: AsyncIterable<WarehouseRow>): Promise<WarehouseRow[]> {
  return await Array.fromAsync(rows);
}

/** Runs the core over a run the way the runner does, with no later runs; returns the rows per table. */
async function run(core: RunCore, salesOrders: SourceRow[]) {
  const dims = Object.fromEntries(
    (["dim_location", "dim_staff", "dim_design"] as const).map((t) => [t, core.dimensionRows(t)]),
  );
  for (const t of ["dim_currency", "dim_payment_type", "dim_counterparty"] as const) core.dimensionRows(t);
  const facts = await all(core.streamRows("fact_sales_order", each(salesOrders)));
  core.closeWaiting();
  core.settle(core.superseding());
  return { dims, facts, dates: [...core.dateRows() ?? []] };
}

Deno.test("a first run makes dimension and fact rows, a whole-year calendar, and remembers the keys", async () => {
  const core = new RunCore(manifest("r1", null), INITIAL_STATE, "fail", SMALL);
  const { dims, facts, dates } = await run(core, [salesOrder(1)]);
  assert.deepEqual(dims.dim_staff!.map((r) => [r.staff_id, r.department_name, r.location]), [[
    1,
    "Sales",
    "Manchester",
  ]]);
  assert.deepEqual(facts.map((r) => [r.sales_order_id, r.created_time, r.unit_price]), [[
    1,
    "14:20:52.186000",
    "3.94",
  ]]);
  assert.deepEqual([dates.length, dates[0]!.date_id, dates.at(-1)!.date_id], [
    365,
    "2022-01-01",
    "2022-12-31",
  ]);
  const state = core.state();
  assert.deepEqual(state.date_range, ["2022-01-01", "2022-12-31"]);
  assert.deepEqual(state.emitted?.dim_location, [[2, 2]]);
  assert.deepEqual(state.waiting, []);
  const m = core.transformManifest({}, {});
  assert.deepEqual([m.run_id, m.previous_run_id, m.ingest_manifest], [
    "r1",
    null,
    "_manifests/ingest/r1.json",
  ]);
  assert.equal(m.deletions, undefined);
});

Deno.test("a fact whose design has not arrived waits, then loads with the run that brings the design", async () => {
  const withoutDesign = { ...SMALL, design: [] };
  const first = new RunCore(manifest("r1", null), INITIAL_STATE, "fail", withoutDesign);
  const { facts } = await run(first, [salesOrder(1)]);
  assert.deepEqual(facts, []);
  const [quarantined] = first.quarantineObjects();
  assert.equal(quarantined!.source, "sales_order");
  const record = JSON.parse(new TextDecoder().decode(quarantined!.body));
  assert.match(record.reason, /references a dim_design row the warehouse does not have.*; waiting/);
  const state: TransformState = first.state();
  assert.equal(state.waiting?.length, 1);

  const second = new RunCore(manifest("r2", "r1"), state, "fail", { ...NO_CHANGES, design: SMALL.design });
  const released = await run(second, []);
  assert.deepEqual(released.facts.map((r) => r.sales_order_id), [1]);
  assert.equal(second.released, 1);
  assert.deepEqual(second.state().waiting, []);
  assert.deepEqual(second.quarantineObjects(), []);
});

Deno.test("fail policy: a bad row stops the run unless a later run supersedes it", async () => {
  const bad = salesOrder(5031, { agreed_payment_date: "2024-02-30" });
  const core = new RunCore(manifest("r1", null), INITIAL_STATE, "fail", SMALL);
  await assert.rejects(
    () => run(core, [bad, salesOrder(5032, { unit_price: "2.675" })]),
    (e: unknown) =>
      e instanceof BadRowError && e.message ===
        'Cannot transform sales_order 5031: agreed_payment_date "2024-02-30" is not a calendar date' +
          " (and 1 more bad row(s) in run r1)",
  );

  const fixed = new RunCore(manifest("r1", null), INITIAL_STATE, "fail", SMALL);
  await all(fixed.streamRows("fact_sales_order", each([bad])));
  const superseding = fixed.superseding();
  assert.deepEqual([...superseding.wanted], [["sales_order", new Set([5031])]]);
  superseding.noteRow("r2", "sales_order", salesOrder(5031));
  fixed.settle(superseding);
  const record = JSON.parse(new TextDecoder().decode(fixed.quarantineObjects()[0]!.body));
  assert.equal(record.reason, "is not a calendar date; superseded by run r2");
});

Deno.test("quarantine policy: a bad row is kept aside and the others load", async () => {
  const core = new RunCore(manifest("r1", null), INITIAL_STATE, "quarantine", SMALL);
  const { facts } = await run(core, [salesOrder(1), salesOrder(2, { unit_price: "2.675" })]);
  assert.deepEqual(facts.map((r) => r.sales_order_id), [1]);
  const [object] = core.quarantineObjects();
  assert.deepEqual([object!.source, object!.rows], ["sales_order", 1]);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(object!.body)), {
    source_table: "sales_order",
    key: 2,
    column: "unit_price",
    value: "2.675",
    reason: "has more than 2 decimals; it would have to be rounded",
    row: salesOrder(2, { unit_price: "2.675" }),
  });
});

Deno.test("deletions name the warehouse rows, and the reference state forgets deleted rows", async () => {
  const first = new RunCore(manifest("r1", null), INITIAL_STATE, "fail", SMALL);
  await run(first, [salesOrder(1)]);
  const second = new RunCore(
    manifest("r2", "r1", { address: [[2, 2]], sales_order: [[1, 1]] }),
    first.state(),
    "fail",
    NO_CHANGES,
  );
  await run(second, []);
  const m = second.transformManifest({}, {});
  assert.deepEqual(m.deletions, { dim_location: [[2, 2]], fact_sales_order: [[1, 1]] });
  assert.equal(m.detected_at, "2026-11-30 10:00:01.500");
  assert.deepEqual(second.state().reference.address, {});
  assert.deepEqual(second.state().date_range, ["2022-01-01", "2022-12-31"]);
});

Deno.test("chainStart(): a first run starts from the initial state; a missing previous state is pending", () => {
  assert.equal(chainStart({ previous_run_id: null }, undefined), INITIAL_STATE);
  assert.equal(chainStart({ previous_run_id: "r1" }, undefined), undefined);
  const saved = { ...INITIAL_STATE, run_id: "r1" };
  assert.equal(chainStart({ previous_run_id: "r1" }, saved), saved);
});
