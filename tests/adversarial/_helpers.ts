/**
 * Helpers of the adversarial tests: a fresh pipeline with explicit stage calls, warehouse digests, and the CLI as
 * a child process pointed at the fresh resources.
 *
 * @module
 */
import { openPipeline, type Pipeline, type SourceFactory } from "../fixtures/pipeline.ts";
import { serviceEnv } from "../harness.ts";
import { createBaseTotesys } from "../fixtures/totesys_rows.ts";
import { type IngestOptions, type IngestResult, runIngest } from "../../lib/ingest/stage.ts";
import { runTransform, type TransformResult } from "../../lib/transform/stage.ts";
import { type LoadResult, runLoad } from "../../lib/load/stage.ts";
import type { BadRowPolicy } from "../../lib/transform/bad_row.ts";
import { connect, type Sql } from "../../lib/io/pg.ts";
import { setLogSink } from "../../lib/io/log.ts";
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES } from "../../lib/contract/mod.ts";

setLogSink(() => {});

export type { Pipeline };

let clock = Date.UTC(2026, 11, 1, 6, 0, 0);

/** Opens a fresh pipeline; `base` fills ToteSys with the small hand-checked rows. */
export async function open(prefix: string, base = true, source?: SourceFactory): Promise<Pipeline> {
  const p = await openPipeline(prefix, source);
  if (base) await createBaseTotesys(p.src.sql);
  return p;
}

/** Runs `fn` on a fresh pipeline and drops it afterwards. */
export async function withPipeline(
  prefix: string,
  fn: (p: Pipeline) => Promise<void>,
  base = true,
  source?: SourceFactory,
): Promise<void> {
  const p = await open(prefix, base, source);
  try {
    await fn(p);
  } finally {
    await p.close();
  }
}

/** One ingest run on `p` (lag 300 s unless given). */
export async function ingest(p: Pipeline, extra: Partial<IngestOptions> = {}): Promise<IngestResult> {
  return await runIngest({
    sql: p.src.sql,
    copyConnection: () => connect(p.src.url, { max: 1 }),
    bucket: p.ingestion,
    now: () => (clock += 60_000),
    entropy: () => "adadad",
    maxDeleteShare: 1, // the fixtures are tiny: one deleted row is a large share
    ...extra,
  });
}

/** Transforms one run. */
export async function transform(
  p: Pipeline,
  runId: string,
  badRows: BadRowPolicy = "fail",
): Promise<TransformResult> {
  return await runTransform({ ingestion: p.ingestion, processed: p.processed, runId, badRows });
}

/** Loads one run. */
export async function load(p: Pipeline, runId: string): Promise<LoadResult> {
  return await runLoad({ now: () => Date.now(), sql: p.wh.sql, processed: p.processed, runId });
}

/** Ingest, transform and load; returns the run id, or null when nothing changed. */
export async function cycle(p: Pipeline, badRows: BadRowPolicy = "fail"): Promise<string | null> {
  const r = await ingest(p);
  if (r.status !== "committed") return null;
  await transform(p, r.runId!, badRows);
  await load(p, r.runId!);
  return r.runId;
}

/**
 * Per warehouse table: row count and an md5 of every row's text (loaded columns only: without the warehouse's
 * `*_record_id`, and without `source_run_id`, which names the run and so differs between two pipelines).
 */
export async function digest(sql: Sql): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const exists = await sql`SELECT to_regclass('public.dim_date') IS NOT NULL AS ok`;
  for (const t of WAREHOUSE_TABLE_NAMES) {
    if (!exists[0]!.ok) {
      out[t] = "0:";
      continue;
    }
    const cols = WAREHOUSE_TABLES[t].columns.map((c) => c.name).filter((c) => c !== "source_run_id");
    const list = cols.map((c) => `"${c}"`).join(", ");
    const [r] = await sql.unsafe(
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS h
       FROM (SELECT ${list} FROM ${t}) x`,
    );
    out[t] = `${r!.n}:${r!.h}`;
  }
  return out;
}

/** The environment of a CLI child process pointed at `p`'s resources. */
export function etlEnv(p: Pipeline, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TOTESYS_DATABASE_URL: p.src.url,
    WAREHOUSE_DATABASE_URL: p.wh.url,
    INGESTION_BUCKET: p.ingestion.name,
    PROCESSED_BUCKET: p.processed.name,
    AWS_ENDPOINT_URL: serviceEnv("AWS_ENDPOINT_URL")!,
    AWS_ACCESS_KEY_ID: serviceEnv("AWS_ACCESS_KEY_ID") ?? "S3RVER",
    AWS_SECRET_ACCESS_KEY: serviceEnv("AWS_SECRET_ACCESS_KEY") ?? "S3RVER",
    AWS_REGION: serviceEnv("AWS_REGION") ?? "eu-west-2",
    AWS_EC2_METADATA_DISABLED: "true",
    ...extra,
  };
}

/** Root of the repository (for child processes). */
export const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Runs `deno run -A <args>` (a script and its arguments, after any deno flags) to completion from the repository
 * root, with `p`'s environment (etlEnv) and `extra`.
 */
export async function denoRun(
  p: Pipeline,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...args],
    cwd: ROOT,
    env: etlEnv(p, extra),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Runs `deno run -A main/etl.ts <args>` to completion. */
export function etl(
  p: Pipeline,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return denoRun(p, ["main/etl.ts", ...args], extra);
}

/** A source row inserted as the next sales order, copied from sales order 1 with some columns replaced. */
export async function insertSalesOrder(
  sql: Sql,
  id: number,
  set: Record<string, string>,
): Promise<void> {
  const cols = [
    "created_at",
    "last_updated",
    "design_id",
    "staff_id",
    "counterparty_id",
    "units_sold",
    "unit_price",
    "currency_id",
    "agreed_delivery_date",
    "agreed_payment_date",
    "agreed_delivery_location_id",
  ];
  const exprs = cols.map((c) => (c in set ? set[c]! : `"${c}"`));
  await sql.unsafe(
    `INSERT INTO sales_order (sales_order_id, ${cols.map((c) => `"${c}"`).join(", ")})
     SELECT ${id}, ${exprs.join(", ")} FROM sales_order WHERE sales_order_id = 1`,
  );
}
