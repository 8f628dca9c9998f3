/**
 * `deno task scratch-db NAME`: creates an empty database NAME on the warehouse's server (WAREHOUSE_DATABASE_URL)
 * when it does not exist, and prints its URL, for `make rebuild` (an `etl rebuild` needs an empty warehouse).
 * The password in the URL printed is the one of WAREHOUSE_DATABASE_URL: the output is meant for a variable, as
 * `make rebuild` uses it, not for a log.
 *
 * @module
 */
import { parseCommandLine, runCli, UsageError } from "../lib/io/cli.ts";
import { openDatabase } from "../main/config.ts";
import { loadLocalEnvIfUnconfigured } from "../main/local_env.ts";

const USAGE = `Usage: deno task scratch-db NAME
  Create the empty database NAME (letters, digits, _) on the server of WAREHOUSE_DATABASE_URL if it is missing,
  and print its URL (used by make rebuild: the warehouse rebuilt from the lake into NAME, then reconciled).
  --help, -h  print this and do nothing`;

await runCli("scratch-db", async () => {
  const { help, positionals } = parseCommandLine("scratch-db", Deno.args, {}, 1);
  if (help) return console.log(USAGE);
  const name = positionals[0] ?? "";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new UsageError(`Database name "${name}" is not letters, digits and _ (lower case)`);
  }
  loadLocalEnvIfUnconfigured(); // the local services' .local/env, as etl, seed and simulate read it
  const url = Deno.env.get("WAREHOUSE_DATABASE_URL");
  if (!url) throw new UsageError("WAREHOUSE_DATABASE_URL is not set: run make local-up, or set it");
  const sql = await openDatabase("WAREHOUSE", "totes-scratch-db", 1);
  try {
    const [row] = await sql`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${name}`;
    if (row!.n === 0) {
      await sql.unsafe(`CREATE DATABASE "${name}"`); // name checked above
    } else {
      console.error(`scratch-db: database ${name} exists already; its URL is printed as it is (not emptied)`);
    }
  } finally {
    await sql.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  console.log(target.toString());
});
