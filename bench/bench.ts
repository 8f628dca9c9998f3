/**
 * `deno task bench`: speed and memory of the pipeline against the physical floor, and issue 15's targets.
 *
 *   deno task bench [--scales 10000,100000,1000000] [--with-3m] [--repeat 3] [--full-repeat 1]
 *                   [--chunked N [--chunk-keys K]]
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
 * --chunked N       the chunked scenario at N orders (bench/chunked.ts): chunked first ingest with 1 and with 2
 *                   workers, transform and load of it, an unchunked run, the warehouses compared; alone (no
 *                   --scales), it runs no other scale
 * --chunk-keys K    keys per chunk of the chunked scenario (default 250000, the chunk runner's default)
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
import { codeUnderTest, describeMachine, ensureEnvironment } from "./resources.ts";
import { runMeasured } from "./measure.ts";
import {
  type BenchResult,
  type ChunkedScenario,
  evaluateTargets,
  generatedMarkdown,
  type MachineInfo,
  scaleLabel,
} from "./report.ts";
import { cleanups, runCleanups, type Settings } from "./pipeline.ts";
import { runScale } from "./scale.ts";
import { runChunked } from "./chunked.ts";
import { writeMarkdown, writeResults, writtenBlock } from "./results_io.ts";
import { fail, fmt, progress } from "./log.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

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
  --chunked N        also the chunked first run at N orders: seed once, \`deno task chunks run\` with 1 and
                     with 2 workers (fresh buckets each), transform and load of it, an unchunked full run,
                     every warehouse table compared; per-chunk time and peak RSS (without --scales: only this)
  --chunk-keys K     keys per chunk for --chunked (default 250000)
  --chunked-from F   instead of --chunked, the chunked scenario of an earlier result file F (its commit is named)
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

type Options = ReturnType<typeof parseOptions>;

/** The command line's options; a mistake in it is one line and exit 2 (C15). */
function parseOptions() {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        scales: { type: "string" },
        "with-3m": { type: "boolean", default: false },
        chunked: { type: "string" },
        "chunked-from": { type: "string" },
        "chunk-keys": { type: "string", default: "250000" },
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
    }).values;
  } catch (err) {
    fail(`${(err as Error).message.split("\n")[0]} (deno task bench --help shows the options)`);
  }
}

/** `--render FILE`: measures nothing, rewrites the Markdown's generated block from a result file and prints it. */
async function render(values: Options, file: string): Promise<void> {
  const result = JSON.parse(await Deno.readTextFile(file)) as BenchResult;
  result.targets = evaluateTargets(result.scales, result.chunked);
  if (file !== values.json) {
    await Deno.writeTextFile(values.json, JSON.stringify(result, null, 1) + "\n");
  }
  await writeMarkdown(result, values.markdown);
  console.log(await writtenBlock(values.markdown, generatedMarkdown(result)));
}

/** The chunked scenario of an earlier result file, marked with its commit and end. @throws when it has none. */
async function chunkedFrom(file: string): Promise<ChunkedScenario> {
  const earlier = JSON.parse(await Deno.readTextFile(file)) as BenchResult;
  if (!earlier.chunked) throw new Error(`Result file ${file} has no chunked scenario`);
  const { commit, dirty } = earlier.code;
  return { ...earlier.chunked, from: { commit, dirty, finishedAt: earlier.finishedAt } };
}

/** Sets up the environment, the code under test and the results folder, and says so. */
async function prepare(values: Options, stamp: string) {
  await ensureEnvironment(ROOT);
  const resultsDir = `${ROOT}/bench/results/${stamp}`;
  await Deno.mkdir(resultsDir, { recursive: true });
  const code = await codeUnderTest(ROOT, {
    workingTree: values["working-tree"],
    ref: values.commit,
    snapshotsDir: `${ROOT}/.local/bench-code`,
  });
  const settings: Settings = { resultsDir, profile: values.profile, codeDir: code.dir };
  const machine: MachineInfo = await describeMachine(ROOT);
  return { resultsDir, code, settings, machine };
}

/** Loads and compiles each stage's module graph once, so the first measured process is not the first. */
async function warmUp(settings: Settings): Promise<void> {
  for (const name of ["ingest", "transform", "load"]) {
    await runMeasured(`main/${name}.ts`, [], {
      env: { ...Deno.env.toObject(), TOTESYS_DATABASE_URL: "postgres://bench:none@127.0.0.1:1/none" },
      cwd: settings.codeDir,
      logFile: `${settings.resultsDir}/warmup-${name}.log`,
    });
  }
}

