/**
 * The Parquet reader: a file's schema checked against a table's columns, then its rows, row group by row group,
 * so memory stays bounded by a row group plus the file's bytes.
 *
 * @module
 */
import * as arrow from "apache-arrow";
import type { Column, WarehouseRow } from "../contract/warehouse.ts";
import { parquetWasm } from "./_wasm.ts";
import { recordBatchToRows } from "./decode.ts";
import { arrowType, isArrowTypeOf } from "./schema.ts";

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

/**
 * What parquet-wasm's `ParquetFile.fromFile` uses of a Blob: its size, and `slice(start, end).arrayBuffer()` to
 * read a range (it checks no type). An object that reads each range from elsewhere (a ranged GET) lets the decoder
 * read a file row group by row group without holding it.
 */
export interface BlobLike {
  /** The file's length in bytes. */
  readonly size: number;
  /** The bytes from `start` to `end` (exclusive), as a Blob's `slice`. */
  slice(start?: number, end?: number): BlobLike;
  /** The view's bytes. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * Bytes in memory, seen through the three members of a Blob that parquet-wasm's `ParquetFile.fromFile` uses
 * (`size`, `slice`, `arrayBuffer`; it checks no type): each read copies only the range asked for, where
 * `new Blob([bytes])` would first copy the whole file (a second 34 MB for fact_payment at 1M orders).
 */
class BytesFile {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  slice(start?: number, end?: number): BytesFile {
    return new BytesFile(this.bytes.subarray(start, end));
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.bytes.slice().buffer);
  }
}

/** A file for parquet-wasm's `fromFile`: a Blob or Blob-like as it is, bytes through {@link BytesFile}. */
function asFile(bytes: Uint8Array | Blob | BlobLike): Blob {
  return (bytes instanceof Uint8Array ? new BytesFile(bytes) : bytes) as unknown as Blob;
}

/** Options of {@link decodeParquet}. */
export interface DecodeParquetOptions {
  /**
   * Most rows per yielded array (default: a whole row group). Smaller arrays keep fewer row objects alive at once;
   * a row group is still read whole, in Arrow form (a few bytes per value).
   */
  batchSize?: number;
  /**
   * Called before each row group is read, with the byte range the decoder then reads it from in one `slice`
   * (`start` inclusive, `end` exclusive; row groups lie one after another from byte 4): a file read from
   * elsewhere fetches it here, where a failure rejects cleanly (inside parquet-wasm, a failed read traps).
   */
  beforeRowGroup?: ((start: number, end: number, nextEnd?: number) => Promise<void>) | undefined;
}

/**
 * Decodes a Parquet file into warehouse rows, one row group at a time.
 *
 * Takes the file (its bytes, a Blob or a {@link BlobLike}: only the parts of the row group being read are copied out of either), the
 * columns expected (the table contract's) and options; returns an async iterable that
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
  bytes: Uint8Array | Blob | BlobLike,
  columns: readonly Column[],
  options: DecodeParquetOptions = {},
): AsyncGenerator<WarehouseRow[], void, undefined> {
  const { batchSize } = options;
  if (batchSize !== undefined && !(Number.isSafeInteger(batchSize) && batchSize > 0)) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
  const pq = parquetWasm();
  const file = await pq.ParquetFile.fromFile(asFile(bytes));
  try {
    checkSchema(fileSchema(file), columns);
    const metadata = file.metadata();
    const groups = metadata.rowGroups().map((group) => {
      const rows = group.numRows();
      const bytes = group.compressedSize();
      group.free();
      return { rows, bytes };
    });
    metadata.free();
    let offset = 4; // after the magic "PAR1"
    for (let g = 0; g < groups.length; g++) {
      const { rows, bytes } = groups[g]!;
      const next = groups[g + 1]; // the next row group's end: a reader may fetch it while this one decodes
      await options.beforeRowGroup?.(offset, offset + bytes, next ? offset + bytes + next.bytes : undefined);
      offset += bytes;
      const table = await file.read({ rowGroups: [g], batchSize: batchSize ?? Math.max(1, rows) });
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
  const file = await pq.ParquetFile.fromFile(asFile(bytes));
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
