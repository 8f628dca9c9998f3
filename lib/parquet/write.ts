/**
 * The Parquet writer: warehouse rows streamed as record batches into parquet-wasm's writer, so only about one
 * row group is held in Arrow form; the same rows and options give byte-identical files (docs/design.md
 * section 4: re-runs write the same objects).
 *
 * @module
 */
import * as arrow from "apache-arrow";
import type { Column, WarehouseRow } from "../contract/warehouse.ts";
import { parquetWasm } from "./_wasm.ts";
import { buildRecordBatch } from "./encode.ts";
import { arrowSchema } from "./schema.ts";

/** Default number of rows per Parquet row group. */
export const DEFAULT_ROW_GROUP_SIZE = 16_384;
/**
 * Most rows converted to Arrow at once while writing (row groups are still `rowGroupSize` rows): 4,096 rows die
 * in the young generation. With 50,000 (capped at a row group's 16,384) the transform at 1M orders peaked at
 * 245 MiB with about 200 full collections, against 230 MiB, 182 and 2 % less time (docs/benchmarks.md,
 * 2026-12-02 "fourth session").
 */
const WRITE_BATCH_ROWS = 4_096;

/** Options of {@link encodeParquet}. */
export interface EncodeParquetOptions {
  /** Rows per row group (default {@link DEFAULT_ROW_GROUP_SIZE}); every row group but the last is this full. */
  rowGroupSize?: number;
  /** Compression codec of every column (default `"zstd"`). */
  compression?: "zstd" | "snappy";
  /** Called once for each row taken from `rows`, as it is taken (counting and progress, without a wrapper). */
  onRow?: () => void;
}

type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;
type Wasm = ReturnType<typeof parquetWasm>;
type WasmBatch = ReturnType<ReturnType<Wasm["Table"]["fromIPCStream"]>["recordBatch"]>;

async function closeQuietly<T>(iterator: AnyIterator<T>): Promise<void> {
  try {
    await iterator.return?.();
  } catch {
    // the encoding error is the one to report
  }
}

function iteratorOf<T>(rows: Iterable<T> | AsyncIterable<T>): AnyIterator<T> {
  return Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
}

/**
 * The rows as a stream of parquet-wasm record batches of at most `batchRows` rows. parquet-wasm ends the file
 * quietly when its input stream errors: `failure` keeps our error so that it can be rethrown, and `finished`
 * tells whether every row was sent.
 */
class BatchSource {
  written = 0;
  finished = false;
  failure: { error: unknown } | undefined;
  readonly stream: ReadableStream<NonNullable<WasmBatch>>;

  constructor(
    private readonly pq: Wasm,
    private readonly columns: readonly Column[],
    private readonly iterator: AnyIterator<WarehouseRow>,
    private readonly batchRows: number,
    private readonly onRow: () => void = () => {},
  ) {
    this.stream = new ReadableStream({
      pull: (controller) => this.pull(controller),
      cancel: async () => {
        await iterator.return?.();
      },
    }, { highWaterMark: 0 });
  }

  private async pull(controller: ReadableStreamDefaultController<NonNullable<WasmBatch>>): Promise<void> {
    try {
      const batch: WarehouseRow[] = [];
      while (batch.length < this.batchRows) {
        let next: IteratorResult<WarehouseRow>;
        try {
          next = await this.iterator.next();
        } catch (error) {
          this.failure = { error };
          controller.error(error);
          return;
        }
        if (next.done) {
          this.finished = true;
          break;
        }
        batch.push(next.value);
        this.onRow();
      }
      // The writer takes the schema from its first batch: an empty input still sends one (empty) batch.
      if (batch.length > 0 || this.written === 0) controller.enqueue(this.toWasm(batch));
      if (this.finished) controller.close();
    } catch (error) {
      this.failure = { error };
      controller.error(error);
      await closeQuietly(this.iterator); // a row was bad: release the source (a cursor, a stream)
    }
  }

  private toWasm(batch: WarehouseRow[]): NonNullable<WasmBatch> {
    const record = buildRecordBatch(this.columns, batch, this.written);
    const ipc = arrow.tableToIPC(new arrow.Table(record), "stream");
    this.written += batch.length;
    const table = this.pq.Table.fromIPCStream(ipc);
    try {
      const wasmBatch = table.recordBatch(0);
      if (!wasmBatch) throw new Error("parquet-wasm returned no record batch");
      return wasmBatch;
    } finally {
      table.free();
    }
  }
}

/** The bytes of a stream of chunks, in one array. */
async function concatenate(output: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of output) {
    chunks.push(chunk);
    size += chunk.length;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Encodes warehouse rows as a Parquet file, yielding the file's bytes in chunks as the writer produces them (about
 * one row group at a time), so that the file can be streamed to a multipart upload and never held whole.
 *
 * Takes the table's columns (file order), the rows (an iterable or async iterable, consumed once, in order) and
 * options; the chunks, concatenated, are exactly {@link encodeParquet}'s bytes. The Arrow schema is
 * {@link arrowSchema}'s; row groups hold `rowGroupSize` rows; compression is zstd (or snappy). The output is
 * deterministic: no timestamps or random ids are written. Zero rows give a valid file with the schema and no row
 * group.
 *
 * @throws Error (when iterated) naming the column and row and quoting the value when a row does not fit the
 *   columns (see `buildColumnData`), when `rowGroupSize` is not a positive integer, or when the rows' iterator
 *   throws (its error is rethrown as is): the last chunk is then never yielded, so a consumer that stops on the
 *   error has no valid file.
 */
export async function* encodeParquetStream(
  columns: readonly Column[],
  rows: Iterable<WarehouseRow> | AsyncIterable<WarehouseRow>,
  options: EncodeParquetOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isSafeInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new Error(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  }
  arrowSchema(columns); // validates the columns before any work
  const pq = parquetWasm();
  const source = new BatchSource(
    pq,
    columns,
    iteratorOf(rows),
    Math.min(rowGroupSize, WRITE_BATCH_ROWS),
    options.onRow,
  );
  const properties = new pq.WriterPropertiesBuilder()
    .setCompression(options.compression === "snappy" ? pq.Compression.SNAPPY : pq.Compression.ZSTD)
    .setMaxRowGroupSize(rowGroupSize)
    .build();
  // Each chunk is held back until the next arrives, so that a failure found at the end (parquet-wasm ends the file
  // quietly when its input errors) is thrown before the file's last bytes are given out.
  let held: Uint8Array | undefined;
  try {
    const output = await pq.transformParquetStream(source.stream, properties);
    for await (const chunk of output as ReadableStream<Uint8Array>) {
      if (source.failure) break;
      if (held) yield held;
      held = chunk;
    }
  } catch (error) {
    throw source.failure ? source.failure.error : error;
  }
  if (source.failure) throw source.failure.error;
  if (!source.finished) throw new Error("Parquet writer stopped before the end of the rows");
  if (held) yield held;
}

/**
 * Encodes warehouse rows as a Parquet file and returns its bytes in one array: {@link encodeParquetStream}'s
 * chunks concatenated (same arguments, same errors, thrown when the returned promise settles). Zero rows give a
 * valid file with the schema and no row group.
 */
export function encodeParquet(
  columns: readonly Column[],
  rows: Iterable<WarehouseRow> | AsyncIterable<WarehouseRow>,
  options: EncodeParquetOptions = {},
): Promise<Uint8Array> {
  return concatenate(encodeParquetStream(columns, rows, options));
}