/** Says what is measured, on what, from which code. */
function announce(
  scales: number[],
  repeat: number,
  fullRepeat: number,
  machine: MachineInfo,
  resultsDir: string,
  code: { dir: string; commit: string; dirty: boolean },
  profile: boolean,
): void {
  progress(
    `scales ${
      scales.length > 0 ? scales.map(scaleLabel).join(", ") : "none"
    }; repeat ${repeat}, full runs ${fullRepeat}; ${machine.cpuModel} ` +
      `x${machine.cores}, ${fmt(machine.memoryMiB)} MiB; ${machine.postgres}; logs in ${resultsDir}`,
  );
  progress(
    `stages run from ${code.dir} (commit ${code.commit.slice(0, 12)}${
      code.dirty ? ", with local changes" : ""
    })`,
  );
  if (profile) progress("--profile: stages run with --cpu-prof; figures are slower than normal");
}

/** The scales, the chunked scenario and the sample counts the command line asks for. */
function plan(values: Options) {
  const defaultScales = values.chunked === undefined ? "10000,100000,1000000" : "";
  const scales = (values.scales ?? defaultScales).split(",").filter((s) => s.trim() !== "")
    .map((s) => positiveInt("scales", s.trim()));
  if (values["with-3m"] && !scales.includes(3_000_000)) scales.push(3_000_000);
  scales.sort((a, b) => a - b);
  const chunked = values.chunked === undefined ? null : {
    orders: positiveInt("chunked", values.chunked),
    chunkKeys: positiveInt("chunk-keys", values["chunk-keys"]),
  };
  return {
    scales,
    chunked,
    repeat: positiveInt("repeat", values.repeat),
    fullRepeat: positiveInt("full-repeat", values["full-repeat"]),
    seed: positiveInt("seed", values.seed),
  };
}

/** Saves the result so far (and with --write the tracked files), then drops the resources unless --keep. */
async function checkpoint(result: BenchResult, resultsDir: string, values: Options, write: boolean) {
  result.finishedAt = new Date().toISOString();
  result.targets = evaluateTargets(result.scales, result.chunked);
  await Deno.writeTextFile(`${resultsDir}/result.json`, JSON.stringify(result, null, 1) + "\n");
  if (write) await writeResults(result, values.json, values.markdown);
  if (!values.keep) await runCleanups();
}

async function main(): Promise<void> {
  const values = parseOptions();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.render !== undefined) return await render(values, values.render);
  const write = values.write && !values["no-write"];
  const { scales, chunked, repeat, fullRepeat, seed } = plan(values);

  const stamp = Date.now().toString(36);
  const { resultsDir, code, settings, machine } = await prepare(values, stamp);
  announce(scales, repeat, fullRepeat, machine, resultsDir, code, values.profile);
  if (chunked) {
    progress(`chunked scenario at ${scaleLabel(chunked.orders)}, ${fmt(chunked.chunkKeys)} keys per chunk`);
  }
  // Read before measuring: a wrong file fails now, not after an hour.
  const earlierChunked = values["chunked-from"] ? await chunkedFrom(values["chunked-from"]) : null;
  await warmUp(settings);
  const startedAt = new Date().toISOString();
  const result: BenchResult = {
    version: 1,
    machine,
    startedAt,
    finishedAt: startedAt,
    options: { scales, repeat, fullRepeat, profiled: values.profile },
    code: { commit: code.commit, dirty: code.dirty, snapshot: !values["working-tree"] },
    scales: [],
    chunked: chunked ? null : earlierChunked, // in every checkpoint written
    targets: [],
  };
  try {
    for (const orders of scales) {
      result.scales.push(
        await runScale(orders, { repeat, fullRepeat, seed, floor: !values["no-floor"] }, settings, stamp),
      );
      await checkpoint(result, resultsDir, values, write);
    }
    if (chunked) {
      const onStep = async (partial: ChunkedScenario) => {
        result.chunked = partial;
        await Deno.writeTextFile(`${resultsDir}/result.json`, JSON.stringify(result, null, 1) + "\n");
      };
      result.chunked = await runChunked(chunked.orders, { ...chunked, seed, onStep }, settings, stamp);
      await checkpoint(result, resultsDir, values, write);
    }
  } finally {
    if (!values.keep) await runCleanups();
    else if (cleanups.length > 0) progress("--keep: databases bench_* and buckets bench-* are left in place");
  }
  await printResult(result, values, write, resultsDir);
}

/** Prints the generated Markdown (as written, with --write), or says where the unwritten result is. */
async function printResult(result: BenchResult, values: Options, write: boolean, resultsDir: string) {
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
