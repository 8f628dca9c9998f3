/**
 * `etl status`: what the pipeline has done and what is waiting, read from the lake and the warehouse only (never
 * ToteSys), so it works the same locally and in AWS (issue 12).
 *
 * - runs: the ingest manifests (design.md section 3), the transform manifests (section 4) and `etl_load_log`
 *   (section 5) give each run's furthest stage, rows, duration and outcome;
 * - pending: runs ingested but not loaded, as a count with the first and last ids (C11);
 * - capture: per source table the latest capture manifest's `watermark` (the snapshot text) and its
 *   `max_last_updated` (the newest change in ToteSys at that capture) against the newest `last_updated` loaded
 *   (freshness: freshness.ts);
 * - quarantine: rows quarantined per source table (`_quarantine/` objects, counted from the transform manifests
 *   that list them) and facts waiting for a dimension row (the latest transform state's `waiting`);
 * - the last `etl reconcile` (`reconcile_log`).
 *
 * @module
 */
import type { Bucket } from "../io/s3.ts";
import type { Sql } from "../io/pg.ts";
import {
  committedRunIds,
  type IngestManifest,
  ingestManifestKey,
  pendingRunIds,
  tableObjects,
  type TransformManifest,
  transformManifestKey,
  transformStateKey,
} from "../run/mod.ts";
import type { TransformState } from "../transform/manifest.ts";
import { tableStatuses } from "./freshness.ts";
import { openChunkedRuns } from "./chunked.ts";
import type { PipelineStatus, ReconcileStatus, RunStage, RunStatus, StatusOptions } from "./types.ts";

export type * from "./types.ts";
export { FRESHNESS_SOURCES } from "./freshness.ts";
export { formatStatus, humanSeconds, runSpan } from "./format.ts";

/** One run's latest load attempt (a loaded row wins over failed attempts). */
type LogRow = {
  run_id: string;
  outcome: "loaded" | "failed";
  started_at: string;
  finished_at: string;
  ms: number;
  row_counts: Record<string, { merged?: number }>;
  error: string | null;
};

/** Which warehouse tables exist, and the latest load attempt per run. */
async function readLoadLog(
  warehouse: Sql,
): Promise<{ migrated: boolean; reconcileTable: boolean; byRun: Map<string, LogRow> }> {
  const [schema] = await warehouse<{ migrated: boolean; reconcileTable: boolean }[]>`
    SELECT to_regclass('public.etl_load_log') IS NOT NULL AS migrated,
           to_regclass('public.reconcile_log') IS NOT NULL AS "reconcileTable"`;
  const migrated = schema?.migrated === true;
  const logRows = migrated
    ? await warehouse<
      LogRow[]
    >`SELECT DISTINCT ON (run_id) run_id, outcome, started_at::text, finished_at::text,
          (extract(epoch FROM finished_at - started_at) * 1000)::int AS ms, row_counts, error
        FROM etl_load_log ORDER BY run_id, (outcome = 'loaded') DESC, load_id DESC`
    : [];
  return {
    migrated,
    reconcileTable: schema?.reconcileTable === true,
    byRun: new Map(logRows.map((r) => [r.run_id, r])),
  };
}

/** Quarantined rows per source table and per run, from the transform manifests of the `_quarantine/` objects. */
async function quarantineCounts(
  processed: Bucket,
  objects: string[],
): Promise<{ byTable: Record<string, number>; byRun: Record<string, number> }> {
  const byTable: Record<string, number> = {};
  const byRun: Record<string, number> = {};
  const runs = [...new Set(objects.map((k) => /\/([^/]+)\.jsonl$/.exec(k)?.[1]))].filter((x): x is string =>
    !!x
  );
  for (const id of runs) {
    const tm = await processed.getJson<TransformManifest>(transformManifestKey(id));
    for (const [table, f] of Object.entries(tm?.quarantine ?? {})) {
      byTable[table] = (byTable[table] ?? 0) + f.rows;
      byRun[id] = (byRun[id] ?? 0) + f.rows;
    }
  }
  return { byTable, byRun };
}

