/**
 * The warehouse's column model: each column's Arrow/Parquet type, nullability, warehouse SQL type (numeric
 * precision included), the foreign key it is, and the ToteSys column its value comes from.
 *
 * @module
 */
import { DECIMAL_PRECISION, DECIMAL_SCALE } from "../values/decimal.ts";
import type { WarehouseTableName } from "./warehouse.ts";

/**
 * Type of a warehouse column and its in-memory form:
 * - `int32`: JS number (integer)
 * - `utf8`: string
 * - `decimal`: string with the exact decimal text, scale 2 (`"3.25"`); Parquet decimal128(12,2)
 *   ({@link PARQUET_DECIMAL})
 * - `date32`: string `"YYYY-MM-DD"`
 * - `time64us`: string `"HH:MM:SS.ffffff"` (microseconds)
 * - `timestamp_us`: string `"YYYY-MM-DD HH:MM:SS.ffffff"` (UTC, no zone)
 * - `bool`: boolean
 */
export type ColumnType = "int32" | "utf8" | "decimal" | "date32" | "time64us" | "timestamp_us" | "bool";

/**
 * Precision and scale of the Parquet/Arrow decimal every money column travels as (docs/design.md section 4):
 * decimal128(12, 2), so any warehouse money column's value fits, with an exact round trip.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PARQUET_DECIMAL } from "./columns.ts";
 * assert(PARQUET_DECIMAL.precision === 12 && PARQUET_DECIMAL.scale === 2);
 * ```
 */
export const PARQUET_DECIMAL: Readonly<{ precision: number; scale: number }> = {
  precision: DECIMAL_PRECISION,
  scale: DECIMAL_SCALE,
};

/** A column of a warehouse table. */
export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

/** The warehouse row a foreign key column points to: a table and its key column. */
export interface ColumnReference {
  table: WarehouseTableName;
  column: string;
}

/**
 * Where a column's value comes from in ToteSys, relative to the source row of its table
 * ({@link WarehouseTable.source}):
 * - `{ column }`: that row's column, copied;
 * - `{ column, part }`: the UTC date or the time of day of that row's timestamp column;
 * - `{ column, via }`: a column of the row that the source row's foreign key `via` references (the referenced
 *   table is the source contract's `references[via]`), e.g. a staff row's department name.
 */
export interface ColumnSource {
  column: string;
  part?: "date" | "time";
  via?: string;
}

/**
 * A warehouse column with what it means: the one place column descriptions come from (the `COMMENT ON COLUMN`
 * statements of migration 4 and docs/warehouse.md are generated from it, and a test checks the migrated catalog
 * against it), and with what the warehouse DDL declares for it.
 */
export interface DescribedColumn extends Column {
  /** What the column means, one or two sentences (becomes the column's `COMMENT`). */
  description: string;
  /** The foreign key this column is in the warehouse, if any. */
  references?: ColumnReference;
  /** Where its value comes from in ToteSys; absent when the transform derives it (a version, a name, a date). */
  source?: ColumnSource;
  /** A `decimal` column's declared precision and scale (`numeric(10,2)`); absent: unconstrained `numeric`. */
  numeric?: Readonly<{ precision: number; scale: number }>;
  /** The warehouse SQL type when it is not the default for {@link Column.type} (see {@link sqlTypeOf}). */
  sqlType?: string;
}

/** A warehouse row: column name to value (`null` only where the column is nullable). */
export type WarehouseRow = Record<string, string | number | boolean | null>;

/**
 * The column's type in the warehouse, spelt as PostgreSQL's `format_type` gives it: `integer`, `character
 * varying`, `numeric` or `numeric(p,s)`, `date`, `time without time zone`, `timestamp(6) without time zone`,
 * `boolean`, unless the column names its own {@link DescribedColumn.sqlType}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sqlTypeOf } from "./columns.ts";
 * const price = { name: "unit_price", type: "decimal", nullable: false, numeric: { precision: 10, scale: 2 } } as const;
 * assert(sqlTypeOf(price) === "numeric(10,2)");
 * assert(sqlTypeOf({ name: "paid", type: "bool", nullable: false }) === "boolean");
 * ```
 */
export function sqlTypeOf(column: Column & Pick<DescribedColumn, "numeric" | "sqlType">): string {
  if (column.sqlType) return column.sqlType;
  switch (column.type) {
    case "int32":
      return "integer";
    case "utf8":
      return "character varying";
    case "decimal":
      return column.numeric ? `numeric(${column.numeric.precision},${column.numeric.scale})` : "numeric";
    case "date32":
      return "date";
    case "time64us":
      return "time without time zone";
    case "timestamp_us":
      return "timestamp(6) without time zone";
    case "bool":
      return "boolean";
  }
}

/**
 * The most digits a `decimal` column's value may have before its decimal point: the declared precision less the
 * scale (`numeric(10,2)`: 8), or, for an unconstrained `numeric`, what the Parquet decimal allows (10).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { integerDigits } from "./columns.ts";
 * assert(integerDigits({ numeric: { precision: 10, scale: 2 } }) === 8);
 * assert(integerDigits({}) === 10);
 * ```
 */
export function integerDigits(column: Pick<DescribedColumn, "numeric">): number {
  const n = column.numeric ?? PARQUET_DECIMAL;
  return n.precision - n.scale;
}
