/**
 * The chunked first run's steps over ToteSys and the ingestion zone (issue 15; the protocol and why it is exactly
 * once: `chunk_plan.ts`). Each step is one call, so a local worker pool (main/chunks.ts) and a Step Functions
 * Distributed Map over the ingest Lambda (terraform/chunks.tf) run the same code.
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, SOURCE_TABLES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { ObjectStore } from "../io/object_store.ts";
import { log } from "../io/log.ts";
import { PermanentError, RefusedInputError } from "../io/cli.ts";
import type { ProgressCallback } from "../io/progress.ts";
import type { CatalogColumn, IngestState } from "../run/manifest.ts";
import { ingestManifestKey } from "../run/layout.ts";
import { makeRunId } from "../run/run_id.ts";
import { capturePosition } from "./capture.ts";
import { checkSchemaDrift } from "./catalog.ts";
import {
  type ChunkDone,
  chunkDoneKey,
  chunkedCommit,
  chunkObjectKey,
  type ChunkPlan,
  chunkRangeSql,
  type ChunkSpec,
  DEFAULT_CHUNK_KEYS,
  planKey,
  planOvertakenBy,
  tableChunks,
} from "./chunk_plan.ts";
import { commitIngestRun, readIngestState } from "./lake.ts";
import { withIngestLock } from "./lock.ts";
import { readTable } from "./read_table.ts";
import { doneMarkers, noteRefusal, readDoneMarker } from "./chunk_markers.ts";
import type { TableRead } from "./capture.ts";
import { readCatalog } from "./stage.ts";
import { withExternalMemoryWatch } from "../io/external_memory.ts";

export * from "./chunk_plan.ts";

/** Adapters and settings of the plan step. */
export interface PlanOptions {
  sql: Sql;
  bucket: ObjectStore;
  now: () => number;
  entropy: () => string;
  /** Keys per chunk (default {@link DEFAULT_CHUNK_KEYS}). */
  chunkKeys?: number;
}

/**
 * Plans a chunked first run: S0, the catalog and the key bounds, under the ingest lock; writes the plan.
 *
 * @returns the plan, or null when another ingest run holds the lock.
 * @throws PermanentError when the capture already has a position (chunked runs are first full reads), or its
 *   RefusedInputError on schema drift.
 */
export async function planChunkedRun(options: PlanOptions): Promise<ChunkPlan | null> {
  return await withIngestLock(options.sql, async (conn) => {
    const state = await readIngestState(options.bucket);
    if (capturePosition(state)) {
      throw new PermanentError(
        `The capture already has a position (run ${state.run_id}): a chunked run is a first full read; ` +
          `use the ordinary ingest for changes`,
      );
    }
    const started = options.now();
    const runId = makeRunId(started, options.entropy(), state.run_id ?? undefined);
    const keys = options.chunkKeys ?? DEFAULT_CHUNK_KEYS;
    await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    let plan: ChunkPlan;
    try {
      const [snap] = await conn.unsafe(`SELECT pg_current_snapshot()::text AS s,
          to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US') AS now`);
      const catalog = await readCatalog(conn);
      const columns = {} as Record<SourceTableName, CatalogColumn[]>;
      const chunks: ChunkSpec[] = [];
      for (const table of SOURCE_TABLE_NAMES) {
        columns[table] = catalog.get(table) ?? [];
        checkSchemaDrift(table, columns[table], state.tables[table]?.columns);
        const pk = SOURCE_TABLES[table].pk;
        const [b] = await conn.unsafe(
          `SELECT min("${pk}")::int8 AS lo, max("${pk}")::int8 AS hi FROM public."${table}"`,
        );
        const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
        chunks.push(...tableChunks(table, num(b!.lo), num(b!.hi), keys));
      }
      plan = {
        kind: "ingest-chunked",
        version: 1,
        run_id: runId,
        previous_run_id: state.run_id,
        started,
        snapshot: String(snap!.s),
        snapshot_at: String(snap!.now),
        chunk_keys: keys,
        columns,
        chunks,
      };
    } finally {
      await conn.unsafe("COMMIT");
    }
    await options.bucket.put(planKey(runId), JSON.stringify(plan));
    log("info", "ingest", "Chunked run planned", {
      run_id: runId,
      snapshot: plan.snapshot,
      chunks: plan.chunks.length,
    });
    return plan;
  });
}

/** Reads a chunked run's plan. @throws Error when there is none. */
export async function readPlan(bucket: ObjectStore, runId: string): Promise<ChunkPlan> {
  const plan = await bucket.getJson<ChunkPlan>(planKey(runId));
  if (!plan) throw new Error(`No chunked run "${runId}" (${planKey(runId)} is missing)`);
  return plan;
}

/** Adapters of one chunk. */
export interface ChunkOptions {
  /** A fresh one-connection ToteSys client (ended after the read). */
  copyConnection: () => Sql;
  bucket: ObjectStore;
  runId: string;
  table: SourceTableName;
  index: number;
  onProgress?: ProgressCallback;
  /** Test hook: called after the chunk's object is written, before its marker (a crash there is redone). */
  afterObject?: (chunk: ChunkSpec) => void | Promise<void>;
}

/**
 * Runs one chunk: skipped when its marker exists; else, once the plan is known not to be overtaken by another
 * run, its key range read in its own snapshot into its object (overwriting a half-done attempt's), then its marker.
 *
 * @returns the marker and whether the chunk was already done.
 * @throws PermanentError when another run committed since the plan (see {@link checkPlanStillValid}).
 */
