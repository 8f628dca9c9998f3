/**
 * One pipeline under measurement: its fresh resources, and ingest, transform and load each run as its own
 * process, measured for wall time and peak RSS (bench/measure.ts).
 *
 * @module
 */
import { createBucket, createDatabase, deleteBucket, dropDatabase, s3Client } from "./resources.ts";
import { loadAverage, parseLogLine, runMeasured, stageOwnMs } from "./measure.ts";
import { type PipelineSample, seconds, type StageName, type StageSample } from "./report.ts";
import { fmt, mib, progress } from "./log.ts";

/** Resources of one pipeline: source, warehouse, buckets. */
export interface Target {
  label: string;
  sourceUrl: string;
  warehouseDb: string;
  warehouseUrl: string;
  ingestionBucket: string;
  processedBucket: string;
}

/** How the stages run: where their logs and code are, and whether they are profiled. */
export interface Settings {
  resultsDir: string;
  profile: boolean;
  /** Where the stages' code is (a snapshot of a commit, or the working tree). */
  codeDir: string;
}

/** The environment of a stage process aimed at `t`. */
export function stageEnv(t: Target): Record<string, string> {
  return {
    ...Deno.env.toObject(),
    TOTESYS_DATABASE_URL: t.sourceUrl,
    WAREHOUSE_DATABASE_URL: t.warehouseUrl,
    INGESTION_BUCKET: t.ingestionBucket,
    PROCESSED_BUCKET: t.processedBucket,
    AWS_EC2_METADATA_DISABLED: "true",
    NO_COLOR: "1",
  };
}

/** Forwards a stage's interesting log lines to stderr, condensed. */
function forward(prefix: string): (line: string) => void {
  return (line) => {
    const v = parseLogLine(line);
    if (!v) {
      if (line.trim() !== "") console.error(`${prefix} ${line}`);
      return;
    }
    const { time: _t, level, stage: _s, msg, run_id: _r, ...rest } = v;
    const keep = Object.entries(rest)
      .filter(([k, x]) =>
        ["table", "rows", "staged", "merged", "ms", "bytes", "error"].includes(k) && x !== undefined
      )
      .map(([k, x]) => `${k}=${typeof x === "number" ? fmt(x) : String(x)}`);
    console.error(
      `${prefix} ${level === "info" ? "" : `${String(level).toUpperCase()} `}${msg} ${keep.join(" ")}`,
    );
  };
}

/** The stage's result: the last line of its stdout, as JSON. */
function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`Stage printed no JSON result: ${JSON.stringify(stdout.slice(-500))}`);
  }
}

/** Runs one stage as its own process, measured, and returns its sample and result. */
export async function stage(
  t: Target,
  settings: Settings,
  tag: string,
  name: StageName,
  args: string[],
): Promise<{ sample: StageSample; result: Record<string, unknown> }> {
  const prefix = `  [${t.label} ${tag} ${name}]`;
  const file = `${settings.resultsDir}/${t.label}-${tag}-${name}`;
  const run = await runMeasured(`main/${name}.ts`, args, {
    env: stageEnv(t),
    cwd: settings.codeDir,
    logFile: `${file}.log`,
    onLine: forward(prefix),
    ...(settings.profile ? { denoFlags: ["--cpu-prof", `--cpu-prof-dir=${file}.cpuprofile.d`] } : {}),
  });
  if (run.code !== 0) {
    throw new Error(
      `${name} failed (exit ${run.code}) at ${t.label} ${tag}:\n${run.lines.slice(-20).join("\n")}`,
    );
  }
  const result = lastJson(run.stdout);
  let rows = 0;
  const tables = (result.tables ?? {}) as Record<string, unknown>;
  for (const v of Object.values(tables)) {
    if (typeof v === "number") rows += v;
    else if (v && typeof v === "object") {
      const o = v as { rows?: number; staged?: number };
      rows += o.rows ?? o.staged ?? 0;
    }
  }
  const sample: StageSample = {
    wallMs: Math.round(run.wallMs),
    stageMs: stageOwnMs(run.lines),
    rows,
    peakRssKiB: run.peakRssKiB,
  };
  progress(
    `${t.label} ${tag} ${name}: ${seconds(sample.wallMs)} s (own ${
      sample.stageMs === null ? "?" : seconds(sample.stageMs)
    } s), ${fmt(rows)} rows, peak ${mib(sample.peakRssKiB)}`,
  );
  return { sample, result };
}

/** Transforms and loads the committed ingest run `runId`, each as its own process. */
export async function transformAndLoad(
  t: Target,
  settings: Settings,
  tag: string,
  runId: string,
): Promise<{ transform: StageSample; load: StageSample }> {
  const transform = await stage(t, settings, tag, "transform", ["--run", runId]);
  const load = await stage(t, settings, tag, "load", ["--run", runId]);
  if (load.result.status !== "loaded") throw new Error(`load of ${runId} says ${String(load.result.status)}`);
  return { transform: transform.sample, load: load.sample };
}

/** Runs ingest, transform and load, each as its own process. */
export async function pipelineRun(t: Target, settings: Settings, tag: string): Promise<PipelineSample> {
  const load1 = loadAverage();
  const ingest = await stage(t, settings, tag, "ingest", []);
  if (ingest.result.status !== "committed") {
    throw new Error(`ingest at ${t.label} ${tag} did not commit a run: ${JSON.stringify(ingest.result)}`);
  }
  const runId = String(ingest.result.runId);
  const { transform, load } = await transformAndLoad(t, settings, tag, runId);
  const total = ingest.sample.wallMs + transform.wallMs + load.wallMs;
  progress(`${t.label} ${tag}: pipeline ${seconds(total)} s`);
  return { runId, load1, stages: { ingest: ingest.sample, transform, load } };
}

/** Cleanup actions, run at the end (or on failure) unless --keep. */
export const cleanups: (() => Promise<void>)[] = [];

/** A fresh warehouse database and buckets for one pipeline over `sourceUrl`. */
export async function freshPipeline(
  label: string,
  sourceUrl: string,
  stamp: string,
  n: number | string,
): Promise<Target> {
  const warehouseDb = `bench_${label.toLowerCase()}_wh_${stamp}_${n}`;
  const warehouseUrl = await createDatabase(warehouseDb);
  cleanups.push(() => dropDatabase(warehouseDb));
  const s3 = s3Client();
  const ingestionBucket = `bench-${label.toLowerCase()}-ing-${stamp}-${n}`;
  const processedBucket = `bench-${label.toLowerCase()}-proc-${stamp}-${n}`;
  await createBucket(s3, ingestionBucket);
  await createBucket(s3, processedBucket);
  cleanups.push(async () => {
    const c = s3Client();
    try {
      await deleteBucket(c, ingestionBucket);
      await deleteBucket(c, processedBucket);
    } finally {
      c.destroy();
    }
  });
  s3.destroy();
  return { label, sourceUrl, warehouseDb, warehouseUrl, ingestionBucket, processedBucket };
}

/** Runs the cleanup actions, newest first, saying which failed. */
export async function runCleanups(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c().catch((e) => progress(`cleanup: ${e}`));
}
