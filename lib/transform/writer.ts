/**
 * The transform's object writer for one run: each table's Parquet file, the quarantine objects, their manifest
 * entries. A small file (under {@link SMALL_FILE_BYTES}, as an incremental run's are) is sent with one `put` in
 * the background, so that a run's few small files cost about one round trip; a larger one is streamed to a
 * multipart upload as it is encoded, so that it is never held whole. {@link RunWriter.settled} waits for every
 * write: the runner calls it before the state and the manifest, which stay the commit marker.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { WAREHOUSE_TABLES, type WarehouseRow, type WarehouseTableName } from "../contract/mod.ts";
import { log } from "../io/log.ts";
import type { ProgressCallback } from "../io/progress.ts";
import type { Bucket } from "../io/s3.ts";
import { encodeParquetStream } from "../parquet/mod.ts";
import { type ManifestFile, parquetKey, quarantineKey } from "./manifest.ts";

/** Files smaller than this are sent whole, in the background; larger ones are streamed. */
export const SMALL_FILE_BYTES = 1 << 20;

/** What the writer needs of the processed zone. */
export type WriterStore = Pick<Bucket, "put" | "upload">;

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * `source` with `first` (already read from it) put back in front: a plain iterator, not a generator, so that a row
 * costs no step of promises of its own on its way to the Parquet writer.
 */
function withFirst(
  first: WarehouseRow,
  source: Iterator<WarehouseRow> | AsyncIterator<WarehouseRow>,
): AsyncIterable<WarehouseRow> {
  let head: WarehouseRow | undefined = first;
  const iterator: AsyncIterator<WarehouseRow> = {
    next: () => {
      if (head === undefined) return Promise.resolve(source.next());
      const value = head;
      head = undefined;
      return Promise.resolve({ done: false, value });
    },
    // stopped early (a bad row, a failed upload): release the source
    return: async () => {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

/** Writes one run's objects: Parquet per table, quarantine objects; the runner then writes state and manifest. */
export class RunWriter {
  readonly files: Partial<Record<WarehouseTableName, ManifestFile>> = {};
  readonly counts: Partial<Record<WarehouseTableName, number>> = {};
  private readonly writes: Promise<void>[] = [];
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly processed: WriterStore,
    private readonly runId: string,
    private readonly onProgress?: ProgressCallback,
  ) {}

  /**
   * Encodes a table's rows as Parquet and writes it (nothing for no rows), hashing and counting its bytes on the
   * way; reports progress. A small file's `put` may still be running when this returns (see {@link settled}).
   */
  async table(table: WarehouseTableName, rows: Iterable<WarehouseRow> | AsyncIterable<WarehouseRow>) {
    const { runId, onProgress } = this;
    onProgress?.({ stage: "transform", table, rows: 0, phase: "write", runId });
    const source = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
    const first = await source.next();
    this.counts[table] = 0;
    if (first.done) return;
    let n = 0;
    const onRow = () => {
      if ((++n & 8191) === 0) onProgress?.({ stage: "transform", table, rows: n, phase: "write", runId });
    };
    const chunks = encodeParquetStream(WAREHOUSE_TABLES[table].columns, withFirst(first.value, source), {
      onRow,
    });
    const head: Uint8Array[] = [];
    let bytes = 0;
    let next = await chunks.next();
    for (; !next.done && bytes < SMALL_FILE_BYTES; next = await chunks.next()) {
      head.push(next.value);
      bytes += next.value.length;
    }
    const key = parquetKey(table, runId);
    const type = "application/vnd.apache.parquet";
    let digest: string;
    if (next.done) {
      const body = concat(head, bytes);
      digest = sha256(body);
      this.background(this.processed.put(key, body, type));
    } else {
      const hash = createHash("sha256");
      const rest = next.value;
      const file = (async function* () {
        for (const chunk of [...head.splice(0), rest]) {
          hash.update(chunk);
          yield chunk;
        }
        for await (const chunk of chunks) {
          hash.update(chunk);
          bytes += chunk.length;
          yield chunk;
        }
      })();
      bytes += rest.length;
      await this.processed.upload(key, file, type);
      digest = hash.digest("hex");
    }
    this.counts[table] = n;
    this.files[table] = { key, rows: n, bytes, sha256: digest };
    // The final count (a small table reports no count while it is encoded, only its 0 at the start).
    onProgress?.({ stage: "transform", table, rows: n, phase: "written", runId });
    log("info", "transform", "Table written", { run_id: runId, table, rows: n, bytes });
  }

  /** Writes the quarantine objects; returns their manifest entries. */
  async quarantine(objects: { source: string; rows: number; body: Uint8Array }[]) {
    const files: Record<string, ManifestFile> = {};
    for (const { source, rows, body } of objects) {
      const key = quarantineKey(source, this.runId);
      await this.processed.put(key, body, "application/x-ndjson");
      files[source] = { key, rows, bytes: body.length, sha256: sha256(body) };
      log("warn", "transform", "Rows quarantined", { run_id: this.runId, source_table: source, rows, key });
    }
    return files;
  }

  /** Waits for every background write. @throws the first write's error. */
  async settled(): Promise<void> {
    await Promise.all(this.writes.splice(0));
    if (this.failure) throw this.failure.error;
  }

  private background(write: Promise<void>): void {
    this.writes.push(write.catch((error) => {
      this.failure ??= { error };
    }));
  }
}
