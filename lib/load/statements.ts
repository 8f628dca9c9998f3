/**
 * The set-based SQL of the load, built from the table contract (identifiers come only from
 * lib/contract/warehouse.ts, never from input).
 *
 * @module
 */
import { WAREHOUSE_TABLES, type WarehouseRow, type WarehouseTableName } from "../contract/mod.ts";
import { copyField } from "../io/copy.ts";

const q = (id: string) => `"${id}"`;

/** Name of a table's staging table (a temporary table dropped at commit). */
export function stagingName(table: WarehouseTableName): string {
  return `stg_${table}`;
}

/** Creates the staging table: the target's loaded columns, no constraints. */
export function createStagingSql(table: WarehouseTableName): string {
  const cols = WAREHOUSE_TABLES[table].columns.map((c) => q(c.name)).join(", ");
  return `CREATE TEMP TABLE ${
    stagingName(table)
  } ON COMMIT DROP AS SELECT ${cols} FROM ${table} WITH NO DATA`;
}

/** `COPY stg_x (cols) FROM STDIN` (text format). */
export function copyIntoStagingSql(table: WarehouseTableName): string {
  const cols = WAREHOUSE_TABLES[table].columns.map((c) => q(c.name)).join(", ");
  return `COPY ${stagingName(table)} (${cols}) FROM STDIN`;
}

/**
 * Moves staged rows into the target table; the statement's row count is the rows inserted or changed.
 *
 * - dim_date: insert the days not yet present (a day's attributes never change).
 * - other dimensions: upsert by primary key; an existing row is replaced only by a newer version, ordered by
 *   (source_run_id, source_last_updated): run ids sort in snapshot order, so a run loaded late never regresses
 *   a dimension, even when a late-committed source row carries an older last_updated (issue 5).
 * - facts: insert-only; a version (natural id, last_updated_date, last_updated_time) already present is skipped;
 *   `*_record_id` is assigned by the warehouse in (id, version) order.
 */
export function mergeSql(table: WarehouseTableName): string {
  const t = WAREHOUSE_TABLES[table];
  const cols = t.columns.map((c) => q(c.name));
  const list = cols.join(", ");
  const stg = stagingName(table);
  if (t.kind === "fact") {
    return `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stg} ORDER BY ${
      q(t.key)
    }, "last_updated_date", "last_updated_time" ` +
      `ON CONFLICT (${q(t.key)}, "last_updated_date", "last_updated_time") DO NOTHING`;
  }
  if (table === "dim_date") {
    return `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stg} ORDER BY ${q(t.key)} ON CONFLICT (${
      q(t.key)
    }) DO NOTHING`;
  }
  const set = cols.filter((c) => c !== q(t.key)).map((c) => `${c} = EXCLUDED.${c}`).join(", ");
  return `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stg} ORDER BY ${q(t.key)} ` +
    `ON CONFLICT (${q(t.key)}) DO UPDATE SET ${set} ` +
    `WHERE (${table}."source_run_id", ${table}."source_last_updated") < (EXCLUDED."source_run_id", EXCLUDED."source_last_updated")`;
}

/**
 * One row as a line of COPY text format, columns in contract order: NULL as `\N`, booleans as `t`/`f`, text with
 * backslash, tab, newline and carriage return escaped; dates, times, timestamps and decimals as their exact text.
 *
 * @throws Error naming table, column and value when a text value holds a NUL character (PostgreSQL refuses it).
 */
export function copyTextLine(table: WarehouseTableName, row: WarehouseRow): string {
  const cols = WAREHOUSE_TABLES[table].columns;
  let line = "";
  for (let i = 0; i < cols.length; i++) {
    const v = row[cols[i]!.name];
    if (i > 0) line += "\t";
    if (v === null || v === undefined) line += "\\N";
    else if (typeof v === "boolean") line += v ? "t" : "f";
    else if (typeof v === "number") line += String(v);
    else {
      // PostgreSQL text cannot hold NUL: refuse it here, naming the value, rather than fail inside the COPY.
      if (v.includes("\0")) {
        throw new Error(
          `Cannot load ${table}.${cols[i]!.name} value ${JSON.stringify(v)}: it contains a NUL character`,
        );
      }
      line += copyField(v);
    }
  }
  return line + "\n";
}

/** A foreign key as the catalog gives it: name and definition (`FOREIGN KEY (...) REFERENCES ...`). */
export interface ForeignKey {
  name: string;
  definition: string;
}

const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;

/**
 * The statements that drop a table's foreign keys and add them back (re-validated in one pass each), used around
 * a bulk merge: PostgreSQL checks a foreign key row by row through a trigger (about 5 µs per key and row),
 * but validates a re-added one with a single join. The names and definitions come from `pg_constraint`.
 */
export function foreignKeyToggleSql(
  table: WarehouseTableName,
  keys: readonly ForeignKey[],
): [string, string] {
  if (keys.length === 0) return ["", ""];
  const drop = `ALTER TABLE ${table} ${keys.map((k) => `DROP CONSTRAINT ${quote(k.name)}`).join(", ")}`;
  const add = `ALTER TABLE ${table} ${
    keys.map((k) => `ADD CONSTRAINT ${quote(k.name)} ${k.definition}`).join(", ")
  }`;
  return [drop, add];
}
