/**
 * `etl status`: what the pipeline has done and what is waiting, read from the lake and the warehouse only (never
 * ToteSys), so it works the same locally and in AWS (issue 12).
 *
 * - runs: the ingest manifests (design.md section 3), the transform manifests (section 4) and `etl_load_log`
 *   (section 5) give each run's furthest stage, rows, duration and outcome;
 * - pending: runs ingested but not loaded, as a count with the first and last ids (C11);
 * - capture: per source table the latest ingest manifest's `watermark` (the snapshot text) and its
 *   `max_last_updated` (the newest change in ToteSys at that capture) against the newest `last_updated` loaded in
 *   that table's fact or dimension (freshness);
 * - quarantine: rows quarantined per source table (`_quarantine/` objects, counted from the transform manifests
 *   that list them) and facts waiting for a dimension row (the latest transform state's `waiting`);
 * - the last `etl reconcile` (`reconcile_log`).
 *
 * @module
 */
import type { Bucket } from "../io/s3.ts";
import type { Sql } from "../io/pg.ts";
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../contract/mod.ts";
import {
  INGEST_MANIFEST_PREFIX,
  type IngestManifest,
  ingestManifestKey,
  runIdOfManifestKey,
} from "../ingest/manifest.ts";
import { tableObjects } from "../run/manifest.ts";
import {
  TRANSFORM_MANIFEST_PREFIX,
  type TransformManifest,
  transformManifestKey,
  type TransformState,
  transformStateKey,
} from "../transform/manifest.ts";

/** The furthest stage a run reached. `failed`: its last load attempt failed and it is not loaded. */
export type RunStage = "ingested" | "transformed" | "loaded" | "failed";

/** One run in the history. */
export interface RunStatus {
  runId: string;
  stage: RunStage;
  /** Source rows captured (changed rows; deletions apart). */
  ingestedRows: number;
  /** Source rows found deleted. */
  deletedRows: number;
  /** Rows written to Parquet, all warehouse tables (null before the transform). */
  transformedRows: number | null;
  /** Rows inserted or changed in the warehouse (null unless loaded). */
  loadedRows: number | null;
  /** Rows quarantined by the transform. */
  quarantinedRows: number;
  /** Capture start (ISO). */
  startedAt: string;
  /** Ingest duration in ms, and load duration in ms (null when not loaded / no attempt). */
  ingestMs: number;
  loadMs: number | null;
  /** When it was loaded (or the last load attempt failed). */
  loadedAt: string | null;
  /** The last failed load's error, when the run is not loaded. */
  error: string | null;
}

/** Per source table: where capture stands and how fresh the warehouse is. */
export interface TableStatus {
  table: SourceTableName;
  /** The warehouse table whose `last_updated` is compared. */
  warehouseTable: string;
  /** The latest ingest run that recorded this table. */
  capturedBy: string | null;
  /** The capture position: the snapshot text (`xmin:xmax:xip,...`). */
  watermark: string | null;
  /** Newest `last_updated` in ToteSys at the last capture (UTC text), or null when unknown. */
  newestInSource: string | null;
  /** Newest `last_updated` loaded into the warehouse for this table (UTC text), or null when none. */
  newestLoaded: string | null;
  /** `newestInSource - newestLoaded` in seconds (0 when up to date), or null when either is unknown. */
  lagSeconds: number | null;
  /** Rows quarantined in all runs, and facts waiting for a dimension row now. */
  quarantined: number;
  waiting: number;
}

/** The last reconcile. */
export interface ReconcileStatus {
  finishedAt: string;
  outcome: "equal" | "different" | "failed";
  differences: number;
  tables: { table: string; differences: number; keys: number[] }[];
  error: string | null;
}

/** Everything `etl status` prints. */
export interface PipelineStatus {
  /** Runs ingested in all, and the last runs, newest first. */
  totalRuns: number;
  runs: RunStatus[];
  /** Runs ingested and not loaded (transform or load pending, or failed). */
  pending: { count: number; first: string | null; last: string | null; failed: number };
  tables: TableStatus[];
  /** Waiting rows with their reason, at most 20 (the count is per table). */
  waiting: { source: string; column: string; value: unknown; reason: string }[];
  /** Objects holding quarantined rows. */
  quarantineObjects: string[];
  reconcile: ReconcileStatus | null;
  /** Whether the warehouse has the pipeline's schema yet. */
  warehouseMigrated: boolean;
}

/** Inputs of {@link collectStatus}. */
export interface StatusOptions {
  ingestion: Bucket;
  processed: Bucket;
  warehouse: Sql;
  /** How many runs to list (default 10). */
  runs?: number;
}

