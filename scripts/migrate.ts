/**
 * `deno task migrate`: brings the warehouse schema up to date (WAREHOUSE_DATABASE_URL or WAREHOUSE_SECRET_ARN).
 * `--help` touches no database (C13); `--list` prints the migrations this code knows without connecting.
 *
 * @module
 */
import { migrate, MIGRATIONS } from "../lib/load/migrations.ts";
import { openDatabase } from "../main/config.ts";
import { parseCommandLine, runCli } from "../lib/io/cli.ts";

const USAGE = `Usage: deno task migrate [--list]
  Apply the warehouse migrations the database lacks (the load also does it), in one transaction, on the
  warehouse named by WAREHOUSE_DATABASE_URL (or WAREHOUSE_SECRET_ARN).
  --list      print the migrations this code has, and connect to nothing
  --help, -h  print this and do nothing`;

await runCli("migrate", async () => {
  const { help, values } = parseCommandLine("migrate", Deno.args, { list: { type: "boolean" } });
  if (help) return console.log(USAGE);
  if (values.list) {
    for (const m of MIGRATIONS) console.log(`${String(m.version).padStart(4, "0")} ${m.name}`);
    return;
  }
  const sql = await openDatabase("WAREHOUSE", "totes-migrate", 1);
  try {
    const applied = await migrate(sql);
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    console.log(
      applied.length > 0
        ? `Applied migration(s) ${applied.join(", ")}; the warehouse is at version ${latest}`
        : `The warehouse is up to date (version ${latest})`,
    );
  } finally {
    await sql.end();
  }
});
