/**
 * `etl reconcile [--repair]`: compare ToteSys with the warehouse, name every differing key, record the outcome in
 * reconcile_log, and with `--repair` fix the differences through a repair run (lib/reconcile/).
 *
 * @module
 */
import { entropy } from "../ingest.ts";
import { runTransform } from "../../lib/transform/stage.ts";
import { runLoad } from "../../lib/load/stage.ts";
import type { Sql } from "../../lib/io/pg.ts";
import { reconcile, type ReconcileResult } from "../../lib/reconcile/mod.ts";
import { recordReconcile } from "../../lib/reconcile/log.ts";
import { repairKeys } from "../../lib/reconcile/repair.ts";
import { runRepair } from "../../lib/ingest/repair.ts";
import { badRowPolicy, bucketFromEnv, openDatabase, shareFromEnv } from "../config.ts";
import { pad, secs } from "./format.ts";

/** Writes a repair run for `result`'s differences, transforms and loads it; returns its id. */
async function repairDifferences(result: ReconcileResult, source: Sql, warehouse: Sql): Promise<string> {
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    const runId = await runRepair({
      sql: source,
      bucket: ingestion,
      keys: await repairKeys(result, source),
      maxDeleteShare: shareFromEnv("INGEST_MAX_DELETE_SHARE", 0.1),
      now: () => Date.now(),
      entropy,
    });
    if (runId === null) throw new Error("Another ingest run holds the lock; try the repair again");
    await runTransform({ ingestion, processed, runId, badRows: badRowPolicy() });
    await runLoad({ now: () => Date.now(), sql: warehouse, processed, runId });
    console.error(`Repair run ${runId} written, transformed and loaded (${result.differences} key(s)).`);
    return runId;
  } finally {
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

/** Reconciles (and repairs); returns the exit code: 0 when equal, 1 when not. */
export async function reconcileCommand(
  tables: string[] | undefined,
  json: boolean,
  repair = false,
): Promise<number> {
  const source = await openDatabase("TOTESYS", "totes-reconcile", 2);
  const warehouse = await openDatabase("WAREHOUSE", "totes-reconcile", 2);
  const startedAt = new Date().toISOString();
  const options = { source, warehouse, clock: () => performance.now(), ...(tables ? { tables } : {}) };
  try {
    let result: ReconcileResult;
    try {
      result = await reconcile(options);
      if (repair && result.differences > 0) {
        await repairDifferences(result, source, warehouse);
        result = await reconcile(options);
      }
    } catch (err) {
      await recordReconcile(warehouse, startedAt, err as Error).catch(() => {});
      throw err;
    }
    try {
      await recordReconcile(warehouse, startedAt, result);
    } catch (err) {
      console.error(`Warning: the result could not be recorded in reconcile_log: ${(err as Error).message}`);
    }
    if (json) console.log(JSON.stringify(result, null, 1));
    else printReconcile(result);
    return result.differences === 0 ? 0 : 1;
  } finally {
    await source.end();
    await warehouse.end();
  }
}

/** Prints the result as a table: per compared table its rows and differing keys (the first five), then the verdict. */
function printReconcile(result: ReconcileResult): void {
  console.log(
    `${"warehouse table".padEnd(30)}${"source".padEnd(15)}${pad("rows", 9)}${pad("wh rows", 9)}${
      pad("differ", 8)
    }${pad("time", 9)}`,
  );
  for (const t of result.tables) {
    console.log(
      `${t.table.padEnd(30)}${t.sourceTable.padEnd(15)}${pad(t.sourceRows, 9)}${pad(t.warehouseRows, 9)}${
        pad(t.differences.length, 8)
      }${pad(secs(t.ms), 9)}`,
    );
    const shown = t.differences.slice(0, 5).map((d) => `${d.key} (${d.kind})`).join(", ");
    if (shown) {
      const more = t.differences.length > 5 ? ` and ${t.differences.length - 5} more` : "";
      console.log(`  differing keys: ${shown}${more}`);
    }
  }
  console.log(
    result.differences === 0
      ? "\nThe warehouse equals ToteSys."
      : `\n${result.differences} differing key(s): run "deno task etl run" to carry pending changes; ` +
        `a difference that stays after a run (a warehouse edited by hand, a defect) is fixed by ` +
        `"deno task etl reconcile --repair" (and a defect is worth reporting).`,
  );
}
