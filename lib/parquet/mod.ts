/**
 * Parquet codec for warehouse rows: rows in their in-memory forms (see `ColumnType` in ../contract/warehouse.ts)
 * to Parquet bytes with an explicit Arrow schema, and back, exactly.
 *
 * - Writing streams record batches into parquet-wasm's writer, so only about one row group is held in Arrow form;
 *   the same rows and options give byte-identical files (design.md section 4: re-runs write the same objects).
 * - Reading goes row group by row group, so memory stays bounded by a row group plus the file's bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeParquet, encodeParquet } from "./mod.ts";
 * import { WAREHOUSE_TABLES } from "../contract/mod.ts";
 * const columns = WAREHOUSE_TABLES.dim_payment_type.columns;
 * const rows = [{ payment_type_id: 1, payment_type_name: "SALES_RECEIPT", source_last_updated:
 *   "2022-11-03 14:20:49.962000", source_run_id: "r1" }];
 * const bytes = await encodeParquet(columns, rows);
 * const back = [];
 * for await (const batch of decodeParquet(bytes, columns)) back.push(...batch);
 * assert.deepEqual(back, rows);
 * ```
 *
 * @module
 */
import * as arrow from "apache-arrow";
import type { Column, WarehouseRow } from "../contract/warehouse.ts";
import { parquetWasm } from "./_wasm.ts";
import { buildRecordBatch, recordBatchToRows } from "./encode.ts";
import { arrowSchema, arrowType, isArrowTypeOf } from "./schema.ts";

export * from "./encode.ts";
export * from "./schema.ts";

/** Default number of rows per Parquet row group. */
export const DEFAULT_ROW_GROUP_SIZE = 100_000;
/** Most rows converted to Arrow at once while writing (row groups are still `rowGroupSize` rows). */
const WRITE_BATCH_ROWS = 50_000;

/** Options of {@link encodeParquet}. */
export interface EncodeParquetOptions {
  /** Rows per row group (default {@link DEFAULT_ROW_GROUP_SIZE}); every row group but the last is this full. */
  rowGroupSize?: number;
  /** Compression codec of every column (default `"zstd"`). */
  compression?: "zstd" | "snappy";
}

type AnyIterator<T> = Iterator<T> | AsyncIterator<T>;

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
 * Encodes warehouse rows as a Parquet file.
 *
 * Takes the table's columns (file order), the rows (an iterable or async iterable, consumed once, in order) and
 * options; returns the file's bytes. The Arrow schema is {@link arrowSchema}'s; row groups hold `rowGroupSize`
 * rows; compression is zstd (or snappy). The output is deterministic: no timestamps or random ids are written, so
 * the same rows and options give byte-identical files. Zero rows give a valid file with the schema and no row
 * group.
 *
 * Throws an Error naming the column and row and quoting the value when a row does not fit the columns (see
 * `buildColumnData`), when `rowGroupSize` is not a positive integer, or when the rows' iterator throws (its error
 * is rethrown as is).
 */
