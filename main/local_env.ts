/**
 * C16: the CLI works in a new shell after `make local-run` with nothing sourced. When no endpoint is configured
 * (none of `TOTESYS_DATABASE_URL`, `TOTESYS_SECRET_ARN`, `WAREHOUSE_DATABASE_URL`, `WAREHOUSE_SECRET_ARN`), the
 * command-line entry points read the `export NAME='value'` lines of `.local/env` (written by the local services)
 * and say so in one line on stderr. Lambda handlers never call this.
 *
 * @module
 */

/** The variables whose presence means "endpoints are configured": `.local/env` is then not read. */
export const ENDPOINT_VARIABLES = [
  "TOTESYS_DATABASE_URL",
  "TOTESYS_SECRET_ARN",
  "WAREHOUSE_DATABASE_URL",
  "WAREHOUSE_SECRET_ARN",
] as const;

/**
 * The S3 emulator's connection: its endpoint and the keys it accepts go together, so `.local/env`'s replace any the
 * shell has (keys exported for AWS made every S3 call fail with `InvalidAccessKeyId` against the emulator).
 */
export const EMULATOR_VARIABLES = ["AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

/** Where the local services write their variables. */
export const LOCAL_ENV_FILE = new URL("../.local/env", import.meta.url);

/**
 * Reads `.local/env` into the environment when no endpoint is configured, and prints one line saying so. Variables
 * already set are kept, except the emulator's connection ({@link EMULATOR_VARIABLES}), which `.local/env` replaces
 * (the line names those it replaced); `AWS_SESSION_TOKEN` and `AWS_PROFILE` are then dropped (the SDK would use
 * them instead of the emulator's keys).
 *
 * @returns the names set, or an empty list when endpoints were configured or the file does not exist.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadLocalEnvIfUnconfigured } from "./local_env.ts";
 * for (const v of ["TOTESYS_DATABASE_URL", "TOTESYS_SECRET_ARN", "WAREHOUSE_DATABASE_URL", "WAREHOUSE_SECRET_ARN"]) {
 *   Deno.env.delete(v);
 * }
 * const file = await Deno.makeTempFile();
 * await Deno.writeTextFile(file, "export TOTESYS_DATABASE_URL='postgres://h/t'\nexport AWS_ACCESS_KEY_ID='S3RVER'\n");
 * Deno.env.set("AWS_ACCESS_KEY_ID", "AKIAFROMSHELL");
 * const lines: string[] = [];
 * const set = loadLocalEnvIfUnconfigured(new URL(`file://${file}`), (l) => lines.push(l));
 * assert.deepEqual(set, ["TOTESYS_DATABASE_URL", "AWS_ACCESS_KEY_ID"]);
 * assert.equal(Deno.env.get("AWS_ACCESS_KEY_ID"), "S3RVER");
 * assert.match(lines[0]!, /2 variables; the shell's AWS_ACCESS_KEY_ID replaced by the S3 emulator's keys$/);
 * Deno.env.delete("TOTESYS_DATABASE_URL");
 * Deno.env.delete("AWS_ACCESS_KEY_ID");
 * ```
 */
export function loadLocalEnvIfUnconfigured(
  file: URL = LOCAL_ENV_FILE,
  say: (line: string) => void = (l) => console.error(l),
): string[] {
  if (ENDPOINT_VARIABLES.some((v) => Deno.env.get(v))) return [];
  let text: string;
  try {
    text = Deno.readTextFileSync(file);
  } catch {
    return [];
  }
  const set: string[] = [];
  const replaced: string[] = [];
  for (const m of text.matchAll(/^export (\w+)='([^']*)'$/gm)) {
    const [name, value] = [m[1]!, m[2]!];
    const shell = Deno.env.get(name);
    const emulator = (EMULATOR_VARIABLES as readonly string[]).includes(name);
    if (shell !== undefined && !emulator) continue;
    if (shell !== undefined && shell !== value) replaced.push(name);
    Deno.env.set(name, value);
    set.push(name);
  }
  if (set.includes("AWS_ACCESS_KEY_ID")) {
    // the emulator's keys must be the ones used: a shell's profile or session token would take their place
    for (const v of ["AWS_SESSION_TOKEN", "AWS_PROFILE"]) {
      if (Deno.env.get(v) !== undefined) replaced.push(v);
      Deno.env.delete(v);
    }
  }
  if (set.length > 0) {
    say(
      `Using the local services from .local/env (no ${ENDPOINT_VARIABLES[0]} set): ${set.length} variables` +
        (replaced.length > 0
          ? `; the shell's ${replaced.join(", ")} replaced by the S3 emulator's keys`
          : ""),
    );
  }
  return set;
}