/** One run's line of the history. */
async function runStatus(
  options: StatusOptions,
  m: IngestManifest,
  transformed: boolean,
  log: LogRow | undefined,
  quarantined: number,
): Promise<RunStatus> {
  let ingestedRows = 0, deletedRows = 0;
  for (const entry of Object.values(m.tables)) {
    ingestedRows += tableObjects(entry).reduce((a, o) => a + o.rows, 0);
    for (const [a, b] of entry.deleted ?? []) deletedRows += b - a + 1;
  }
  let transformedRows: number | null = null;
  if (transformed) {
    const tm = await options.processed.getJson<TransformManifest>(transformManifestKey(m.run_id));
    transformedRows = Object.values(tm?.tables ?? {}).reduce((a, f) => a + (f?.rows ?? 0), 0);
  }
  const stage: RunStage = log?.outcome === "loaded"
    ? "loaded"
    : log?.outcome === "failed"
    ? "failed"
    : transformedRows !== null
    ? "transformed"
    : "ingested";
  return {
    runId: m.run_id,
    stage,
    ingestedRows,
    deletedRows,
    transformedRows,
    loadedRows: log?.outcome === "loaded"
      ? Object.values(log.row_counts ?? {}).reduce((a, c) => a + (c?.merged ?? 0), 0)
      : null,
    quarantinedRows: quarantined,
    startedAt: m.started_at,
    ingestMs: Math.max(0, Date.parse(m.finished_at) - Date.parse(m.started_at)),
    loadMs: log ? log.ms : null,
    loadedAt: log ? log.finished_at : null,
    error: log?.outcome === "failed" ? log.error : null,
  };
}

/** The last `reconcile_log` row, or null. */
async function lastReconcile(warehouse: Sql): Promise<ReconcileStatus | null> {
  const [r] = await warehouse<
    {
      finished_at: string;
      outcome: ReconcileStatus["outcome"];
      differences: number;
      tables: ReconcileStatus["tables"];
      error: string | null;
    }[]
  >`SELECT finished_at::text, outcome, differences, tables, error FROM reconcile_log
    ORDER BY reconcile_id DESC LIMIT 1`;
  return r
    ? {
      finishedAt: r.finished_at,
      outcome: r.outcome,
      differences: r.differences,
      tables: r.tables,
      error: r.error,
    }
    : null;
}

/**
 * Collects the status from the lake and the warehouse. Reads every manifest key (one listing per zone), the
 * manifests of the last `runs` runs, the transform manifests of runs with quarantined rows, the latest transform
 * state, and a few small warehouse queries.
 *
 * @throws the S3 or PostgreSQL error of a read that fails.
 */
export async function collectStatus(options: StatusOptions): Promise<PipelineStatus> {
  const { ingestion, processed, warehouse } = options;
  const ingested = await committedRunIds(ingestion, "ingest");
  const transformed = await committedRunIds(processed, "transform");
  const transformedSet = new Set(transformed);
  const { migrated, reconcileTable, byRun } = await readLoadLog(warehouse);
  const loaded = new Set([...byRun.values()].filter((r) => r.outcome === "loaded").map((r) => r.run_id));
  const notLoaded = pendingRunIds(ingested, loaded);
  const quarantineObjects = await processed.list("_quarantine/");
  const quarantined = await quarantineCounts(processed, quarantineObjects);

  const runs: RunStatus[] = [];
  for (const id of ingested.slice(-(options.runs ?? 10)).reverse()) {
    const m = await ingestion.getJson<IngestManifest>(ingestManifestKey(id));
    if (m) {
      runs.push(
        await runStatus(options, m, transformedSet.has(id), byRun.get(id), quarantined.byRun[id] ?? 0),
      );
    }
  }

  // Waiting rows: the latest transform state.
  const latestTransformed = transformed[transformed.length - 1];
  const state = latestTransformed
    ? await processed.getJson<TransformState>(transformStateKey(latestTransformed))
    : undefined;
  const waitingRows = state?.waiting ?? [];
  const waitingBy: Record<string, number> = {};
  for (const w of waitingRows) waitingBy[w.source] = (waitingBy[w.source] ?? 0) + 1;

  return {
    totalRuns: ingested.length,
    runs,
    pending: {
      count: notLoaded.length,
      first: notLoaded[0] ?? null,
      last: notLoaded[notLoaded.length - 1] ?? null,
      failed: notLoaded.filter((id) => byRun.get(id)?.outcome === "failed").length,
    },
    chunked: await openChunkedRuns(ingestion, ingested),
    tables: await tableStatuses({
      ingestion,
      warehouse,
      ingested,
      isLoaded: (id: string) => loaded.has(id),
      migrated,
      quarantined: quarantined.byTable,
      waitingBy,
    }),
    waiting: waitingRows.slice(0, 20).map((w) => ({
      source: w.source,
      column: w.column,
      value: w.value,
      reason: w.reason,
    })),
    quarantineObjects,
    reconcile: reconcileTable ? await lastReconcile(warehouse) : null,
    warehouseMigrated: migrated,
  };
}
