/**
 * `deno task bench`: speed and memory of the pipeline against the physical floor (issue 6).
 *
 *   deno task bench [--scales 10000,100000,1000000] [--with-3m] [--repeat 3] [--full-repeat 1]
 *                   [--commit REF | --working-tree] [--no-floor] [--profile] [--keep] [--write]
 *                   [--render FILE] [--json FILE] [--markdown FILE]
 *
 * For each scale (sales orders), on the configured servers (or the embedded ones, started if needed):
 * 1. a fresh ToteSys database filled by the seed generator (tools/totesys), fresh warehouse database and buckets;
 * 2. the floor: every source table `COPY TO STDOUT` → `COPY FROM STDIN` into a scratch database with the same
 *    DDL (bench/floor.ts), `--repeat` times, half before and half after the full run;
 * 3. a full first run into the empty warehouse, then incremental runs after `simulate` with 100 and with 10,000
 *    changes (`--repeat` samples each), each stage as its own process (`deno run -A main/<stage>.ts`), measured
 *    for wall time and peak RSS (bench/measure.ts).
 *
 * Prints the report. With `--write` it also writes the tracked docs/benchmarks.json and the generated part of
 * docs/benchmarks.md (between its markers; the rest of the file is kept), after each scale so that a failure late in
 * a long run keeps the earlier scales; without it the tracked files are left alone, so a quick `--scales 10000` run
 * never replaces the published figures. The JSON result always goes to bench/results/<stamp>/result.json. Progress
 * goes to stderr; each stage's JSON log goes to bench/results/<stamp>/ (with `--profile`, V8 CPU profiles of every stage process too: see bench/profile.ts).
 *
 * --scales N,N,...  sales-order counts (default 10000,100000,1000000)
 * --with-3m         adds 3,000,000
 * --repeat N        floor samples and samples of each incremental scenario (default 3)
 * --full-repeat N   full first runs per scale, each on fresh warehouse and buckets (default 1)
 * --no-floor        skip the floor (for profiling runs: ratios and the first target are then not reported)
 * --commit REF      the commit whose main/ and lib/ the stages run (default HEAD), from a snapshot made with
 *                   `git archive` under .local/bench-code/, so edits to the working tree during the run do not count
 * --working-tree    run the stages from the working tree instead (uncommitted changes included)
 * --profile         run the stages with `--cpu-prof` (slower: for finding what limits them, not for the figures)
 * --keep            keep the databases and buckets (default: dropped at the end)
 * --write           write docs/benchmarks.{json,md} (or --json / --markdown FILE); without it nothing tracked
 *                   is written
 * --render FILE     measure nothing: rewrite the Markdown's generated block from a result file (e.g. after
 *                   changing the report's format), and print it
 *
 * @module
 */
import { parseArgs } from "node:util";
import { connect, type Sql } from "../lib/io/pg.ts";
import {
  createTotesysSchema,
  seedDatabase,
  simulateActivity,
  TOTESYS_COLUMNS,
} from "../tools/totesys/mod.ts";
import { copyFloor } from "./floor.ts";
import { loadAverage, parseLogLine, runMeasured, stageOwnMs } from "./measure.ts";
import {
  codeUnderTest,
  createBucket,
  createDatabase,
  deleteBucket,
  describeMachine,
  dropDatabase,
  ensureEnvironment,
  s3Client,
} from "./resources.ts";
import {
  BEGIN_MARKER,
  type BenchResult,
  END_MARKER,
  evaluateTargets,
  generatedMarkdown,
  type MachineInfo,
  mergeMarkdown,
  type PipelineSample,
  scaleLabel,
  type ScaleResult,
  type ScenarioResult,
  seconds,
  type StageName,
  type StageSample,
  totalRows,
} from "./report.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const STARTED = performance.now();
const SOURCE_TABLES = Object.keys(TOTESYS_COLUMNS);
const INCREMENTAL_CHANGES = [100, 10_000];