/** The warehouse table that shows how fresh each source table is, and the expression of its newest change. */
export const FRESHNESS_SOURCES: Record<SourceTableName, { table: string; newest: string }> = {
  address: { table: "dim_location", newest: "max(source_last_updated)" },
  currency: { table: "dim_currency", newest: "max(source_last_updated)" },
  // department has no dimension of its own: dim_staff's version is the later of staff's and department's.
  department: { table: "dim_staff", newest: "max(source_last_updated)" },
  design: { table: "dim_design", newest: "max(source_last_updated)" },
  payment_type: { table: "dim_payment_type", newest: "max(source_last_updated)" },
  counterparty: { table: "dim_counterparty", newest: "max(source_last_updated)" },
  staff: { table: "dim_staff", newest: "max(source_last_updated)" },
  sales_order: { table: "fact_sales_order", newest: "max(last_updated_date + last_updated_time)" },
  purchase_order: { table: "fact_purchase_order", newest: "max(last_updated_date + last_updated_time)" },
  transaction: { table: "dim_transaction", newest: "max(source_last_updated)" },
  payment: { table: "fact_payment", newest: "max(last_updated_date + last_updated_time)" },
};

/** Seconds from `a` to `b` (UTC texts `YYYY-MM-DD HH:MM:SS[.ffffff]`). */
function secondsBetween(a: string, b: string): number {
  const t = (s: string) => Date.parse(`${s.replace(" ", "T").slice(0, 23)}Z`);
  return Math.max(0, Math.round((t(b) - t(a)) / 1000));
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
  const limit = options.runs ?? 10;
  const ingested = (await ingestion.list(INGEST_MANIFEST_PREFIX)).map(runIdOfManifestKey)
    .filter((x): x is string => !!x).sort();
  const transformed = (await processed.list(TRANSFORM_MANIFEST_PREFIX)).map(runIdOfManifestKey)
    .filter((x): x is string => !!x).sort();
  const transformedSet = new Set(transformed);

  const [schema] = await warehouse<{ migrated: boolean; reconcileTable: boolean }[]>`
    SELECT to_regclass('public.etl_load_log') IS NOT NULL AS migrated,
           to_regclass('public.reconcile_log') IS NOT NULL AS "reconcileTable"`;
  const migrated = schema?.migrated === true;
  const reconcileTable = schema?.reconcileTable === true;
  type LogRow = {
    run_id: string;
    outcome: "loaded" | "failed";
    started_at: string;
    finished_at: string;
    ms: number;
    row_counts: Record<string, { merged?: number }>;
    error: string | null;
  };
  // The latest attempt per run (a loaded row wins over failed attempts).
  const logRows = migrated
    ? await warehouse<
      LogRow[]
    >`SELECT DISTINCT ON (run_id) run_id, outcome, started_at::text, finished_at::text,
          (extract(epoch FROM finished_at - started_at) * 1000)::int AS ms, row_counts, error
        FROM etl_load_log ORDER BY run_id, (outcome = 'loaded') DESC, load_id DESC`
    : [];
  const byRun = new Map(logRows.map((r) => [r.run_id, r]));
  const isLoaded = (id: string) => byRun.get(id)?.outcome === "loaded";

  const notLoaded = ingested.filter((id) => !isLoaded(id));
  const pending = {
    count: notLoaded.length,
    first: notLoaded[0] ?? null,
    last: notLoaded[notLoaded.length - 1] ?? null,
    failed: notLoaded.filter((id) => byRun.get(id)?.outcome === "failed").length,
  };

  // Quarantine: objects under _quarantine/, counted from the manifests of their runs.
  const quarantineObjects = await processed.list("_quarantine/");
  const quarantined: Record<string, number> = {};
  const quarantinedByRun: Record<string, number> = {};
  const quarantineRuns = [...new Set(quarantineObjects.map((k) => /\/([^/]+)\.jsonl$/.exec(k)?.[1]))]
    .filter((x): x is string => !!x);
  for (const id of quarantineRuns) {
    const tm = await processed.getJson<TransformManifest>(transformManifestKey(id));
    for (const [table, f] of Object.entries(tm?.quarantine ?? {})) {
      quarantined[table] = (quarantined[table] ?? 0) + f.rows;
      quarantinedByRun[id] = (quarantinedByRun[id] ?? 0) + f.rows;
    }
  }

  // The last runs, newest first.
  const runs: RunStatus[] = [];
  for (const id of ingested.slice(-limit).reverse()) {
    const m = await ingestion.getJson<IngestManifest>(ingestManifestKey(id));
    if (!m) continue;
    let ingestedRows = 0, deletedRows = 0;
    for (const entry of Object.values(m.tables)) {
      ingestedRows += tableObjects(entry).reduce((a, o) => a + o.rows, 0);
      for (const [a, b] of entry.deleted ?? []) deletedRows += b - a + 1;
    }
    let transformedRows: number | null = null;
    if (transformedSet.has(id)) {
      const tm = await processed.getJson<TransformManifest>(transformManifestKey(id));
      transformedRows = Object.values(tm?.tables ?? {}).reduce((a, f) => a + (f?.rows ?? 0), 0);
    }
    const log = byRun.get(id);
    const stage: RunStage = log?.outcome === "loaded"
      ? "loaded"
      : log?.outcome === "failed"
      ? "failed"
      : transformedRows !== null
      ? "transformed"
      : "ingested";
    runs.push({
      runId: id,
      stage,
      ingestedRows,
      deletedRows,
      transformedRows,
      loadedRows: log?.outcome === "loaded"
        ? Object.values(log.row_counts ?? {}).reduce((a, c) => a + (c?.merged ?? 0), 0)
        : null,
      quarantinedRows: quarantinedByRun[id] ?? 0,
      startedAt: m.started_at,
      ingestMs: Math.max(0, Date.parse(m.finished_at) - Date.parse(m.started_at)),
      loadMs: log ? log.ms : null,
      loadedAt: log ? log.finished_at : null,
      error: log?.outcome === "failed" ? log.error : null,
    });
  }

  // Waiting rows: the latest transform state.
  const latestTransformed = transformed[transformed.length - 1];
  const state = latestTransformed
    ? await processed.getJson<TransformState>(transformStateKey(latestTransformed))
    : undefined;
  const waitingRows = state?.waiting ?? [];
  const waitingBy: Record<string, number> = {};
  for (const w of waitingRows) waitingBy[w.source] = (waitingBy[w.source] ?? 0) + 1;

  // Capture position and freshness: the latest manifest that recorded each table.
  const tables: TableStatus[] = [];
  const latest = ingested.length > 0
    ? await ingestion.getJson<IngestManifest>(ingestManifestKey(ingested[ingested.length - 1]!))
    : undefined;
  const newestLoaded: Record<string, string | null> = {};
  if (migrated) {
    const parts = [...new Set(Object.values(FRESHNESS_SOURCES).map((f) => `${f.table}|${f.newest}`))];
    const selects = parts.map((p) => {
      const [table, newest] = p.split("|") as [string, string];
      return `SELECT '${table}' AS t, to_char(${newest}, 'YYYY-MM-DD HH24:MI:SS.US') AS v FROM ${table}`;
    });
    for (const r of await warehouse.unsafe<{ t: string; v: string | null }[]>(selects.join(" UNION ALL "))) {
      newestLoaded[r.t] = r.v;
    }
  }
  for (const table of SOURCE_TABLE_NAMES) {
    const entry = latest?.tables[table];
    const f = FRESHNESS_SOURCES[table];
    const newestInSource = entry?.max_last_updated ?? null;
    const loaded = newestLoaded[f.table] ?? null;
    tables.push({
      table,
      warehouseTable: f.table,
      capturedBy: entry ? latest!.run_id : null,
      watermark: entry?.watermark ?? null,
      newestInSource,
      newestLoaded: loaded,
      lagSeconds: newestInSource && loaded ? secondsBetween(loaded, newestInSource) : null,
      quarantined: quarantined[table] ?? 0,
      waiting: waitingBy[table] ?? 0,
    });
  }

  let reconcile: ReconcileStatus | null = null;
  if (reconcileTable) {
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
    if (r) {
      reconcile = {
        finishedAt: r.finished_at,
        outcome: r.outcome,
        differences: r.differences,
        tables: r.tables,
        error: r.error,
      };
    }
  }

  return {
    totalRuns: ingested.length,
    runs,
    pending,
    tables,
    waiting: waitingRows.slice(0, 20).map((w) => ({
      source: w.source,
      column: w.column,
      value: w.value,
      reason: w.reason,
    })),
    quarantineObjects,
    reconcile,
    warehouseMigrated: migrated,
  };
}

