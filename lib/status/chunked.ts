/**
 * Chunked first runs that have not committed (planned, running, interrupted or overtaken), for `etl status`: a
 * runner's terminal lost, its run id for `chunks run --resume` is here.
 *
 * @module
 */
import type { ObjectStore } from "../io/object_store.ts";
import { doneMarkers } from "../ingest/chunk_markers.ts";
import { type ChunkPlan, type ChunkRefusal, chunkRefusedKey, planOvertakenBy } from "../ingest/chunk_plan.ts";

/** One chunked run not committed yet. */
export interface ChunkedRunStatus {
  /** The run id (the plan's). */
  runId: string;
  /** Chunks done and chunks in the plan. */
  done: number;
  chunks: number;
  /**
   * The committed run that overtook the plan (it started from another run, or from none): the chunked run can
   * never commit and needs nothing more; null while the plan can still commit.
   */
  overtakenBy: string | null;
  /** Chunks not done that failed for good (a refused row or column), with their errors. */
  refused: ChunkRefusal[];
}

/**
 * The chunked runs planned and not committed, oldest first, with their chunks done.
 *
 * @param ingested the committed ingest runs, in run order (the last one is the capture's position)
 * @throws the S3 error of a listing or read that fails.
 */
export async function openChunkedRuns(
  ingestion: ObjectStore,
  ingested: string[],
): Promise<ChunkedRunStatus[]> {
  const keys = await ingestion.list("_state/ingest/chunked/");
  const listed = new Set(keys);
  const committed = new Set(ingested);
  const last = ingested.at(-1) ?? null;
  const out: ChunkedRunStatus[] = [];
  for (const key of keys) {
    const m = /^_state\/ingest\/chunked\/([^/]+)\/plan\.json$/.exec(key);
    if (!m || committed.has(m[1]!)) continue;
    const plan = await ingestion.getJson<ChunkPlan>(key);
    if (!plan) continue;
    const done = await doneMarkers(ingestion, plan.run_id, plan.chunks); // an unreadable marker is not done
    const refused: ChunkRefusal[] = [];
    for (const c of plan.chunks) {
      const k = chunkRefusedKey(plan.run_id, c.table, c.index);
      if (done.has(`${c.table} #${c.index}`) || !listed.has(k)) continue;
      const r = await ingestion.getJson<ChunkRefusal>(k);
      if (r) refused.push(r);
    }
    out.push({
      runId: plan.run_id,
      done: done.size,
      chunks: plan.chunks.length,
      overtakenBy: planOvertakenBy(plan, last),
      refused,
    });
  }
  return out;
}

/**
 * The status lines of open chunked runs (none when there are none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatChunkedRuns } from "./chunked.ts";
 * assert.deepEqual(formatChunkedRuns([{ runId: "r1", done: 12, chunks: 61, overtakenBy: null, refused: [] }]), [
 *   'Chunked run r1 not committed: 12 of 61 chunks done; "deno task chunks run --resume r1" finishes it',
 * ]);
 * assert.deepEqual(
 *   formatChunkedRuns([{
 *     runId: "r2", done: 3, chunks: 5, overtakenBy: null,
 *     refused: [{ table: "design", index: 0, error: "Row design 1 is 4,200,017 characters of JSON, …" }],
 *   }]),
 *   [
 *     'Chunked run r2 not committed: 3 of 5 chunks done; "deno task chunks run --resume r2" finishes it once the refused input below is fixed in ToteSys',
 *     "  chunk design #0 refused: Row design 1 is 4,200,017 characters of JSON, …",
 *   ],
 * );
 * ```
 */
export function formatChunkedRuns(runs: ChunkedRunStatus[]): string[] {
  return runs.flatMap((r) =>
    r.overtakenBy === null
      ? [
        `Chunked run ${r.runId} not committed: ${r.done} of ${r.chunks} chunks done; ` +
        `"deno task chunks run --resume ${r.runId}" finishes it` +
        (r.refused.length > 0 ? ` once the refused input below is fixed in ToteSys` : ""),
        ...r.refused.map((f) => `  chunk ${f.table} #${f.index} refused: ${f.error}`),
      ]
      : [
        `Chunked run ${r.runId} was overtaken by run ${r.overtakenBy} (it read ToteSys itself): ` +
        `it can never commit and needs nothing more; its chunk objects are in no manifest and are never read`,
      ]
  );
}
