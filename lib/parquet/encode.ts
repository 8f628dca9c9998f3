/**
 * Exact conversions between warehouse values (text and numbers, see `ColumnType` in ../contract/warehouse.ts)
 * and the Arrow physical forms, and the column builders and readers that apply them to whole record batches.
 *
 * No JS `Date` and no fractional arithmetic: decimals are unscaled bigint integers, dates are days since 1970-01-01
 * by integer civil-calendar arithmetic, times and timestamps are microseconds (bigint in the API; inside, a time of
 * day is also handled as a JS number, an integer below 2^37 and so exact). Arrow vectors are built directly from
 * typed arrays and read back from their raw buffers (Arrow JS's `.get()` turns dates and timestamps into epoch
 * milliseconds and would lose microseconds).
 *
 * @module
 */
import * as arrow from "apache-arrow";
import type { Column, WarehouseRow } from "../contract/warehouse.ts";
import { arrowSchema, arrowType } from "./schema.ts";
import { civilFromDays, daysFromCivil } from "../time.ts";

/** A warehouse value in its in-memory form. */
export type WarehouseValue = WarehouseRow[string];

const MICROS_PER_SECOND = 1_000_000;
const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_DAY_BIG = 86_400_000_000n;
const TWO_32 = 0x1_0000_0000;
/** Largest unscaled decimal(12,2) magnitude: 9999999999.99. */
const MAX_UNSCALED = 999_999_999_999n;
/** 0001-01-01 and 9999-12-31 in days since 1970-01-01: the range written as `YYYY-MM-DD`. */
const MIN_DAYS = -719_162;
const MAX_DAYS = 2_932_896;

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

function fail(column: string, value: unknown, reason: string): never {
  throw new Error(`Cannot encode ${column} ${JSON.stringify(value)}: ${reason}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Decimal

/**
 * Parses exact decimal text into its unscaled decimal(12,2) integer: `"3.25"` → `325n`, `"-0.01"` → `-1n`,
 * `"7"` → `700n`, `"7.5"` → `750n`.
 *
 * Takes the text (optional `-`, digits, optionally `.` and 1 or 2 digits) and the column name for messages;
 * returns the value times 100 as a bigint. Throws an Error naming the column and quoting the text when it is not
 * decimal text, has more than 2 decimal places (`"2.675"`: never rounded), or is outside ±9999999999.99.
 */
export function parseDecimal(text: string, column = "value"): bigint {
  const m = DECIMAL_RE.exec(text);
  if (!m) {
    if (/^-?\d+\.\d{3,}$/.test(text)) fail(column, text, "more than 2 decimal places");
    fail(column, text, "not decimal text like 3.25");
  }
  const unscaled = BigInt(`${m[1]}${m[2]}${(m[3] ?? "").padEnd(2, "0")}`);
  if (unscaled > MAX_UNSCALED || unscaled < -MAX_UNSCALED) {
    fail(column, text, "out of range for decimal(12,2)");
  }
  return unscaled;
}

/**
 * Formats an unscaled decimal(12,2) integer as canonical text with exactly 2 decimals: `325n` → `"3.25"`,
 * `-1n` → `"-0.01"`, `0n` → `"0.00"`.
 *
 * Takes the value times 100; returns the text. Throws an Error when the value is outside ±9999999999.99.
 */
export function formatDecimal(unscaled: bigint): string {
  if (unscaled > MAX_UNSCALED || unscaled < -MAX_UNSCALED) {
    throw new Error(`Cannot decode decimal ${unscaled}: out of range for decimal(12,2)`);
  }
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(3, "0");
  return `${negative ? "-" : ""}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates (proleptic Gregorian; Howard Hinnant's days_from_civil / civil_from_days, integer arithmetic only)

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month]!;
}

/** The integer of `count` ASCII digits of `text` from `start`, or -1 when one of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let k = start; k < start + count; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    n = n * 10 + digit;
  }
  return n;
}

const DASH = 45;
const COLON = 58;
const POINT = 46;
const SPACE = 32;

/**
 * Days since 1970-01-01 of the `YYYY-MM-DD` at `start` of `text`: `undefined` when malformed; throws when it is
 * not a calendar date.
 */
function dateAt(column: string, text: string, start: number): number | undefined {
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 5, 2);
  const day = digitsAt(text, start + 8, 2);
  if (
    year < 0 || month < 0 || day < 0 || text.charCodeAt(start + 4) !== DASH ||
    text.charCodeAt(start + 7) !== DASH
  ) {
    return undefined;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    fail(column, text, "not a calendar date");
  }
  return daysFromCivil(year, month, day);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `"00"` to `"99"`. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => pad(n, 2));

