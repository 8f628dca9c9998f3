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

/** Where the local services write their variables. */
export const LOCAL_ENV_FILE = new URL("../.local/env", import.meta.url);

/**
 * Reads `.local/env` into the environment when no endpoint is configured (variables already set are kept), and
 * prints one line saying so.
 *
 * @returns the names set, or an empty list when endpoints were configured or the file does not exist.
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
  for (const m of text.matchAll(/^export (\w+)='([^']*)'$/gm)) {
    if (Deno.env.get(m[1]!) !== undefined) continue;
    Deno.env.set(m[1]!, m[2]!);
    set.push(m[1]!);
  }
  if (set.length > 0) {
    say(
      `Using the local services from .local/env (no ${ENDPOINT_VARIABLES[0]} set): ${set.length} variables`,
    );
  }
  return set;
}
