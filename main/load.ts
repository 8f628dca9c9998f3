/**
 * Load entry point: the Lambda handler for the S3 "Object Created" event of a transform manifest (through
 * EventBridge), and `deno task etl load --run ID`.
 *
 * @module
 */
import { manifestRunIds } from "../lib/event.ts";
import { log } from "../lib/io/log.ts";
import type { ProgressCallback } from "../lib/io/progress.ts";
import { type LoadResult, runLoad } from "../lib/load/stage.ts";
import { bucketFromEnv, openDatabase } from "./config.ts";
import { emfLines, writeMetrics } from "../lib/io/metrics.ts";
import { loadMetrics } from "./metrics.ts";

/** Loads one transform run into the configured warehouse. @throws LoadError after rolling back. */
export async function load(runId: string, onProgress?: ProgressCallback): Promise<LoadResult> {
  const sql = await openDatabase("WAREHOUSE", "totes-load", 2);
  const processed = bucketFromEnv("PROCESSED_BUCKET", "load");
  try {
    return await runLoad({
      now: () => Date.now(),
      sql,
      processed,
      runId,
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    await sql.end();
    processed.client.destroy();
  }
}

/**
 * Lambda handler: loads the run of every transform manifest named in the event; ignores other objects. Publishes
 * rows loaded and deletions per table and the duration (main/metrics.ts) on stdout.
 */
export async function handler(event: unknown): Promise<LoadResult[]> {
  const { runIds, ignored, malformed } = manifestRunIds(event, "transform");
  for (const bad of malformed) {
    log("warn", "load", `Skipping an object key with a malformed URL escape: ${JSON.stringify(bad.raw)}`, {
      key: bad.raw,
      error: bad.error,
    });
  }
  for (const key of ignored) {
    log("info", "load", "Ignoring an object that is not a transform manifest", { key });
  }
  const t = performance.now();
  const results: LoadResult[] = [];
  for (const id of runIds) results.push(await load(id));
  writeMetrics(emfLines(loadMetrics(results, performance.now() - t), Date.now()));
  return results;
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--run");
  const runId = i >= 0 ? Deno.args[i + 1] : undefined;
  if (!runId) {
    console.error("Usage: deno run -A main/load.ts --run RUN_ID");
    Deno.exit(2);
  }
  console.log(JSON.stringify(await load(runId)));
}
