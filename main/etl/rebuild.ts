/**
 * `etl rebuild`: the warehouse again from the ingestion zone alone, into an empty warehouse (lib/rebuild/).
 *
 * @module
 */
import { runRebuild } from "../../lib/rebuild/mod.ts";
import { UsageError } from "../../lib/io/cli.ts";
import { badRowPolicy, bucketFromEnv, openDatabase } from "../config.ts";
import { secs } from "./format.ts";

/** Rebuilds the configured warehouse from the ingestion zone into the processed location `into`. */
export async function rebuildCommand(into: string): Promise<number> {
  if (!/^[0-9A-Za-z_.-]+(\/[0-9A-Za-z_.-]+)*\/$/.test(into)) {
    throw new UsageError(`--into must be a key prefix ending in "/", like "rebuild/", got "${into}"`);
  }
  const policy = badRowPolicy();
  const warehouse = await openDatabase("WAREHOUSE", "totes-rebuild", 2);
  const ingestion = bucketFromEnv("INGESTION_BUCKET");
  const processed = bucketFromEnv("PROCESSED_BUCKET");
  try {
    const result = await runRebuild({
      ingestion,
      processed: processed.under(into),
      warehouse,
      badRows: policy,
      onRun: (done, total, runId, step) => console.error(`[rebuild] ${done}/${total} ${runId} ${step}`),
      clock: () => performance.now(),
      now: () => Date.now(),
    });
    console.log(
      `Rebuilt the warehouse from ${result.runs} run(s) (${result.transformed} transformed, ${result.loaded} ` +
        `loaded now) into s3://${processed.name}/${into} in ${secs(result.ms)}.`,
    );
    return 0;
  } finally {
    await warehouse.end();
    ingestion.client.destroy();
    processed.client.destroy();
  }
}
