/**
 * `deno task simulate`: makes ToteSys-like activity in the ToteSys database (lib/totesys/simulate.ts): new orders
 * with their transaction and payment, payments set paid, edited sales orders, addresses and departments, new
 * designs and counterparties.
 *
 *   deno task simulate --changes N [--seed S] [--database-url URL]
 *
 * --changes       rows to insert or update, all tables together (default 100)
 * --seed          PRNG seed (default 1); the run is reproducible given the seed and the database state
 * --database-url  target database (default $TOTESYS_DATABASE_URL; `. .local/env` sets it locally)
 *
 * Prints a per-table summary (inserted, updated) to stdout, and the same as JSON with --json.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { connect } from "../lib/io/pg.ts";
import { simulateActivity } from "../lib/totesys/mod.ts";

function fail(message: string): never {
  console.error(`simulate: ${message}`);
  Deno.exit(2);
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    changes: { type: "string", default: "100" },
    seed: { type: "string", default: "1" },
    "database-url": { type: "string" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});
if (values.help) {
  console.log("deno task simulate --changes N [--seed S] [--database-url URL] [--json]");
  Deno.exit(0);
}
for (const flag of ["changes", "seed"] as const) {
  if (!/^\d+$/.test(values[flag])) {
    fail(`--${flag} must be a whole number, got ${JSON.stringify(values[flag])}`);
  }
}
const url = values["database-url"] ?? Deno.env.get("TOTESYS_DATABASE_URL");
if (!url) fail("no database: pass --database-url or set TOTESYS_DATABASE_URL (locally: . .local/env)");

const sql = connect(url, { max: 1, applicationName: "totesys-simulate" });
try {
  const started = performance.now();
  const summary = await simulateActivity(sql, { changes: Number(values.changes), seed: Number(values.seed) });
  if (values.json) {
    console.log(JSON.stringify(summary));
  } else {
    const width = Math.max(...Object.keys(summary.tables).map((t) => t.length));
    console.log(`${"table".padEnd(width)}  inserted  updated`);
    for (const [table, t] of Object.entries(summary.tables)) {
      if (t.inserted + t.updated === 0) continue;
      console.log(
        `${table.padEnd(width)}  ${String(t.inserted).padStart(8)}  ${String(t.updated).padStart(7)}`,
      );
    }
    console.log(`${"total".padEnd(width)}  ${String(summary.total).padStart(17)}`);
  }
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.error(
    `simulate: ${summary.total} rows changed after ${summary.since} (up to ${summary.until}), ${secs} s`,
  );
} catch (e) {
  console.error(`simulate: ${e instanceof Error ? e.message : String(e)}`);
  Deno.exitCode = 1;
} finally {
  await sql.end();
}
