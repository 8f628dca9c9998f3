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

/** Dimension columns that describe the row's version, not its content. */
const VERSION_COLUMNS = new Set(["source_last_updated", "source_run_id"]);

/**
 * Moves staged rows into the target table; the statement's row count is the rows inserted or changed. Content
 * decides, so an update in ToteSys that wrote identical values (or a row read again after a table rewrite) changes
 * nothing (issue 10; design.md section 5).
 *
 * - dim_date: insert the days not yet present (a day's attributes never change).
 * - other dimensions: upsert by primary key; an existing row is replaced only when its content differs (or it
 *   was marked deleted) and the staged row is a newer version, ordered by (source_run_id, source_last_updated):
 *   run ids sort in snapshot order, so a run loaded late never regresses a dimension.
 * - facts: insert-only history; a staged row is inserted when its natural id has no version yet, when its content
 *   differs from the latest version, or when the latest version was recorded deleted (a re-insert). Record ids are
 *   the table's largest plus the row number in natural-id order: runs load one at a time under the load lock, so
 *   the ids depend only on the runs loaded, never on crashed attempts (C10). Parameter `$1` is the run id: each
 *   version records it, and a run replayed after a later one adds nothing for keys the later run carried.
 */
export function mergeSql(table: WarehouseTableName): string {
  const t = WAREHOUSE_TABLES[table];
  const cols = t.columns.map((c) => q(c.name));
  const list = cols.join(", ");
  const stg = stagingName(table);
  if (t.kind === "fact") {
    const rid = q(t.recordId!);
    const key = q(t.key);
    const s = cols.map((c) => `s.${c}`).join(", ");
    const cur = cols.map((c) => `cur.${c}`).join(", ");
    return `INSERT INTO ${table} (${rid}, "source_run_id", ${list}) ` +
      `SELECT base.n + row_number() OVER (ORDER BY s.${key}), $1::text, ${s} FROM ${stg} s ` +
      `CROSS JOIN (SELECT coalesce(max(${rid}), 0) AS n FROM ${table}) base ` +
      `LEFT JOIN LATERAL (SELECT ${rid} AS rid, ${list} FROM ${table} f WHERE f.${key} = s.${key} ` +
      `ORDER BY f.${rid} DESC LIMIT 1) cur ON true ` +
      `WHERE (cur.rid IS NULL OR ROW(${s}) IS DISTINCT FROM ROW(${cur}) OR EXISTS (SELECT 1 FROM fact_deletion d ` +
      `WHERE d.fact_table = '${table}' AND d.natural_id = s.${key} AND d.last_record_id >= cur.rid)) ` +
      `AND NOT EXISTS (SELECT 1 FROM ${table} n WHERE n.${key} = s.${key} AND n."source_run_id" >= $1::text)`;
  }
  if (table === "dim_date") {
    return `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stg} ORDER BY ${q(t.key)} ON CONFLICT (${
      q(t.key)
    }) DO NOTHING`;
  }
  const content = t.columns.filter((c) => c.name !== t.key && !VERSION_COLUMNS.has(c.name)).map((c) =>
    q(c.name)
  );
  const set = cols.filter((c) => c !== q(t.key)).map((c) => `${c} = EXCLUDED.${c}`).join(", ");
  return `INSERT INTO ${table} (${list}) SELECT ${list} FROM ${stg} ORDER BY ${q(t.key)} ` +
    `ON CONFLICT (${q(t.key)}) DO UPDATE SET ${set}, "deleted_at" = NULL ` +
    `WHERE (${table}."source_run_id", ${table}."source_last_updated") < (EXCLUDED."source_run_id", EXCLUDED."source_last_updated") ` +
    `AND (ROW(${content.map((c) => `${table}.${c}`).join(", ")}) IS DISTINCT FROM ROW(${
      content.map((c) => `EXCLUDED.${c}`).join(", ")
    }) OR ${table}."deleted_at" IS NOT NULL)`;
}

/**
 * The statement that records a run's deletions of one table, with parameters `$1` the natural ids (int[]), `$2`
 * when they were detected (timestamp text, UTC) and `$3` the run id (a run replayed after a later one that
 * brought the key back does not delete it again). Facts: a `fact_deletion` row per id that
 * has a version and is not already recorded deleted at it; dimensions: `deleted_at` set on rows not yet marked.
 * The row count is the rows recorded.
 */
export function deletionSql(table: WarehouseTableName): string {
  const t = WAREHOUSE_TABLES[table];
  const key = q(t.key);
  if (t.kind === "fact") {
    return `INSERT INTO fact_deletion (fact_table, natural_id, last_record_id, detected_at, run_id) ` +
      `SELECT '${table}', ${key}, max(${q(t.recordId!)}), $2::timestamp, $3 FROM ${table} ` +
      `WHERE ${key} = ANY($1::int[]) GROUP BY ${key} HAVING coalesce(max("source_run_id"), '') < $3::text ` +
      `ON CONFLICT DO NOTHING`;
  }
  if (table === "dim_date") throw new Error("dim_date rows are never deleted");
  return `UPDATE ${table} SET "deleted_at" = $2::timestamp WHERE ${key} = ANY($1::int[]) AND "deleted_at" IS NULL ` +
    `AND "source_run_id" < $3::text`;
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
  /** The constraint's name (`pg_constraint.conname`). */
  name: string;
  /** `pg_get_constraintdef()`: `FOREIGN KEY (...) REFERENCES ...`, as it is added back. */
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

/**
 * Makes the load's backend check its client's socket every second while a statement runs (PostgreSQL 14 and later,
 * on platforms that can; elsewhere nothing changes). A backend otherwise notices a vanished client only when it
 * next writes to it: a load killed during a long merge (kill -9, a Lambda timeout) left its backend running that
 * merge to the end, holding the load lock, and the next load waited for it.
 */
export const WATCH_CLIENT_SQL =
  `DO $$ BEGIN PERFORM set_config('client_connection_check_interval', '1000', true);
  EXCEPTION WHEN OTHERS THEN NULL; END $$`;
