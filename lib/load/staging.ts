/**
 * Staging a run's Parquet file in the warehouse (IO over the Sql adapter): the file decoded in batches, each row
 * as a COPY text line (lib/load/statements.ts), into a temporary staging table the merge reads.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { WAREHOUSE_TABLES, type WarehouseTableName } from "../contract/mod.ts";
import type { ObjectStore } from "../io/object_store.ts";
import type { Sql } from "../io/pg.ts";
import { copyIn } from "../io/copy.ts";
import type { ProgressCallback } from "../io/progress.ts";
import { decodeParquet } from "../parquet/mod.ts";
import type { ManifestFile } from "../run/manifest.ts";
import { checkDigest } from "./plan.ts";
import { checkObjectDigest, RangedObject } from "./ranged_file.ts";
import { copyIntoStagingSql, copyTextLine, createStagingSql } from "./statements.ts";

/**
 * A run's Parquet file, streamed from the store into one buffer of the manifest's size and checked against its
 * manifest entry's SHA-256 as it arrives; the decoder reads it row group by row group, copying out only the
 * ranges it reads. (A Blob appended part by part made each row group's read slower: the load took 51 s instead
 * of 37 s at 1M orders; a one-part Blob copied the whole file a second time.)
 *
 * @throws Error naming the key when the object is missing or its digest differs (a size other than the
 *   manifest's gives another digest); the store's other errors.
 */
export async function fetchFile(store: ObjectStore, file: ManifestFile): Promise<Uint8Array> {
  const hash = createHash("sha256");
  const buf = new Uint8Array(file.bytes);
  let at = 0;
  try {
    for await (const chunk of store.stream(file.key)) {
      hash.update(chunk);
      if (at + chunk.length <= buf.length) buf.set(chunk, at);
      at += chunk.length; // past the manifest's size the digest differs, and checkDigest says so
    }
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "NoSuchKey" || name === "NotFound") checkDigest(file, undefined);
    throw err;
  }
  checkDigest(file, hash.digest("hex")); // a size other than the manifest's gives another digest
  return buf;
}

/** Files from this size on are read in place by ranged GETs ({@link RangedObject}); smaller ones in one GET. */
export const RANGED_FILE_BYTES = 4 << 20;

/** A table's Parquet file, checked against its manifest entry: its bytes, or a view read by ranged GETs. */
export type ParquetSource = Uint8Array | RangedObject;

/**
 * Opens a run's Parquet file: under `rangedFrom` bytes fetched whole and checked as it arrives
 * ({@link fetchFile}); from it on, a {@link RangedObject} pinned to the object's ETag, once the SHA-256 of the
 * same version, computed by a streamed GET (constant memory), matches the manifest's. The hash pass comes before
 * any decoding, not beside it: parquet-wasm traps on bytes it cannot decode (a tampered file), and a trap is an
 * uncaught error that ends the process, where a digest error fails the load cleanly.
 *
 * @throws Error naming the key when the object is missing, and the key and both digests when they differ; Error
 *   named `ObjectChanged` when the object is replaced between the view's first read and the hash pass.
 */
export async function openParquet(
  store: ObjectStore,
  file: ManifestFile,
  rangedFrom = RANGED_FILE_BYTES,
): Promise<ParquetSource> {
  if (file.bytes < rangedFrom) return await fetchFile(store, file);
  let view: RangedObject;
  try {
    view = await RangedObject.open(store, file.key, file.bytes);
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === "NoSuchKey" || name === "NotFound") checkDigest(file, undefined);
    throw err;
  }
  // Before any decoding: parquet-wasm traps (an uncaught error, not a rejection) on bytes it cannot decode.
  await checkObjectDigest(store, file, view.etag);
  return view;
}

/**
 * Rows decoded at once (2,048): a batch's values die in the young generation. Batches of 10,000 rows lived
 * through two scavenges and died in the old one; at 1M orders the load took 29–31 s with 87–127 full
 * collections, against 26.5 s and 54 with 2,048 (docs/benchmarks.md, 2026-12-02 "fourth session").
 */
export const DECODE_BATCH_ROWS = 2_048;

/**
 * Characters per COPY chunk (64 Ki): a string under V8's largest regular object (128 KiB) is born in the young
 * generation and dies in its next scavenge; 1 MiB chunks went to the large-object space, which only a full
 * collection frees, and the load's heap grew to 2.5 times its live size between them.
 */
export const COPY_CHUNK_CHARS = 1 << 16;

/**
 * The COPY text lines of a Parquet file's rows, in chunks of about {@link COPY_CHUNK_CHARS} characters; `onRow` is called for each row. A
 * {@link RangedObject}'s failed read is the error thrown (its zeros are never staged).
 */
export async function* copyLines(
  table: WarehouseTableName,
  file: Uint8Array | Blob | RangedObject,
  onRow: () => void,
): AsyncGenerator<string> {
  const ranged = file instanceof RangedObject ? file : undefined;
  try {
    const options = {
      batchSize: DECODE_BATCH_ROWS,
      ...(ranged
        ? {
          beforeRowGroup: (start: number, end: number, nextEnd?: number) =>
            ranged.prefetch(start, end, nextEnd),
        }
        : {}),
    };
    for await (const batch of decodeParquet(file, WAREHOUSE_TABLES[table].columns, options)) {
      ranged?.check(); // a failed ranged read gave zeros: its error, not rows decoded from them
      let chunk = "";
      for (const row of batch) {
        chunk += copyTextLine(table, row);
        onRow();
        if (chunk.length > COPY_CHUNK_CHARS) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk) yield chunk;
    }
  } catch (err) {
    ranged?.check();
    throw err;
  }
  ranged?.check();
}

/**
 * Copies a Parquet file's rows into the table's new staging table, reporting progress every 8,192 rows.
 *
 * @returns the rows staged.
 */
export async function stageFile(
  tx: Sql,
  progress: ProgressCallback | undefined,
  runId: string,
  table: WarehouseTableName,
  file: Uint8Array | Blob | RangedObject,
): Promise<number> {
  await tx.unsafe(createStagingSql(table));
  let staged = 0;
  progress?.({ stage: "load", table, rows: 0, phase: "copy", runId });
  await copyIn(
    tx,
    copyIntoStagingSql(table),
    copyLines(table, file, () => {
      if ((++staged & 8191) === 0) progress?.({ stage: "load", table, rows: staged, phase: "copy", runId });
    }),
  );
  progress?.({ stage: "load", table, rows: staged, phase: "merge", runId });
  return staged;
}

/** A run's files smaller than this are all fetched at once, as the load starts (an incremental run's are). */
const PREFETCH_FILE_BYTES = 1 << 20;

/**
 * Starts fetching every file under {@link PREFETCH_FILE_BYTES} at once (a few round trips in one); larger files
 * are fetched when their table's turn comes, one at a time. A failed fetch surfaces when its table awaits it.
 */
export function prefetchSmallFiles(
  store: ObjectStore,
  files: ManifestFile[],
  rangedFrom: number,
): Map<string, Promise<ParquetSource>> {
  const fetches = new Map<string, Promise<ParquetSource>>();
  for (const file of files) {
    if (file.bytes >= PREFETCH_FILE_BYTES) continue;
    const blob = openParquet(store, file, rangedFrom);
    blob.catch(() => {}); // awaited (and thrown) by its table; no unhandled rejection if an earlier table fails
    fetches.set(file.key, blob);
  }
  return fetches;
}