/**
 * Parses a date `"YYYY-MM-DD"` into days since 1970-01-01: `"1970-01-01"` → 0, `"1969-12-31"` → -1.
 *
 * Takes the text (years 0001–9999) and the column name for messages; returns the day number (Arrow date32).
 * Throws an Error naming the column and quoting the text when it is not in that form or not a calendar date
 * (`"2024-02-30"`, `"2023-02-29"`).
 */
export function parseDate(text: string, column = "value"): number {
  const days = text.length === 10 ? dateAt(column, text, 0) : undefined;
  if (days === undefined) fail(column, text, "not a date YYYY-MM-DD");
  return days;
}

/**
 * Formats days since 1970-01-01 as `"YYYY-MM-DD"`: 0 → `"1970-01-01"`, 19_782 → `"2024-02-29"`.
 *
 * Takes an integer day number between 0001-01-01 (-719162) and 9999-12-31 (2932896); returns the text. Throws an
 * Error outside that range or on a non-integer.
 */
export function formatDate(days: number): string {
  if (!Number.isInteger(days) || days < MIN_DAYS || days > MAX_DAYS) {
    throw new Error(`Cannot decode date ${days}: not a day between 0001-01-01 and 9999-12-31`);
  }
  const [year, month, day] = civilFromDays(days);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Times and timestamps

const FRACTION_SCALE = [1, 100_000, 10_000, 1000, 100, 10, 1];

/**
 * Microseconds since midnight of the `HH:MM:SS[.f{1,6}]` from `start` to the end of `text`, as an integer number
 * (< 86_400_000_000, so exact): `undefined` when malformed; throws when it is not a time of day.
 */
function timeAt(column: string, text: string, start: number): number | undefined {
  const length = text.length - start;
  const fractionDigits = length - 9;
  if (length !== 8 && !(fractionDigits >= 1 && fractionDigits <= 6)) return undefined;
  const hours = digitsAt(text, start, 2);
  const minutes = digitsAt(text, start + 3, 2);
  const seconds = digitsAt(text, start + 6, 2);
  const fraction = length === 8 ? 0 : digitsAt(text, start + 9, fractionDigits);
  if (
    hours < 0 || minutes < 0 || seconds < 0 || fraction < 0 || text.charCodeAt(start + 2) !== COLON ||
    text.charCodeAt(start + 5) !== COLON || (length > 8 && text.charCodeAt(start + 8) !== POINT)
  ) {
    return undefined;
  }
  if (hours > 23 || minutes > 59 || seconds > 59) fail(column, text, "not a time of day");
  return ((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND +
    fraction * FRACTION_SCALE[length === 8 ? 0 : fractionDigits]!;
}

/** Parses a time of day into microseconds since midnight as an exact integer number (see {@link parseTime}). */
function parseTimeMicros(text: string, column: string): number {
  const micros = timeAt(column, text, 0);
  if (micros === undefined) fail(column, text, "not a time HH:MM:SS.ffffff");
  return micros;
}

/** Formats microseconds since midnight, given as an integer number in [0, 86_400_000_000). */
function formatTimeMicros(micros: number): string {
  const fraction = micros % MICROS_PER_SECOND;
  const totalSeconds = (micros - fraction) / MICROS_PER_SECOND;
  const seconds = totalSeconds % 60;
  const totalMinutes = (totalSeconds - seconds) / 60;
  const minutes = totalMinutes % 60;
  const hours = (totalMinutes - minutes) / 60;
  return `${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${pad(fraction, 6)}`;
}

/**
 * Parses a time of day `"HH:MM:SS.ffffff"` into microseconds since midnight: `"00:00:01.5"` → `1_500_000n`.
 *
 * Takes the text (0 to 6 fractional digits, the point omitted with none; hours 00–23) and the column name for
 * messages; returns bigint microseconds (Arrow time64(us)). Throws an Error naming the column and quoting the text
 * when it is not a time of day.
 */
export function parseTime(text: string, column = "value"): bigint {
  return BigInt(parseTimeMicros(text, column));
}

/**
 * Formats microseconds since midnight as `"HH:MM:SS.ffffff"`, always with 6 fractional digits:
 * `0n` → `"00:00:00.000000"`.
 *
 * Takes bigint microseconds in [0, 86_400_000_000); returns the text. Throws an Error outside that range.
 */
export function formatTime(micros: bigint): string {
  if (micros < 0n || micros >= MICROS_PER_DAY_BIG) {
    throw new Error(`Cannot decode time ${micros}: not microseconds within a day`);
  }
  return formatTimeMicros(Number(micros));
}

/**
 * Parses a timestamp `"YYYY-MM-DD HH:MM:SS.ffffff"` (UTC, no zone) into microseconds since 1970-01-01 00:00:00:
 * `"1970-01-01 00:00:00.000001"` → `1n`.
 *
 * Takes the text (0 to 6 fractional digits) and the column name for messages; returns bigint epoch microseconds
 * (Arrow timestamp(us), no time zone). Throws an Error naming the column and quoting the text when it is not in
 * that form, not a calendar date or not a time of day.
 */
export function parseTimestamp(text: string, column = "value"): bigint {
  const days = text.length >= 19 && text.charCodeAt(10) === SPACE ? dateAt(column, text, 0) : undefined;
  const micros = days === undefined ? undefined : timeAt(column, text, 11);
  if (days === undefined || micros === undefined) {
    fail(column, text, "not a timestamp YYYY-MM-DD HH:MM:SS.ffffff");
  }
  return BigInt(days) * MICROS_PER_DAY_BIG + BigInt(micros);
}

/**
 * Formats epoch microseconds as `"YYYY-MM-DD HH:MM:SS.ffffff"`, always with 6 fractional digits:
 * `-1n` → `"1969-12-31 23:59:59.999999"`.
 *
 * Takes bigint microseconds since 1970-01-01 00:00:00 (UTC); returns the text. Throws an Error when the date is
 * outside 0001-01-01..9999-12-31.
 */
export function formatTimestamp(micros: bigint): string {
  let days = micros / MICROS_PER_DAY_BIG;
  let rest = micros % MICROS_PER_DAY_BIG;
  if (rest < 0n) {
    rest += MICROS_PER_DAY_BIG;
    days -= 1n;
  }
  if (days < BigInt(MIN_DAYS) || days > BigInt(MAX_DAYS)) {
    throw new Error(`Cannot decode timestamp ${micros}: not within 0001-01-01..9999-12-31`);
  }
  return `${formatDate(Number(days))} ${formatTimeMicros(Number(rest))}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Column builders (rows → Arrow Data)

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Validity bitmap filled lazily: stays `undefined` while every value is present. */
class Validity {
  bits: Uint8Array | undefined;
  nulls = 0;
  constructor(readonly length: number) {}
  setNull(i: number): void {
    if (!this.bits) this.bits = new Uint8Array((this.length + 7) >> 3).fill(0xff);
    this.bits[i >> 3]! &= ~(1 << (i & 7));
    this.nulls++;
  }
}

function expected(column: Column): string {
  switch (column.type) {
    case "int32":
      return "a 32-bit integer";
    case "utf8":
      return "a string";
    case "bool":
      return "a boolean";
    case "decimal":
      return "decimal text like 3.25";
    case "date32":
      return "date text YYYY-MM-DD";
    case "time64us":
      return "time text HH:MM:SS.ffffff";
    case "timestamp_us":
      return "timestamp text YYYY-MM-DD HH:MM:SS.ffffff";
  }
}

/**
 * Builds the Arrow data of one column from rows.
 *
 * Takes the column, the rows (each must have a value for the column: `null` only where the column is nullable)
 * and the number of the first row, used in error messages; returns Arrow data of `rows.length` values typed as
 * {@link arrowType} gives. Throws an Error naming the column and row and quoting the value when a value is
 * missing, `null` in a non-nullable column, of the wrong kind, or not convertible exactly (see the parse
 * functions).
 */
export function buildColumnData(column: Column, rows: readonly WarehouseRow[], firstRow = 0): arrow.Data {
  const n = rows.length;
  const name = column.name;
  const validity = new Validity(n);
  let i = 0;
  const value = (): string | number | boolean | undefined => {
    const v = rows[i]![name];
    if (v === null || v === undefined) {
      if (v === undefined) throw new Error(`Cannot encode ${name}: missing value`);
      if (!column.nullable) throw new Error(`Cannot encode ${name} null: column is not nullable`);
      validity.setNull(i);
      return undefined;
    }
    return v;
  };
  const wrong: (v: unknown) => never = (v) => fail(name, v, `expected ${expected(column)}`);
  const type = arrowType(column.type);
  try {
    switch (column.type) {
      case "int32": {
        const data = new Int32Array(n);
        for (; i < n; i++) {
          const v = value();
          if (v === undefined) continue;
          if (typeof v !== "number" || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) wrong(v);
          data[i] = v;
        }
        return arrow.makeData({
          type: type as arrow.Int32,
          data,
          nullBitmap: validity.bits,
          nullCount: validity.nulls,
        });
      }
      case "utf8": {
        const offsets = new Int32Array(n + 1);
        let bytes = new Uint8Array(Math.max(64, n * 16));
        let end = 0;
        for (; i < n; i++) {
          const v = value();
          if (v !== undefined) {
            if (typeof v !== "string") wrong(v);
            if (!v.isWellFormed()) fail(name, v, "not well-formed Unicode (lone surrogate)");
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
            if (end > 0x7fffffff) fail(name, "…", "more than 2 GiB of text in one batch");
          }
          offsets[i + 1] = end;
        }
        return arrow.makeData({
          type: type as arrow.Utf8,
          valueOffsets: offsets,
          data: bytes.subarray(0, end),
          nullBitmap: validity.bits,
          nullCount: validity.nulls,
        });
      }
      case "bool": {
        const data = new Uint8Array((n + 7) >> 3);
        for (; i < n; i++) {
          const v = value();
          if (v === undefined) continue;
          if (typeof v !== "boolean") wrong(v);
          if (v) data[i >> 3]! |= 1 << (i & 7);
        }
        return arrow.makeData({
          type: type as arrow.Bool,
          data,
          length: n,
          nullBitmap: validity.bits,
          nullCount: validity.nulls,
        });
      }
      case "decimal": {
        const data = new Uint32Array(n * 4);
        const view = new DataView(data.buffer);
        for (; i < n; i++) {
          const v = value();
          if (v === undefined) continue;
          if (typeof v !== "string") wrong(v);
          const unscaled = parseDecimal(v, name);
          // 128-bit little-endian two's complement: the low 64 bits hold the value, the high 64 its sign.
          view.setBigInt64(i * 16, unscaled, true);
          view.setBigInt64(i * 16 + 8, unscaled < 0n ? -1n : 0n, true);
        }
        return arrow.makeData({
          type: type as arrow.Decimal,
          data,
          length: n,
          nullBitmap: validity.bits,
          nullCount: validity.nulls,
        });
      }
      case "date32": {
        const data = new Int32Array(n);
        const days = new Map<string, number>(); // dates repeat a lot within a batch
        for (; i < n; i++) {
          const v = value();
          if (v === undefined) continue;
          if (typeof v !== "string") wrong(v);
          let day = days.get(v);
          if (day === undefined) days.set(v, day = parseDate(v, name));
          data[i] = day;
        }
        return arrow.makeData({
          type: type as arrow.DateDay,
          data,
          nullBitmap: validity.bits,
          nullCount: validity.nulls,
        });
      }
      case "time64us": {
        const data = new BigInt64Array(n);
        const words = new Uint32Array(data.buffer); // little-endian 32-bit halves, to avoid a bigint per value
        for (; i < n; i++) {
          const v = value();
          if (v === undefined) continue;
          if (typeof v !== "string") wrong(v);
          const micros = parseTimeMicros(v, name); // an integer below 2^37
          const low = micros % TWO_32;
          words[2 * i] = low;
          words[2 * i + 1] = (micros - low) / TWO_32;
        }
        return arrow.makeData({
          type: type as arrow.TimeMicrosecond,
          data,
          nullBitmap: validity.bits,
          nullCount: validity.nulls,
        });
      }
      case "timestamp_us": {
        const data = new BigInt64Array(n);
        for (; i < n; i++) {
          const v = value();
          if (v === undefined) continue;
          if (typeof v !== "string") wrong(v);
          data[i] = parseTimestamp(v, name);
        }
        return arrow.makeData({
          type: type as arrow.TimestampMicrosecond,
          data,
          nullBitmap: validity.bits,
          nullCount: validity.nulls,
        });
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message} (row ${firstRow + i})`, { cause: error });
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

// ---------------------------------------------------------------------------------------------------------------
// Column readers (Arrow Data → values)

/** Whether value `i` of `data` is valid (non-null), from the raw validity bitmap (bit offset `data.offset`). */
function validAt(data: arrow.Data, bits: Uint8Array | undefined, i: number): boolean {
  if (!bits) return true;
  const bit = data.offset + i;
  return (bits[bit >> 3]! & (1 << (bit & 7))) !== 0;
}

/**
 * Reads the values of one column from Arrow data, from its raw buffers (so microseconds are kept).
 *
 * Takes the column and one chunk of Arrow data of the column's type (sliced data is handled: validity and boolean
 * bits start at bit `data.offset`; other buffers are already sliced by Arrow JS); returns `data.length` values in
 * the in-memory forms of `ColumnType`, `null` where the value is null. Throws an Error naming the column when the
 * data has nulls in a non-nullable column, or a value cannot be represented (invalid UTF-8, a decimal beyond
 * decimal(12,2), a date outside 0001–9999, a time outside a day).
 */
export function readColumnData(column: Column, data: arrow.Data): WarehouseValue[] {
  const n = data.length;
  const bits = data.nullCount > 0 ? data.nullBitmap : undefined;
  if (bits && !column.nullable) {
    throw new Error(`Cannot decode ${column.name}: nulls in a non-nullable column`);
  }
  const out = new Array<WarehouseValue>(n);
  let i = 0;
  try {
    switch (column.type) {
      case "int32": {
        const values = data.values as Int32Array;
        for (; i < n; i++) out[i] = validAt(data, bits, i) ? values[i]! : null;
        break;
      }
      case "utf8": {
        const offsets = data.valueOffsets as Int32Array;
        const bytes = data.values as Uint8Array;
        for (; i < n; i++) {
          out[i] = validAt(data, bits, i)
            ? decoder.decode(bytes.subarray(offsets[i]!, offsets[i + 1]!))
            : null;
        }
        break;
      }
      case "bool": {
        const values = data.values as Uint8Array;
        for (; i < n; i++) {
          const bit = data.offset + i;
          out[i] = validAt(data, bits, i) ? (values[bit >> 3]! & (1 << (bit & 7))) !== 0 : null;
        }
        break;
      }
      case "decimal": {
        const values = data.values as Uint32Array;
        const view = new DataView(values.buffer, values.byteOffset, values.byteLength);
        for (; i < n; i++) {
          if (!validAt(data, bits, i)) {
            out[i] = null;
            continue;
          }
          const low = view.getBigInt64(i * 16, true);
          const high = view.getBigInt64(i * 16 + 8, true);
          if (high !== (low < 0n ? -1n : 0n)) throw new Error("decimal beyond 64 bits");
          out[i] = formatDecimal(low);
        }
        break;
      }
      case "date32": {
        const values = data.values as Int32Array;
        const texts = new Map<number, string>(); // dates repeat a lot within a batch
        for (; i < n; i++) {
          if (!validAt(data, bits, i)) {
            out[i] = null;
            continue;
          }
          const day = values[i]!;
          let text = texts.get(day);
          if (text === undefined) texts.set(day, text = formatDate(day));
          out[i] = text;
        }
        break;
      }
      case "time64us": {
        const values = data.values as BigInt64Array;
        const low = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
        const high = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
        for (; i < n; i++) {
          if (!validAt(data, bits, i)) {
            out[i] = null;
            continue;
          }
          const hi = high[2 * i + 1]!;
          const micros = hi * TWO_32 + low[2 * i]!; // exact: checked below to be under 2^37
          if (hi < 0 || micros >= MICROS_PER_DAY) formatTime(values[i]!); // throws with the value
          out[i] = formatTimeMicros(micros);
        }
        break;
      }
      case "timestamp_us": {
        const values = data.values as BigInt64Array;
        for (; i < n; i++) out[i] = validAt(data, bits, i) ? formatTimestamp(values[i]!) : null;
        break;
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot decode ${column.name} (value ${i}): ${message}`, { cause: error });
  }
  return out;
}

/**
 * Reads an Arrow record batch (or table) into warehouse rows.
 *
 * Takes the columns to read (looked up by name; the caller has checked their types) and the batch; returns one
 * plain object per row with the columns in the given order. Throws an Error naming the column when a column is
 * absent or a value cannot be read (see {@link readColumnData}).
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
