import assert from "node:assert/strict";
import { parquetKey, quarantineKey, transformManifestKey, transformStateKey } from "./manifest.ts";

const RUN = "20261130T085123113Z-5c07e2";

Deno.test("processed-zone keys follow design.md section 4, partitioned by the run's UTC day", () => {
  assert.equal(parquetKey("fact_sales_order", RUN), `fact_sales_order/2026/11/30/${RUN}.parquet`);
  assert.equal(quarantineKey("sales_order", RUN), `_quarantine/sales_order/2026/11/30/${RUN}.jsonl`);
  assert.equal(transformManifestKey(RUN), `_manifests/transform/${RUN}.json`);
  assert.equal(transformStateKey(RUN), `_state/transform/runs/${RUN}.json`);
});
