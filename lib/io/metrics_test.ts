import assert from "node:assert/strict";
import { emfLines, METRIC_NAMESPACE } from "./metrics.ts";

Deno.test("emfLines() groups points by dimensions into valid EMF lines", () => {
  const lines = emfLines([
    { name: "RowsLoaded", value: 3, unit: "Count", dimensions: { Stage: "load", Table: "dim_currency" } },
    { name: "Duration", value: 1234, unit: "Milliseconds", dimensions: { Stage: "load" } },
    { name: "Deletions", value: 1, unit: "Count", dimensions: { Table: "dim_currency", Stage: "load" } },
  ], 1_700_000_000_000).map((l) => JSON.parse(l));
  assert.deepEqual(lines, [
    {
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [{
          Namespace: METRIC_NAMESPACE,
          Dimensions: [["Stage", "Table"]],
          Metrics: [{ Name: "RowsLoaded", Unit: "Count" }, { Name: "Deletions", Unit: "Count" }],
        }],
      },
      Stage: "load",
      Table: "dim_currency",
      RowsLoaded: 3,
      Deletions: 1,
    },
    {
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [{
          Namespace: "TerrificTotes",
          Dimensions: [["Stage"]],
          Metrics: [{ Name: "Duration", Unit: "Milliseconds" }],
        }],
      },
      Stage: "load",
      Duration: 1234,
    },
  ]);
});

Deno.test("emfLines() splits more than 100 metrics and refuses non-finite values", () => {
  const many = Array.from({ length: 150 }, (_, i) => ({
    name: `M${i}`,
    value: i,
    unit: "Count" as const,
    dimensions: { Stage: "x" },
  }));
  const lines = emfLines(many, 0).map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l._aws.CloudWatchMetrics[0].Metrics.length), [100, 50]);
  assert.equal(lines[1].M149, 149);
  assert.throws(
    () => emfLines([{ name: "FreshnessSeconds", value: NaN, unit: "Seconds", dimensions: {} }], 0),
    /^Error: Metric FreshnessSeconds has the value NaN$/,
  );
  assert.deepEqual(emfLines([], 0), []);
});
