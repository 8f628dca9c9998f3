/**
 * A chunked run's markers under `_state/ingest/chunked/<run_id>/` (lib/ingest/chunk_plan.ts names their keys): a
 * chunk's done marker, read so that one that is not a marker counts as not done, and a chunk's refusal.
 *
 * @module
 */
import type { SourceTableName } from "../contract/mod.ts";
import type { ObjectStore } from "../io/object_store.ts";
import { log } from "../io/log.ts";
import {
  type ChunkDone,
  chunkDoneKey,
  chunkObjectKey,
  type ChunkRefusal,
  chunkRefusedKey,
} from "./chunk_plan.ts";

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
  const valid = isDoneMarkerOf(runId, chunk, marker);
  if (!valid) log("warn", "ingest", "Chunk marker is not this chunk's: the chunk is run again", { key });
  return valid ? marker : undefined;
}

/**
 * Whether `m` is the done marker `runChunk` writes for `chunk` of run `runId`: its table and index, whole counts,
 * key ranges, and either no object with no rows, or an object at the chunk's own key with its size and a SHA-256
 * (a marker taken as done while it was not put a `null` part in the manifest, or silently left a chunk's rows out).
 * The object's content is checked against that SHA-256 when the transform reads it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDoneMarkerOf } from "./chunk_markers.ts";
 * import { chunkObjectKey } from "./chunk_plan.ts";
 * const id = "20261130T084501123Z-0a1b2c";
 * const object = { key: chunkObjectKey("payment", id, 3), rows: 2, bytes: 90, sha256: "a".repeat(64) };
 * const marker = { table: "payment", index: 3, rows: 2, bytes: 90, object, candidates: [[1, 2]], max_last_updated: null };
 * assert.equal(isDoneMarkerOf(id, { table: "payment", index: 3 }, marker), true);
 * assert.equal(isDoneMarkerOf(id, { table: "payment", index: 3 }, { ...marker, object: null }), false);
 * assert.equal(isDoneMarkerOf(id, { table: "payment", index: 4 }, marker), false);
 * ```
 */
export function isDoneMarkerOf(
  runId: string,
  chunk: { table: SourceTableName; index: number },
  m: unknown,
): m is ChunkDone {
  if (typeof m !== "object" || m === null) return false;
  const d = m as Record<string, unknown>;
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  const ranges = Array.isArray(d.candidates) &&
    d.candidates.every((r) => Array.isArray(r) && r.length === 2 && r.every(Number.isSafeInteger));
  if (
    d.table !== chunk.table || d.index !== chunk.index || !count(d.rows) || !count(d.bytes) || !ranges ||
    (d.max_last_updated !== null && typeof d.max_last_updated !== "string")
  ) return false;
  if (d.object === null) return d.rows === 0;
  const o = d.object as Record<string, unknown> | undefined;
  return typeof o === "object" && o !== null && o.key === chunkObjectKey(chunk.table, runId, chunk.index) &&
    count(o.rows) && count(o.bytes) && typeof o.sha256 === "string" && /^[0-9a-f]{64}$/.test(o.sha256);
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
