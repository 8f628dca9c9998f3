/**
 * `deno task chunks`: a chunked first run on this machine (issue 15; protocol in lib/ingest/chunk_plan.ts).
 *
 * - `run [--workers N] [--chunk-keys K] [--resume RUN_ID] [--retries R]`: plan (or resume a plan), then every
 *   chunk in its own child process (`chunk`), N at a time, each retried up to R times, then the commit. Prints a
 *   line per chunk (rows, seconds, peak RSS) and the run's result as JSON.
 * - `plan`, `chunk --run ID --table T --index I`, `commit --run ID`: one step each (what the Lambda does).
 *
 * A chunk runs as a process of its own, as in Lambda: its memory is measured alone, and a worker killed half-way
 * (kill -9) loses only its chunk, which the retry (or `run --resume`) reads again.
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../lib/contract/mod.ts";
import {
  didYouMean,
  parseCommandLine,
  PERMANENT_FAILURE_EXIT,
  PermanentError,
  runCli,
  UsageError,
  wholeNumber,
} from "../lib/io/cli.ts";
import { setLogSink } from "../lib/io/log.ts";
import { chunk, type ChunkAnswer, type ChunkItem, commit, doneChunks, plan, planItems } from "./chunks.ts";
import { loadLocalEnvIfUnconfigured } from "./local_env.ts";
import { type StageLaunch, stageLaunch } from "../tools/lambda/v8_flags.ts";

const USAGE = `Usage: deno task chunks <command> [options]
  A first ingest run split into key-range chunks, run by parallel workers, then committed as one run.
  run [--workers N] [--chunk-keys K] [--resume RUN_ID] [--retries R] [--verbose]
                      plan, run every chunk (N child processes at a time, default 2; each retried up to R
                      times, default 1), then commit; --resume finishes an earlier plan (done chunks are skipped)
  plan [--chunk-keys K]                        plan only; prints the run id and its chunks as JSON
  chunk --run ID --table T --index I           run one chunk; prints its rows, seconds and peak RSS as JSON
  commit --run ID                              commit once every chunk is done
  --chunk-keys K   keys per chunk (default 250000)
  --help, -h       print this and do nothing`;

const OPTIONS = {
  workers: { type: "string" },
  "chunk-keys": { type: "string" },
  resume: { type: "string" },
  retries: { type: "string" },
  run: { type: "string" },
  table: { type: "string" },
  index: { type: "string" },
  verbose: { type: "boolean" },
  "kill-after-object": { type: "boolean" },
} as const;

async function main(argv: string[]): Promise<number> {
  const { help, values, positionals } = parseCommandLine("chunks", argv, OPTIONS, 1);
  const command = positionals[0];
  if (help || command === undefined) {
    console.log(USAGE);
    return help ? 0 : 2;
  }
  const commands = ["run", "plan", "chunk", "commit"];
  if (!commands.includes(command)) {
    throw new UsageError(
      `Unknown command "${command}"${
        didYouMean(command, commands)
      } (deno task chunks --help shows the commands)`,
    );
  }
  const keys = wholeNumber("chunk-keys", values["chunk-keys"], 0) || undefined;
  // every option is checked before anything is read or planned
  const workers = wholeNumber("workers", values.workers, 2);
  if (workers < 1) throw new UsageError(`--workers must be at least 1, got ${workers}`);
  const retries = wholeNumber("retries", values.retries, 1);
  loadLocalEnvIfUnconfigured();
  if (!values.verbose) setLogSink(() => {});
  switch (command) {
    case "plan":
      console.log(JSON.stringify(await plan(keys)));
      return 0;
    case "commit":
      console.log(JSON.stringify(await commit(need(values.run, "run"))));
      return 0;
    case "chunk":
      return await chunkCommand(values);
  }
  const resume = values.resume === undefined ? undefined : need(values.resume, "resume");
  return await runChunks(resume, keys, workers, retries);
}

/** `chunks run`: plans (or resumes) a chunked run, runs its chunks in child processes, then commits. */
async function runChunks(
  resume: string | undefined,
  keys: number | undefined,
  workers: number,
  retries: number,
): Promise<number> {
  const items = resume ? await planItems(resume) : (await plan(keys)).chunks;
  if (items === "committed") {
    console.error(`chunks: run ${resume} is already committed; nothing to do`);
    return 0;
  }
  const runId = resume ?? items[0]!.run_id;
  const done = resume ? await doneChunks(items) : new Set<string>();
  const todo = items.filter((c) => !done.has(`${c.table} #${c.index}`));
  console.error(
    `chunks: run ${runId}, ${items.length} chunks` +
      (done.size > 0 ? ` (${items.length - todo.length} already done)` : "") + `, ${workers} worker(s)`,
  );
  const started = performance.now();
  // the stages' V8 flags and malloc settings (lambda/bootstrap's), as the ingest Lambda runs a chunk
  const launch = await stageLaunch(new URL("..", import.meta.url).pathname);
  const pool: Pool = { done: items.length - todo.length, children: new Set() };
  let committing = false;
  const stopWatching = onInterrupt((signal) => {
    for (const child of pool.children) {
      try {
        child.kill("SIGTERM"); // a chunk cut short is read again on resume
      } catch { /* it had just ended */ }
    }
    console.error(
      committing
        ? `\nchunks: interrupted (${signal}) during the commit, which either happened whole or not at all. ` +
          `See with: deno task etl status; finish (or confirm) with: deno task chunks run --resume ${runId}`
        : `\nchunks: interrupted (${signal}) with ${pool.done} of ${items.length} chunks done; nothing is ` +
          `committed. Finish with: deno task chunks run --resume ${runId}`,
    );
    Deno.exit(signal === "SIGINT" ? 130 : 143);
  });
  let result;
  try {
    await runPool(todo, workers, retries, launch, pool);
    committing = true;
    result = await commit(runId);
  } finally {
    stopWatching();
  }
  console.error(`chunks: committed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(result));
  return 0;
}

/** The chunk runner's progress and the chunk processes running (stopped when the runner is interrupted). */
interface Pool {
  done: number;
  children: Set<Deno.ChildProcess>;
}

/** Calls `stop` on SIGINT (Ctrl-C) or SIGTERM; returns the function that stops listening. */
function onInterrupt(stop: (signal: "SIGINT" | "SIGTERM") => void): () => void {
  const signals = ["SIGINT", "SIGTERM"] as const;
  const handlers = signals.map((signal) => () => stop(signal));
  signals.forEach((signal, i) => Deno.addSignalListener(signal, handlers[i]!));
  return () => signals.forEach((signal, i) => Deno.removeSignalListener(signal, handlers[i]!));
}

function need(v: unknown, name: string): string {
  if (typeof v !== "string" || v === "") {
    throw new UsageError(`--${name} is required (deno task chunks --help)`);
  }
  return v;
}

/** One chunk in this process; prints its answer with its seconds and peak RSS (VmHWM, MiB). */
async function chunkCommand(values: Record<string, unknown>): Promise<number> {
  const table = need(values.table, "table") as SourceTableName;
  if (!SOURCE_TABLE_NAMES.includes(table)) throw new UsageError(`Unknown table "${table}"`);
  const item = { run_id: need(values.run, "run"), table, index: wholeNumber("index", values.index, 0) };
  const t0 = performance.now();
  const answer = await chunk(item, { killAfterObject: values["kill-after-object"] === true });
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  const peak = hwm ? Math.round(Number(hwm[1]) / 1024) : null;
  console.log(
    JSON.stringify({ ...answer, s: +((performance.now() - t0) / 1000).toFixed(2), peak_rss_mib: peak }),
  );
  return 0;
}

/**
 * Runs the chunks in child processes, `workers` at a time; a failed chunk is retried up to `retries` times, unless
 * it failed for good (exit {@link PERMANENT_FAILURE_EXIT}: a refused row, an overtaken plan), which also stops the
 * chunks not started yet.
 */
async function runPool(
  items: ChunkItem[],
  workers: number,
  retries: number,
  launch: StageLaunch,
  pool: Pool,
): Promise<void> {
  const queue = items.map((item) => ({ item, tries: 0 }));
  const failures: string[] = [];
  let permanent = false;
  let inARow = 0; // failed attempts since the last chunk done
  let stopped = false;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { item } = next;
      const out = await childChunk(item, launch, pool.children);
      if (typeof out === "number") {
        // a permanent failure (a refused row, an overtaken plan) repeats: no retry, no further chunk (stderr says why)
        if (out === PERMANENT_FAILURE_EXIT) {
          failures.push(`${item.table} #${item.index}, which retrying cannot help`);
          permanent = true;
          queue.length = 0;
        } else if (++inARow >= failuresInARowLimit(workers)) {
          // a service down fails every chunk: stop starting them (each would pay its start and its timeouts)
          failures.push(`${item.table} #${item.index}`);
          stopped = true;
          queue.length = 0;
        } else if (++next.tries <= retries) {
          console.error(`chunk ${item.table} #${item.index} failed; retrying (${next.tries}/${retries})`);
          queue.push(next);
        } else failures.push(`${item.table} #${item.index}`);
      } else {
        inARow = 0;
        pool.done++;
        console.error(
          `chunk ${item.table} #${item.index}: ${out.rows} rows, ${out.s} s, peak RSS ${out.peak_rss_mib} MiB` +
            (out.skipped ? " (already done)" : ""),
        );
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
  if (failures.length > 0) throw poolFailure(failures, items[0]!.run_id, permanent, stopped ? workers : null);
}

