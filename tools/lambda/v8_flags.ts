/**
 * The V8 flags and the malloc settings every stage process runs with, read from their one home: the
 * `STAGE_V8_FLAGS="..."` and `export MALLOC_...=...` lines of lambda/bootstrap (the Lambda runtime's launch). The
 * benchmark launches the stages it measures with those of the code it measures (bench/measure.ts), the chunk
 * runner its chunks, and tests/deploy/v8_flags_test.ts checks that deno.json's tasks use the same, so
 * production, local runs and the benchmark cannot drift apart.
 *
 * @module
 */
import { join } from "node:path";

/** Where the flags live, relative to a checkout's root. */
export const BOOTSTRAP_FILE = "lambda/bootstrap";

/**
 * The `deno run` arguments of the bootstrap's `STAGE_V8_FLAGS="..."` line.
 *
 * @example
 * ```ts
 * import { parseStageV8Flags } from "./v8_flags.ts";
 * parseStageV8Flags('STAGE_V8_FLAGS="--v8-flags=--max-old-space-size=192"\n'); // ["--v8-flags=--max-old-space-size=192"]
 * ```
 * @returns the arguments (split on spaces), or an empty array when the text has no such line (a bootstrap of a
 *   commit older than the line).
 * @throws Error quoting the value when an argument does not start with `--`.
 */
export function parseStageV8Flags(bootstrap: string): string[] {
  const m = /^STAGE_V8_FLAGS="([^"]*)"$/m.exec(bootstrap);
  if (!m) return [];
  const flags = m[1]!.split(" ").filter((flag) => flag !== "");
  for (const flag of flags) {
    if (!flag.startsWith("--")) throw new Error(`STAGE_V8_FLAGS has "${flag}", which is not a flag`);
  }
  return flags;
}

/**
 * The stage processes' V8 flags of the code at `dir`: its lambda/bootstrap's; for a benchmark snapshot (a folder
 * named by a 12-digit commit prefix, holding only main/, lib/ and the Deno files), that commit's bootstrap, read
 * with `git show` in the repository at `repo`.
 *
 * @returns the `deno run` arguments; an empty array when the code has no bootstrap or no flags line.
 * @throws Error as {@link parseStageV8Flags}; the file system's errors other than a missing file.
 */
export async function stageV8Flags(dir: string, repo = dir): Promise<string[]> {
  return (await stageLaunch(dir, repo)).flags;
}

/** How a stage process is launched: its `deno run` V8 arguments and its extra environment. */
export interface StageLaunch {
  /** The `deno run` arguments of `STAGE_V8_FLAGS` ({@link parseStageV8Flags}). */
  flags: string[];
  /** The malloc settings ({@link parseStageEnv}). */
  env: Record<string, string>;
}

/**
 * The flags and the malloc settings of the code at `dir`, from one read of its bootstrap (found as
 * {@link stageV8Flags} says).
 *
 * @returns both; empty when the code has no bootstrap or no such lines.
 * @throws Error as {@link parseStageV8Flags}; the file system's errors other than a missing file.
 */
export async function stageLaunch(dir: string, repo = dir): Promise<StageLaunch> {
  const text = await bootstrapText(dir, repo);
  return text === undefined
    ? { flags: [], env: {} }
    : { flags: parseStageV8Flags(text), env: parseStageEnv(text) };
}

/** The bootstrap of the code at `dir` (or of the commit a snapshot folder is named by), or undefined. */
async function bootstrapText(dir: string, repo: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(join(dir, BOOTSTRAP_FILE));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  const commit = /(?:^|\/)([0-9a-f]{12})\/?$/.exec(dir)?.[1];
  if (commit === undefined) return undefined;
  const out = await new Deno.Command("git", {
    args: ["show", `${commit}:${BOOTSTRAP_FILE}`],
    cwd: repo,
    stdout: "piped",
    stderr: "null",
  }).output();
  return out.success ? new TextDecoder().decode(out.stdout) : undefined;
}

/**
 * The glibc malloc settings of the bootstrap's `export MALLOC_<NAME>=<value>` lines, as environment variables.
 * glibc reads them once, when a process starts, so they must be in the environment of the stage process itself.
 *
 * @example
 * ```ts
 * import { parseStageEnv } from "./v8_flags.ts";
 * parseStageEnv("export MALLOC_ARENA_MAX=1\n"); // { MALLOC_ARENA_MAX: "1" }
 * ```
 * @returns the variables by name; empty when the text has none (a bootstrap of a commit older than them).
 */
export function parseStageEnv(bootstrap: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of bootstrap.matchAll(/^export (MALLOC_[A-Z_]+)=([0-9]+)$/gm)) env[m[1]!] = m[2]!;
  return env;
}

/**
 * The stage processes' malloc settings of the code at `dir` ({@link parseStageEnv}), found as
 * {@link stageV8Flags} finds the flags.
 *
 * @returns the variables by name; empty when the code has no bootstrap or no such line.
 * @throws the file system's errors other than a missing file.
 */
export async function stageEnv(dir: string, repo = dir): Promise<Record<string, string>> {
  return (await stageLaunch(dir, repo)).env;
}
