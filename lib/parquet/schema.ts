/**
 * Explicit Arrow schemas for warehouse tables (never inferred from data), per docs/design.md section 4.
 *
 * @module
 */
import * as arrow from "apache-arrow";
import type { Column, ColumnType } from "../contract/warehouse.ts";

import { DECIMAL_PRECISION, DECIMAL_SCALE } from "../values/mod.ts";

export { DECIMAL_PRECISION, DECIMAL_SCALE };

/**
 * The Arrow data type of a warehouse column type.
 *
 * Takes a {@link ColumnType}; returns a fresh Arrow type: `int32` → Int32, `utf8` → Utf8, `decimal` →
 * Decimal128(12, 2), `date32` → Date32 (days), `time64us` → Time64 (microseconds), `timestamp_us` → Timestamp
 * (microseconds, no time zone), `bool` → Bool. Throws an Error on an unknown type name.
 *
 * @example
 * ```ts
 * arrowType("decimal").toString(); // "Decimal[12e+2]"
 * ```
 */
export function arrowType(type: ColumnType): arrow.DataType {
  switch (type) {
    case "int32":
      return new arrow.Int32();
    case "utf8":
      return new arrow.Utf8();
    case "decimal":
      return new arrow.Decimal(DECIMAL_SCALE, DECIMAL_PRECISION, 128);
    case "date32":
      return new arrow.DateDay();
    case "time64us":
      return new arrow.TimeMicrosecond();
    case "timestamp_us":
      return new arrow.TimestampMicrosecond();
    case "bool":
      return new arrow.Bool();
    default:
      throw new Error(`Unknown column type ${JSON.stringify(type satisfies never)}`);
  }
}

/**
 * The Arrow schema of a warehouse table's columns.
 *
 * Takes the columns in file order (a table contract's `columns`); returns a schema with one field per column, in
 * the same order, typed by {@link arrowType} and nullable exactly where the column is. Throws an Error on a
 * duplicate column name or an unknown type.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { arrowSchema } from "./schema.ts";
 * import { WAREHOUSE_TABLES } from "../contract/mod.ts";
 * const schema = arrowSchema(WAREHOUSE_TABLES.dim_currency.columns);
 * assert.equal(schema.fields[0]!.name, "currency_id");
 * ```
 */
export function arrowSchema(columns: readonly Column[]): arrow.Schema {
  const seen = new Set<string>();
  const fields = columns.map((column) => {
    if (seen.has(column.name)) throw new Error(`Duplicate column ${JSON.stringify(column.name)}`);
    seen.add(column.name);
    return new arrow.Field(column.name, arrowType(column.type), column.nullable);
  });
  return new arrow.Schema(fields);
}

/**
 * Whether an Arrow type found in a file is exactly the type a warehouse column needs (kind, unit, bit width,
 * precision and scale, and no time zone on timestamps).
 *
 * Takes the column type and the Arrow type read from a file; returns true when they match.
 */
export function isArrowTypeOf(type: ColumnType, found: arrow.DataType): boolean {
  switch (type) {
    case "int32":
      return arrow.DataType.isInt(found) && found.bitWidth === 32 && found.isSigned;
    case "utf8":
      return arrow.DataType.isUtf8(found);
    case "decimal":
      return arrow.DataType.isDecimal(found) && found.precision === DECIMAL_PRECISION &&
        found.scale === DECIMAL_SCALE && found.bitWidth === 128;
    case "date32":
      return arrow.DataType.isDate(found) && found.unit === arrow.DateUnit.DAY;
    case "time64us":
      return arrow.DataType.isTime(found) && found.unit === arrow.TimeUnit.MICROSECOND &&
        found.bitWidth === 64;
    case "timestamp_us":
      return arrow.DataType.isTimestamp(found) && found.unit === arrow.TimeUnit.MICROSECOND &&
        !found.timezone;
    case "bool":
      return arrow.DataType.isBool(found);
    default:
      return false;
  }
}