function fail(message: string): never {
  console.error(`bench: ${message}`);
  Deno.exit(2);
}

/** A progress line on stderr, with the time since the benchmark started. */
function progress(message: string): void {
  const s = Math.round((performance.now() - STARTED) / 1000);
  const stamp = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  console.error(`[bench ${stamp}] ${message}`);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const mib = (kib: number | null) => kib === null ? "?" : `${fmt(kib / 1024)} MiB`;

/** Resources of one pipeline: source, warehouse, buckets. */
interface Target {
  label: string;
  sourceUrl: string;
  warehouseDb: string;
  warehouseUrl: string;
  ingestionBucket: string;
  processedBucket: string;
}

interface Settings {
  resultsDir: string;
  profile: boolean;
  /** Where the stages' code is (a snapshot of a commit, or the working tree). */
  codeDir: string;
}

function stageEnv(t: Target): Record<string, string> {
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

function lastJson(stdout: string): Record<string, unknown> {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`Stage printed no JSON result: ${JSON.stringify(stdout.slice(-500))}`);
  }
}

async function stage(
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

/** Runs ingest, transform and load, each as its own process. */
async function pipelineRun(t: Target, settings: Settings, tag: string): Promise<PipelineSample> {
  const load1 = loadAverage();
  const ingest = await stage(t, settings, tag, "ingest", []);
  if (ingest.result.status !== "committed") {
    throw new Error(`ingest at ${t.label} ${tag} did not commit a run: ${JSON.stringify(ingest.result)}`);
  }
  const runId = String(ingest.result.runId);
  const transform = await stage(t, settings, tag, "transform", ["--run", runId]);
  const load = await stage(t, settings, tag, "load", ["--run", runId]);
  if (load.result.status !== "loaded") throw new Error(`load of ${runId} says ${String(load.result.status)}`);
  const total = ingest.sample.wallMs + transform.sample.wallMs + load.sample.wallMs;
  progress(`${t.label} ${tag}: pipeline ${seconds(total)} s`);
  return {
    runId,
    load1,
    stages: { ingest: ingest.sample, transform: transform.sample, load: load.sample },
  };
}

/** Cleanup actions, run at the end (or on failure) unless --keep. */
const cleanups: (() => Promise<void>)[] = [];

async function freshPipeline(label: string, sourceUrl: string, stamp: string, n: number): Promise<Target> {
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

async function floorSample(
  label: string,
  sourceUrl: string,
  stamp: string,
  i: number,
  foreignKeys: boolean,
): Promise<number> {
  const name = `bench_${label.toLowerCase()}_floor_${stamp}_${i}${foreignKeys ? "" : "_nofk"}`;
  const url = await createDatabase(name);
  try {
    const sql = connect(url, { max: 1, applicationName: "totes-bench" });
    try {
      await createTotesysSchema(sql);
      if (!foreignKeys) {
        const fks =
          await sql`SELECT conrelid::regclass::text AS t, conname FROM pg_constraint WHERE contype = 'f'`;
        for (const f of fks) await sql.unsafe(`ALTER TABLE ${f.t} DROP CONSTRAINT "${f.conname}"`);
      }
    } finally {
      await sql.end();
    }
    const s = await copyFloor(sourceUrl, url, SOURCE_TABLES);
    const big = Object.entries(s.tables).sort((a, b) => b[1] - a[1]).slice(0, 3)
      .map(([t, ms]) => `${t} ${seconds(ms)} s`).join(", ");
    progress(
      `${label} floor ${i + 1}${foreignKeys ? "" : " without foreign keys"}: ${seconds(s.ms)} s (${big})`,
    );
    return Math.round(s.ms);
  } finally {
    await dropDatabase(name);
  }
}

async function runScale(
  orders: number,
  options: { repeat: number; fullRepeat: number; seed: number; floor: boolean },
  settings: Settings,
  stamp: string,
): Promise<ScaleResult> {
  const label = scaleLabel(orders);
  const sourceDb = `bench_${label.toLowerCase()}_src_${stamp}`;
  const sourceUrl = await createDatabase(sourceDb);
  cleanups.push(() => dropDatabase(sourceDb));
  const src: Sql = connect(sourceUrl, { max: 2, applicationName: "totes-bench" });
  try {
    progress(`${label}: seeding ${fmt(orders)} sales orders into ${sourceDb}`);
    let last = 0;
    const t0 = performance.now();
    await seedDatabase(src, {
      orders,
      seed: options.seed,
      createSchema: true,
      onProgress: (p) => {
        if (p.elapsedMs - last < 5000) return;
        last = p.elapsedMs;
        progress(`${label}: seeded ${fmt(p.rows)} / ${fmt(p.totalRows)} rows (${p.table})`);
      },
    });
    const seedMs = Math.round(performance.now() - t0);
    const sourceRows: Record<string, number> = {};
    for (const table of SOURCE_TABLES) {
      const [row] = await src.unsafe(`SELECT count(*) AS n FROM "${table}"`);
      sourceRows[table] = Number(row!.n);
    }
    const rows = totalRows(sourceRows);
    progress(`${label}: ${fmt(rows)} source rows seeded in ${seconds(seedMs)} s`);

    const floor = { rows, samplesMs: [] as number[], noForeignKeysMs: [] as number[], load1: [] as number[] };
    const floorRun = async () => {
      floor.load1.push(loadAverage());
      floor.samplesMs.push(await floorSample(label, sourceUrl, stamp, floor.samplesMs.length, true));
      floor.noForeignKeysMs.push(
        await floorSample(label, sourceUrl, stamp, floor.noForeignKeysMs.length, false),
      );
    };
    const floorRuns = options.floor ? options.repeat : 0;
    const before = Math.ceil(floorRuns / 2);
    for (let i = 0; i < before; i++) await floorRun();

    const full: ScenarioResult = { scenario: "full", changes: null, samples: [] };
    let target: Target | undefined;
    for (let i = 0; i < options.fullRepeat; i++) {
      target = await freshPipeline(label, sourceUrl, stamp, i);
      progress(`${label} full run ${i + 1}/${options.fullRepeat} (${fmt(rows)} rows)`);
      const sample = await pipelineRun(target, settings, `full${i + 1}`);
      if (sample.stages.ingest.rows !== rows) {
        progress(`WARNING: ingest read ${fmt(sample.stages.ingest.rows)} rows, the source has ${fmt(rows)}`);
      }
      full.samples.push(sample);
    }
    for (let i = before; i < floorRuns; i++) await floorRun();

    const scenarios: ScenarioResult[] = [full];
    for (const changes of INCREMENTAL_CHANGES) {
      const sc: ScenarioResult = { scenario: `incremental_${changes}`, changes, samples: [] };
      scenarios.push(sc);
      for (let i = 0; i < options.repeat; i++) {
        const t = performance.now();
        const summary = await simulateActivity(src, { changes, seed: changes + i });
        progress(
          `${label} +${fmt(changes)} changes ${i + 1}/${options.repeat}: simulate wrote ${
            fmt(summary.total)
          } rows in ${seconds(performance.now() - t)} s`,
        );
        sc.samples.push(await pipelineRun(target!, settings, `inc${changes}-${i + 1}`));
      }
    }
    return { orders, sourceRows, seedMs, floor, scenarios };
  } finally {
    await src.end();
  }
}

async function writeResults(result: BenchResult, jsonPath: string, mdPath: string): Promise<void> {
  await Deno.writeTextFile(jsonPath, JSON.stringify(result, null, 1) + "\n");
  await writeMarkdown(result, mdPath);
  progress(`wrote ${jsonPath} and ${mdPath}`);
}

/** Rewrites the generated block of the Markdown report, keeping the rest of the file, and formats it. */
async function writeMarkdown(result: BenchResult, mdPath: string): Promise<void> {
  let existing: string | undefined;
  try {
    existing = await Deno.readTextFile(mdPath);
  } catch {
    existing = undefined;
  }
  await Deno.writeTextFile(mdPath, mergeMarkdown(existing, generatedMarkdown(result)));
  // The project's formatter (lineWidth, aligned tables), so `deno fmt --check` stays clean.
  const fmt = await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", mdPath], cwd: ROOT })
    .output();
  if (!fmt.success) progress(`deno fmt ${mdPath} failed: ${new TextDecoder().decode(fmt.stderr)}`);
}

/** The generated block of the Markdown file as written (formatted), or `fallback` when it cannot be read. */
async function writtenBlock(mdPath: string, fallback: string): Promise<string> {
  try {
    const text = await Deno.readTextFile(mdPath);
    const a = text.indexOf(BEGIN_MARKER);
    const b = text.indexOf(END_MARKER);
    return a >= 0 && b > a ? text.slice(a + BEGIN_MARKER.length, b).trim() : fallback;
  } catch {
    return fallback;
  }
}

function positiveInt(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    fail(`--${name} must be a positive whole number, got "${text}"`);
  }
  return Number(text);
}

const USAGE = `Usage: deno task bench [options]
  Speed and memory of every stage against the raw COPY floor, on fresh databases and buckets per scale.
  --scales N,N,...   sales-order counts (default 10000,100000,1000000)
  --with-3m          add 3,000,000
  --repeat N         floor samples and samples of each incremental scenario (default 3)
  --full-repeat N    full first runs per scale, each on a fresh warehouse and buckets (default 1)
  --seed S           PRNG seed of the generated ToteSys (default 1)
  --no-floor         skip the COPY floor (ratios and the first target are then not reported)
  --commit REF       the commit whose main/ and lib/ the stages run (default HEAD)
  --working-tree     run the stages from the working tree instead (uncommitted changes included)
  --profile          run the stages with --cpu-prof (slower; for finding what limits them)
  --keep             keep the databases and buckets (default: dropped at the end)
  --write            write the tracked docs/benchmarks.{json,md} (or --json / --markdown FILE); without it
                     nothing tracked is written
  --json FILE        where --write writes the JSON (default docs/benchmarks.json)
  --markdown FILE    where --write writes the Markdown (default docs/benchmarks.md)
  --render FILE      measure nothing: rewrite the Markdown's generated block from a result file, and print it
  --help, -h         print this and do nothing`;

async function main(): Promise<void> {
  // A mistake in the command line is one line and exit 2 (C15).
  const { values } = (() => {
    try {
      return parseArgs({
        args: Deno.args,
        options: {
          scales: { type: "string", default: "10000,100000,1000000" },
          "with-3m": { type: "boolean", default: false },
          repeat: { type: "string", default: "3" },
          "full-repeat": { type: "string", default: "1" },
          seed: { type: "string", default: "1" },
          profile: { type: "boolean", default: false },
          "no-floor": { type: "boolean", default: false },
          commit: { type: "string", default: "HEAD" },
          "working-tree": { type: "boolean", default: false },
          keep: { type: "boolean", default: false },
          write: { type: "boolean", default: false },
          "no-write": { type: "boolean", default: false }, // the old opt-out, now the default: accepted, ignored
          render: { type: "string" },
          json: { type: "string", default: `${ROOT}/docs/benchmarks.json` },
          markdown: { type: "string", default: `${ROOT}/docs/benchmarks.md` },
          help: { type: "boolean", short: "h", default: false },
        },
        strict: true,
      });
    } catch (err) {
      fail(`${(err as Error).message.split("\n")[0]} (deno task bench --help shows the options)`);
    }
  })();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.render !== undefined) {
    const result = JSON.parse(await Deno.readTextFile(values.render)) as BenchResult;
    result.targets = evaluateTargets(result.scales);
    if (values.render !== values.json) {
      await Deno.writeTextFile(values.json, JSON.stringify(result, null, 1) + "\n");
    }
    await writeMarkdown(result, values.markdown);
    console.log(await writtenBlock(values.markdown, generatedMarkdown(result)));
    return;
  }
  const write = values.write && !values["no-write"];
  const scales = values.scales.split(",").map((s) => positiveInt("scales", s.trim()));
  if (values["with-3m"] && !scales.includes(3_000_000)) scales.push(3_000_000);
  scales.sort((a, b) => a - b);
  const repeat = positiveInt("repeat", values.repeat);
  const fullRepeat = positiveInt("full-repeat", values["full-repeat"]);
  const seed = positiveInt("seed", values.seed);

  await ensureEnvironment(ROOT);
  const stamp = Date.now().toString(36);
  const resultsDir = `${ROOT}/bench/results/${stamp}`;
  await Deno.mkdir(resultsDir, { recursive: true });
  const code = await codeUnderTest(ROOT, {
    workingTree: values["working-tree"],
    ref: values.commit,
    snapshotsDir: `${ROOT}/.local/bench-code`,
  });
  const settings: Settings = { resultsDir, profile: values.profile, codeDir: code.dir };
  const machine: MachineInfo = await describeMachine(ROOT);
  progress(
    `scales ${
      scales.map(scaleLabel).join(", ")
    }; repeat ${repeat}, full runs ${fullRepeat}; ${machine.cpuModel} ` +
      `x${machine.cores}, ${fmt(machine.memoryMiB)} MiB; ${machine.postgres}; logs in ${resultsDir}`,
  );
  progress(
    `stages run from ${code.dir} (commit ${code.commit.slice(0, 12)}${
      code.dirty ? ", with local changes" : ""
    })`,
  );
  if (values.profile) progress("--profile: stages run with --cpu-prof; figures are slower than normal");

  // Warm-up: load and compile each stage's module graph once, so the first measured process is not the first.
  for (const name of ["ingest", "transform", "load"]) {
    await runMeasured(`main/${name}.ts`, [], {
      env: { ...Deno.env.toObject(), TOTESYS_DATABASE_URL: "postgres://bench:none@127.0.0.1:1/none" },
      cwd: code.dir,
      logFile: `${resultsDir}/warmup-${name}.log`,
    });
  }

  const startedAt = new Date().toISOString();
  const result: BenchResult = {
    version: 1,
    machine,
    startedAt,
    finishedAt: startedAt,
    options: { scales, repeat, fullRepeat, profiled: values.profile },
    code: { commit: code.commit, dirty: code.dirty, snapshot: !values["working-tree"] },
    scales: [],
    targets: [],
  };
  try {
    for (const orders of scales) {
      result.scales.push(
        await runScale(orders, { repeat, fullRepeat, seed, floor: !values["no-floor"] }, settings, stamp),
      );
      result.finishedAt = new Date().toISOString();
      result.targets = evaluateTargets(result.scales);
      await Deno.writeTextFile(`${resultsDir}/result.json`, JSON.stringify(result, null, 1) + "\n");
      if (write) await writeResults(result, values.json, values.markdown);
      if (!values.keep) {
        for (const c of cleanups.splice(0).reverse()) await c().catch((e) => progress(`cleanup: ${e}`));
      }
    }
  } finally {
    if (!values.keep) {
      for (const c of cleanups.splice(0).reverse()) await c().catch((e) => progress(`cleanup: ${e}`));
    } else if (cleanups.length > 0) {
      progress("--keep: databases bench_* and buckets bench-* are left in place");
    }
  }
  const table = generatedMarkdown(result);
  console.log(write ? await writtenBlock(values.markdown, table) : table);
  if (!write) {
    progress(
      `not written to docs/benchmarks.{json,md} (pass --write for that); result in ${resultsDir}/result.json, ` +
        `render it later with --render`,
    );
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (err) {
    console.error(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    Deno.exit(1);
  }
}
