/**
 * `reconcile_log` (migration 3): one row per `etl reconcile`, so `etl status` can show the last result.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import { migrate } from "../load/migrations.ts";
import type { ReconcileResult } from "./mod.ts";

/** Keys kept per table in the log (the first ones, ascending). */
export const LOGGED_KEYS = 20;

/**
 * Records a reconcile's result (or its error) in the warehouse's `reconcile_log`, migrating the warehouse first
 * when it lacks the table.
 *
 * @throws the server's error when the row cannot be written.
 */
export async function recordReconcile(
  warehouse: Sql,
  startedAt: string,
  outcome: ReconcileResult | Error,
): Promise<void> {
  await migrate(warehouse);
  if (outcome instanceof Error) {
    await warehouse`INSERT INTO reconcile_log (started_at, finished_at, outcome, error)
      VALUES (${startedAt}, clock_timestamp(), 'failed', ${outcome.message})`;
    return;
  }
  const tables = outcome.tables.map((t) => ({
    table: t.table,
    source_rows: t.sourceRows,
    warehouse_rows: t.warehouseRows,
    differences: t.differences.length,
    keys: t.differences.slice(0, LOGGED_KEYS).map((d) => d.key),
  }));
  await warehouse`INSERT INTO reconcile_log (started_at, finished_at, outcome, differences, tables)
    VALUES (${startedAt}, clock_timestamp(), ${outcome.differences === 0 ? "equal" : "different"},
      ${outcome.differences}, ${warehouse.json(tables)})`;
}
