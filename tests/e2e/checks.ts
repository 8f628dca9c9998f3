/**
 * Warehouse checks shared by the end-to-end tests: fact counts against the source, every foreign key resolving,
 * money and times exact; the keys and the column mapping come from the contract (lib/contract/).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Sql } from "../../lib/io/pg.ts";
import {
  type DescribedColumn,
  foreignKeys,
  SOURCE_TABLES,
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
} from "../../lib/contract/mod.ts";

/** Asserts that every foreign key of the warehouse (the contract's) resolves to a row of its dimension. */
export async function assertForeignKeysResolve(wh: Sql): Promise<void> {
  for (const { table: fact, column: col, references: { table: dim, column: key } } of foreignKeys()) {
    const [r] = await wh.unsafe(
      `SELECT count(*)::int AS n FROM ${fact} f LEFT JOIN ${dim} d ON d.${key} = f.${col} WHERE d.${key} IS NULL`,
    );
    assert.equal(r!.n, 0, `${fact}.${col} → ${dim}`);
  }
}

/** Row counts of all 11 warehouse tables. */
export async function warehouseCounts(wh: Sql): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of WAREHOUSE_TABLE_NAMES) {
    const [r] = await wh.unsafe(`SELECT count(*)::int AS n FROM ${t}`);
    out[t] = r!.n;
  }
  return out;
}

/** Count of a source table. */
export async function sourceCount(src: Sql, table: string): Promise<number> {
  const [r] = await src.unsafe(`SELECT count(*)::int AS n FROM public."${table}"`);
  return r!.n;
}

/** The ToteSys expression of a fact column (lib/contract: its source; a fact has no joined columns). */
function sourceExpression(column: DescribedColumn): string {
  const { column: name, part } = column.source!;
  return part ? `${name}::${part}` : name;
}

/**
 * Asserts that the latest fact version of every source row equals the source row, column for column as the
 * contract maps them (every loaded column that comes from ToteSys), with money as exact text (scale included)
 * and times to the microsecond.
 */
export async function assertLatestFactsMatchSource(src: Sql, wh: Sql): Promise<void> {
  for (const fact of WAREHOUSE_TABLE_NAMES.map((n) => WAREHOUSE_TABLES[n]).filter((t) => t.kind === "fact")) {
    const columns = fact.columns.filter((c) => c.source);
    const key = SOURCE_TABLES[fact.source!].pk;
    const s = await src.unsafe(
      `SELECT string_agg(concat_ws('|', ${columns.map(sourceExpression).join(", ")}), E'\\n' ORDER BY ${key})
         AS s FROM public."${fact.source}"`,
    );
    const w = await wh.unsafe(
      `SELECT string_agg(concat_ws('|', ${
        columns.map((c) => c.name).join(", ")
      }), E'\\n' ORDER BY ${fact.key})
         AS s FROM (SELECT DISTINCT ON (${fact.key}) * FROM ${fact.name}
                    ORDER BY ${fact.key}, ${fact.recordId} DESC) latest`,
    );
    assert.equal(w[0]!.s, s[0]!.s, `${fact.name} latest versions equal ${fact.source}`);
  }
}
