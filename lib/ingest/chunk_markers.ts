/**
 * A chunked run's markers under `_state/ingest/chunked/<run_id>/` (lib/ingest/chunk_plan.ts names their keys): a
 * chunk's done marker, read so that one that is not a marker counts as not done, and a chunk's refusal.
 *
 * @module
 */
import type { SourceTableName } from "../contract/mod.ts";
import type { ObjectStore } from "../io/object_store.ts";
import { log } from "../io/log.ts";
import { type ChunkDone, chunkDoneKey, type ChunkRefusal, chunkRefusedKey } from "./chunk_plan.ts";

/**
 * A chunk's done marker, or `undefined` when there is none or it cannot be read as one (an emulator that keeps a
 * PUT cut short leaves an empty object; taken as done, it blocked every resume and commit for good): the chunk is
 * then run again, and its marker written anew.
 *
 * @throws the store's errors other than a marker that is not a marker.
 */
export async function readDoneMarker(
  bucket: ObjectStore,
  runId: string,
  chunk: { table: SourceTableName; index: number },
): Promise<ChunkDone | undefined> {
  const key = chunkDoneKey(runId, chunk.table, chunk.index);
  let marker: ChunkDone | undefined;
  try {
    marker = await bucket.getJson<ChunkDone>(key);
  } catch (err) {
    if (!((err as Error).cause instanceof SyntaxError)) throw err;
    log("warn", "ingest", "Chunk marker unreadable: the chunk is run again", {
      key,
      error: (err as Error).message,
    });
    return undefined;
  }
  if (marker === undefined) return undefined;
  const valid = typeof marker === "object" && marker !== null && marker.table === chunk.table &&
    marker.index === chunk.index && Number.isSafeInteger(marker.rows);
  if (!valid) log("warn", "ingest", "Chunk marker is not this chunk's: the chunk is run again", { key });
  return valid ? marker : undefined;
}

/** The done markers of `chunks` that can be read as theirs ({@link readDoneMarker}), by `table #index`. */
export async function doneMarkers(
  bucket: ObjectStore,
  runId: string,
  chunks: readonly { table: SourceTableName; index: number }[],
): Promise<Map<string, ChunkDone>> {
  const markers = await Promise.all(chunks.map((c) => readDoneMarker(bucket, runId, c)));
  const out = new Map<string, ChunkDone>();
  markers.forEach((m, i) => m && out.set(`${chunks[i]!.table} #${chunks[i]!.index}`, m));
  return out;
}

/** Records a chunk's refusal for `etl status` (best effort: the refusal itself is the error to report). */
export async function noteRefusal(bucket: ObjectStore, runId: string, refusal: ChunkRefusal): Promise<void> {
  try {
    await bucket.put(chunkRefusedKey(runId, refusal.table, refusal.index), JSON.stringify(refusal));
  } catch { /* the chunk's own error is thrown either way */ }
}
