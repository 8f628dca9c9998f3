/**
 * Staging a run's Parquet file in the warehouse (IO over the Sql adapter): the file decoded in batches, each row
 * as a COPY text line (lib/load/statements.ts), into a temporary staging table the merge reads.
 *
 * @module
 */
import { WAREHOUSE_TABLES, type WarehouseTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import { copyIn } from "../io/copy.ts";
import type { ProgressCallback } from "../io/progress.ts";
import { decodeParquet } from "../parquet/mod.ts";
import { copyIntoStagingSql, copyTextLine, createStagingSql } from "./statements.ts";

/** The COPY text lines of a Parquet file's rows, in chunks of about 1 MiB; `onRow` is called for each row. */
export async function* copyLines(
  table: WarehouseTableName,
  bytes: Uint8Array,
  onRow: () => void,
): AsyncGenerator<string> {
  for await (const batch of decodeParquet(bytes, WAREHOUSE_TABLES[table].columns, { batchSize: 10_000 })) {
    let chunk = "";
    for (const row of batch) {
      chunk += copyTextLine(table, row);
      onRow();
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
}

/**
 * Copies a Parquet file's rows into the table's new staging table, reporting progress every 8,192 rows.
 *
 * @returns the rows staged.
 */
export async function stageFile(
  tx: Sql,
  progress: ProgressCallback | undefined,
  runId: string,
  table: WarehouseTableName,
  bytes: Uint8Array,
): Promise<number> {
  await tx.unsafe(createStagingSql(table));
  let staged = 0;
  progress?.({ stage: "load", table, rows: 0, phase: "copy", runId });
  await copyIn(
    tx,
    copyIntoStagingSql(table),
    copyLines(table, bytes, () => {
      if ((++staged & 8191) === 0) progress?.({ stage: "load", table, rows: staged, phase: "copy", runId });
    }),
  );
  progress?.({ stage: "load", table, rows: staged, phase: "merge", runId });
  return staged;
}
