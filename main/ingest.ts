/**
 * Ingest entry point: the Lambda handler for the EventBridge schedule, and `deno task etl ingest`.
 *
 * Reads the configuration, builds the adapters, runs {@link runIngest}, closes the adapters. Throws on failure
 * so that Lambda counts the error and retries (issue 3).
 *
 * @module
 */
import { type IngestResult, runIngest } from "../lib/ingest/stage.ts";
import { connect } from "../lib/io/pg.ts";
import { bucketFromEnv, databaseUrl, intFromEnv } from "./config.ts";

function entropy(): string {
  return [...crypto.getRandomValues(new Uint8Array(3))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Runs one ingest against the configured ToteSys and ingestion bucket. @throws on any failure. */
export async function ingest(): Promise<IngestResult> {
  const url = await databaseUrl("TOTESYS");
  const sql = connect(url, { max: 2, applicationName: "totes-ingest" });
  const bucket = bucketFromEnv("INGESTION_BUCKET");
  try {
    return await runIngest({
      sql,
      bucket,
      copyConnection: () => connect(url, { max: 1, applicationName: "totes-ingest-copy" }),
      lagSeconds: intFromEnv("INGEST_LAG_SECONDS", 300),
      now: () => Date.now(),
      entropy,
    });
  } finally {
    await sql.end();
    bucket.client.destroy();
  }
}

/** Lambda handler (EventBridge schedule event; its content is not used). */
export async function handler(_event: unknown): Promise<IngestResult> {
  return await ingest();
}

if (import.meta.main) {
  const result = await ingest();
  console.log(JSON.stringify(result));
}
