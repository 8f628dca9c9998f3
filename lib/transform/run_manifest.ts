/**
 * The transform manifest of a run (docs/design.md section 4): the files it wrote in load order, its quarantine
 * objects, the dim_date range and the deletions the ingest found. Pure: nothing in it depends on the clock, so a
 * re-run writes the same bytes.
 *
 * @module
 */
import type { SourceTableName, WarehouseTableName } from "../contract/mod.ts";
import { WAREHOUSE_TABLES } from "../contract/mod.ts";
import type { IdRanges } from "../id_ranges.ts";
import { type IngestManifest, ingestManifestKey } from "../run/mod.ts";
import { timestampOfIso } from "../values/mod.ts";
import type { ManifestFile, TransformManifest } from "./manifest.ts";
import { DELETION_TARGETS } from "./rules/mod.ts";

/**
 * The natural keys deleted in an ingest run, per warehouse table (tables with none left out).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runDeletions } from "./run_manifest.ts";
 * const tables = { address: { deleted: [[2, 2]] }, department: { deleted: [[1, 1]] } };
 * assert.deepEqual(runDeletions({ tables } as never), { dim_location: [[2, 2]] });
 * ```
 */
export function runDeletions(
  m: Pick<IngestManifest, "tables">,
): Partial<Record<WarehouseTableName, IdRanges>> {
  const deletions: Partial<Record<WarehouseTableName, IdRanges>> = {};
  for (const [source, targets] of Object.entries(DELETION_TARGETS)) {
    const ranges = m.tables[source as SourceTableName]?.deleted ?? [];
    if (ranges.length > 0) { for (const target of targets) deletions[target] = ranges; }
  }
  return deletions;
}

/**
 * The transform manifest of ingest run `m`: `files` in load order (the contract's table order), `quarantine` as
 * given, the dim_date range after the run, and the deletions with when they were detected (the ingest snapshot's
 * ToteSys clock, or the ingest's finish time for manifests that predate `snapshot_at`).
 */
export function runManifest(
  m: IngestManifest,
  files: Partial<Record<WarehouseTableName, ManifestFile>>,
  quarantine: Record<string, ManifestFile>,
  dateRange: [string, string] | null,
): TransformManifest {
  const tables: Partial<Record<WarehouseTableName, ManifestFile>> = {};
  for (const name of Object.keys(WAREHOUSE_TABLES) as WarehouseTableName[]) {
    if (files[name]) tables[name] = files[name];
  }
  const deletions = runDeletions(m);
  return {
    kind: "transform",
    version: 1,
    run_id: m.run_id,
    previous_run_id: m.previous_run_id,
    ingest_manifest: ingestManifestKey(m.run_id),
    tables,
    quarantine,
    date_range: dateRange,
    ...(Object.keys(deletions).length > 0
      ? { deletions, detected_at: m.snapshot_at ?? timestampOfIso(m.finished_at) }
      : {}),
    ...(m.purpose === "repair" ? { purpose: "repair" as const } : {}),
  };
}
