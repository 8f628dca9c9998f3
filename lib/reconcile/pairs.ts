/**
 * What reconcile compares (issue 11; design.md section 5): each warehouse table's current state against the
 * ToteSys rows it is built from, as one text per natural key computed inside each database. The pairs come from
 * the contract (lib/contract/: each column's source, each table's deletion handling), which the transform's
 * rules follow (lib/transform/rules/): timestamps split into date and time to
 * the microsecond, money compared by exact value (`trim_scale`), NULL as `\N`. Deleted rows are left out on both
 * sides (the warehouse's `_current` views and `deleted_at`).
 *
 * Not compared: `dim_currency.currency_name` (derived from the code by `Intl`, not in ToteSys), the account
 * numbers of payments (not in the warehouse) and `dim_date` (generated).
 *
 * @module
 */
import {
  type DescribedColumn,
  SOURCE_TABLES,
  sourceJoins,
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
  type WarehouseTable,
} from "../contract/mod.ts";

/** One side of a comparison: a FROM clause, its integer key and the column expressions, in the same order. */
export interface Side {
  from: string;
  key: string;
  columns: readonly string[];
}

/** A warehouse table and the ToteSys rows it must equal. */
export interface Pair {
  /** The warehouse table (or view) compared. */
  name: string;
  /** The ToteSys table whose key it is. */
  sourceTable: string;
  source: Side;
  warehouse: Side;
}

const money = (c: string) => `trim_scale(${c})`;

/** The ToteSys expression of one warehouse column (lib/contract: the column's source). */
function sourceExpression(column: DescribedColumn): string {
  const { column: name, part, via } = column.source!;
  const base = `${via ? `j_${via}` : "s"}.${name}`;
  const value = part ? `${base}::${part}` : base;
  return column.type === "decimal" ? money(value) : value;
}

/** The pair of a warehouse table built from a source table: its sourced columns but the key, on both sides. */
function pairOf(table: WarehouseTable): Pair {
  const source = SOURCE_TABLES[table.source!];
  const compared = table.columns.filter((c) => c.source && c.name !== table.key);
  const joins = sourceJoins(table.name).map(({ via, table: ref }) =>
    `LEFT JOIN public.${ref} j_${via} ON j_${via}.${SOURCE_TABLES[ref].pk} = s.${via}`
  );
  const columns = compared.map((c) => c.type === "decimal" ? money(c.name) : c.name);
  const current = table.deletion === "fact_deletion";
  return {
    name: current ? `${table.name}_current` : table.name,
    sourceTable: source.name,
    source: {
      from: [`public.${source.name} s`, ...joins].join(" "),
      key: `s.${source.pk}`,
      columns: compared.map(sourceExpression),
    },
    warehouse: current
      ? { from: `${table.name}_current`, key: table.key, columns }
      : { from: `(SELECT * FROM ${table.name} WHERE deleted_at IS NULL) w`, key: table.key, columns },
  };
}

/**
 * Every compared pair, in the contract's load order: each warehouse table built from a ToteSys table, its
 * columns that come from ToteSys (lib/contract: `source`) but the key; facts through their `_current` views,
 * dimensions without the rows marked deleted.
 */
export const PAIRS: readonly Pair[] = WAREHOUSE_TABLE_NAMES.map((n) => WAREHOUSE_TABLES[n]).filter((t) =>
  t.source !== null
).map(pairOf);

/**
 * One column as comparison text: backslashes doubled and the separators (unit `\x1f`, record `\x1e`) written as
 * octal escapes, so NULL (`\N`) differs from the text `\N` and a value holding a separator from two values.
 */
const columnText = (c: string) =>
  `coalesce(replace(replace(replace((${c})::text, '\\', '\\\\'), E'\\x1f', '\\037'), E'\\x1e', '\\036'), '\\N')`;

/** The SQL expression of one row's comparison text: every column as escaped text (NULL as `\N`), unit-separated. */
export function rowTextSql(side: Side): string {
  return `concat_ws(E'\\x1f', ${side.columns.map(columnText).join(", ")})`;
}
