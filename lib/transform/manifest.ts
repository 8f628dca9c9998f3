/**
 * The processed zone's layout, transform manifest and state (docs/design.md section 4).
 *
 * - data: `<warehouse_table>/<yyyy>/<mm>/<dd>/<run_id>.parquet` (same run id as the ingest run)
 * - quarantine: `_quarantine/<source_table>/<yyyy>/<mm>/<dd>/<run_id>.jsonl`
 * - state after a run: `_state/transform/runs/<run_id>.json` (reference rows and dim_date range)
 * - manifest (commit marker, written last, triggers the load): `_manifests/transform/<run_id>.json`
 *
 * Nothing in a manifest depends on the clock, so a re-run writes byte-identical objects.
 *
 * @module
 */
import type { SourceTableName, WarehouseTableName } from "../contract/mod.ts";
import { runIdPartition } from "../ingest/run_id.ts";
import type { ReferenceState } from "./reference.ts";
import type { IdRanges } from "../id_ranges.ts";

/** Prefix of transform manifests. */
export const TRANSFORM_MANIFEST_PREFIX = "_manifests/transform/";

/** Key of a warehouse table's Parquet file for a run. */
export function parquetKey(table: WarehouseTableName, runId: string): string {
  return `${table}/${runIdPartition(runId)}/${runId}.parquet`;
}

/** Key of a source table's quarantine object for a run. */
export function quarantineKey(sourceTable: string, runId: string): string {
  return `_quarantine/${sourceTable}/${runIdPartition(runId)}/${runId}.jsonl`;
}

/** Key of a run's transform manifest. */
export function transformManifestKey(runId: string): string {
  return `${TRANSFORM_MANIFEST_PREFIX}${runId}.json`;
}

/** Key of the state written by a transform run. */
export function transformStateKey(runId: string): string {
  return `_state/transform/runs/${runId}.json`;
}

/** A file listed in a transform manifest. */
export interface ManifestFile {
  key: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/** The transform manifest. */
export interface TransformManifest {
  kind: "transform";
  version: 1;
  run_id: string;
  previous_run_id: string | null;
  ingest_manifest: string;
  /** Parquet files of the tables this run touches, in load order. */
  tables: Partial<Record<WarehouseTableName, ManifestFile>>;
  /** Quarantined rows per source table (empty unless the policy is `quarantine`). */
  quarantine: Record<string, ManifestFile>;
  /** The dim_date range covered after this run, or null when no fact has been seen yet. */
  date_range: [string, string] | null;
  /**
   * Natural keys deleted in ToteSys in this run, per warehouse table (facts and dimensions), as ranges: the load
   * records fact deletions and marks dimension rows deleted. Absent when none.
   */
  deletions?: Partial<Record<WarehouseTableName, IdRanges>>;
  /** When the deletions were detected: the ingest snapshot's ToteSys clock (UTC, microseconds). */
  detected_at?: string;
  /** `repair` when the ingest run was a reconcile repair. */
  purpose?: "capture" | "repair";
}

/** Transform state after a run. */
export interface TransformState {
  run_id: string | null;
  reference: ReferenceState;
  /** The dim_date range loaded so far (whole years), or null before the first fact. */
  date_range: [string, string] | null;
  /**
   * Keys of each dimension emitted so far (what the warehouse holds once the runs are loaded), as ranges
   * `[first, last]`. Absent in states written before it existed: the reference check is then off.
   */
  emitted?: Partial<Record<string, [number, number][]>>;
  /** Facts waiting for a dimension row the warehouse does not have yet (quarantined when they arrived). */
  waiting?: WaitingRow[];
}

/** A fact row held back until the dimension row it references arrives. */
export interface WaitingRow {
  source: SourceTableName;
  row: Record<string, unknown>;
  /** The fact column that references the missing row, and its value (the key). */
  column: string;
  value: unknown;
  reason: string;
}
