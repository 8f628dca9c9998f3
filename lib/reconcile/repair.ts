/**
 * From reconcile's differences to the source keys a repair run re-reads (issue 11). A differing dimension row
 * built from two tables also re-reads the row it joins (the contract's `sourceJoins`): a staff member's
 * department, a counterparty's address.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import type { RepairKeys } from "../ingest/repair.ts";
import { SOURCE_TABLES, sourceJoins, type SourceTableName, WAREHOUSE_TABLE_NAMES } from "../contract/mod.ts";
import type { ReconcileResult } from "./mod.ts";

/**
 * The keys to re-read per source table (a key ToteSys no longer has becomes a deletion in the repair run).
 *
 * @param source ToteSys, for the joined rows of dim_staff and dim_counterparty.
 */
export async function repairKeys(result: ReconcileResult, source: Sql): Promise<RepairKeys> {
  const keys: RepairKeys = {};
  const add = (table: SourceTableName, ids: number[]) => {
    if (ids.length === 0) return;
    const entry = keys[table] ?? { reread: [], deleted: [] };
    entry.reread = [...new Set([...entry.reread, ...ids])].sort((a, b) => a - b);
    keys[table] = entry;
  };
  for (const t of result.tables) {
    const ids = t.differences.map((d) => d.key);
    add(t.sourceTable as SourceTableName, ids);
    if (ids.length === 0) continue;
    const from = SOURCE_TABLES[t.sourceTable as SourceTableName];
    const table = WAREHOUSE_TABLE_NAMES.find((n) => n === t.table); // facts compare a view: no joins
    for (const join of table ? sourceJoins(table) : []) {
      const rows = await source`SELECT DISTINCT ${source(join.via)} AS id FROM ${source(from.name)}
        WHERE ${source(from.pk)} = ANY(${ids})`;
      add(join.table, rows.map((r) => r.id as number));
    }
  }
  return keys;
}
