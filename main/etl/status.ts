/**
 * `etl status`: what the pipeline did and what waits, from the lake and the warehouse only (lib/status/).
 *
 * @module
 */
import { collectStatus, formatStatus } from "../../lib/status/mod.ts";
import { bucketFromEnv, openDatabase } from "../config.ts";

/** Prints the status of the last `runs` runs, as text or JSON. */
export async function statusCommand(runs: number, json: boolean): Promise<number> {
  const warehouse = await openDatabase("WAREHOUSE", "totes-status", 1);
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    const status = await collectStatus({ ingestion, processed, warehouse, runs });
    console.log(json ? JSON.stringify(status, null, 1) : formatStatus(status));
    return 0;
  } finally {
    await warehouse.end();
    ingestion.client.destroy();
    processed.client.destroy();
  }
}
