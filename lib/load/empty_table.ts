/**
 * The load's empty-table path (issue 15), over plain data: a table that is empty when a run's rows reach it (a first
 * load, `etl rebuild`, a chunked first run) gets them by a plain `INSERT … SELECT` with its indexes and key
 * constraints dropped first and built again after, each in one sort, inside the load's transaction. Inserting 1.4M
 * rows into a fact table and its three B-trees row by row took 7.3 s here; the plain insert and the three builds
 * take 2.7 s. The rows, record ids and constraints are those the general merge (statements.ts `mergeSql`) gives:
 * over an empty table its lookups find nothing, so every staged row is inserted, numbered in natural-key order.
 *
 * Nothing here reads the warehouse: lib/load/table.ts reads the catalog and runs these statements.
 *
 * @module
 */
import { WAREHOUSE_TABLES, type WarehouseTableName } from "../contract/mod.ts";

const q = (id: string) => `"${id.replaceAll('"', '""')}"`;

/** A constraint as the catalog gives it (`pg_constraint`): its table, name and definition. */
export interface Constraint {
  /** The table the constraint is on (`conrelid`), as `regclass` text. */
  table: string;
  /** The constraint's name (`conname`). */
  name: string;
  /** `pg_get_constraintdef()`: `PRIMARY KEY (...)`, `UNIQUE (...)` or `FOREIGN KEY (...) REFERENCES ...`. */
  definition: string;
}

/** What the empty-table path drops and builds again, read from the catalog for one table. */
export interface TableStructures {
  /** Foreign keys on other tables that reference this table's keys (dropped first: they depend on its index). */
  referencing: Constraint[];
  /** The table's primary key and unique constraints. */
  keys: Constraint[];
  /** The table's other indexes: name and `pg_get_indexdef()` (a whole `CREATE INDEX` statement). */
  indexes: { name: string; definition: string }[];
}

/**
 * The statement that inserts a staged table into its empty target: facts numbered `1..n` in natural-key order with
 * the run id as `$1` (what `mergeSql` gives over an empty table), other tables as they are, in key order.
 *
 * @param table a warehouse table (its columns and keys come from the contract, never from input)
 * @returns one `INSERT … SELECT` from the staging table `stg_<table>`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { emptyTableInsertSql } from "./empty_table.ts";
 *
 * assert.match(
 *   emptyTableInsertSql("fact_payment"),
 *   /^INSERT INTO fact_payment \("payment_record_id", "source_run_id", "payment_id", .*\) SELECT row_number\(\) OVER \(ORDER BY s\."payment_id"\), \$1::text, s\."payment_id", /,
 * );
 * assert.match(emptyTableInsertSql("dim_staff"), /FROM stg_dim_staff ORDER BY "staff_id"$/);
 * ```
 */
export function emptyTableInsertSql(table: WarehouseTableName): string {
  const t = WAREHOUSE_TABLES[table];
  const cols = t.columns.map((c) => q(c.name));
  if (t.kind === "fact") {
    return `INSERT INTO ${table} (${q(t.recordId!)}, "source_run_id", ${cols.join(", ")}) ` +
      `SELECT row_number() OVER (ORDER BY s.${q(t.key)}), $1::text, ${
        cols.map((c) => `s.${c}`).join(", ")
      } FROM stg_${table} s`;
  }
  return `INSERT INTO ${table} (${cols.join(", ")}) SELECT ${cols.join(", ")} FROM stg_${table} ORDER BY ${
    q(t.key)
  }`;
}

/**
 * The statements that drop a table's indexes (and the foreign keys that depend on them) before the plain insert,
 * and those that build them again after, in dependency order: keys and indexes, then the foreign keys (each
 * validated in one pass). Names and definitions come from the catalog, as {@link TableStructures} holds them.
 *
 * @returns `drop` and `restore`, each a list of statements (empty when the table has no index)
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { indexRebuildSql } from "./empty_table.ts";
 *
 * const { drop, restore } = indexRebuildSql({
 *   referencing: [{ table: "fact_payment", name: "fact_payment_transaction_id_fkey",
 *     definition: "FOREIGN KEY (transaction_id) REFERENCES dim_transaction(transaction_id)" }],
 *   keys: [{ table: "dim_transaction", name: "dim_transaction_pkey", definition: "PRIMARY KEY (transaction_id)" }],
 *   indexes: [],
 * });
 * assert.deepEqual(drop, [
 *   'ALTER TABLE fact_payment DROP CONSTRAINT "fact_payment_transaction_id_fkey"',
 *   'ALTER TABLE dim_transaction DROP CONSTRAINT "dim_transaction_pkey"',
 * ]);
 * assert.deepEqual(restore, [
 *   'ALTER TABLE dim_transaction ADD CONSTRAINT "dim_transaction_pkey" PRIMARY KEY (transaction_id)',
 *   'ALTER TABLE fact_payment ADD CONSTRAINT "fact_payment_transaction_id_fkey" FOREIGN KEY (transaction_id) REFERENCES dim_transaction(transaction_id)',
 * ]);
 * ```
 */
export function indexRebuildSql(s: TableStructures): { drop: string[]; restore: string[] } {
  const dropConstraint = (c: Constraint) => `ALTER TABLE ${c.table} DROP CONSTRAINT ${q(c.name)}`;
  const addConstraint = (c: Constraint) =>
    `ALTER TABLE ${c.table} ADD CONSTRAINT ${q(c.name)} ${c.definition}`;
  return {
    drop: [
      ...s.referencing.map(dropConstraint),
      ...s.keys.map(dropConstraint),
      ...s.indexes.map((i) => `DROP INDEX ${q(i.name)}`),
    ],
    restore: [
      ...s.keys.map(addConstraint),
      ...s.indexes.map((i) => i.definition),
      ...s.referencing.map(addConstraint),
    ],
  };
}
