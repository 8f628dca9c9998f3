/**
 * What follows from the table contracts: primary keys, foreign keys (warehouse and ToteSys), and each table's
 * column names. Derived here so that no other module lists them again.
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, SOURCE_TABLES, type SourceTableName } from "./source.ts";
import type { ColumnReference, DescribedColumn } from "./columns.ts";
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES, type WarehouseTableName } from "./warehouse.ts";

/** A foreign key of the warehouse: a table's column and the row it references. */
export interface ForeignKey {
  table: WarehouseTableName;
  column: string;
  references: ColumnReference;
}

/** A foreign key of ToteSys: a table's column and the table whose primary key it holds. */
export interface SourceForeignKey {
  table: SourceTableName;
  column: string;
  references: SourceTableName;
}

/**
 * The warehouse table's primary key column: a fact's record id, a dimension's key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { primaryKey } from "./keys.ts";
 * assert(primaryKey("fact_sales_order") === "sales_record_id");
 * assert(primaryKey("dim_location") === "location_id");
 * ```
 */
export function primaryKey(table: WarehouseTableName): string {
  const t = WAREHOUSE_TABLES[table];
  return t.recordId ?? t.key;
}

/**
 * Every column the warehouse table holds, in the warehouse's order: a fact's record id first, then the loaded
 * columns, then the other warehouse-only columns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { warehouseColumns } from "./keys.ts";
 * const names = warehouseColumns("fact_payment").map((c) => c.name);
 * assert(names[0] === "payment_record_id" && names.at(-1) === "source_run_id");
 * ```
 */
export function warehouseColumns(table: WarehouseTableName): DescribedColumn[] {
  const t = WAREHOUSE_TABLES[table];
  const isRecordId = (c: DescribedColumn) => c.name === t.recordId;
  return [
    ...t.warehouseColumns.filter(isRecordId),
    ...t.columns,
    ...t.warehouseColumns.filter((c) => !isRecordId(c)),
  ];
}

/**
 * Every foreign key of the warehouse, table by table in load order (facts to dimensions, dates to dim_date).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { foreignKeys } from "./keys.ts";
 * const fk = foreignKeys().find((k) => k.table === "fact_sales_order" && k.column === "sales_staff_id")!;
 * assert(fk.references.table === "dim_staff" && fk.references.column === "staff_id");
 * ```
 */
export function foreignKeys(): ForeignKey[] {
  return WAREHOUSE_TABLE_NAMES.flatMap((table) =>
    warehouseColumns(table).flatMap((c) =>
      c.references ? [{ table, column: c.name, references: c.references }] : []
    )
  );
}

/**
 * Every foreign key of ToteSys, table by table in dependency order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceForeignKeys } from "./keys.ts";
 * assert(sourceForeignKeys().some((k) => k.table === "staff" && k.references === "department"));
 * ```
 */
export function sourceForeignKeys(): SourceForeignKey[] {
  return SOURCE_TABLE_NAMES.flatMap((table) =>
    Object.entries(SOURCE_TABLES[table].references ?? {}).map(([column, references]) => ({
      table,
      column,
      references,
    }))
  );
}

/**
 * The ToteSys table's column names in its DDL order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceColumnNames } from "./keys.ts";
 * assert(sourceColumnNames("currency").join() === "currency_id,currency_code,created_at,last_updated");
 * ```
 */
export function sourceColumnNames(table: SourceTableName): string[] {
  return Object.keys(SOURCE_TABLES[table].columns);
}

/** A join a warehouse table's rows need: the source row's foreign key `via` and the table it references. */
export interface SourceJoin {
  via: string;
  table: SourceTableName;
}

/**
 * The source rows besides its own that a warehouse table's row is built from (its columns' `source.via`), so
 * that a change to one of them reaches the row: a staff member's department, a counterparty's legal address.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceJoins } from "./keys.ts";
 * assert(sourceJoins("dim_staff")[0]?.table === "department");
 * assert(sourceJoins("fact_payment").length === 0);
 * ```
 */
export function sourceJoins(table: WarehouseTableName): SourceJoin[] {
  const t = WAREHOUSE_TABLES[table];
  if (t.source === null) return [];
  const refs = SOURCE_TABLES[t.source].references ?? {};
  const vias = [...new Set(t.columns.flatMap((c) => c.source?.via ? [c.source.via] : []))];
  return vias.map((via) => {
    const ref = refs[via];
    if (!ref) throw new Error(`${table}: ${t.source}.${via} is not a foreign key of the source contract`);
    return { via, table: ref };
  });
}

/**
 * The warehouse tables whose rows are the ToteSys table's rows (one per source key; dim_date has none), in load
 * order: the inverse of each warehouse table's `source`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { warehouseTablesFrom } from "./keys.ts";
 * assert.deepEqual(warehouseTablesFrom("sales_order"), ["fact_sales_order"]);
 * assert.deepEqual(warehouseTablesFrom("department"), []); // only joined into dim_staff
 * ```
 */
export function warehouseTablesFrom(source: SourceTableName): WarehouseTableName[] {
  return WAREHOUSE_TABLE_NAMES.filter((n) => WAREHOUSE_TABLES[n].source === source);
}
