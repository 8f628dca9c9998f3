/**
 * The chunked scenario (`deno task bench --chunked N`): a fresh ToteSys seeded once with N sales orders; the
 * chunked first ingest (`main/chunks_cli.ts run`, one child process per chunk) with 1 worker, then with 2, each
 * on fresh buckets; transform and load of the 2-worker run; an unchunked full run over the same source; and every
 * warehouse table of the two warehouses compared (bench/digest.ts).
 *
 * @module
 */
import { connect } from "../lib/io/pg.ts";
import type { ChunkedRun, ChunkedScenario, ChunkFigure } from "./chunked_report.ts";
import { warehouseDigest } from "./digest.ts";
import { loadAverage, runMeasured } from "./measure.ts";
import {
  cleanups,
  freshPipeline,
  pipelineRun,
  type Settings,
  stageEnv,
  type Target,
  transformAndLoad,
} from "./pipeline.ts";
import { scaleLabel, seconds } from "./report.ts";
import { createDatabase, dropDatabase } from "./resources.ts";
import { seedSource } from "./scale.ts";
import { fmt, progress } from "./log.ts";

/** What the chunked scenario runs with. */
export interface ChunkedOptions {
  /** Keys per chunk, passed to the chunk runner as `--chunk-keys`. */
  chunkKeys: number;
  seed: number;
  /** Worker counts, one chunked ingest each, in this order (default 1 then 2). */
  workers?: number[];
  /** Called with the scenario so far after each step (to save partial figures of a long run). */
  onStep?: (partial: ChunkedScenario) => Promise<void>;
}

const CHUNK_LINE = /^chunk (\w+) #(\d+): (\d+) rows, ([\d.]+) s, peak RSS (\d+|null) MiB/;

/**
 * The chunks the runner reported on its stderr (`chunk <table> #<i>: <rows> rows, <s> s, peak RSS <m> MiB`).
 *
 * @example
 * ```ts
 * import { parseChunkLines } from "./chunked.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseChunkLines(["chunks: run x", "chunk payment #3: 1200 rows, 0.85 s, peak RSS 97 MiB"]), [
 *   { table: "payment", index: 3, rows: 1200, seconds: 0.85, peakRssMiB: 97 },
 * ]);
 * ```
 */
export function parseChunkLines(lines: readonly string[]): ChunkFigure[] {
  const out: ChunkFigure[] = [];
  for (const line of lines) {
    const m = CHUNK_LINE.exec(line);
    if (!m) continue;
    out.push({
      table: m[1]!,
      index: Number(m[2]),
      rows: Number(m[3]),
      seconds: Number(m[4]),
      peakRssMiB: m[5] === "null" ? null : Number(m[5]),
    });
  }
  return out;
}

/** One chunked first ingest with `workers` workers on the fresh pipeline `t`; returns its figures. */
async function chunkedIngest(
  t: Target,
  workers: number,
  chunkKeys: number,
  settings: Settings,
): Promise<ChunkedRun> {
  const load1 = loadAverage();
  const tag = `chunked-w${workers}`;
  progress(`${t.label} ${tag}: deno task chunks run --workers ${workers} --chunk-keys ${chunkKeys}`);
  const run = await runMeasured(
    "main/chunks_cli.ts",
    ["run", "--workers", String(workers), "--chunk-keys", String(chunkKeys)],
    { env: stageEnv(t), cwd: settings.codeDir, logFile: `${settings.resultsDir}/${t.label}-${tag}.log` },
  );
  if (run.code !== 0) {
    throw new Error(
      `Chunked ingest failed (exit ${run.code}) at ${t.label} ${tag}:\n${run.lines.slice(-20).join("\n")}`,
    );
  }
  const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as {
    status?: string;
    runId?: string;
  };
  if (result.status !== "committed" || !result.runId) {
    throw new Error(`Chunked ingest at ${t.label} ${tag} did not commit a run: ${JSON.stringify(result)}`);
  }
  const chunks = parseChunkLines(run.lines);
  const rows = chunks.reduce((a, c) => a + c.rows, 0);
  progress(`${t.label} ${tag}: ${chunks.length} chunks, ${fmt(rows)} rows in ${seconds(run.wallMs)} s`);
  return { workers, runId: result.runId, wallMs: Math.round(run.wallMs), load1, chunks };
}

/** Measures the chunked scenario at `orders` sales orders (see the module doc). */
export async function runChunked(
  orders: number,
  options: ChunkedOptions,
  settings: Settings,
  stamp: string,
): Promise<ChunkedScenario> {
  const label = scaleLabel(orders);
  const sourceDb = `bench_${label.toLowerCase()}_csrc_${stamp}`;
  const sourceUrl = await createDatabase(sourceDb);
  cleanups.push(() => dropDatabase(sourceDb));
  const src = connect(sourceUrl, { max: 2, applicationName: "totes-bench" });
  let seeded;
  try {
    seeded = await seedSource(src, label, orders, options.seed, sourceDb);
  } finally {
    await src.end();
  }
  const c: ChunkedScenario = {
    orders,
    chunkKeys: options.chunkKeys,
    seedMs: seeded.seedMs,
    sourceRows: seeded.sourceRows,
    runs: [],
    transformLoad: null,
    unchunked: null,
    equality: null,
  };
  let last: Target | undefined;
  for (const workers of options.workers ?? [1, 2]) {
    last = await freshPipeline(label, sourceUrl, stamp, `c${workers}`);
    c.runs.push(await chunkedIngest(last, workers, options.chunkKeys, settings));
    await options.onStep?.(c);
  }
  if (!last) return c;
  c.transformLoad = await transformAndLoad(last, settings, "chunked", c.runs.at(-1)!.runId);
  await options.onStep?.(c);
  const plain = await freshPipeline(label, sourceUrl, stamp, "u");
  progress(`${label} unchunked full run over the same source, for the comparison`);
  c.unchunked = await pipelineRun(plain, settings, "unchunked");
  await options.onStep?.(c);
  const [a, b] = [await warehouseDigest(last.warehouseUrl), await warehouseDigest(plain.warehouseUrl)];
  const tables = Object.fromEntries(
    Object.keys(a).map((t) => [t, { chunked: a[t]!, unchunked: b[t] ?? "" }]),
  );
  c.equality = { equal: Object.values(tables).every((d) => d.chunked === d.unchunked), tables };
  progress(`${label} chunked warehouse ${c.equality.equal ? "equals" : "DIFFERS FROM"} the unchunked one`);
  return c;
}