export async function encodeParquet(
  columns: readonly Column[],
  rows: Iterable<WarehouseRow> | AsyncIterable<WarehouseRow>,
  options: EncodeParquetOptions = {},
): Promise<Uint8Array> {
  const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
  if (!Number.isSafeInteger(rowGroupSize) || rowGroupSize < 1) {
    throw new Error(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  }
  arrowSchema(columns); // validates the columns before any work
  const pq = parquetWasm();
  const batchRows = Math.min(rowGroupSize, WRITE_BATCH_ROWS);
  const iterator = iteratorOf(rows);
  let written = 0;
  let finished = false;
  // parquet-wasm ends the file quietly when its input stream errors: remember our error and rethrow it.
  let failure: { error: unknown } | undefined;

  const toWasm = (batch: WarehouseRow[]) => {
    const ipc = arrow.tableToIPC(new arrow.Table(buildRecordBatch(columns, batch, written)), "stream");
    written += batch.length;
    const table = pq.Table.fromIPCStream(ipc);
    try {
      const wasmBatch = table.recordBatch(0);
      if (!wasmBatch) throw new Error("parquet-wasm returned no record batch");
      return wasmBatch;
    } finally {
      table.free();
    }
  };

  const input = new ReadableStream({
    async pull(controller) {
      try {
        const batch: WarehouseRow[] = [];
        while (batch.length < batchRows) {
          let next: IteratorResult<WarehouseRow>;
          try {
            next = await iterator.next();
          } catch (error) {
            failure = { error };
            controller.error(error);
            return;
          }
          if (next.done) {
            finished = true;
            break;
          }
          batch.push(next.value);
        }
        // The writer takes the schema from its first batch: an empty input still sends one (empty) batch.
        if (batch.length > 0 || written === 0) controller.enqueue(toWasm(batch));
        if (finished) controller.close();
      } catch (error) {
        failure = { error };
        controller.error(error);
        await closeQuietly(iterator); // a row was bad: release the source (a cursor, a stream)
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  }, { highWaterMark: 0 });

  const properties = new pq.WriterPropertiesBuilder()
    .setCompression(options.compression === "snappy" ? pq.Compression.SNAPPY : pq.Compression.ZSTD)
    .setMaxRowGroupSize(rowGroupSize)
    .build();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    const output = await pq.transformParquetStream(input, properties);
    for await (const chunk of output as ReadableStream<Uint8Array>) {
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (error) {
    throw failure ? failure.error : error;
  }
  if (failure) throw failure.error;
  if (!finished) throw new Error("Parquet writer stopped before the end of the rows");
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/** The Arrow schema stored in a Parquet file. */
function fileSchema(file: { schema(): { intoIPCStream(): Uint8Array } }): arrow.Schema {
  return arrow.tableFromIPC(file.schema().intoIPCStream()).schema;
}

/**
 * Checks that an Arrow schema read from a file has exactly the given columns: each with its exact type and
 * nullability, and no other column. Order is not checked.
 *
 * Takes the schema and the expected columns; returns nothing. Throws an Error naming the first column that is
 * missing, extra, of another type or of other nullability.
 */
export function checkSchema(schema: arrow.Schema, columns: readonly Column[]): void {
  const fields = new Map(schema.fields.map((field) => [field.name, field]));
  for (const column of columns) {
    const field = fields.get(column.name);
    if (!field) throw new Error(`Parquet schema mismatch: column ${column.name} is missing`);
    if (!isArrowTypeOf(column.type, field.type)) {
      throw new Error(
        `Parquet schema mismatch: column ${column.name} is ${field.type}, expected ${arrowType(column.type)}`,
      );
    }
    if (field.nullable !== column.nullable) {
      throw new Error(
        `Parquet schema mismatch: column ${column.name} is ${
          field.nullable ? "" : "not "
        }nullable, expected ${column.nullable ? "" : "not "}nullable`,
      );
    }
    fields.delete(column.name);
  }
  const extra = fields.keys().next();
  if (!extra.done) throw new Error(`Parquet schema mismatch: unexpected column ${extra.value}`);
}

/** Options of {@link decodeParquet}. */
export interface DecodeParquetOptions {
  /**
   * Most rows per yielded array (default: a whole row group). Smaller arrays keep fewer row objects alive at once;
   * a row group is still read whole, in Arrow form (a few bytes per value).
   */
  batchSize?: number;
}

/**
 * Decodes a Parquet file into warehouse rows, one row group at a time.
 *
 * Takes the file's bytes, the columns expected (the table contract's) and options; returns an async iterable that
 * yields arrays of rows in file order: one per row group, or several of at most `batchSize` rows. Each row is a
 * plain object with the columns in the given order and values in the in-memory forms of `ColumnType` (canonical
 * text: 2 decimals, 6 fractional digits on times and timestamps). Only one row group is read at a time, and rows
 * are made only for the array being yielded.
 *
 * Throws (when iterated) an Error naming the column when the file's schema does not have exactly the expected
 * columns, types and nullability (see {@link checkSchema}), or when a value cannot be read; parquet-wasm's error
 * when the bytes are not a Parquet file; an Error when `batchSize` is not a positive integer.
 */
export async function* decodeParquet(
  bytes: Uint8Array,
  columns: readonly Column[],
  options: DecodeParquetOptions = {},
): AsyncGenerator<WarehouseRow[], void, undefined> {
  const { batchSize } = options;
  if (batchSize !== undefined && !(Number.isSafeInteger(batchSize) && batchSize > 0)) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const pq = parquetWasm();
  const file = await pq.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  try {
    checkSchema(fileSchema(file), columns);
    const metadata = file.metadata();
    const groups = metadata.rowGroups().map((group) => {
      const rows = group.numRows();
      group.free();
      return rows;
    });
    metadata.free();
    for (let g = 0; g < groups.length; g++) {
      const table = await file.read({ rowGroups: [g], batchSize: batchSize ?? Math.max(1, groups[g]!) });
      const arrowTable = arrow.tableFromIPC(table.intoIPCStream());
      for (const batch of arrowTable.batches) {
        if (batch.numRows > 0) yield recordBatchToRows(columns, batch);
      }
    }
  } finally {
    file.free();
  }
}

/**
 * Reads the number of rows of a Parquet file from its footer, without decoding any data.
 *
 * Takes the file's bytes; returns the row count. Throws parquet-wasm's error when the bytes are not a Parquet
 * file.
 */
export async function readParquetRowCount(bytes: Uint8Array): Promise<number> {
  const pq = parquetWasm();
  const file = await pq.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  try {
    const metadata = file.metadata();
    const fileMetadata = metadata.fileMetadata();
    const rows = fileMetadata.numRows();
    fileMetadata.free();
    metadata.free();
    return rows;
  } finally {
    file.free();
  }
}
