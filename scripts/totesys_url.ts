/**
 * The ToteSys URL of `deno task seed` and `deno task simulate`: `--database-url`, else `TOTESYS_DATABASE_URL`,
 * else the local services' `.local/env` (read as `etl` reads it, saying so in one line: C16).
 *
 * @module
 */
import { UsageError } from "../lib/io/cli.ts";
import { loadLocalEnvIfUnconfigured } from "../main/local_env.ts";

/**
 * Resolves the target database of `command`. A URL passed as `--database-url` with a password gets a one-line
 * note on stderr: `deno task` has already printed it in its "Task" line.
 *
 * @throws UsageError when no URL is given, set or written by the local services.
 */
export function totesysUrl(command: string, flag: string | undefined): string {
  if (flag !== undefined) {
    if (/^postgres(ql)?:\/\/[^/@]*:[^/@]+@/.test(flag)) {
      console.error(
        `${command}: note: deno task printed --database-url with its password above; ` +
          "pass TOTESYS_DATABASE_URL in the environment instead to keep it out of the terminal and logs",
      );
    }
    return flag;
  }
  loadLocalEnvIfUnconfigured();
  const url = Deno.env.get("TOTESYS_DATABASE_URL");
  if (!url) {
    throw new UsageError(
      "no database: set TOTESYS_DATABASE_URL, or start the local services (make local-up writes .local/env)",
    );
  }
  return url;
}
