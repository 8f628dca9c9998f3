/**
 * The warehouse star schema: every table's columns with their Arrow/Parquet type, nullability and warehouse SQL
 * type, its keys and foreign keys, the ToteSys table and columns it is built from, how source deletions show,
 * and whether it is a dimension (type-1 upsert) or a fact (insert-only history).
 *
 * Columns and nullability follow the reference DDL (the Northcoders reference DDL, docs/design.md section 5, the
 * Northcoders ERD); types follow docs/design.md section 4. Dimensions (except dim_date) carry two extra
 * columns that correctness needs (issue 5): `source_last_updated` and `source_run_id`, the version used so that
 * runs loaded out of order never regress a dimension. tests/contract/warehouse_schema_test.ts checks the
 * migrated warehouse (lib/load/migrations/) against this contract.
 *
 * In memory a warehouse row is a plain object whose values are exact text or numbers (see {@link ColumnType}).
 *
 * @module
 */
import type { SourceTableName } from "./source.ts";
import type { DescribedColumn } from "./columns.ts";
import { DIMENSION_NAMES, DIMENSIONS } from "./_dimensions.ts";
import { FACT_NAMES, FACTS } from "./_facts.ts";

export {
  type Column,
  type ColumnReference,
  type ColumnSource,
  type ColumnType,
  type DescribedColumn,
  integerDigits,
  PARQUET_DECIMAL,
  sqlTypeOf,
  type WarehouseRow,
} from "./columns.ts";

/** A warehouse table's contract. */
export interface WarehouseTable {
  name: WarehouseTableName;
  kind: "dimension" | "fact";
  /** What one row is (becomes the table's `COMMENT`). */
  description: string;
  /** Columns written to Parquet and loaded, in order (facts: without the warehouse-assigned `*_record_id`). */
  columns: readonly DescribedColumn[];
  /**
   * Columns the warehouse holds besides the loaded ones: a fact's `*_record_id` and `source_run_id`, a
   * dimension's `deleted_at`. Never in Parquet.
   */
  warehouseColumns: readonly DescribedColumn[];
  /** Dimension: the primary key column. Fact: the natural id; the version is (id, last_updated_date, last_updated_time). */
  key: string;
  /** Fact only: the surrogate key the warehouse assigns (`serial`). */
  recordId?: string;
  /** The ToteSys table whose rows (one per {@link key}) this table is built from; `null` for dim_date. */
  source: SourceTableName | null;
  /**
   * How a source row's deletion shows: `deleted_at` (a dimension row is marked, and stays), `fact_deletion` (the
   * fact's history stays; the deletion is recorded there and the `<fact>_current` view leaves the row out), or
   * `null` (no source rows: dim_date).
   */
  deletion: "deleted_at" | "fact_deletion" | null;
}

/**
 * The warehouse tables in load order: dim_date, the other dimensions, then the facts (issue 5); each list is kept
 * beside its contracts (`_dimensions.ts`, `_facts.ts`).
 */
export const WAREHOUSE_TABLE_NAMES = [...DIMENSION_NAMES, ...FACT_NAMES] as const;

/** Name of a warehouse table. */
export type WarehouseTableName = typeof WAREHOUSE_TABLE_NAMES[number];

/**
 * Contract of every warehouse table, keyed by name, in load order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { WAREHOUSE_TABLES } from "./warehouse.ts";
 * const sales = WAREHOUSE_TABLES.fact_sales_order;
 * assert(sales.kind === "fact" && sales.source === "sales_order" && sales.deletion === "fact_deletion");
 * const staff = sales.columns.find((c) => c.name === "sales_staff_id")!;
 * assert(staff.source?.column === "staff_id" && staff.references?.table === "dim_staff");
 * ```
 */
export const WAREHOUSE_TABLES: Readonly<Record<WarehouseTableName, WarehouseTable>> = {
  ...DIMENSIONS,
  ...FACTS,
};
