/**
 * The shapes `etl status` collects and prints (lib/status/mod.ts, format.ts).
 *
 * @module
 */
import type { Bucket } from "../io/s3.ts";
import type { Sql } from "../io/pg.ts";
import type { SourceTableName } from "../contract/mod.ts";
import type { ChunkedRunStatus } from "./chunked.ts";

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
  /** Chunked first runs planned and not committed (lib/status/chunked.ts). */
  chunked: ChunkedRunStatus[];
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
