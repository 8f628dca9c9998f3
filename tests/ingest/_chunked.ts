/**
 * Helpers of the chunked-run tests: a pipeline per capture server seeded with 3,000 orders, planning, running
 * chunks in this process, and the chunk runner's CLI as a child process.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openPipeline, type Pipeline } from "../fixtures/pipeline.ts";
import { captureServers } from "./_servers.ts";
import { etlEnv, ROOT } from "../adversarial/_helpers.ts";
import { seedDatabase } from "../../tools/totesys/mod.ts";
import { planChunkedRun, runChunk } from "../../lib/ingest/chunks.ts";
import type { ChunkPlan, ChunkSpec } from "../../lib/ingest/chunk_plan.ts";
import { connect } from "../../lib/io/pg.ts";

let clock = Date.UTC(2026, 11, 2, 6, 0, 0);

/** The tests' clock: a minute later at each call (epoch milliseconds). */
export function tick(): number {
  return (clock += 60_000);
}
const KEYS = 700; // 3,000 orders: 5 sales_order chunks, 7 of payment and transaction, 2 of purchase_order

export async function plan(p: Pipeline, chunkKeys = KEYS): Promise<ChunkPlan> {
  const made = await planChunkedRun({
    sql: p.src.sql,
    bucket: p.ingestion,
    now: tick,
    entropy: () => "c4c4c4",
    chunkKeys,
  });
  assert.ok(made);
  return made;
}

export async function chunks(p: Pipeline, runId: string, list: ChunkSpec[]): Promise<void> {
  const copyConnection = () => connect(p.src.url, { max: 1 });
  const queue = [...list];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      await runChunk({ copyConnection, bucket: p.ingestion, runId, table: c.table, index: c.index });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

/**
 * Defines `tests` once per server (tests/ingest/_servers.ts): `name` suffixes a test's name with the server's, and
 * `withSeeded` gives a pipeline whose ToteSys is seeded with 3,000 orders.
 */
export function forEachSeededServer(
  tests: (
    name: (s: string) => string,
    withSeeded: (prefix: string, fn: (p: Pipeline) => Promise<void>) => Promise<void>,
  ) => void,
): void {
  for (const server of captureServers()) {
    const name = (s: string) => `${s} (${server.label})`;
    const withSeeded = async (prefix: string, fn: (p: Pipeline) => Promise<void>): Promise<void> => {
      if (server.skip) return console.warn(server.skip);
      const p = await openPipeline(prefix, server.source);
      try {
        await seedDatabase(p.src.sql, { orders: 3_000, seed: 4, createSchema: true });
        await fn(p);
      } finally {
        await p.close();
      }
    };
    tests(name, withSeeded);
  }
}

export async function chunkCli(
  p: Pipeline,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "main/chunks_cli.ts", ...args],
    cwd: ROOT,
    env: etlEnv(p, extra),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}
