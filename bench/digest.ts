/**
 * Every warehouse table as a row count and an md5 over its rows, to compare two warehouses (the chunked first
 * run against the unchunked one). The same columns as tests/adversarial/_helpers.ts's digest (the loaded ones,
 * without `source_run_id`, which names the run), but hashed per row and ordered by the row hashes, so the text
 * aggregated stays 32 bytes a row (one `string_agg` of 3M rows' full text would pass PostgreSQL's 1 GB limit).
 *
 * @module
 */
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES } from "../lib/contract/mod.ts";
import { connect } from "../lib/io/pg.ts";

/** Per warehouse table of the database at `url`: `<rows>:<md5>`. */
export async function warehouseDigest(url: string): Promise<Record<string, string>> {
  const sql = connect(url, { max: 1, applicationName: "totes-bench" });
  try {
    const out: Record<string, string> = {};
    for (const t of WAREHOUSE_TABLE_NAMES) {
      const cols = WAREHOUSE_TABLES[t].columns.map((c) => c.name).filter((c) => c !== "source_run_id");
      const list = cols.map((c) => `"${c}"`).join(", ");
      const [r] = await sql.unsafe(
        `SELECT count(*)::int8 AS n, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS h
         FROM (SELECT md5(x::text) AS h FROM (SELECT ${list} FROM ${t}) x) y`,
      );
      out[t] = `${r!.n}:${r!.h}`;
    }
    return out;
  } finally {
    await sql.end();
  }
}
