/**
 * Command-line parsing shared by every command (`deno task etl …`, seed, simulate, migrate, sql, bench):
 * `node:util` `parseArgs` in strict mode, `--flag value` and `--flag=value`, `--help`/`-h` on every command.
 *
 * A mistake in the command line is a {@link UsageError}: the command prints its message as one line and exits 2,
 * never a stack trace. `--help` prints the usage and the command does nothing else (exit 0).
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A mistake in the command line: printed as one line, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * A failure that the same input repeats every time, so retrying cannot help (a chunked run that another run
 * overtook): the command exits 3, and a runner that retries failures (the chunk runner, Step Functions) stops
 * instead. The message says what to do.
 */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentError";
  }
}

/**
 * The source itself is refused (a row too large to carry, a column the pipeline needs is gone or changed type): a
 * {@link PermanentError} whose message says what to fix in ToteSys.
 */
export class RefusedInputError extends PermanentError {
  constructor(message: string) {
    super(message);
    this.name = "RefusedInputError";
  }
}

/** Exit status of a command stopped by a {@link PermanentError}. */
export const PERMANENT_FAILURE_EXIT = 3;

/**
 * The exit status of a command that stopped with `err`: 2 for a {@link UsageError}, 3 for a {@link PermanentError}
 * ({@link PERMANENT_FAILURE_EXIT}), 1 for anything else.
 *
 * @example
 * ```ts
 * import { exitCodeOf, RefusedInputError, UsageError } from "./cli.ts";
 * if (exitCodeOf(new RefusedInputError("row too large")) !== 3) throw new Error("not 3");
 * if (exitCodeOf(new UsageError("bad flag")) !== 2 || exitCodeOf(new Error("lost")) !== 1) throw new Error("wrong");
 * ```
 */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? 2 : err instanceof PermanentError ? PERMANENT_FAILURE_EXIT : 1;
}

/** The options of one command, as `parseArgs` takes them (`help` is added). */
export type CliOptions = NonNullable<ParseArgsConfig["options"]>;

/** What {@link parseCommandLine} found: `help` when `--help` was given (the caller prints the usage). */
export interface ParsedCommandLine {
  help: boolean;
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` against `options` (plus `--help`/`-h`).
 *
 * @param command the command's name as the user types it (e.g. `seed`, `etl run`), for the messages.
 * @param maxPositionals how many bare arguments the command takes (default 0).
 * @throws UsageError naming the unknown flag, the flag without its value, or the extra argument.
 */
export function parseCommandLine(
  command: string,
  args: string[],
  options: CliOptions,
  maxPositionals = 0,
): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    const message = (err as Error).message;
    const ambiguous = /^Option '(-[\w-]+)(?:, (--[\w-]+))?' argument is ambiguous/.exec(message);
    if (ambiguous) {
      // `--runs -1`: parseArgs takes the value for an option and says "ambiguous"; say what to do instead
      const flag = ambiguous[2] ?? ambiguous[1]!;
      const at = args.findIndex((a) => a === ambiguous[1] || a === ambiguous[2]);
      const value = args[at + 1] ?? "";
      const quoted = JSON.stringify(value);
      throw new UsageError(
        `${flag} needs a value, and ${quoted} looks like an option: write ${flag}=${value} if it is the value ` +
          `(deno task ${command} --help shows the options)`,
      );
    }
    const first = message.split("\n")[0]!.replace(/\. To specify a positional.*$/, "");
    const unknown = /^Unknown option '--([\w-]+)'/.exec(first);
    const names = [...Object.keys(options), "help"].map((o) => `--${o}`);
    const hint = unknown ? didYouMean(`--${unknown[1]}`, names) : "";
    throw new UsageError(`${first}${hint} (deno task ${command} --help shows the options)`);
  }
  const help = parsed.values.help === true;
  if (!help && parsed.positionals.length > maxPositionals) {
    const extra = parsed.positionals[maxPositionals]!;
    throw new UsageError(
      `Unexpected argument ${JSON.stringify(extra)} (deno task ${command} --help shows the options)`,
    );
  }
  return { help, values: parsed.values as ParsedCommandLine["values"], positionals: parsed.positionals };
}

/**
 * The closest of `candidates` to a mistyped `word`, as ` (did you mean "x"?)`, or "" when none is within a third of
 * the word's length in edits (Levenshtein distance: insertions, deletions, substitutions; at least 1, at most 3).
 *
 * @example
 * ```ts
 * import { didYouMean } from "./cli.ts";
 * if (didYouMean("reconcle", ["run", "reconcile"]) !== ' (did you mean "reconcile"?)') throw new Error("no hint");
 * if (didYouMean("xyz", ["run", "status"]) !== "") throw new Error("hint for nonsense");
 * if (didYouMean("rnu", ["run", "status"]) !== ' (did you mean "run"?)') throw new Error("no hint for a swap");
 * ```
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { name: string; d: number } | null = null;
  for (const name of candidates) {
    const d = editDistance(word, name);
    if (d <= limit && (best === null || d < best.d)) best = { name, d };
  }
  return best ? ` (did you mean ${JSON.stringify(best.name)}?)` : "";
}

/** Edits between `a` and `b`: insertions, deletions, substitutions and swaps of two neighbours ("rnu" → "run"). */
function editDistance(a: string, b: string): number {
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        cur[j] = Math.min(cur[j]!, before[j - 2]! + 1);
      }
    }
    before = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/** Reads a whole-number flag (`--name 12`, `--name=12`), or `fallback` when absent. @throws UsageError */
export function wholeNumber(name: string, text: unknown, fallback: number): number {
  if (text === undefined) return fallback;
  if (typeof text !== "string" || !/^\d+$/.test(text)) {
    throw new UsageError(`--${name} must be a whole number, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/**
 * Runs a command's body with the shared error handling: a {@link UsageError} prints `<command>: <message>` and
 * exits 2, a {@link PermanentError} exits 3 ({@link PERMANENT_FAILURE_EXIT}); any other error prints one line
 * `<command>: <message>` and exits 1 (no stack trace for a user's mistake; `DEBUG=1` prints the stack too).
 */
export async function runCli(command: string, body: () => Promise<number | void>): Promise<never> {
  let code: number;
  try {
    code = (await body()) ?? 0;
  } catch (err) {
    const e = err as Error;
    console.error(`${command}: ${e?.message ?? String(err)}`);
    if (Deno.env.get("DEBUG")) console.error(e?.stack);
    code = exitCodeOf(err);
  }
  Deno.exit(code);
}

/**
 * A command's usage with its `--help, -h` line appended, its description in the same column as the other options'
 * (the column of the first line that starts with two spaces and `--`; 17 when there is none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withHelpLine } from "./cli.ts";
 * assert.equal(
 *   withHelpLine("Usage: x [--runs N]\n  --runs N       how many"),
 *   "Usage: x [--runs N]\n  --runs N       how many\n  --help, -h     print this and do nothing",
 * );
 * ```
 */
export function withHelpLine(usage: string): string {
  const option = usage.split("\n").map((l) => /^( {2}--\S.*?\s{2,})\S/.exec(l)).find((m) => m !== null);
  const column = Math.max(option ? option[1]!.length : 17, "  --help, -h  ".length);
  return `${usage}\n${"  --help, -h".padEnd(column)}print this and do nothing`;
}
