/**
 * A warehouse row built column by column from the contract (lib/contract/): each column's `source` says which
 * ToteSys column it copies (or which part of a timestamp), its type and nullability say how it is read and
 * checked (the readers of `_columns.ts`). The facts' rules are this and nothing else, so a column copied from the
 * source needs no rule edit; a rule that joins or derives values (the dimensions) is written by hand.
 *
 * @module
 */
import {
  type DescribedColumn,
  integerDigits,
  WAREHOUSE_TABLES,
  type WarehouseRow,
  type WarehouseTableName,
} from "../../contract/mod.ts";
import {
  bool,
  date,
  int,
  intOrNull,
  money,
  type SourceRow,
  splitTimestamp,
  text,
  textOrNull,
} from "./_columns.ts";
import type { TableRule } from "./_rule.ts";

type Value = WarehouseRow[string];
/** Reads one column of a source row; `split` caches the timestamps split in this row, by slot. */
type Reader = (row: SourceRow, key: number, split: ([string, string] | undefined)[]) => Value;

/** The reader of one contract column, or an error naming it when it is not a plain copy of a source column. */
function readerOf(
  table: WarehouseTableName,
  source: string,
  c: DescribedColumn,
  slots: Map<string, number>,
): Reader {
  if (!c.source || c.source.via) {
    throw new Error(`${table}.${c.name} is not copied from ${source}: write its rule by hand`);
  }
  const col = c.source.column;
  const part = c.source.part;
  if (part) {
    const i = part === "date" ? 0 : 1;
    if (!slots.has(col)) slots.set(col, slots.size);
    const slot = slots.get(col)!;
    return (row, key, split) => (split[slot] ??= splitTimestamp(source, row, key, col))[i]!;
  }
  const orNull = (read: (row: SourceRow, key: number) => Value): Reader =>
    c.nullable ? (row, key) => row[col] == null ? null : read(row, key) : read;
  switch (c.type) {
    case "int32":
      return c.nullable
        ? (row, key) => intOrNull(source, row, key, col)
        : (row, key) => int(source, row, key, col);
    case "utf8":
      return c.nullable
        ? (row, key) => textOrNull(source, row, key, col)
        : (row, key) => text(source, row, key, col);
    case "decimal": {
      const digits = integerDigits(c);
      return orNull((row, key) => money(source, row, key, col, digits));
    }
    case "date32":
      return orNull((row, key) => date(source, row, key, col));
    case "bool":
      return orNull((row, key) => bool(source, row, key, col));
    default:
      throw new Error(`${table}.${c.name}: no reader copies a ${c.type} column: write its rule by hand`);
  }
}

/**
 * The row builder of a table whose every column is a copy of its source row's column or a part of one of its
 * timestamps (a fact): columns in contract order, the key read first, each value checked by its type.
 *
 * @throws Error when built, naming a column the contract does not copy from the source (a join, a derived value).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { contractRow } from "./_from_contract.ts";
 * const build = contractRow("fact_payment");
 * const row = build({ payment_id: 2, created_at: "2022-11-03 14:20:52.187", last_updated:
 *   "2022-11-03 14:20:52.187", transaction_id: 2, counterparty_id: 15, payment_amount: "552548.6",
 *   currency_id: 2, payment_type_id: 3, paid: false, payment_date: "2022-11-04" });
 * assert.equal(row.payment_amount, "552548.60");
 * assert.equal(row.created_time, "14:20:52.187000");
 * assert.throws(() => contractRow("dim_staff"), /dim_staff\.department_name is not copied from staff/);
 * ```
 */
export function contractRow(table: WarehouseTableName): (row: SourceRow) => WarehouseRow {
  const t = WAREHOUSE_TABLES[table];
  if (!t.source) throw new Error(`${table} has no source table: write its rule by hand`);
  const source = t.source;
  const keyColumn = t.columns.find((c) => c.name === t.key)?.source?.column ?? t.key;
  const slots = new Map<string, number>();
  const readers = t.columns.map((c) => readerOf(table, source, c, slots));
  // One object literal per row, its keys the contract's column names in order (a fixed shape, as fast as a rule
  // written out by hand); the names come from the contract, never from input.
  const fields = t.columns.map((c, i) => `${JSON.stringify(c.name)}: r[${i}](row, key, s)`).join(", ");
  const compile = new Function(
    "r",
    "int",
    "source",
    "keyColumn",
    `return (row) => { const key = int(source, row, 0, keyColumn); const s = new Array(${slots.size}); ` +
      `return { ${fields} }; };`,
  ) as (
    r: readonly Reader[],
    readInt: typeof int,
    source: string,
    keyColumn: string,
  ) => (row: SourceRow) => WarehouseRow;
  return compile(readers, int, source, keyColumn);
}

/** The rule of a table built by {@link contractRow} from its contract's source table. */
export function contractRule(table: WarehouseTableName): TableRule {
  const source = WAREHOUSE_TABLES[table].source;
  if (!source) throw new Error(`${table} has no source table: write its rule by hand`);
  return { target: table, source, build: contractRow(table) };
}
