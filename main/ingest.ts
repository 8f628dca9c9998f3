/**
 * Ingest entry point: the Lambda handler for the EventBridge schedule, and `deno task etl ingest`.
 *
 * Reads the configuration, builds the adapters, runs {@link runIngest}, closes the adapters. Throws on failure
 * so that Lambda counts the error and retries (issue 3).
 *
 * @module
 */
import { type IngestResult, runIngest } from "../lib/ingest/stage.ts";
import { emfLines, writeMetrics } from "../lib/io/metrics.ts";
import { ingestMetrics } from "./metrics.ts";
import { connect, connectChecked } from "../lib/io/pg.ts";
import { bucketFromEnv, databaseTls, databaseUrl, shareFromEnv } from "./config.ts";
import { log } from "../lib/io/log.ts";
import { runCli } from "../lib/io/cli.ts";
import { chunkedHandler, isChunkedEvent } from "./chunks.ts";
import type { ProgressCallback } from "../lib/io/progress.ts";

/** Six hex digits of entropy for a run id. */
export function entropy(): string {
  return [...crypto.getRandomValues(new Uint8Array(3))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs one ingest against the configured ToteSys and ingestion bucket. @throws on any failure. */
export async function ingest(onProgress?: ProgressCallback): Promise<IngestResult> {
  if (Deno.env.get("INGEST_LAG_SECONDS")) {
    log(
      "warn",
      "ingest",
      "INGEST_LAG_SECONDS is retired and ignored: capture follows transaction ids, so a " +
        "transaction committed late is captured however late",
      {},
    );
  }
  const maxDeleteShare = shareFromEnv("INGEST_MAX_DELETE_SHARE", 0.1);
  const url = await databaseUrl("TOTESYS");
  const source = Deno.env.get("TOTESYS_DATABASE_URL") ? "TOTESYS_DATABASE_URL" : "TOTESYS_SECRET_ARN";
  const sql = await connectChecked(url, {
    max: 2,
    applicationName: "totes-ingest",
    tls: databaseTls(),
    label: "ToteSys",
    source,
  });
  const bucket = bucketFromEnv("INGESTION_BUCKET", "ingest");
  try {
    return await runIngest({
      sql,
      bucket,
      copyConnection: () =>
        connect(url, { max: 1, applicationName: "totes-ingest-copy", tls: databaseTls(), label: "ToteSys" }),
      maxDeleteShare,
      now: () => Date.now(),
      entropy,
      ...(onProgress ? { onProgress } : {}),
    });
  } finally {
    await sql.end();
    bucket.client.destroy();
  }
}

/**
 * Lambda handler: the EventBridge schedule's event (its content is not used) runs an ingest; Step Functions' events
 * run a chunked first run's steps (main/chunks.ts). An ingest publishes the run's metrics (rows and
 * deletions per table, freshness per table from the capture state, duration: main/metrics.ts) on stdout.
 */
export async function handler(
  event: unknown,
): Promise<IngestResult | Awaited<ReturnType<typeof chunkedHandler>>> {
  if (isChunkedEvent(event)) return await chunkedHandler(event);
  const t = performance.now();
  const result = await ingest();
  const ms = performance.now() - t;
  const now = Date.now();
  writeMetrics(emfLines(ingestMetrics(result, ms, now), now));
  return result;
}

if (import.meta.main) {
  // one line per error, exit 1; a refused source (a row too large, a needed column gone) exits 3 (lib/io/cli.ts)
  await runCli("ingest", async () => {
    console.log(JSON.stringify(await ingest()));
  });
}
