import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { BULK_ROWS, checkedFile, checkStagedRows, loadPlan, mergeTakesRunId, useBulkMerge } from "./plan.ts";
import type { TransformManifest } from "../run/manifest.ts";

const RUN = "20261130T090000000Z-aaaaaa";
const file = (key: string, rows = 1) => ({ key, rows, bytes: 10, sha256: "00" });

function manifest(extra: Partial<TransformManifest> = {}): TransformManifest {
  return {
    kind: "transform",
    version: 1,
    run_id: RUN,
    previous_run_id: null,
    ingest_manifest: `_manifests/ingest/${RUN}.json`,
    tables: {},
    quarantine: {},
    date_range: null,
    ...extra,
  };
}

Deno.test("loadPlan() orders files dim_date first, then dimensions, then facts, whatever the manifest's order", () => {
  const plan = loadPlan(
    manifest({
      tables: {
        fact_sales_order: file("fso"),
        dim_staff: file("ds"),
        fact_payment: file("fp"),
        dim_date: file("dd"),
        dim_location: file("dl"),
      },
    }),
    "2026-11-30T09:00:00.000Z",
  );
  const tables = plan.files.map((f) => f.table);
  assert.equal(tables[0], "dim_date");
  assert.ok(tables.indexOf("dim_staff") < tables.indexOf("fact_sales_order"));
  assert.ok(tables.indexOf("dim_location") < tables.indexOf("fact_payment"));
  assert.deepEqual(plan.deletions, []);
});

Deno.test("loadPlan() lists each table's deleted keys and dates them by the ingest snapshot when known", () => {
  const plan = loadPlan(
    manifest({
      deletions: { fact_sales_order: [[1, 2], [7, 7]], dim_staff: [], dim_location: [[4, 4]] },
      detected_at: "2026-11-30 08:59:59.123456",
    }),
    "2026-11-30T09:00:00.000Z",
  );
  assert.deepEqual(plan.deletions, [
    { table: "dim_location", ids: [4] },
    { table: "fact_sales_order", ids: [1, 2, 7] },
  ]);
  assert.equal(plan.detectedAt, "2026-11-30 08:59:59.123456");
  // a manifest written before detected_at existed: the load's start
  assert.equal(loadPlan(manifest(), "2026-11-30T09:00:00.000Z").detectedAt, "2026-11-30T09:00:00.000Z");
});

Deno.test("checkedFile() accepts the listed bytes and names the key of a missing or altered file", () => {
  const bytes = new TextEncoder().encode("PAR1");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const listed = { key: "fact_payment/2026/11/30/x.parquet", rows: 3, bytes: 4, sha256 };
  assert.equal(checkedFile(listed, bytes), bytes);
  assert.throws(
    () => checkedFile(listed, undefined),
    /fact_payment\/2026\/11\/30\/x\.parquet listed in the manifest is missing/,
  );
  assert.throws(
    () => checkedFile(listed, new TextEncoder().encode("PAR2")),
    new RegExp(`has SHA-256 [0-9a-f]{64}, the manifest says ${sha256}`),
  );
});

Deno.test("checkStagedRows() names the key and both counts when they differ", () => {
  checkStagedRows(file("k", 3), 3);
  assert.throws(() => checkStagedRows(file("k", 3), 2), /Parquet file k has 2 rows, the manifest says 3/);
});

Deno.test("useBulkMerge() is for facts from the threshold on; facts' merges take the run id", () => {
  assert.equal(useBulkMerge("fact_payment", BULK_ROWS, BULK_ROWS), true);
  assert.equal(useBulkMerge("fact_payment", 1, 1), true);
  assert.equal(useBulkMerge("fact_payment", 0, 1), false);
  assert.equal(useBulkMerge("dim_counterparty", 10 ** 6, 1), false);
  assert.equal(mergeTakesRunId("fact_purchase_order"), true);
  assert.equal(mergeTakesRunId("dim_date"), false);
});
