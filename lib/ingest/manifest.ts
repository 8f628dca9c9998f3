/**
 * The ingestion zone's layout, run manifest and state objects (../shared/design.md section 3).
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
import type { TableWatermark } from "./watermark.ts";

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
  previous_watermark: string | null;
  watermark: string | null;
  /** The data object, or null when the table had no changes in this run. */
  object: { key: string; rows: number; bytes: number; sha256: string } | null;
  /** The table's columns (name and PostgreSQL type) as read. */
  columns: CatalogColumn[];
  /** Columns that appeared since the previous run (schema drift, captured). */
  added_columns: string[];
}

/** The ingest run manifest. */
export interface IngestManifest {
  kind: "ingest";
  version: 1;
  run_id: string;
  /** The run whose state this run started from (null on the first run). */
  previous_run_id: string | null;
  started_at: string;
  finished_at: string;
  lag_seconds: number;
  tables: Record<SourceTableName, ManifestTable>;
}

/** State after a run: per table its watermark, lag-window versions and columns. */
export interface IngestState {
  run_id: string | null;
  tables: Partial<Record<SourceTableName, TableWatermark & { columns: CatalogColumn[] }>>;
}

/** State before the first run. */
export const INITIAL_INGEST_STATE: IngestState = { run_id: null, tables: {} };
