/**
 * The load stage: one transform run's Parquet files into the warehouse, in one transaction (issue 5;
 * docs/design.md section 5).
 *
 * Protocol: migrations first; runs are applied in run order (loading run N first loads the earlier runs not yet
 * loaded, following each transform manifest's `previous_run_id`); each run in one transaction holding the load
 * advisory lock: skip if the load log says
 * the run is loaded; else, in contract order (dim_date, the other dimensions, the facts), COPY each file into a
 * temporary staging table and merge it with one set-based statement (lib/load/table.ts; a large file into an empty
 * table is a plain insert with the indexes built after, lib/load/empty_table.ts); then the load-log row, and commit. Any
 * failure rolls everything back, a `failed` row is written to the load log outside the transaction, and the error
 * is rethrown naming the table (and PostgreSQL's detail, which names the key and value).
 *
 * @module
 */
import type { WarehouseTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { ObjectStore } from "../io/object_store.ts";
import { log } from "../io/log.ts";
import type { ProgressCallback } from "../io/progress.ts";
import { transformManifestKey } from "../run/layout.ts";
import type { TransformManifest } from "../run/manifest.ts";
import { earlierPending } from "../run/pending.ts";
import { LOAD_LOCK_KEY, migrate } from "./migrations.ts";
import { BULK_ROWS, loadPlan } from "./plan.ts";
import { deletionSql, WATCH_CLIENT_SQL } from "./statements.ts";
import { openParquet, prefetchSmallFiles, RANGED_FILE_BYTES } from "./staging.ts";
import { loadTable } from "./table.ts";
import { prepareParquetWasm } from "../parquet/mod.ts";
import { withExternalMemoryWatch } from "../io/external_memory.ts";

export { BULK_ROWS, RANGED_FILE_BYTES };

/** Inputs of {@link runLoad}. */
export interface LoadOptions {
  /** Warehouse connection pool. */
  sql: Sql;
  /** The processed bucket. */
  processed: ObjectStore;
  /** The run to load. */
  runId: string;
  /**
   * Clock: epoch milliseconds (UTC), from main/: the load log's `started_at`, the deletion time of manifests
   * without `detected_at`, and the durations logged.
   */
  now: () => number;
  /**
   * Staged rows from which a fact's foreign keys are re-validated in one pass, and a table found empty is filled
   * by a plain insert with its indexes built after (lib/load/empty_table.ts); default {@link BULK_ROWS}.
   */
  bulkRows?: number;
  /** Files from this size on are read by ranged GETs, not fetched whole (default {@link RANGED_FILE_BYTES}). */
  rangedFileBytes?: number;
  /** Test hook: called after each table is merged, inside the transaction (to simulate a crash mid-load). */
  afterTable?: (table: WarehouseTableName) => void | Promise<void>;
  /** Progress: called as each table's copy and merge start and every 8,192 rows copied (lib/io/progress.ts). */
  onProgress?: ProgressCallback;
}

/** Per table: rows read from Parquet and rows inserted or changed in the warehouse. */
export type LoadCounts = Partial<
  Record<WarehouseTableName, { staged: number; merged: number; deleted?: number }>
>;

/** Outcome of a load. */
export interface LoadResult {
  /** `loaded` now, or `already_loaded` (nothing changed). */
  status: "loaded" | "already_loaded";
  /** The run loaded. */
  runId: string;
  /** Rows per table (empty when already loaded). */
  tables: LoadCounts;
  /** How long the run's load took, in milliseconds (by the `now` clock). */
  ms: number;
  /** Earlier runs that were not loaded yet and were loaded first, oldest first. */
  caughtUp: string[];
}

/** A failed load: names the run and table; `cause` is the original error. */
export class LoadError extends Error {
  /**
   * The error of run `runId`'s load, at `table`.
   *
   * @param runId the run whose load failed
   * @param table the warehouse table being loaded, or null when the failure was outside one
   * @param cause the original error (PostgreSQL's `detail`, when it has one, is quoted in the message)
   */
  constructor(readonly runId: string, readonly table: string | null, cause: unknown) {
    const e = cause as { message?: string; detail?: string };
    super(
      `Load of run ${runId} failed${table ? ` at ${table}` : ""}: ${e?.message ?? String(cause)}${
        e?.detail ? ` (${e.detail})` : ""
      }`,
      { cause },
    );
    this.name = "LoadError";
  }
}

/**
 * Loads one transform run, after any earlier run it follows that is not loaded yet: runs are applied in run order,
 * so facts always find the dimension rows of earlier runs, `*_record_id` follows capture order, and loading runs
 * "out of order" (events delivered late, a manual re-run) ends with the same warehouse as loading them in order.
 *
 * @returns counts per table; `already_loaded` when the load log has the run (nothing is changed).
 * @throws LoadError naming the run, the table and PostgreSQL's detail (key and value) on any failure, after the
 *   transaction rolled back and a `failed` row was logged; Error when the run has no transform manifest.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return withExternalMemoryWatch(() => runLoadWatched(options));
}

async function runLoadWatched(options: LoadOptions): Promise<LoadResult> {
  const { sql, processed, runId } = options;
  void prepareParquetWasm(); // compiles while the manifest is read and the warehouse migrated
  const manifest = await processed.getJson<TransformManifest>(transformManifestKey(runId));
  if (!manifest) throw new Error(`No transform manifest for run "${runId}" (${transformManifestKey(runId)})`);
  const applied = await migrate(sql);
  if (applied.length > 0) log("info", "load", "Warehouse migrated", { versions: applied });
  // Runs load in run order (lib/run/pending.ts): the earlier runs not loaded yet go first, oldest first.
  const earlier = await earlierPending(manifest, {
    isDone: (id) => isLoaded(sql, id),
    manifest: async (prev) => {
      const m = await processed.getJson<TransformManifest>(transformManifestKey(prev));
      if (!m) {
        throw new Error(
          `Run ${runId} follows run ${prev}, which is neither loaded nor transformed: transform it first`,
        );
      }
      return m;
    },
  });
  if (earlier.length > 0) {
    log("warn", "load", "Loading earlier runs first", { run_id: runId, runs: earlier.map((m) => m.run_id) });
  }
  for (const m of earlier) await loadOne(options, m);
  const result = await loadOne(options, manifest);
  return { ...result, caughtUp: earlier.map((m) => m.run_id) };
}

/**
 * The runs the warehouse has loaded (`etl_load_log` rows with outcome `loaded`), for lib/run's `pendingRunIds`.
 *
 * @throws postgres.js errors when the warehouse cannot be read (run the migrations first).
 */
export async function loadedRunIds(sql: Sql): Promise<Set<string>> {
  const rows = await sql<{ run_id: string }[]>`SELECT run_id FROM etl_load_log WHERE outcome = 'loaded'`;
  return new Set(rows.map((r) => r.run_id));
}

async function isLoaded(sql: Sql, runId: string): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM etl_load_log WHERE run_id = ${runId} AND outcome = 'loaded'`;
  return rows.length > 0;
}

/** Where a load is, for the error and the failed row when it stops: the counts so far and the current table. */
interface LoadProgress {
  tables: LoadCounts;
  current: WarehouseTableName | null;
}

async function loadOne(options: LoadOptions, manifest: TransformManifest): Promise<LoadResult> {
  const { sql } = options;
  const runId = manifest.run_id;
  const t0 = options.now();
  const startedAt = new Date(t0).toISOString();
  const at: LoadProgress = { tables: {}, current: null };
  try {
    const status = await sql.begin((tx) =>
      loadInTransaction(tx as unknown as Sql, options, manifest, startedAt, at)
    );
    const ms = Math.round(options.now() - t0);
    if (status === "already_loaded") {
      log("info", "load", "Run already loaded; nothing changed", { run_id: runId });
      return { status, runId, tables: {}, ms, caughtUp: [] };
    }
    log("info", "load", "Run loaded", { run_id: runId, ms });
    return { status, runId, tables: at.tables, ms, caughtUp: [] };
  } catch (err) {
    const error = new LoadError(runId, at.current, err);
    await sql`INSERT INTO etl_load_log (run_id, started_at, finished_at, outcome, row_counts, error)
      VALUES (${runId}, ${startedAt}, clock_timestamp(), 'failed', ${
      sql.json(at.tables as Record<string, never>)
    }, ${error.message})`
      .catch(() => {});
    log("error", "load", "Run failed; rolled back", {
      run_id: runId,
      table: at.current,
      error: error.message,
    });
    throw error;
  }
}

/**
 * One run in the open transaction `tx`, holding the load lock: nothing when the load log has it; else the plan's
 * merges, then its deletions, then the load-log row.
 */
async function loadInTransaction(
  tx: Sql,
  options: LoadOptions,
  manifest: TransformManifest,
  startedAt: string,
  at: LoadProgress,
): Promise<"loaded" | "already_loaded"> {
  const runId = manifest.run_id;
  await tx.unsafe(WATCH_CLIENT_SQL); // a killed load's backend must not run on holding the lock
  await tx`SELECT pg_advisory_xact_lock(${LOAD_LOCK_KEY.toString()}::bigint)`;
  await tx`SET LOCAL work_mem = '256MB'`; // the merges sort a run's rows: in memory, not on disk
  const done = await tx`SELECT 1 FROM etl_load_log WHERE run_id = ${runId} AND outcome = 'loaded'`;
  if (done.length > 0) return "already_loaded";
  const plan = loadPlan(manifest, startedAt);
  const ranged = options.rangedFileBytes ?? RANGED_FILE_BYTES;
  const bulkRows = options.bulkRows ?? BULK_ROWS;
  const small = prefetchSmallFiles(options.processed, plan.files.map((f) => f.file), ranged);
  await prepareParquetWasm();
  for (const { table, file } of plan.files) {
    at.current = table;
    const parquet = small.get(file.key) ?? openParquet(options.processed, file, ranged);
    const tableOptions = { now: options.now, bulkRows, onProgress: options.onProgress };
    at.tables[table] = await loadTable(tx, tableOptions, runId, table, file, parquet);
    await options.afterTable?.(table);
  }
  // Deletions found by the ingest: recorded after the merges, so a fact's last version is known.
  for (const { table, ids } of plan.deletions) {
    at.current = table;
    const recorded = await tx.unsafe(deletionSql(table), [ids, plan.detectedAt, runId]);
    at.tables[table] = { ...(at.tables[table] ?? { staged: 0, merged: 0 }), deleted: recorded.count };
    log("info", "load", "Deletions recorded", {
      run_id: runId,
      table,
      ids: ids.length,
      recorded: recorded.count,
    });
  }
  at.current = null;
  await tx`INSERT INTO etl_load_log (run_id, started_at, finished_at, outcome, row_counts)
    VALUES (${runId}, ${startedAt}, clock_timestamp(), 'loaded', ${
    tx.json(at.tables as Record<string, never>)
  })`;
  return "loaded";
}
