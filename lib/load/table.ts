/**
 * One table of a run's load, inside the load's transaction: its file copied into a staging table, then merged
 * (statements.ts `mergeSql`), or, when the table is empty and the file large, inserted with its indexes built
 * again after (empty_table.ts). The runner is lib/load/stage.ts.
 *
 * @module
 */
import type { WarehouseTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { ProgressCallback } from "../io/progress.ts";
import { log } from "../io/log.ts";
import type { ManifestFile } from "../run/manifest.ts";
import {
  type Constraint,
  emptyTableInsertSql,
  indexRebuildSql,
  type TableStructures,
} from "./empty_table.ts";
import { checkStagedRows, mergeTakesRunId, useBulkMerge } from "./plan.ts";
import { type ParquetSource, stageFile } from "./staging.ts";
import { foreignKeyToggleSql, mergeSql } from "./statements.ts";

/** What {@link loadTable} needs besides the table: the clock, the bulk threshold and progress. */
export interface TableLoadOptions {
  /** Clock: epoch milliseconds, for the durations logged. */
  now: () => number;
  /** Staged rows from which a fact's foreign keys are re-validated in one pass, and an empty table rebuilt. */
  bulkRows: number;
  /** Progress of the copy (lib/io/progress.ts). */
  onProgress?: ProgressCallback | undefined;
}

/**
 * One table: its checked file copied into a staging table, then merged with one set-based statement.
 *
 * @returns the rows staged (as many as the manifest says) and the rows inserted or changed
 * @throws Error when the staged rows differ from the manifest's count; postgres.js errors from the copy, the merge
 *   or a foreign key re-validated (the caller rolls back and names the run and table).
 */
export async function loadTable(
  tx: Sql,
  options: TableLoadOptions,
  runId: string,
  table: WarehouseTableName,
  file: ManifestFile,
  parquet: Promise<ParquetSource>,
): Promise<{ staged: number; merged: number }> {
  const tTable = options.now();
  const staged = await stageFile(tx, options.onProgress, runId, table, await parquet);
  checkStagedRows(file, staged);
  const tCopy = options.now();
  let readd = "";
  if (useBulkMerge(table, staged, options.bulkRows)) {
    const [drop, add] = foreignKeyToggleSql(table, await constraints(tx, table, "foreignKeys"));
    if (drop) await tx.unsafe(drop);
    readd = add;
  }
  const empty = staged >= options.bulkRows && await isEmpty(tx, table);
  const merged = empty ? await insertIntoEmpty(tx, table, runId) : await merge(tx, table, runId);
  if (readd) await tx.unsafe(readd);
  log("info", "load", "Table loaded", {
    run_id: runId,
    table,
    staged,
    merged,
    ...(empty ? { into: "empty table, indexes rebuilt" } : {}),
    copy_ms: Math.round(tCopy - tTable),
    merge_ms: Math.round(options.now() - tCopy),
  });
  return { staged, merged };
}

async function merge(tx: Sql, table: WarehouseTableName, runId: string): Promise<number> {
  // A fact merge looks up each staged row's latest version (mergeSql's lateral join). With the table recorded as
  // empty (autovacuum after a failed load), that was a sequential scan per staged row over the pages the statement
  // itself fills: quadratic. The lookup's index is right at every size.
  const fact = mergeTakesRunId(table);
  if (fact) await tx`SET LOCAL enable_seqscan = off`;
  const merged = fact ? await tx.unsafe(mergeSql(table), [runId]) : await tx.unsafe(mergeSql(table));
  if (fact) await tx`SET LOCAL enable_seqscan TO DEFAULT`;
  return merged.count;
}

async function isEmpty(tx: Sql, table: WarehouseTableName): Promise<boolean> {
  const [row] = await tx.unsafe(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`);
  return row!.empty === true;
}

/** The empty-table path: indexes and key constraints dropped, one plain insert, then each built in one sort. */
async function insertIntoEmpty(tx: Sql, table: WarehouseTableName, runId: string): Promise<number> {
  const { drop, restore } = indexRebuildSql(await tableStructures(tx, table));
  await tx`SET LOCAL maintenance_work_mem = '256MB'`;
  for (const statement of drop) await tx.unsafe(statement);
  const insert = emptyTableInsertSql(table);
  const inserted = mergeTakesRunId(table) ? await tx.unsafe(insert, [runId]) : await tx.unsafe(insert);
  for (const statement of restore) await tx.unsafe(statement);
  return inserted.count;
}

/** Which constraints {@link constraints} reads: the table's own foreign keys, those that reference it, its keys. */
const CONSTRAINTS = {
  foreignKeys: "conrelid = $1::regclass AND contype = 'f'",
  referencing: "confrelid = $1::regclass AND contype = 'f'",
  keys: "conrelid = $1::regclass AND contype IN ('p', 'u')",
} as const;

/** Constraints of `table` from the catalog, ordered by the table they are on, then by name. */
async function constraints(
  tx: Sql,
  table: WarehouseTableName,
  which: keyof typeof CONSTRAINTS,
): Promise<Constraint[]> {
  const rows = await tx.unsafe<Constraint[]>(
    `SELECT conrelid::regclass::text AS table, conname AS name, pg_get_constraintdef(oid) AS definition
    FROM pg_constraint WHERE ${CONSTRAINTS[which]} ORDER BY conrelid::regclass::text, conname`,
    [table],
  );
  return [...rows];
}

/** The table's keys and indexes, and the foreign keys that reference it, from the catalog, in name order. */
async function tableStructures(tx: Sql, table: WarehouseTableName): Promise<TableStructures> {
  const indexes = await tx<{ name: string; definition: string }[]>`SELECT c.relname AS name,
      pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = ${table}::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
    ORDER BY c.relname`;
  return {
    referencing: await constraints(tx, table, "referencing"),
    keys: await constraints(tx, table, "keys"),
    indexes: [...indexes],
  };
}
