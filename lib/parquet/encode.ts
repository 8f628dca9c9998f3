/**
 * Column builders: warehouse values in their in-memory forms (text and numbers, see `ColumnType` in
 * ../contract/warehouse.ts) to Arrow data, exactly. Values are converted by lib/values (decimals to unscaled
 * integers, dates to days since 1970-01-01, times and timestamps to microseconds); Arrow vectors are built
 * directly from typed arrays (Arrow JS's builders would go through JS `Date` and lose microseconds).
 *
 * @module
 */
import * as arrow from "apache-arrow";
import type { Column, WarehouseRow } from "../contract/warehouse.ts";
import { parseDate, parseDecimal, parseTimeMicros, parseTimestamp } from "../values/mod.ts";
import { arrowSchema, arrowType } from "./schema.ts";

/** A warehouse value in its in-memory form. */
export type WarehouseValue = WarehouseRow[string];

const TWO_32 = 0x1_0000_0000;
const encoder = new TextEncoder();

function fail(column: string, value: unknown, reason: string): never {
  throw new Error(`Cannot encode ${column} ${JSON.stringify(value)}: ${reason}`);
}

const EXPECTED: Record<Column["type"], string> = {
  int32: "a 32-bit integer",
  utf8: "a string",
  bool: "a boolean",
  decimal: "decimal text like 3.25",
  date32: "date text YYYY-MM-DD",
  time64us: "time text HH:MM:SS.ffffff",
  timestamp_us: "timestamp text YYYY-MM-DD HH:MM:SS.ffffff",
};

/** One column's values being read from rows: the row reached (for messages) and the validity bitmap. */
class Cursor {
  /** The row being converted. */
  i = 0;
  /** Validity bitmap, filled lazily: stays `undefined` while every value is present. */
  bits: Uint8Array | undefined;
  nulls = 0;
  readonly n: number;
  private readonly name: string;
  private readonly nullable: boolean;
  constructor(readonly column: Column, private readonly rows: readonly WarehouseRow[]) {
    this.n = rows.length;
    this.name = column.name;
    this.nullable = column.nullable;
  }

  /** The value of row `i`: `undefined` for a null (recorded), an Error when missing or not nullable. */
  value(i: number): string | number | boolean | undefined {
    this.i = i;
    const v = this.rows[i]![this.name];
    if (v !== null && v !== undefined) return v;
    return this.absent(i, v);
  }

  private absent(i: number, v: null | undefined): undefined {
    if (v === undefined) throw new Error(`Cannot encode ${this.name}: missing value`);
    if (!this.nullable) throw new Error(`Cannot encode ${this.name} null: column is not nullable`);
    if (!this.bits) this.bits = new Uint8Array((this.n + 7) >> 3).fill(0xff);
    this.bits[i >> 3]! &= ~(1 << (i & 7));
    this.nulls++;
    return undefined;
  }

  /** Throws: the value is not of the column's kind. */
  wrong(v: unknown): never {
    fail(this.column.name, v, `expected ${EXPECTED[this.column.type]}`);
  }

  /** The Arrow data of the column's type from its value buffers and this cursor's validity. */
  data(props: Record<string, unknown>): arrow.Data {
    const type = arrowType(this.column.type);
    return arrow.makeData(
      { type, length: this.n, nullBitmap: this.bits, nullCount: this.nulls, ...props } as never,
    );
  }
}

function buildInt32(c: Cursor): arrow.Data {
  const data = new Int32Array(c.n);
  for (let i = 0; i < c.n; i++) {
    const v = c.value(i);
    if (v === undefined) continue;
    if (typeof v !== "number" || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) c.wrong(v);
    data[i] = v;
  }
  return c.data({ data });
}

function buildUtf8(c: Cursor): arrow.Data {
  const offsets = new Int32Array(c.n + 1);
  let bytes = new Uint8Array(Math.max(64, c.n * 16));
  let end = 0;
  for (let i = 0; i < c.n; i++) {
    const v = c.value(i);
    if (v !== undefined) {
      if (typeof v !== "string") c.wrong(v);
      if (!v.isWellFormed()) fail(c.column.name, v, "not well-formed Unicode (lone surrogate)");
      for (;;) {
        const { read, written } = encoder.encodeInto(v, bytes.subarray(end));
        if (read === v.length) {
          end += written;
          break;
        }
        const grown = new Uint8Array(Math.max(bytes.length * 2, end + v.length * 3));
        grown.set(bytes.subarray(0, end));
        bytes = grown;
      }
      if (end > 0x7fffffff) fail(c.column.name, "…", "more than 2 GiB of text in one batch");
    }
    offsets[i + 1] = end;
  }
  return c.data({ valueOffsets: offsets, data: bytes.subarray(0, end) });
}

