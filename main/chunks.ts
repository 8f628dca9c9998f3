/**
 * The chunked first run's steps as calls on the configured ToteSys and ingestion bucket (issue 15;
 * lib/ingest/chunk_plan.ts): used by `deno task chunks` (main/chunks_cli.ts) and by the ingest Lambda, which
 * Step Functions invokes with `{ "plan": {...} }`, `{ "chunk": {...} }` or `{ "commit": {...} }`
 * (terraform/chunks.tf); the schedule's events carry none of these keys and run the ordinary ingest.
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../lib/contract/mod.ts";
import {
  type ChunkedResult,
  chunkedRunStanding,
  commitChunkedRun,
  planChunkedRun,
  runChunk,
} from "../lib/ingest/chunks.ts";
import { doneMarkers } from "../lib/ingest/chunk_markers.ts";
import { connect, connectChecked, type Sql } from "../lib/io/pg.ts";
import type { ProgressCallback } from "../lib/io/progress.ts";
import type { Bucket } from "../lib/io/s3.ts";
import { bucketFromEnv, databaseSource, databaseTls, databaseUrl } from "./config.ts";
import { entropy } from "./ingest.ts";

/** One chunk as the plan lists it for the Distributed Map: small, so 10M orders' chunks fit a state's input. */
export interface ChunkItem {
  run_id: string;
  table: SourceTableName;
  index: number;
}

/** The plan step's answer: the run and its chunks. */
export interface PlanAnswer {
  run_id: string;
  chunk_keys: number;
  chunks: ChunkItem[];
}

/** A chunk's answer: counts only (the keys stay in its marker). */
export interface ChunkAnswer extends ChunkItem {
  rows: number;
  bytes: number;
  skipped: boolean;
}

/** The events Step Functions sends the ingest Lambda. */
export type ChunkedEvent =
  | { plan: { chunk_keys?: number } }
  | { chunk: ChunkItem }
  | { commit: { run_id: string } };

/** Whether an event is one of the chunked run's (else the schedule's: an ordinary ingest). */
export function isChunkedEvent(event: unknown): event is ChunkedEvent {
  if (typeof event !== "object" || event === null) return false;
  return "plan" in event || "chunk" in event || "commit" in event;
}

/** Runs one chunked step on the configured resources. @throws on failure (Step Functions retries it). */
export async function chunkedHandler(event: ChunkedEvent): Promise<PlanAnswer | ChunkAnswer | ChunkedResult> {
  if ("plan" in event) return await plan(event.plan.chunk_keys);
  if ("chunk" in event) return await chunk(event.chunk);
  return await commit(event.commit.run_id);
}

async function withResources<T>(fn: (sql: Sql, bucket: Bucket, url: string) => Promise<T>): Promise<T> {
  const url = await databaseUrl("TOTESYS");
  // checked: a refused or silent server is said with the variable to check and (locally) make local-up
  const sql = await connectChecked(url, {
    max: 2,
    applicationName: "totes-ingest",
    tls: databaseTls(),
    label: "ToteSys",
    source: databaseSource("TOTESYS"),
  });
  const bucket = bucketFromEnv("INGESTION_BUCKET");
  try {
    return await fn(sql, bucket, url);
  } finally {
    await sql.end();
    bucket.client.destroy();
  }
}

/** Plans a chunked first run. @throws when another ingest holds the lock, or the capture has a position. */
export async function plan(chunkKeys?: number): Promise<PlanAnswer> {
  return await withResources(async (sql, bucket) => {
    const p = await planChunkedRun({
      sql,
      bucket,
      now: () => Date.now(),
      entropy,
      ...(chunkKeys ? { chunkKeys } : {}),
    });
    if (!p) throw new Error("Another ingest run holds the lock; plan the chunked run again later");
    const chunks = p.chunks.map((c) => ({ run_id: p.run_id, table: c.table, index: c.index }));
    return { run_id: p.run_id, chunk_keys: p.chunk_keys, chunks };
  });
}

/**
 * The chunks of an existing plan (to resume it), or `committed` when the run has committed already.
 *
 * @throws Error when another run committed since the plan (the chunked run can never commit), before any chunk runs.
 */
export async function planItems(runId: string): Promise<ChunkItem[] | "committed"> {
  const bucket = bucketFromEnv("INGESTION_BUCKET");
  try {
    const standing = await chunkedRunStanding(bucket, runId);
    if (standing.status === "committed") return "committed";
    const p = standing.plan;
    return p.chunks.map((c) => ({ run_id: p.run_id, table: c.table, index: c.index }));
  } finally {
    bucket.client.destroy();
  }
}

/** The chunks of `items` (one run's) whose done marker can be read, as `table #index` strings. */
export async function doneChunks(items: ChunkItem[]): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const bucket = bucketFromEnv("INGESTION_BUCKET");
  try {
    return new Set((await doneMarkers(bucket, items[0]!.run_id, items)).keys());
  } finally {
    bucket.client.destroy();
  }
}

/**
 * Runs one chunk (skipped when already done). `killAfterObject` is a test hook: the process kills itself
 * (SIGKILL) between the chunk's object and its marker, the worst moment for a worker to die.
 */
export async function chunk(
  item: ChunkItem,
  options: { onProgress?: ProgressCallback; killAfterObject?: boolean } = {},
): Promise<ChunkAnswer> {
  if (!SOURCE_TABLE_NAMES.includes(item.table)) throw new Error(`Unknown table "${item.table}"`);
  return await withResources(async (_sql, bucket, url) => {
    const done = await runChunk({
      bucket,
      runId: item.run_id,
      table: item.table,
      index: item.index,
      copyConnection: () =>
        connect(url, { max: 1, applicationName: "totes-ingest-chunk", tls: databaseTls(), label: "ToteSys" }),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.killAfterObject ? { afterObject: () => Deno.kill(Deno.pid, "SIGKILL") } : {}),
    });
    return { ...item, rows: done.rows, bytes: done.bytes, skipped: done.skipped };
  });
}

/** How long a commit waits for the ingest lock, in seconds (another runner's commit of the same run is quick). */
const COMMIT_LOCK_WAIT_S = 30;

/**
 * Commits a chunked run. While another ingest holds the lock (two runners resuming the same run, say), it tries
 * again every second for up to 30 s: once the other runner's commit is done, this one is a no-op that says so.
 *
 * @throws when a chunk is not done, the lock is still held after 30 s, or another run committed.
 */
export async function commit(runId: string): Promise<ChunkedResult> {
  return await withResources(async (sql, bucket) => {
    for (let waited = 0;; waited++) {
      const r = await commitChunkedRun({ sql, bucket, runId, now: () => Date.now() });
      if (r.status !== "locked") return r;
      if (waited >= COMMIT_LOCK_WAIT_S) {
        throw new Error(
          `Another ingest run has held the lock for ${COMMIT_LOCK_WAIT_S} s; commit again later: ` +
            `deno task chunks commit --run ${runId}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
}
