/**
 * Column readers: Arrow data to warehouse values in their in-memory forms (canonical text: 2 decimals, 6
 * fractional digits on times and timestamps), read from the raw buffers (Arrow JS's `.get()` turns dates and
 * timestamps into epoch milliseconds and would lose microseconds) and formatted by lib/values.
 *
 * @module
 */
import type * as arrow from "apache-arrow";
import type { Column, WarehouseRow } from "../contract/warehouse.ts";
import {
  formatDate,
  formatDecimal,
  formatTime,
  formatTimeMicros,
  formatTimestamp,
  MICROS_PER_DAY,
} from "../values/mod.ts";
import type { WarehouseValue } from "./encode.ts";

const TWO_32 = 0x1_0000_0000;
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Whether value `i` of `data` is valid (non-null), from the raw validity bitmap (bit offset `data.offset`). */
function validAt(data: arrow.Data, bits: Uint8Array | undefined, i: number): boolean {
  if (!bits) return true;
  const bit = data.offset + i;
  return (bits[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

/** Reads the values of `data` into `out` (`null` where `bits` says so), in order. */
type Reader = (data: arrow.Data, bits: Uint8Array | undefined, out: WarehouseValue[]) => void;

const readInt32: Reader = (data, bits, out) => {
  const values = data.values as Int32Array;
  for (let i = 0; i < out.length; i++) out[i] = validAt(data, bits, i) ? values[i]! : null;
};

const readUtf8: Reader = (data, bits, out) => {
  const offsets = data.valueOffsets as Int32Array;
  const bytes = data.values as Uint8Array;
  for (let i = 0; i < out.length; i++) {
    out[i] = validAt(data, bits, i) ? decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!)) : null;
  }
};

const readBool: Reader = (data, bits, out) => {
  const values = data.values as Uint8Array;
  for (let i = 0; i < out.length; i++) {
    const bit = data.offset + i;
    out[i] = validAt(data, bits, i) ? (values[bit >> 3]! & (1 << (bit & 7))) !== 0 : null;
  }
};

const readDecimal: Reader = (data, bits, out) => {
  const values = data.values as Uint32Array;
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  for (let i = 0; i < out.length; i++) {
    if (!validAt(data, bits, i)) {
      out[i] = null;
      continue;
    }
    const low = view.getBigInt64(i * 16, true);
    const high = view.getBigInt64(i * 16 + 8, true);
    if (high !== (low < 0n ? -1n : 0n)) throw new Error("decimal beyond 64 bits");
    out[i] = formatDecimal(low);
  }
};

const readDate32: Reader = (data, bits, out) => {
  const values = data.values as Int32Array;
  const texts = new Map<number, string>(); // dates repeat a lot within a batch
  for (let i = 0; i < out.length; i++) {
    if (!validAt(data, bits, i)) {
      out[i] = null;
      continue;
    }
    const day = values[i]!;
    let text = texts.get(day);
    if (text === undefined) texts.set(day, text = formatDate(day));
    out[i] = text;
  }
};

const readTime64: Reader = (data, bits, out) => {
  const values = data.values as BigInt64Array;
  const low = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const high = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < out.length; i++) {
    if (!validAt(data, bits, i)) {
      out[i] = null;
      continue;
    }
    const hi = high[2 * i + 1]!;
    const micros = hi * TWO_32 + low[2 * i]!; // exact: checked below to be under 2^37
    if (hi < 0 || micros >= MICROS_PER_DAY) formatTime(values[i]!); // throws with the value
    out[i] = formatTimeMicros(micros);
  }
};

const readTimestamp: Reader = (data, bits, out) => {
  const values = data.values as BigInt64Array;
  for (let i = 0; i < out.length; i++) out[i] = validAt(data, bits, i) ? formatTimestamp(values[i]!) : null;
};

/** The first value a reader had not filled when it threw: values are filled in order, never `undefined`. */
function reached(out: WarehouseValue[]): number {
  let i = 0;
  while (i < out.length && out[i] !== undefined) i++;
  return i;
}

const READERS: Record<Column["type"], Reader> = {
  int32: readInt32,
  utf8: readUtf8,
  bool: readBool,
  decimal: readDecimal,
  date32: readDate32,
  time64us: readTime64,
  timestamp_us: readTimestamp,
};

/**
 * Reads the values of one column from Arrow data, from its raw buffers (so microseconds are kept).
 *
 * Takes the column and one chunk of Arrow data of the column's type (sliced data is handled: validity and boolean
 * bits start at bit `data.offset`; other buffers are already sliced by Arrow JS); returns `data.length` values in
 * the in-memory forms of `ColumnType`, `null` where the value is null.
 *
 * @throws Error naming the column when the data has nulls in a non-nullable column, or a value cannot be
 *   represented (invalid UTF-8, a decimal beyond decimal(12,2), a date outside 0001–9999, a time outside a day).
 */
export function readColumnData(column: Column, data: arrow.Data): WarehouseValue[] {
  const bits = data.nullCount > 0 ? data.nullBitmap : undefined;
  if (bits && !column.nullable) {
    throw new Error(`Cannot decode ${column.name}: nulls in a non-nullable column`);
  }
  const out = new Array<WarehouseValue>(data.length);
  try {
    READERS[column.type](data, bits, out);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot decode ${column.name} (value ${reached(out)}): ${message}`, { cause: error });
  }
  return out;
}

/**
 * Reads an Arrow record batch (or table) into warehouse rows.
 *
 * Takes the columns to read (looked up by name; the caller has checked their types) and the batch; returns one
 * plain object per row with the columns in the given order.
 *
 * @throws Error naming the column when a column is absent or a value cannot be read (see {@link readColumnData}).
 */
export function recordBatchToRows(
  columns: readonly Column[],
  batch: arrow.RecordBatch | arrow.Table,
): WarehouseRow[] {
  const n = batch.numRows;
  const values = columns.map((column) => {
    const vector = batch.getChild(column.name);
    if (!vector) throw new Error(`Cannot decode ${column.name}: column not in the data`);
    if (vector.data.length === 1) return readColumnData(column, vector.data[0]!);
    return vector.data.flatMap((chunk) => readColumnData(column, chunk));
  });
  const rows = new Array<WarehouseRow>(n);
  for (let r = 0; r < n; r++) {
    const row: WarehouseRow = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]!.name] = values[c]![r]!;
    rows[r] = row;
  }
  return rows;
}
