/**
 * The report `etl run` prints: rows ingested and deleted per source table, rows in Parquet and loaded per
 * warehouse table, quarantined rows, source column changes, and the stages' times.
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, WAREHOUSE_TABLE_NAMES } from "../../lib/contract/mod.ts";
import { pad, secs } from "./format.ts";

/** What the runs of one `etl run` did, per table. */
export interface RunTotals {
  sourceRows: Record<string, number>;
  parquetRows: Record<string, number>;
  mergedRows: Record<string, number>;
  deletedRows: Record<string, number>;
  quarantinedRows: Record<string, number>;
  /** `<table> +added -dropped ~retyped (run <id>)`. */
  schemaChanges: string[];
}

/** Prints the report of the runs `pending` on stdout. */
export function printRunReport(
  pending: string[],
  totals: RunTotals,
  times: { ingestMs: number; transformMs: number; loadMs: number },
): void {
  console.log(
    `\nRun ${pending.length === 1 ? pending[0] : `${pending[0]} .. ${pending[pending.length - 1]}`}`,
  );
  for (const line of tableLines(totals)) console.log(line);
  console.log(
    "(loaded = rows inserted or changed; rows whose content the warehouse already holds are skipped; " +
      "deleted = source rows gone, recorded in fact_deletion or dimension deleted_at)",
  );
  const quarantined = Object.entries(totals.quarantinedRows).filter(([, n]) => n > 0);
  if (quarantined.length > 0) {
    console.log(
      `\nQuarantined rows: ${quarantined.map(([t, n]) => `${t} ${n}`).join(", ")} ` +
        `(deno task etl status lists them and the rows waiting for them)`,
    );
  }
  if (totals.schemaChanges.length > 0) {
    console.log(`\nSource columns changed (recorded): ${totals.schemaChanges.join("; ")}`);
  }
  console.log(
    `\nTimes: ingest ${secs(times.ingestMs)}, transform ${secs(times.transformMs)}, load ${
      secs(times.loadMs)
    }`,
  );
  console.log(`Query the warehouse: make sql Q='SELECT count(*) FROM fact_sales_order'`);
  console.log(`  or, with psql: (. .local/env && psql "$WAREHOUSE_DATABASE_URL")`);
}

/** The header and one line per source table beside one per warehouse table. */
function tableLines({ sourceRows, deletedRows, parquetRows, mergedRows }: RunTotals): string[] {
  const lines = [
    `${"source table".padEnd(16)}${pad("ingested", 10)}${pad("deleted", 9)}    ${
      "warehouse table".padEnd(22)
    }${pad("parquet", 9)}${pad("loaded", 9)}`,
  ];
  const n = Math.max(SOURCE_TABLE_NAMES.length, WAREHOUSE_TABLE_NAMES.length);
  for (let i = 0; i < n; i++) {
    const s = SOURCE_TABLE_NAMES[i];
    const w = WAREHOUSE_TABLE_NAMES[i];
    const left = s
      ? `${s.padEnd(16)}${pad(sourceRows[s] ?? 0, 10)}${pad(deletedRows[s] ?? 0, 9)}`
      : " ".repeat(35);
    const right = w ? `${w.padEnd(22)}${pad(parquetRows[w] ?? 0, 9)}${pad(mergedRows[w] ?? 0, 9)}` : "";
    lines.push(`${left}    ${right}`);
  }
  return lines;
}