/** Runs ingested but not loaded as one short phrase: a count and the first and last ids (C11). */
export function runSpan(count: number, first: string | null, last: string | null): string {
  if (count === 0 || !first) return "none";
  return count === 1 ? `1 run (${first})` : `${count} runs (${first} .. ${last})`;
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const dur = (ms: number | null) => ms === null ? "-" : `${(ms / 1000).toFixed(1)} s`;

/** Seconds as a short human duration: `0 s`, `42 s`, `3 min`, `5 h`, `2 d`. */
export function humanSeconds(s: number): string {
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** The status as the text `etl status` prints. */
export function formatStatus(s: PipelineStatus): string {
  const out: string[] = [];
  out.push(`Runs: ${s.totalRuns} ingested; last ${s.runs.length}, newest first`);
  if (s.runs.length > 0) {
    out.push(
      `  ${"run".padEnd(28)}${"stage".padEnd(12)}${pad("ingested", 9)}${pad("deleted", 8)}${
        pad("parquet", 9)
      }${pad("loaded", 8)}${pad("quar.", 6)}${pad("ingest", 9)}${pad("load", 9)}  outcome`,
    );
    for (const r of s.runs) {
      const outcome = r.stage === "loaded"
        ? `loaded ${r.loadedAt ?? ""}`.trim()
        : r.stage === "failed"
        ? `load failed: ${r.error ?? "(no message)"}`
        : r.stage === "transformed"
        ? "load pending"
        : "transform pending (or failed: etl transform --run ID shows why)";
      out.push(
        `  ${r.runId.padEnd(28)}${r.stage.padEnd(12)}${pad(r.ingestedRows, 9)}${pad(r.deletedRows, 8)}${
          pad(r.transformedRows ?? "-", 9)
        }${pad(r.loadedRows ?? "-", 8)}${pad(r.quarantinedRows, 6)}${pad(dur(r.ingestMs), 9)}${
          pad(dur(r.loadMs), 9)
        }  ${outcome}`,
      );
    }
  }
  out.push(
    `Pending (ingested, not loaded): ${runSpan(s.pending.count, s.pending.first, s.pending.last)}` +
      (s.pending.failed > 0 ? `, ${s.pending.failed} with a failed load` : "") +
      (s.pending.count > 0 ? `; "deno task etl run" completes them` : ""),
  );
  out.push("");
  out.push(
    `${"source table".padEnd(16)}${"newest in ToteSys".padEnd(28)}${"newest loaded".padEnd(28)}${
      pad("behind", 8)
    }${pad("quar.", 7)}${pad("waiting", 8)}  capture position`,
  );
  for (const t of s.tables) {
    const wm = t.watermark === null
      ? "-"
      : t.watermark.length > 40
      ? `${t.watermark.slice(0, 37)}...`
      : t.watermark;
    out.push(
      `${t.table.padEnd(16)}${(t.newestInSource ?? "-").padEnd(28)}${(t.newestLoaded ?? "-").padEnd(28)}${
        pad(t.lagSeconds === null ? "-" : humanSeconds(t.lagSeconds), 8)
      }${pad(t.quarantined, 7)}${pad(t.waiting, 8)}  ${wm}`,
    );
  }
  out.push(
    "(newest = latest last_updated; behind = newest in ToteSys at the last capture minus newest loaded; " +
      "department is shown through dim_staff)",
  );
  if (s.waiting.length > 0) {
    out.push("");
    out.push("Waiting (facts held back until the row they reference arrives):");
    for (const w of s.waiting) out.push(`  ${w.source} ${w.column}=${JSON.stringify(w.value)}: ${w.reason}`);
  }
  if (s.quarantineObjects.length > 0) {
    const shown = s.quarantineObjects.slice(-3).join(", ");
    out.push(`Quarantine objects: ${s.quarantineObjects.length} (latest: ${shown})`);
  }
  out.push("");
  if (!s.warehouseMigrated) out.push("Warehouse: not migrated yet (no load has run)");
  const r = s.reconcile;
  if (!r) {
    out.push(`Last reconcile: none recorded ("deno task etl reconcile" compares ToteSys with the warehouse)`);
  } else if (r.outcome === "failed") out.push(`Last reconcile: ${r.finishedAt}, failed: ${r.error}`);
  else if (r.outcome === "equal") out.push(`Last reconcile: ${r.finishedAt}, the warehouse equalled ToteSys`);
  else {
    const which = r.tables.filter((t) => t.differences > 0).map((t) =>
      `${t.table} ${t.differences} (keys ${t.keys.slice(0, 5).join(", ")}${t.keys.length > 5 ? ", ..." : ""})`
    );
    out.push(`Last reconcile: ${r.finishedAt}, ${r.differences} differing key(s): ${which.join("; ")}`);
  }
  return out.join("\n");
}