export function runChunk(options: ChunkOptions): Promise<ChunkDone & { skipped: boolean }> {
  return withExternalMemoryWatch(() => runChunkWatched(options));
}

async function runChunkWatched(options: ChunkOptions): Promise<ChunkDone & { skipped: boolean }> {
  const { bucket, runId, table, index } = options;
  const doneKey = chunkDoneKey(runId, table, index);
  const already = await readDoneMarker(bucket, runId, { table, index });
  if (already) return { ...already, skipped: true };
  const plan = await readPlan(bucket, runId);
  checkPlanStillValid(plan, (await readIngestState(bucket)).run_id); // overtaken: no chunk can help any more
  const spec = plan.chunks.find((c) => c.table === table && c.index === index);
  if (!spec) throw new Error(`Chunked run ${runId} has no chunk ${table} #${index}`);
  let read: TableRead;
  try {
    read = await readTable({
      copy: options.copyConnection(),
      bucket,
      runId,
      exported: null,
      table,
      columns: plan.columns[table],
      xmax: 0,
      prev: null,
      onXid: () => {},
      onProgress: options.onProgress,
      range: chunkRangeSql(SOURCE_TABLES[table].pk, spec),
      key: chunkObjectKey(table, runId, index),
    });
  } catch (err) {
    if (err instanceof RefusedInputError) {
      await noteRefusal(bucket, runId, { table, index, error: err.message });
    }
    throw err;
  }
  await options.afterObject?.(spec);
  const done: ChunkDone = {
    table,
    index,
    rows: read.rows,
    bytes: read.bytes,
    object: read.object,
    candidates: read.candidates,
    max_last_updated: read.maxLastUpdated,
  };
  await bucket.put(doneKey, JSON.stringify(done));
  return { ...done, skipped: false };
}

/** Outcome of the commit step (as an ingest run's). */
export interface ChunkedResult {
  status: "committed" | "no_changes" | "locked";
  runId: string | null;
  manifestKey: string | null;
  tables: Partial<Record<SourceTableName, { rows: number; bytes: number }>>;
}

/**
 * Throws when another run committed since `plan` was made (`current` is the capture's run now): the chunked run
 * can then never commit. An ordinary ingest run during a chunked first run made the first read itself, so the
 * chunked run is dropped, not planned again.
 *
 * @throws Error naming both runs and what to do.
 */
export function checkPlanStillValid(plan: ChunkPlan, current: string | null): void {
  if (planOvertakenBy(plan, current) === null) return;
  const since = plan.previous_run_id === null ? "before any run" : `after run ${plan.previous_run_id}`;
  throw new PermanentError(
    `Run ${current} committed after chunked run ${plan.run_id} was planned (${since}): the chunked run cannot ` +
      `commit. Run ${current} already read ToteSys, so give up the chunked run (nothing needs deleting) and go on with ordinary runs`,
  );
}

/** Where a chunked run stands: committed, or open with its plan and the capture's state now. */
export type ChunkedRunStanding =
  | { status: "committed" }
  | { status: "open"; plan: ChunkPlan; state: IngestState };

/**
 * Where a chunked run stands: `committed` when its manifest exists, else `open` with its plan and the capture's
 * state. Read before its chunks are run again (`chunks run --resume`) and, under the ingest lock, by its commit.
 *
 * @throws Error as {@link checkPlanStillValid} when another run committed since the plan; the plan's errors.
 */
export async function chunkedRunStanding(bucket: ObjectStore, runId: string): Promise<ChunkedRunStanding> {
  const plan = await readPlan(bucket, runId);
  if (await bucket.exists(ingestManifestKey(runId))) return { status: "committed" };
  const state = await readIngestState(bucket);
  checkPlanStillValid(plan, state.run_id);
  return { status: "open", plan, state };
}

/**
 * Commits a chunked run once every chunk is done: state, manifest, pointer, under the ingest lock. A commit that
 * already happened is reported again (a retried commit changes nothing).
 *
 * @throws Error when a chunk is not done, or another run committed since the plan (the plan is then void).
 */
export async function commitChunkedRun(
  options: { sql: Sql; bucket: ObjectStore; runId: string; now: () => number },
): Promise<ChunkedResult> {
  const { bucket, runId } = options;
  const result = await withIngestLock(options.sql, async (): Promise<ChunkedResult> => {
    const manifestKey = ingestManifestKey(runId);
    const standing = await chunkedRunStanding(bucket, runId);
    if (standing.status === "committed") return { status: "committed", runId, manifestKey, tables: {} };
    const { plan, state } = standing;
    const done = await doneMarkers(bucket, runId, plan.chunks);
    const commit = chunkedCommit(plan, state, [...done.values()], options.now());
    if (commit.rows === 0) {
      return { status: "no_changes", runId: null, manifestKey: null, tables: commit.tables };
    }
    await commitIngestRun(bucket, commit.state, commit.manifest);
    log("info", "ingest", "Chunked run committed", {
      run_id: runId,
      rows: commit.rows,
      manifest: manifestKey,
    });
    return { status: "committed", runId, manifestKey, tables: commit.tables };
  });
  return result ?? { status: "locked", runId: null, manifestKey: null, tables: {} };
}
