/**
 * Transform entry point: the Lambda handler for the S3 "Object Created" event of an ingest manifest (through
 * EventBridge), and `deno task etl transform --run ID`.
 *
 * @module
 */
import { manifestRunIds } from "../lib/event.ts";
import { log } from "../lib/io/log.ts";
import type { ProgressCallback } from "../lib/io/progress.ts";
import { runTransform, type TransformResult } from "../lib/transform/stage.ts";
import { badRowPolicy, bucketFromEnv } from "./config.ts";
import { emfLines, writeMetrics } from "../lib/io/metrics.ts";
import { transformMetrics } from "./metrics.ts";

/** Transforms one ingest run from the configured buckets. @throws on any failure (nothing committed). */
export async function transform(runId: string, onProgress?: ProgressCallback): Promise<TransformResult> {
  const ingestion = bucketFromEnv("INGESTION_BUCKET", "transform");
  const processed = bucketFromEnv("PROCESSED_BUCKET", "transform");
  try {
    return await runTransform({
      ingestion,
      processed,
      runId,
      badRows: badRowPolicy(),
      clock: () => performance.now(),
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    ingestion.client.destroy();
    processed.client.destroy();
  }
}

/**
 * Lambda handler: transforms the run of every ingest manifest named in the event; ignores other objects. Publishes
 * rows per table, quarantined rows and the duration (main/metrics.ts) on stdout.
 */
export async function handler(event: unknown): Promise<TransformResult[]> {
  const { runIds, ignored, malformed } = manifestRunIds(event, "ingest");
  for (const bad of malformed) {
    log(
      "warn",
      "transform",
      `Skipping an object key with a malformed URL escape: ${JSON.stringify(bad.raw)}`,
      {
        key: bad.raw,
        error: bad.error,
      },
    );
  }
  for (const key of ignored) {
    log("info", "transform", "Ignoring an object that is not an ingest manifest", { key });
  }
  const t = performance.now();
  const results: TransformResult[] = [];
  for (const id of runIds) results.push(await transform(id));
  writeMetrics(emfLines(transformMetrics(results, performance.now() - t), Date.now()));
  return results;
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--run");
  const runId = i >= 0 ? Deno.args[i + 1] : undefined;
  if (!runId) {
    console.error("Usage: deno run -A main/transform.ts --run RUN_ID");
    Deno.exit(2);
  }
  console.log(JSON.stringify(await transform(runId)));
}
