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

/** The COPY text lines of a Parquet file's rows, in chunks of about 1 MiB; `onRow` is called for each row. */
export async function* copyLines(
  table: WarehouseTableName,
  file: Uint8Array | Blob,
  onRow: () => void,
): AsyncGenerator<string> {
  for await (const batch of decodeParquet(file, WAREHOUSE_TABLES[table].columns, { batchSize: 10_000 })) {
    let chunk = "";
    for (const row of batch) {
      chunk += copyTextLine(table, row);
      onRow();
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
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
  file: Uint8Array | Blob,
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