/**
 * The chunk runner's error for the chunks that failed: permanent (exit 3) when one failed for good; with
 * `stoppedWorkers`, it stopped starting chunks after too many failures in a row.
 */
function poolFailure(
  failures: string[],
  runId: string,
  permanent: boolean,
  stoppedWorkers: number | null,
): Error {
  const list = `${failures.length} chunk(s) failed (${failures.slice(0, 5).join(", ")})`;
  const resume = `deno task chunks run --resume ${runId}`;
  if (permanent) {
    // exit 3, as the chunk's own: running it again as it is fails the same way
    return new PermanentError(
      `${list}; its error above says what to do: a refused row or column, fix it in ToteSys, then ${resume}; ` +
        `a plan overtaken by another run, nothing (go on with ordinary runs)`,
    );
  }
  const why = stoppedWorkers === null
    ? ""
    : `; stopped after ${
      failuresInARowLimit(stoppedWorkers)
    } failures in a row with none done (is a service down? the errors above say)`;
  return new Error(`${list}${why}; finish with: ${resume}`);
}

/** Failed attempts in a row, with no chunk done between, after which the runner starts no more chunks. */
function failuresInARowLimit(workers: number): number {
  return Math.max(3, 2 * workers);
}

/** One chunk as a child process; its answer, or its exit status when it failed (its stderr is passed through). */
async function childChunk(
  item: ChunkItem,
  launch: StageLaunch,
  running: Set<Deno.ChildProcess>,
): Promise<(ChunkAnswer & { s: number; peak_rss_mib: number }) | number> {
  const args = ["run", "-A", ...launch.flags, new URL(import.meta.url).pathname, "chunk"];
  args.push("--run", item.run_id, "--table", item.table, "--index", String(item.index));
  const child = new Deno.Command(Deno.execPath(), {
    args,
    env: launch.env,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  running.add(child);
  const out = await child.output().finally(() => running.delete(child));
  if (!out.success) return out.code;
  const last = new TextDecoder().decode(out.stdout).trim().split("\n").pop()!;
  return JSON.parse(last);
}

if (import.meta.main) await runCli("chunks", () => main(Deno.args));
