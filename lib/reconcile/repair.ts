/**
 * From reconcile's differences to the source keys a repair run re-reads (issue 11). A differing dimension row
 * built from two tables also re-reads the row it joins: a staff member's department, a counterparty's address.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import type { RepairKeys } from "../ingest/repair.ts";
import type { SourceTableName } from "../contract/mod.ts";
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
    if (t.table === "dim_staff") {
      const rows = await source`SELECT DISTINCT department_id AS id FROM staff WHERE staff_id = ANY(${ids})`;
      add("department", rows.map((r) => r.id as number));
    }
    if (t.table === "dim_counterparty") {
      const rows = await source`SELECT DISTINCT legal_address_id AS id FROM counterparty
        WHERE counterparty_id = ANY(${ids})`;
      add("address", rows.map((r) => r.id as number));
    }
  }
  return keys;
}
