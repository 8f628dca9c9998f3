/**
 * `deno task simulate`: makes ToteSys-like activity in the ToteSys database (tools/totesys/simulate.ts): new orders
 * with their transaction and payment, payments set paid, edited sales orders, addresses and departments, new
 * designs and counterparties.
 *
 *   deno task simulate --changes N [--seed S] [--database-url URL]
 *
 * --changes       rows to insert or update, all tables together (default 100)
 * --seed          PRNG seed (default 1); the run is reproducible given the seed and the database state
 * --database-url  target database (default $TOTESYS_DATABASE_URL, else `.local/env`); `deno task` echoes its
 *                 arguments with the password: prefer the variable
 *
 * Prints a per-table summary (inserted, updated) to stdout, and the same as JSON with --json.
 *
 * @module
 */
import { connect } from "../lib/io/pg.ts";
import { totesysUrl } from "./totesys_url.ts";
import { simulateActivity } from "../tools/totesys/mod.ts";
import { parseCommandLine, runCli, wholeNumber } from "../lib/io/cli.ts";

const USAGE = `Usage: deno task simulate [--changes N] [--seed S] [--database-url URL] [--json]
  Make ToteSys-like activity: new orders with their transaction and payment, payments set paid, edited sales
  orders, addresses and departments, new designs and counterparties. Then run "deno task etl run".
  --changes N         rows to insert or update, all tables together (default 100)
  --seed S            PRNG seed (default 1); reproducible given the seed and the database state
  --database-url URL  target database (default $TOTESYS_DATABASE_URL, else .local/env); deno task echoes its
                      arguments, password included: prefer TOTESYS_DATABASE_URL=URL in the environment
  --json              print the per-table summary as JSON instead of a table
  --help, -h          print this and do nothing`;

await runCli("simulate", async () => {
  const { help, values } = parseCommandLine("simulate", Deno.args, {
    changes: { type: "string" },
    seed: { type: "string" },
    "database-url": { type: "string" },
    json: { type: "boolean", default: false },
  });
  if (help) return console.log(USAGE);
  const changes = wholeNumber("changes", values.changes, 100);
  const seed = wholeNumber("seed", values.seed, 1);
  const url = totesysUrl("simulate", values["database-url"] as string | undefined);
  const sql = connect(url, { max: 1, applicationName: "totesys-simulate" });
  try {
    const started = performance.now();
    const summary = await simulateActivity(sql, { changes, seed });
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
      const all = Object.values(summary.tables);
      const sum = (f: (t: (typeof all)[number]) => number) => String(all.reduce((a, t) => a + f(t), 0));
      // each column its own total (one number under "updated" read as the updates alone)
      console.log(
        `${"total".padEnd(width)}  ${sum((t) => t.inserted).padStart(8)}  ${
          sum((t) => t.updated).padStart(7)
        }`,
      );
    }
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    console.error(
      `simulate: ${summary.total} rows changed after ${summary.since} (up to ${summary.until}), ${secs} s`,
    );
  } finally {
    await sql.end();
  }
});
