/**
 * The manifests (the commit markers between stages, dlt's "load packages") and the ingest capture state: their
 * shapes, as JSON in the lake (docs/design.md sections 3 and 4; keys in `layout.ts`).
 *
 * Times in manifests are text: `started_at`/`finished_at` ISO 8601 UTC with milliseconds (`...Z`),
 * `snapshot_at`/`detected_at` the ToteSys clock as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC by convention, microseconds).
 * Key ranges are `[first, last]` pairs, inclusive, sorted and disjoint (lib/id_ranges.ts).
 *
 * @module
 */
import type { SourceTableName, WarehouseTableName } from "../contract/mod.ts";
import type { IdRanges } from "../id_ranges.ts";

/** A source column as the catalog describes it. */
export interface CatalogColumn {
  /** The column's name, as in ToteSys. */
  name: string;
  /** PostgreSQL type (`information_schema.columns.data_type`; the enum's name for user-defined types). */
  type: string;
}

/** One data object of the ingestion zone listed in a manifest (JSON Lines). */
export interface ManifestObject {
  /** The object's key. */
  key: string;
  /** Rows it holds. */
  rows: number;
  /** Its size in bytes. */
  bytes: number;
  /** SHA-256 of its bytes, lower-case hex. */
  sha256: string;
}

/**
 * Every data object of a table's manifest entry, in order: its `parts` (a chunked run), else its `object`.
 *
 * @example
 * ```ts
 * import { tableObjects } from "./manifest.ts";
 * import assert from "node:assert/strict";
 *
 * const o = { key: "k", rows: 1, bytes: 2, sha256: "" };
 * assert.deepEqual(tableObjects({ object: o }), [o]);
 * assert.deepEqual(tableObjects({ object: null, parts: [o, o] }), [o, o]);
 * assert.deepEqual(tableObjects(undefined), []);
 * ```
 */
export function tableObjects(entry: Pick<ManifestTable, "object" | "parts"> | undefined): ManifestObject[] {
  if (!entry) return [];
  return entry.parts ?? (entry.object ? [entry.object] : []);
}

/** One table's entry in the ingest manifest. */
export interface ManifestTable {
  /** The capture position this run started from (the previous run's snapshot text), or null on a first read. */
  previous_watermark: string | null;
  /** The capture position after this run: the run's snapshot (`xmin:xmax:xip,...`). */
  watermark: string | null;
  /** The data object (rows inserted or changed since the previous run), or null when there are none (or parts). */
  object: ManifestObject | null;
  /**
   * A chunked run's objects, one per key-range chunk that read rows, in key order (lib/ingest/chunks.ts): present
   * only when the table's rows span more than one object; `object` is then null. Read with {@link tableObjects}.
   */
  parts?: ManifestObject[];
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

/** The ingest run manifest (`_manifests/ingest/<run_id>.json`). */
export interface IngestManifest {
  /** Which stage wrote it. */
  kind: "ingest";
  /** 1: captured by `last_updated` (before issue 10); 2: captured by transaction ids, with deletions. */
  version: 1 | 2;
  /** The run's id (lib/run/run_id.ts): the name of every object the run wrote. */
  run_id: string;
  /** The run whose state this run started from (null on the first run). */
  previous_run_id: string | null;
  /** When the run started, ISO 8601 UTC (from the clock the runner was given). */
  started_at: string;
  /** When the run finished writing its data, ISO 8601 UTC. */
  finished_at: string;
  /** The ToteSys clock at the run's snapshot (`YYYY-MM-DD HH:MM:SS.ffffff`, UTC): when deletions were detected. */
  snapshot_at?: string;
  /** Present in version 1 manifests only. */
  lag_seconds?: number;
  /** Why the run was made: `capture` (the schedule, the default) or `repair` (reconcile). */
  purpose?: "capture" | "repair";
  /** Every source table, whether it changed or not. */
  tables: Record<SourceTableName, ManifestTable>;
}

/** One table's capture state after a run. */
export interface TableCaptureState {
  /** The table's columns as read by the run (schema drift is checked against them). */
  columns: CatalogColumn[];
  /** Keys live at the run's snapshot (absent in version 1 states). */
  live?: IdRanges;
  /** The newest `last_updated` captured so far (freshness), or null. */
  max_last_updated?: string | null;
}

/**
 * State after an ingest run (`_state/ingest/runs/<run_id>.json`): the capture position, and per table its columns
 * and live keys.
 */
export interface IngestState {
  /** The run that wrote it, or null before the first run. */
  run_id: string | null;
  /** 2 for transaction-id capture; absent in version 1 states (watermarks), which force one full read. */
  version?: 2;
  /** The run's snapshot, as text (`xmin:xmax:xip,...`). */
  snapshot?: string;
  /** Transaction ids inside the snapshot's window whose rows the run saw (see lib/ingest/xid.ts). */
  seen?: number[];
  /** Per source table read so far. */
  tables: Partial<Record<SourceTableName, TableCaptureState>>;
}

/** State before the first run. */
export const INITIAL_INGEST_STATE: IngestState = { run_id: null, tables: {} };

/** A file listed in a transform manifest. */
export interface ManifestFile {
  /** The object's key in the processed zone. */
  key: string;
  /** Rows the file holds. */
  rows: number;
  /** The object's size in bytes. */
  bytes: number;
  /** SHA-256 of the object's bytes, lower-case hex. */
  sha256: string;
}

/** The transform manifest (`_manifests/transform/<run_id>.json`): nothing in it depends on the clock. */
export interface TransformManifest {
  /** Which stage wrote it. */
  kind: "transform";
  /** The manifest's format version. */
  version: 1;
  /** The ingest run it was transformed from (same id). */
  run_id: string;
  /** The run this one follows (the ingest manifest's `previous_run_id`), or null for the first run. */
  previous_run_id: string | null;
  /** The key of the ingest manifest it was transformed from. */
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