function buildBool(c: Cursor): arrow.Data {
  const data = new Uint8Array((c.n + 7) >> 3);
  for (let i = 0; i < c.n; i++) {
    const v = c.value(i);
    if (v === undefined) continue;
    if (typeof v !== "boolean") c.wrong(v);
    if (v) data[i >> 3]! |= 1 << (i & 7);
  }
  return c.data({ data });
}

function buildDecimal(c: Cursor): arrow.Data {
  const data = new Uint32Array(c.n * 4);
  const view = new DataView(data.buffer);
  for (let i = 0; i < c.n; i++) {
    const v = c.value(i);
    if (v === undefined) continue;
    if (typeof v !== "string") c.wrong(v);
    const unscaled = parseDecimal(v, c.column.name);
    // 128-bit little-endian two's complement: the low 64 bits hold the value, the high 64 its sign.
    view.setBigInt64(i * 16, unscaled, true);
    view.setBigInt64(i * 16 + 8, unscaled < 0n ? -1n : 0n, true);
  }
  return c.data({ data });
}

function buildDate32(c: Cursor): arrow.Data {
  const data = new Int32Array(c.n);
  const days = new Map<string, number>(); // dates repeat a lot within a batch
  for (let i = 0; i < c.n; i++) {
    const v = c.value(i);
    if (v === undefined) continue;
    if (typeof v !== "string") c.wrong(v);
    let day = days.get(v);
    if (day === undefined) days.set(v, day = parseDate(v, c.column.name));
    data[i] = day;
  }
  return c.data({ data });
}

function buildTime64(c: Cursor): arrow.Data {
  const data = new BigInt64Array(c.n);
  const words = new Uint32Array(data.buffer); // little-endian 32-bit halves, to avoid a bigint per value
  for (let i = 0; i < c.n; i++) {
    const v = c.value(i);
    if (v === undefined) continue;
    if (typeof v !== "string") c.wrong(v);
    const micros = parseTimeMicros(v, c.column.name); // an integer below 2^37
    const low = micros % TWO_32;
    words[2 * i] = low;
    words[2 * i + 1] = (micros - low) / TWO_32;
  }
  return c.data({ data });
}

function buildTimestamp(c: Cursor): arrow.Data {
  const data = new BigInt64Array(c.n);
  for (let i = 0; i < c.n; i++) {
    const v = c.value(i);
    if (v === undefined) continue;
    if (typeof v !== "string") c.wrong(v);
    data[i] = parseTimestamp(v, c.column.name);
  }
  return c.data({ data });
}

const BUILDERS: Record<Column["type"], (c: Cursor) => arrow.Data> = {
  int32: buildInt32,
  utf8: buildUtf8,
  bool: buildBool,
  decimal: buildDecimal,
  date32: buildDate32,
  time64us: buildTime64,
  timestamp_us: buildTimestamp,
};

/**
 * Builds the Arrow data of one column from rows.
 *
 * Takes the column, the rows (each must have a value for the column: `null` only where the column is nullable)
 * and the number of the first row, used in error messages; returns Arrow data of `rows.length` values typed as
 * {@link arrowType} gives.
 *
 * @throws Error naming the column and row (`(row N)` at the end) and quoting the value when a value is missing,
 *   `null` in a non-nullable column, of the wrong kind, or not convertible exactly (see lib/values).
 */
export function buildColumnData(column: Column, rows: readonly WarehouseRow[], firstRow = 0): arrow.Data {
  const cursor = new Cursor(column, rows);
  try {
    return BUILDERS[column.type](cursor);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message} (row ${firstRow + cursor.i})`, { cause: error });
  }
}

/**
 * Builds an Arrow record batch from rows, with the schema {@link arrowSchema} gives.
 *
 * Takes the columns in file order, the rows and the number of the first row (for error messages); returns a
 * record batch of `rows.length` rows. Throws as {@link buildColumnData} does.
 */
export function buildRecordBatch(
  columns: readonly Column[],
  rows: readonly WarehouseRow[],
  firstRow = 0,
): arrow.RecordBatch {
  const schema = arrowSchema(columns);
  const children = columns.map((column) => buildColumnData(column, rows, firstRow));
  const data = arrow.makeData({
    type: new arrow.Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children,
  });
  return new arrow.RecordBatch(schema, data);
}
