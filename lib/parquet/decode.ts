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

/** One chunk of a column being read: its data, validity bits, output and the value reached (for messages). */
interface Chunk {
  data: arrow.Data;
  bits: Uint8Array | undefined;
  out: WarehouseValue[];
  i: number;
}

/** Whether value `i` is valid (non-null), from the raw validity bitmap (bit offset `data.offset`). */
function validAt(c: Chunk, i: number): boolean {
  if (!c.bits) return true;
  const bit = c.data.offset + i;
  return (c.bits[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

function readInt32(c: Chunk): void {
  const values = c.data.values as Int32Array;
  for (let i = 0; i < c.out.length; i++) c.out[i] = validAt(c, i) ? values[i]! : null;
}

function readUtf8(c: Chunk): void {
  const offsets = c.data.valueOffsets as Int32Array;
  const bytes = c.data.values as Uint8Array;
  for (let i = 0; i < c.out.length; i++) {
    c.i = i;
    c.out[i] = validAt(c, i) ? decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!)) : null;
  }
}

function readBool(c: Chunk): void {
  const values = c.data.values as Uint8Array;
  for (let i = 0; i < c.out.length; i++) {
    const bit = c.data.offset + i;
    c.out[i] = validAt(c, i) ? (values[bit >> 3]! & (1 << (bit & 7))) !== 0 : null;
  }
}

function readDecimal(c: Chunk): void {
  const values = c.data.values as Uint32Array;
  const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
  for (let i = 0; i < c.out.length; i++) {
    c.i = i;
    if (!validAt(c, i)) {
      c.out[i] = null;
      continue;
    }
    const low = view.getBigInt64(i * 16, true);
    const high = view.getBigInt64(i * 16 + 8, true);
    if (high !== (low < 0n ? -1n : 0n)) throw new Error("decimal beyond 64 bits");
    c.out[i] = formatDecimal(low);
  }
}

function readDate32(c: Chunk): void {
  const values = c.data.values as Int32Array;
  const texts = new Map<number, string>(); // dates repeat a lot within a batch
  for (let i = 0; i < c.out.length; i++) {
    c.i = i;
    if (!validAt(c, i)) {
      c.out[i] = null;
      continue;
    }
    const day = values[i]!;
    let text = texts.get(day);
    if (text === undefined) texts.set(day, text = formatDate(day));
    c.out[i] = text;
  }
}

function readTime64(c: Chunk): void {
  const values = c.data.values as BigInt64Array;
  const low = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const high = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  for (let i = 0; i < c.out.length; i++) {
    c.i = i;
    if (!validAt(c, i)) {
      c.out[i] = null;
      continue;
    }
    const hi = high[2 * i + 1]!;
    const micros = hi * TWO_32 + low[2 * i]!; // exact: checked below to be under 2^37
    if (hi < 0 || micros >= MICROS_PER_DAY) formatTime(values[i]!); // throws with the value
    c.out[i] = formatTimeMicros(micros);
  }
}

function readTimestamp(c: Chunk): void {
  const values = c.data.values as BigInt64Array;
  for (let i = 0; i < c.out.length; i++) {
    c.i = i;
    c.out[i] = validAt(c, i) ? formatTimestamp(values[i]!) : null;
  }
}

const READERS: Record<Column["type"], (c: Chunk) => void> = {
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
  const chunk: Chunk = { data, bits, out: new Array<WarehouseValue>(data.length), i: 0 };
  try {
    READERS[column.type](chunk);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot decode ${column.name} (value ${chunk.i}): ${message}`, { cause: error });
  }
  return chunk.out;
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
