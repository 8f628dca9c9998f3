/**
 * `etl run`: ingest, then transform and load every run not yet transformed or loaded (so a run that failed
 * half-way earlier is completed), then a short report of rows per table and times.
 *
 * @module
 */
import { ingest } from "../ingest.ts";
import {
  committedRunIds,
  type IngestManifest,
  ingestManifestKey,
  pendingRunIds,
  tableObjects,
  type TransformManifest,
  transformManifestKey,
} from "../../lib/run/mod.ts";
import { runTransform } from "../../lib/transform/stage.ts";
import type { BadRowPolicy } from "../../lib/transform/bad_row.ts";
import { loadedRunIds, runLoad } from "../../lib/load/stage.ts";
import { migrate } from "../../lib/load/migrations.ts";
import type { Sql } from "../../lib/io/pg.ts";
import type { Bucket } from "../../lib/io/s3.ts";
import type { ProgressReporter } from "../../lib/io/progress.ts";
import { runSpan } from "../../lib/status/mod.ts";
import { badRowPolicy, bucketFromEnv, openDatabase } from "../config.ts";
import { printRunReport, type RunTotals } from "./run_report.ts";
import { secs } from "./format.ts";

/** The stages' inputs for one `etl run`. */
interface Stages {
  warehouse: Sql;
  ingestion: Bucket;
  processed: Bucket;
  policy: BadRowPolicy;
  onProgress: ProgressReporter["callback"];
}

/** Runs the pipeline once and prints its report. */
export async function runCommand(progress: ProgressReporter): Promise<void> {
  const policy = badRowPolicy(); // checked before anything runs
  const warehouse = await openDatabase("WAREHOUSE", "totes-load", 2);
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  const stages: Stages = { warehouse, ingestion, processed, policy, onProgress: progress.callback };
  try {
    let t = performance.now();
    const ing = await ingest(stages.onProgress); // the same wiring as the ingest Lambda
    const ingestMs = performance.now() - t;
    if (ing.status === "locked") {
      console.log(
        "Another run is reading ToteSys right now; it will carry the changes through. Nothing to do.",
      );
      return;
    }
    const { pending, transformed } = await pendingRuns(stages);
    if (pending.length === 0) {
      console.log(
        `No changes in ToteSys since the last run: the warehouse is unchanged (ingest ${secs(ingestMs)}).`,
      );
      return;
    }
    const earlier = pending.filter((id) => id !== ing.runId);
    if (earlier.length > 0) {
      console.log(
        `Completing ${runSpan(earlier.length, earlier[0]!, earlier[earlier.length - 1]!)} ingested earlier ` +
          "and not loaded yet (left half-way, or a chunked first run)",
      );
    }
    if (ing.status === "no_changes") console.log("No new changes in ToteSys since the last run.");
    const totals = emptyTotals();
    t = performance.now();
    await transformPending(stages, pending, transformed, totals);
    const transformMs = performance.now() - t;
    t = performance.now();
    await loadPending(stages, pending, totals);
    const loadMs = performance.now() - t;
    printRunReport(pending, totals, { ingestMs, transformMs, loadMs });
  } finally {
    await warehouse.end();
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

/** Every committed ingest run not yet loaded, oldest first, and the runs already transformed. */
async function pendingRuns(
  { warehouse, ingestion, processed }: Stages,
): Promise<{ pending: string[]; transformed: Set<string | undefined> }> {
  const ingested = await committedRunIds(ingestion, "ingest");
  const transformed = new Set<string | undefined>(await committedRunIds(processed, "transform"));
  await migrate(warehouse);
  return { pending: pendingRunIds(ingested, await loadedRunIds(warehouse)), transformed };
}

function emptyTotals(): RunTotals {
  return {
    sourceRows: {},
    parquetRows: {},
    mergedRows: {},
    deletedRows: {},
    quarantinedRows: {},
    schemaChanges: [],
  };
}

const add = (
  into: Record<string, number>,
  table: string,
  n: number,
) => (into[table] = (into[table] ?? 0) + n);

/** Counts each pending run's ingested rows and transforms the runs not transformed yet. */
async function transformPending(
  { ingestion, processed, policy, onProgress }: Stages,
  pending: string[],
  transformed: Set<string | undefined>,
  totals: RunTotals,
): Promise<void> {
  for (const id of pending) {
    const m = (await ingestion.getJson<IngestManifest>(ingestManifestKey(id)))!;
    for (const [table, entry] of Object.entries(m.tables)) {
      add(totals.sourceRows, table, tableObjects(entry).reduce((a, o) => a + o.rows, 0));
      for (const [a, b] of entry.deleted ?? []) add(totals.deletedRows, table, b - a + 1);
      const changed = [
        ...entry.added_columns.map((c) => `+${c}`),
        ...(entry.dropped_columns ?? []).map((c) => `-${c}`),
        ...(entry.retyped_columns ?? []).map((c) => `~${c}`),
      ];
      if (changed.length > 0) totals.schemaChanges.push(`${table} ${changed.join(" ")} (run ${id})`);
    }
    if (!transformed.has(id)) {
      const tr = await runTransform({ ingestion, processed, runId: id, badRows: policy, onProgress });
      for (const x of [...tr.caughtUp, id]) transformed.add(x);
    }
    const tm = (await processed.getJson<TransformManifest>(transformManifestKey(id)))!;
    for (const [table, f] of Object.entries(tm.tables)) add(totals.parquetRows, table, f?.rows ?? 0);
    for (const [table, f] of Object.entries(tm.quarantine)) add(totals.quarantinedRows, table, f.rows);
  }
}

/** Loads the pending runs in order, counting the rows each table merged. */
async function loadPending(
  { warehouse, processed, onProgress }: Stages,
  pending: string[],
  totals: RunTotals,
): Promise<void> {
  for (const id of pending) {
    const ld = await runLoad({ now: () => Date.now(), sql: warehouse, processed, runId: id, onProgress });
    for (const [table, c] of Object.entries(ld.tables)) add(totals.mergedRows, table, c?.merged ?? 0);
  }
}
