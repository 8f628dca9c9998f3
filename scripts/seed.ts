/**
 * `deno task seed`: fills ToteSys with generated data (tools/totesys/seed.ts) or with a real pg_dump file
 * (tools/totesys/dump.ts).
 *
 *   deno task seed [--orders N] [--seed S] [--database-url URL] [--if-empty] [--create-schema] [--json]
 *   deno task seed --dump FILE [--database-url URL] [--if-empty] [--json]
 *
 * --orders        sales orders to generate (default 10000; purchase orders ≈ 0.43 × N, one transaction and one
 *                 payment per order)
 * --seed          PRNG seed (default 1): the same seed gives the same rows
 * --dump FILE     load a plain-SQL pg_dump file instead (it creates its own tables: use an empty database)
 * --database-url  target database (default $TOTESYS_DATABASE_URL, else `.local/env`); `deno task` echoes its
 *                 arguments with the password: prefer the variable
 * --if-empty      do nothing when sales_order already has rows
 * --create-schema create the ToteSys tables first when they are missing
 *
 * --json          also print the rows written per table to stdout, as one JSON object (for scripts)
 *
 * Progress (rows/s) and a one-line summary go to stderr.
 *
 * @module
 */
import { connect, type Sql } from "../lib/io/pg.ts";
import { totesysUrl } from "./totesys_url.ts";
import { loadDump, seedDatabase, type SeedProgress, totesysSchemaExists } from "../tools/totesys/mod.ts";
import { parseCommandLine, runCli, wholeNumber } from "../lib/io/cli.ts";

const USAGE =
  `Usage: deno task seed [--orders N] [--seed S] [--database-url URL] [--if-empty] [--create-schema] [--json]
       deno task seed --dump FILE [--database-url URL] [--if-empty] [--json]
  Fill ToteSys with generated rows, or with a real pg_dump file.
  --orders N          sales orders to generate (default 10000; purchase orders about 0.43 x N, one transaction
                      and one payment per order)
  --seed S            PRNG seed (default 1): the same seed gives the same rows
  --dump FILE         load a plain-SQL pg_dump file instead (it creates its own tables: use an empty database)
  --database-url URL  target database (default $TOTESYS_DATABASE_URL, else .local/env); deno task echoes its
                      arguments, password included: prefer TOTESYS_DATABASE_URL=URL in the environment
  --if-empty          do nothing when sales_order already has rows
  --create-schema     create the ToteSys tables first when they are missing
  --json              also print the rows written per table to stdout, as one JSON object
  --help, -h          print this and do nothing
  Progress (rows/s) and a one-line summary go to stderr.`;

/** Peak resident memory of this process in MiB (Linux VmHWM; the current RSS elsewhere). */
function peakRssMiB(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux
  }
  return Deno.memoryUsage().rss / 2 ** 20;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");

/** Loads a pg_dump file (`--dump`), unless `--if-empty` and sales_order has rows. */
async function seedFromDump(sql: Sql, dump: string, values: Record<string, unknown>): Promise<void> {
  if (values["if-empty"] && await totesysSchemaExists(sql)) {
    const [row] = await sql`SELECT EXISTS (SELECT 1 FROM sales_order) AS busy`;
    if (row!.busy === true) {
      console.error("seed: sales_order already has rows: nothing to do (--if-empty)");
      return;
    }
  }
  const started = performance.now();
  const result = await loadDump(sql, dump, {
    onCopy: (table, rows) => console.error(`seed: ${table}: ${fmt(rows)} rows`),
  });
  const secs = (performance.now() - started) / 1000;
  console.error(
    `seed: loaded ${dump}: ${result.statements} statements, ${result.skipped.length} skipped, ` +
      `${secs.toFixed(1)} s`,
  );
  if (values.json) console.log(JSON.stringify(result.copied));
}

/**
 * A progress reporter: one line a second at most, and `final()` prints the last state only when it was not the
 * line printed last (no double line at the end).
 */
function progressLines(): { report: (p: SeedProgress) => void; final: () => void } {
  let lastReport = -Infinity;
  let printed: SeedProgress | undefined;
  let last: SeedProgress | undefined;
  const print = (p: SeedProgress) => {
    printed = p;
    lastReport = p.elapsedMs;
    const rate = p.rows / Math.max(p.elapsedMs / 1000, 1e-3);
    console.error(`seed: ${fmt(p.rows)} / ${fmt(p.totalRows)} rows (${p.table}), ${fmt(rate)} rows/s`);
  };
  return {
    report: (p) => {
      last = p;
      if (p.elapsedMs - lastReport >= 1000) print(p);
    },
    final: () => {
      if (last && (last.rows !== printed?.rows || last.table !== printed?.table)) print(last);
    },
  };
}

/** Generates `orders` sales orders and everything they reference. */
async function seedGenerated(
  sql: Sql,
  orders: number,
  seed: number,
  values: Record<string, unknown>,
): Promise<void> {
  const progress = progressLines();
  const started = performance.now();
  const counts = await seedDatabase(sql, {
    orders,
    seed,
    ifEmpty: values["if-empty"] === true,
    createSchema: values["create-schema"] === true,
    onProgress: progress.report,
  });
  if (counts === null) {
    console.error("seed: sales_order already has rows: nothing to do (--if-empty)");
    return;
  }
  progress.final();
  const secs = (performance.now() - started) / 1000;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.error(
    `seed: ${fmt(orders)} sales orders (seed ${seed}): ${fmt(total)} rows in ${secs.toFixed(1)} s ` +
      `(${fmt(total / secs)} rows/s, peak RSS ${fmt(peakRssMiB())} MiB)`,
  );
  if (values.json) console.log(JSON.stringify(counts));
}

await runCli("seed", async () => {
  const { help, values } = parseCommandLine("seed", Deno.args, {
    orders: { type: "string" },
    seed: { type: "string" },
    dump: { type: "string" },
    "database-url": { type: "string" },
    "if-empty": { type: "boolean", default: false },
    "create-schema": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  });
  if (help) return console.log(USAGE);
  const orders = wholeNumber("orders", values.orders, 10_000);
  const seed = wholeNumber("seed", values.seed, 1);
  const dump = values.dump as string | undefined;
  const url = totesysUrl("seed", values["database-url"] as string | undefined);
  const sql = connect(url, { max: 2, applicationName: "totesys-seed" });
  try {
    if (dump !== undefined) await seedFromDump(sql, dump, values);
    else await seedGenerated(sql, orders, seed, values);
  } finally {
    await sql.end();
  }
});
