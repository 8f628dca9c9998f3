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
  SOURCE_TABLE_NAMES,
  type SourceTableName,
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
  type WarehouseTableName,
} from "../../contract/mod.ts";
import { type RowTableName, RULES } from "./_index.ts";
import type { Reference, TrackedDimension } from "./_rule.ts";

export type { SourceRow } from "./_columns.ts";
export type { Reference, RuleContext, TableRule, TrackedDimension } from "./_rule.ts";
export * from "./dim_date.ts";
export { type RowTableName, RULES };

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

/** A table built from a big source table, streamed: every table built row by row but the small dimensions. */
export type StreamedTable = Exclude<RowTableName, SmallDimension>;

/** The tables built from the big source tables (streamed), in the order they are written: the contract's. */
export const STREAMED_TABLES: readonly StreamedTable[] = WAREHOUSE_TABLE_NAMES.filter((
  t,
): t is StreamedTable => t in RULES && !(SMALL_DIMENSIONS as readonly string[]).includes(t));

/**
 * The warehouse tables whose rows a source table's deleted keys name, in load order (department has none: it
 * folds into staff; one source table may feed several tables).
 */
export const DELETION_TARGETS: Readonly<Partial<Record<SourceTableName, readonly RowTableName[]>>> = (() => {
  const out: Partial<Record<SourceTableName, RowTableName[]>> = {};
  for (const source of SOURCE_TABLE_NAMES) {
    const targets = Object.values(RULES).filter((r) => r.source === source).map((r) =>
      r.target as RowTableName
    );
    if (targets.length > 0) out[source] = targets;
  }
  return out;
})();

/** The date columns of a table, from the contract: the dates dim_date must cover. */
export function dateColumns(table: WarehouseTableName): string[] {
  return WAREHOUSE_TABLES[table].columns.filter((c) => c.type === "date32").map((c) => c.name);
}
