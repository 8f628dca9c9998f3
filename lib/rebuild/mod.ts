/**
 * `rebuild`: the warehouse again from the immutable ingestion zone alone (issue 11; design.md section 5). Every
 * committed ingest run is transformed, in run order, into a fresh processed location (a key prefix of the
 * processed bucket), then loaded into an empty warehouse. The transform is deterministic and record ids follow the
 * runs loaded, so the result equals the incrementally built warehouse: every fact version, every dimension value.
 *
 * Resumable: a run already transformed under the location is not transformed again, a run the warehouse's load
 * log holds is not loaded again, so a rebuild killed half-way and started again ends with the same warehouse.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import type { Bucket } from "../io/s3.ts";
import { committedRunIds } from "../run/mod.ts";
import { runTransform } from "../transform/stage.ts";
import type { BadRowPolicy } from "../transform/bad_row.ts";
import { loadedRunIds, runLoad } from "../load/stage.ts";
import { migrate } from "../load/migrations.ts";

/** Inputs of {@link runRebuild}. */
export interface RebuildOptions {
  /** The ingestion zone (read only). */
  ingestion: Bucket;
  /** The fresh processed location (a bucket under its own root, see `Bucket.under`). */
  processed: Bucket;
  /** The warehouse to fill: empty, or holding only this rebuild's earlier progress. */
  warehouse: Sql;
  /** The bad-row policy the pipeline ran with (default `fail`). */
  badRows?: BadRowPolicy;
  /** Called after each run with its position (1-based), the total and the run id. */
  onRun?: (done: number, total: number, runId: string, step: "transformed" | "loaded" | "skipped") => void;
  /**
   * Milliseconds from a monotonic clock, for {@link RebuildResult.ms} (main/ passes `() => performance.now()`;
   * lib/ reads no clock). Default: no clock, `ms` is 0.
   */
  clock?: () => number;
  /** Wall clock, epoch milliseconds, for the load's log and deletion times (main/ passes `Date.now`). */
  now: () => number;
}

/** Outcome of a rebuild. */
export interface RebuildResult {
  runs: number;
  transformed: number;
  loaded: number;
  ms: number;
}

/**
 * Rebuilds the warehouse from the ingestion zone.
 *
 * @throws Error when the warehouse holds runs this rebuild did not load (it is not empty), naming the first;
 *   any stage's error (naming run and table). Work already done stays and is reused by the next attempt.
 */
export async function runRebuild(options: RebuildOptions): Promise<RebuildResult> {
  const clock = options.clock ?? (() => 0);
  const t0 = clock();
  const { ingestion, processed, warehouse } = options;
  const runs = await committedRunIds(ingestion, "ingest");
  const { loaded, transformed } = await claimWarehouse(warehouse, processed, runs);
  const result: RebuildResult = { runs: runs.length, transformed: 0, loaded: 0, ms: 0 };
  for (const [i, runId] of runs.entries()) {
    let step: "transformed" | "loaded" | "skipped" = "skipped";
    if (!transformed.has(runId)) {
      await runTransform({ ingestion, processed, runId, badRows: options.badRows ?? "fail" });
      transformed.add(runId);
      result.transformed++;
      step = "transformed";
    }
    if (!loaded.has(runId)) {
      const out = await runLoad({ now: options.now, sql: warehouse, processed, runId });
      for (const id of [...out.caughtUp, runId]) loaded.add(id);
      result.loaded++;
      step = "loaded";
    }
    options.onRun?.(i + 1, runs.length, runId, step);
  }
  result.ms = Math.round(clock() - t0);
  return result;
}

/**
 * Checks that the warehouse is empty, or holds only this same rebuild's progress (same processed location), and
 * records the rebuild in it; returns the runs already loaded and already transformed.
 *
 * @throws Error naming what the warehouse holds when it is not empty.
 */
async function claimWarehouse(
  warehouse: Sql,
  processed: Bucket,
  runs: readonly string[],
): Promise<{ loaded: Set<string>; transformed: Set<string> }> {
  // The target must be empty, or a warehouse this same rebuild (same processed location) started.
  const [pre] = await warehouse<{ log: boolean; tables: string | null }[]>`
    SELECT to_regclass('etl_load_log') IS NOT NULL AS log,
      (SELECT string_agg(tablename, ', ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public') AS tables`;
  if (!pre!.log && pre!.tables) {
    throw new Error(
      `The warehouse database is not empty (it has ${pre!.tables}) and is not a warehouse: point ` +
        `WAREHOUSE_DATABASE_URL at an empty database for the rebuild`,
    );
  }
  await migrate(warehouse);
  const location = `s3://${processed.name}/${processed.root}`;
  const [mine] = await warehouse<{ n: number }[]>`SELECT count(*)::int AS n FROM etl_rebuild
    WHERE processed_location = ${location}`;
  const [any] = await warehouse<{ n: number }[]>`SELECT count(*)::int AS n FROM etl_load_log`;
  if (mine!.n === 0 && any!.n > 0) {
    throw new Error(
      `The warehouse is not empty: it holds ${any!.n} load(s) that no rebuild into ${location} made. Point ` +
        `WAREHOUSE_DATABASE_URL at an empty database for the rebuild`,
    );
  }
  if (mine!.n === 0) await warehouse`INSERT INTO etl_rebuild (processed_location) VALUES (${location})`;
  const loaded = await loadedRunIds(warehouse);
  const transformed = new Set(await committedRunIds(processed, "transform"));
  const lake = new Set(runs);
  const foreign = [...loaded].find((id) => !lake.has(id) || !transformed.has(id));
  if (foreign !== undefined) {
    throw new Error(
      `The warehouse is not empty: it holds run ${foreign}, which this rebuild did not load. Point ` +
        `WAREHOUSE_DATABASE_URL at an empty database for the rebuild`,
    );
  }
  return { loaded, transformed };
}
