/**
 * The report's pipeline-health figures (internal to lib/report/): the warehouse's time, the last loads, the
 * freshness per table, the last reconcile, and the quarantine from the processed bucket.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import type { Bucket } from "../io/s3.ts";
import { TRANSFORM_MANIFEST_PREFIX, type TransformManifest } from "../transform/manifest.ts";
import type { QuarantineRow, ReportData } from "./data.ts";

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The warehouse's time (UTC), the last `runs` load attempts, the freshness and the last reconcile, raw. */
export async function readHealth(tx: Sql, runs: number) {
  return {
    now: (await tx<
      { now: string }[]
    >`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS now`)[0]!
      .now,
    runs: await tx<
      {
        load_id: string;
        run_id: string;
        started_at: string;
        seconds: string;
        outcome: string;
        staged: string | null;
        merged: string | null;
        error: string | null;
      }[]
    >`
        SELECT l.load_id, l.run_id, to_char(l.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS started_at,
               round(extract(epoch FROM l.finished_at - l.started_at), 2)::text AS seconds, l.outcome, l.error,
               (SELECT sum((v ->> 'staged')::bigint) FROM jsonb_each(l.row_counts) AS e(k, v)) AS staged,
               (SELECT sum((v ->> 'merged')::bigint) FROM jsonb_each(l.row_counts) AS e(k, v)) AS merged
        FROM etl_load_log l ORDER BY l.load_id DESC LIMIT ${runs}`,
    freshness: await tx<
      { table_name: string; row_count: string; newest_change: string | null; age: string | null }[]
    >`
        SELECT table_name, row_count, newest_change,
               round(extract(epoch FROM (now() AT TIME ZONE 'UTC') - newest_change) / 3600, 1)::text AS age
        FROM warehouse_freshness`,
    reconcile: await readReconcile(tx),
  };
}

/** The newest row of `reconcile_log` (migration 3, written by `etl reconcile`), when there is one. */
async function readReconcile(tx: Sql): Promise<ReportData["reconcile"]> {
  const [t] = await tx<{ ok: boolean }[]>`SELECT to_regclass('reconcile_log') IS NOT NULL AS ok`;
  if (!t!.ok) return { status: "not_recorded" };
  const [row] = await tx.unsafe(
    `SELECT finished_at, outcome, differences, error FROM reconcile_log ORDER BY reconcile_id DESC LIMIT 1`,
  );
  if (!row) return { status: "not_recorded" };
  return {
    status: "recorded",
    row: Object.fromEntries(
      Object.entries(row).map((
        [k, v],
      ) => [k, v === null ? null : typeof v === "object" ? JSON.stringify(v) : String(v)]),
    ),
  };
}

/**
 * Quarantined rows: the quarantine objects under `_quarantine/` name their run; each run's transform manifest
 * gives their row counts (only the manifests of runs that quarantined something are read).
 */
export async function readQuarantine(processed: Bucket | undefined): Promise<ReportData["quarantine"]> {
  if (!processed) {
    return {
      status: "unavailable",
      reason: "PROCESSED_BUCKET is not configured, so the quarantine was not read.",
    };
  }
  try {
    const keys = await processed.list("_quarantine/");
    const runIds = [...new Set(keys.map((k) => k.slice(k.lastIndexOf("/") + 1).replace(/\.jsonl$/, "")))]
      .sort();
    const out: QuarantineRow[] = [];
    for (const runId of runIds) {
      const m = await processed.getJson<TransformManifest>(`${TRANSFORM_MANIFEST_PREFIX}${runId}.json`);
      for (const [sourceTable, f] of Object.entries(m?.quarantine ?? {})) {
        out.push({ runId, sourceTable, rows: f.rows, key: f.key });
      }
    }
    return {
      status: "read",
      rows: out.sort((a, b) => byText(b.runId, a.runId) || byText(a.sourceTable, b.sourceTable)),
    };
  } catch (err) {
    return {
      status: "unavailable",
      reason: `The processed bucket could not be read: ${(err as Error).message}`,
    };
  }
}
