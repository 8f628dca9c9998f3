/**
 * Reconcile entry point: the Lambda handler for its own EventBridge schedule (hourly by default), and the module
 * `deno task etl reconcile` uses. It compares ToteSys with the warehouse (lib/reconcile/) and publishes the number
 * of differing keys per table as a CloudWatch metric through the embedded metric format: one JSON line on stdout,
 * which Lambda turns into `TerrificTotes/ReconcileDifferences` (dimension `Table`) with no API call.
 *
 * @module
 */
import { reconcile, type ReconcileResult } from "../lib/reconcile/mod.ts";
import { openDatabase } from "./config.ts";

/** The CloudWatch namespace of the pipeline's metrics (lib/io/metrics.ts). */
export { METRIC_NAMESPACE } from "../lib/io/metrics.ts";
import { METRIC_NAMESPACE } from "../lib/io/metrics.ts";

/**
 * One embedded-metric-format line per compared table, plus a total (`Table` = `all`): the differing keys.
 *
 * @param at epoch milliseconds of the measurement.
 * @returns JSON lines (no trailing newline), as CloudWatch's embedded metric format specifies.
 */
export function reconcileMetricLines(result: ReconcileResult, at: number): string[] {
  const line = (table: string, differences: number, rows: number) =>
    JSON.stringify({
      _aws: {
        Timestamp: at,
        CloudWatchMetrics: [{
          Namespace: METRIC_NAMESPACE,
          Dimensions: [["Table"]],
          Metrics: [{ Name: "ReconcileDifferences", Unit: "Count" }, {
            Name: "ReconcileRows",
            Unit: "Count",
          }],
        }],
      },
      Table: table,
      ReconcileDifferences: differences,
      ReconcileRows: rows,
    });
  return [
    ...result.tables.map((t) => line(t.table, t.differences.length, t.sourceRows)),
    line("all", result.differences, result.tables.reduce((a, t) => a + t.sourceRows, 0)),
  ];
}

/** Reconciles the configured ToteSys and warehouse. @throws on a database failure. */
export async function runReconcile(tables?: string[]): Promise<ReconcileResult> {
  const source = await openDatabase("TOTESYS", "totes-reconcile", 2);
  const warehouse = await openDatabase("WAREHOUSE", "totes-reconcile", 2);
  try {
    return await reconcile({ source, warehouse, ...(tables ? { tables } : {}) });
  } finally {
    await source.end();
    await warehouse.end();
  }
}

/** Lambda handler (schedule event; its content is not used): metrics on stdout, a summary as the result. */
export async function handler(
  _event: unknown,
): Promise<{ differences: number; tables: Record<string, number> }> {
  const result = await runReconcile();
  for (const l of reconcileMetricLines(result, Date.now())) console.log(l);
  return {
    differences: result.differences,
    tables: Object.fromEntries(result.tables.map((t) => [t.table, t.differences.length])),
  };
}
