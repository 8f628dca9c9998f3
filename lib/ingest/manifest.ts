/**
 * The ingestion zone's layout, run manifest and state objects (docs/design.md section 3).
 *
 * - data: `<table>/<yyyy>/<mm>/<dd>/<run_id>.jsonl`
 * - state after a run: `_state/ingest/runs/<run_id>.json` (written before the manifest)
 * - manifest (commit marker, written last): `_manifests/ingest/<run_id>.json`
 * - pointer to the latest committed run: `_state/ingest/current.json` (written after the manifest; when it lags
 *   behind because a run died after its manifest, the newer manifest is found by listing after the pointer)
 *
 * @module
 */
import type { SourceTableName } from "../contract/mod.ts";
import { runIdPartition } from "./run_id.ts";
import type { CatalogColumn } from "./catalog.ts";
import type { IdRanges } from "../id_ranges.ts";

/** Prefix of ingest manifests. */
export const INGEST_MANIFEST_PREFIX = "_manifests/ingest/";
/** The pointer to the latest committed ingest run. */
export const INGEST_POINTER_KEY = "_state/ingest/current.json";

/** Key of a table's data object for a run. */
export function ingestObjectKey(table: SourceTableName, runId: string): string {
  return `${table}/${runIdPartition(runId)}/${runId}.jsonl`;
}

/** Key of a run's manifest. */
export function ingestManifestKey(runId: string): string {
  return `${INGEST_MANIFEST_PREFIX}${runId}.json`;
}

/** Key of the state written by a run. */
export function ingestStateKey(runId: string): string {
  return `_state/ingest/runs/${runId}.json`;
}

/** The run id of a manifest key, or undefined when the key is not a manifest. */
export function runIdOfManifestKey(key: string): string | undefined {
  const m = /^_manifests\/(?:ingest|transform)\/([0-9A-Za-z_-]+)\.json$/.exec(key);
  return m?.[1];
}

/** One table's entry in the manifest. */
export interface ManifestTable {
  /** The capture position this run started from (the previous run's snapshot text), or null on a first read. */
  previous_watermark: string | null;
  /** The capture position after this run: the run's snapshot (`xmin:xmax:xip,...`). */
  watermark: string | null;
  /** The data object (rows inserted or changed since the previous run), or null when there are none. */
  object: { key: string; rows: number; bytes: number; sha256: string } | null;
  /** Keys deleted in ToteSys since the previous run, as ranges (absent or empty when none). */
  deleted?: IdRanges;
  /** Rows the table holds at this run's snapshot. */
  live_rows?: number;
  /**
   * The newest `last_updated` captured from the table so far (this run's rows and earlier runs'): the freshness of
   * the source as the pipeline knows it, or null before any row.
   */
  max_last_updated?: string | null;
  /** The table's columns (name and PostgreSQL type) as read. */
  columns: CatalogColumn[];
  /** Columns that appeared since the previous run (schema drift, captured). */
  added_columns: string[];
  /** Unused columns that disappeared since the previous run. */
  dropped_columns?: string[];
  /** Unused columns whose type changed since the previous run (`name: old -> new`). */
  retyped_columns?: string[];
}

/** The ingest run manifest. */
export interface IngestManifest {
  kind: "ingest";
  /** 1: captured by `last_updated` (before issue 10); 2: captured by transaction ids, with deletions. */
  version: 1 | 2;
  run_id: string;
  /** The run whose state this run started from (null on the first run). */
  previous_run_id: string | null;
  started_at: string;
  finished_at: string;
  /** The ToteSys clock at the run's snapshot (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC): when deletions were detected. */
  snapshot_at?: string;
  /** Present in version 1 manifests only. */
  lag_seconds?: number;
  /** Why the run was made: `capture` (the schedule, the default) or `repair` (reconcile). */
  purpose?: "capture" | "repair";
  tables: Record<SourceTableName, ManifestTable>;
}

/** One table's capture state after a run. */
export interface TableCaptureState {
  columns: CatalogColumn[];
  /** Keys live at the run's snapshot (absent in version 1 states). */
  live?: IdRanges;
  /** The newest `last_updated` captured so far (freshness), or null. */
  max_last_updated?: string | null;
}

/** State after a run: the capture position and per table its columns and live keys. */
export interface IngestState {
  run_id: string | null;
  /** 2 for transaction-id capture; absent in version 1 states (watermarks), which force one full read. */
  version?: 2;
  /** The run's snapshot, as text (`xmin:xmax:xip,...`). */
  snapshot?: string;
  /** Transaction ids inside the snapshot's window whose rows the run saw (see lib/ingest/xid.ts). */
  seen?: number[];
  tables: Partial<Record<SourceTableName, TableCaptureState>>;
}

/** State before the first run. */
export const INITIAL_INGEST_STATE: IngestState = { run_id: null, tables: {} };
