/**
 * The processed zone's layout, transform manifest and state (docs/design.md section 4). The keys and the
 * manifest are lib/run's (re-exported here); the state is the transform's own.
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
import type { SourceTableName } from "../contract/mod.ts";
import type { ReferenceState } from "./reference.ts";

export {
  parquetKey,
  quarantineKey,
  TRANSFORM_MANIFEST_PREFIX,
  transformManifestKey,
  transformStateKey,
} from "../run/layout.ts";
export type { ManifestFile, TransformManifest } from "../run/manifest.ts";

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
