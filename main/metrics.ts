/**
 * The pipeline's CloudWatch metrics, from the results the stages already return (formatted by lib/io/metrics.ts):
 *
 * | metric | unit | dimensions | from |
 * | --- | --- | --- | --- |
 * | `RowsIngested` | Count | Stage, Table (source) | ingest |
 * | `FreshnessSeconds` | Seconds | Stage, Table (source) | ingest: now minus the newest `last_updated` ToteSys has |
 * | `RowsTransformed` | Count | Stage, Table (warehouse) | transform |
 * | `QuarantinedRows` | Count | Stage | transform (rows set aside by `TRANSFORM_BAD_ROWS=quarantine`) |
 * | `RowsLoaded` | Count | Stage, Table (warehouse) | load: rows inserted or changed |
 * | `Deletions` | Count | Stage, Table | ingest (keys found deleted), load (deletions recorded) |
 * | `Duration` | Milliseconds | Stage | every stage |
 *
 * @module
 */
import type { MetricPoint } from "../lib/io/metrics.ts";
import type { IngestResult } from "../lib/ingest/stage.ts";
import type { TransformResult } from "../lib/transform/stage.ts";
import type { LoadResult } from "../lib/load/stage.ts";

const count = (name: string, value: number, dimensions: Record<string, string>): MetricPoint => ({
  name,
  value,
  unit: "Count",
  dimensions,
});

const duration = (stage: string, ms: number): MetricPoint => ({
  name: "Duration",
  value: Math.round(ms),
  unit: "Milliseconds",
  dimensions: { Stage: stage },
});

/**
 * Seconds from a ToteSys timestamp text (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC) to `now`, or null when it is not one.
 */
export function secondsSince(timestamp: string | null | undefined, now: number): number | null {
  if (!timestamp || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(timestamp)) return null;
  const at = Date.parse(`${timestamp.slice(0, 23).replace(" ", "T")}Z`);
  return Number.isFinite(at) ? Math.max(0, Math.round((now - at) / 1000)) : null;
}

/**
 * The ingest's metrics: rows and deletions per table of this run, and per table the freshness of the capture
 * state after it (`result.newestChange`, also when nothing changed).
 *
 * @example
 * ```ts ignore
 * writeMetrics(emfLines(ingestMetrics(result, ms, Date.now()), Date.now()));
 * ```
 */
export function ingestMetrics(
  result: IngestResult,
  ms: number,
  now: number,
): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const [table, t] of Object.entries(result.tables)) {
    const d = { Stage: "ingest", Table: table };
    points.push(count("RowsIngested", t?.rows ?? 0, d), count("Deletions", t?.deleted ?? 0, d));
  }
  for (const [table, newest] of Object.entries(result.newestChange ?? {})) {
    const s = secondsSince(newest, now);
    if (s !== null) {
      points.push({
        name: "FreshnessSeconds",
        value: s,
        unit: "Seconds",
        dimensions: { Stage: "ingest", Table: table },
      });
    }
  }
  points.push(duration("ingest", ms));
  return points;
}

/** The transform's metrics: rows per warehouse table and quarantined rows, summed over `results`. */
export function transformMetrics(results: readonly TransformResult[], ms: number): MetricPoint[] {
  const rows = new Map<string, number>();
  let quarantined = 0;
  for (const r of results) {
    quarantined += r.quarantined;
    for (const [table, n] of Object.entries(r.tables)) rows.set(table, (rows.get(table) ?? 0) + (n ?? 0));
  }
  return [
    ...[...rows].map(([table, n]) => count("RowsTransformed", n, { Stage: "transform", Table: table })),
    count("QuarantinedRows", quarantined, { Stage: "transform" }),
    duration("transform", ms),
  ];
}

/** The load's metrics: rows inserted or changed and deletions recorded per warehouse table, summed over `results`. */
export function loadMetrics(results: readonly LoadResult[], ms: number): MetricPoint[] {
  const merged = new Map<string, { merged: number; deleted: number }>();
  for (const r of results) {
    for (const [table, t] of Object.entries(r.tables)) {
      const m = merged.get(table) ?? { merged: 0, deleted: 0 };
      merged.set(table, { merged: m.merged + (t?.merged ?? 0), deleted: m.deleted + (t?.deleted ?? 0) });
    }
  }
  const points: MetricPoint[] = [];
  for (const [table, m] of merged) {
    const d = { Stage: "load", Table: table };
    points.push(count("RowsLoaded", m.merged, d), count("Deletions", m.deleted, d));
  }
  points.push(duration("load", ms));
  return points;
}
