/**
 * The rule of every warehouse table, one file each (issue 13): `<table>.ts` holds the table's pure rule and cites
 * where it comes from, `<table>_test.ts` tests it with real values. dim_date is the calendar the facts' dates
 * need ({@link dimDateRows}); every other table is built row by row from one source table ({@link TableRule}).
 *
 * What the stage needs to know besides the rules is derived here from them and from the contract: the source
 * table whose deleted keys name a warehouse table's rows, and the date columns dim_date must cover.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { RULES } from "./mod.ts";
 * const row = RULES.dim_payment_type.build(
 *   { payment_type_id: 1, payment_type_name: "SALES_RECEIPT", last_updated: "2022-11-03 14:20:49.962000" },
 *   { runId: "r1", reference: { address: {}, department: {}, staff: {}, counterparty: {} } },
 * );
 * assert.equal(row.payment_type_name, "SALES_RECEIPT");
 * ```
 *
 * @module
 */
import {
  foreignKeys,
  type SourceTableName,
  WAREHOUSE_TABLES,
  type WarehouseTableName,
} from "../../contract/mod.ts";
import { DIM_COUNTERPARTY } from "./dim_counterparty.ts";
import { DIM_CURRENCY } from "./dim_currency.ts";
import { DIM_DESIGN } from "./dim_design.ts";
import { DIM_LOCATION } from "./dim_location.ts";
import { DIM_PAYMENT_TYPE } from "./dim_payment_type.ts";
import { DIM_STAFF } from "./dim_staff.ts";
import { DIM_TRANSACTION } from "./dim_transaction.ts";
import { FACT_PAYMENT } from "./fact_payment.ts";
import { FACT_PURCHASE_ORDER } from "./fact_purchase_order.ts";
import { FACT_SALES_ORDER } from "./fact_sales_order.ts";
import type { Reference, TableRule, TrackedDimension } from "./_rule.ts";

export type { SourceRow } from "./_columns.ts";
export type { Reference, RuleContext, TableRule, TrackedDimension } from "./_rule.ts";
export * from "./dim_date.ts";
export { dimCounterparty } from "./dim_counterparty.ts";
export { dimCurrency } from "./dim_currency.ts";
export { dimDesign } from "./dim_design.ts";
export { dimLocation } from "./dim_location.ts";
export { dimPaymentType } from "./dim_payment_type.ts";
export { dimStaff } from "./dim_staff.ts";
export { dimTransaction } from "./dim_transaction.ts";
export { factPayment } from "./fact_payment.ts";
export { factPurchaseOrder } from "./fact_purchase_order.ts";
export { factSalesOrder } from "./fact_sales_order.ts";

/** The warehouse tables built row by row from one source table: all but dim_date. */
export type RowTableName = Exclude<WarehouseTableName, "dim_date">;

/** The rule of each warehouse table built from source rows. */
export const RULES: Readonly<Record<RowTableName, TableRule>> = {
  dim_location: DIM_LOCATION,
  dim_currency: DIM_CURRENCY,
  dim_design: DIM_DESIGN,
  dim_payment_type: DIM_PAYMENT_TYPE,
  dim_staff: DIM_STAFF,
  dim_counterparty: DIM_COUNTERPARTY,
  dim_transaction: DIM_TRANSACTION,
  fact_sales_order: FACT_SALES_ORDER,
  fact_purchase_order: FACT_PURCHASE_ORDER,
  fact_payment: FACT_PAYMENT,
};

/**
 * The columns of `target` that reference a tracked dimension's key, from the contract's foreign keys (dim_date is
 * not tracked: the transform writes the dates the facts need). Empty for a dimension.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referencesOf } from "./mod.ts";
 * assert.deepEqual(referencesOf("fact_payment").find(([c]) => c === "currency_id"), ["currency_id", "dim_currency"]);
 * assert.deepEqual(referencesOf("dim_staff"), []);
 * ```
 */
export function referencesOf(target: WarehouseTableName): readonly Reference[] {
  return foreignKeys()
    .filter((k) => k.table === target && k.references.table !== "dim_date")
    .map((k) => [k.column, k.references.table as TrackedDimension] as const);
}

/** {@link referencesOf} of every table built row by row, computed once. */
export const REFERENCES: Readonly<Record<RowTableName, readonly Reference[]>> = Object.fromEntries(
  Object.keys(RULES).map((t) => [t, referencesOf(t as RowTableName)]),
) as Record<RowTableName, readonly Reference[]>;

/**
 * The dimensions built from the small source tables (read whole each run), in the order they are written; their
 * keys, and dim_transaction's, are what the transform state remembers.
 */
export const SMALL_DIMENSIONS = [
  "dim_location",
  "dim_currency",
  "dim_design",
  "dim_payment_type",
  "dim_staff",
  "dim_counterparty",
] as const satisfies readonly RowTableName[];

/** A dimension built from a small source table. */
export type SmallDimension = typeof SMALL_DIMENSIONS[number];

/** The tables built from the big source tables (streamed), in the order they are written. */
export const STREAMED_TABLES = [
  "dim_transaction",
  "fact_sales_order",
  "fact_purchase_order",
  "fact_payment",
] as const satisfies readonly RowTableName[];

/** A table built from a big source table, streamed. */
export type StreamedTable = typeof STREAMED_TABLES[number];

/** The warehouse table whose rows a source table's deleted keys name (department has none: it folds into staff). */
export const DELETION_TARGETS: Readonly<Partial<Record<SourceTableName, RowTableName>>> = Object.fromEntries(
  Object.values(RULES).map((rule) => [rule.source, rule.target]),
);

/** The date columns of a table, from the contract: the dates dim_date must cover. */
export function dateColumns(table: WarehouseTableName): string[] {
  return WAREHOUSE_TABLES[table].columns.filter((c) => c.type === "date32").map((c) => c.name);
}
