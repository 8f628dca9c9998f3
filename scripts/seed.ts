/**
 * `deno task seed`: fills ToteSys with generated data (lib/totesys/seed.ts) or with a real pg_dump file
 * (lib/totesys/dump.ts).
 *
 *   deno task seed [--orders N] [--seed S] [--database-url URL] [--if-empty] [--create-schema] [--json]
 *   deno task seed --dump FILE [--database-url URL] [--if-empty] [--json]
 *
 * --orders        sales orders to generate (default 10000; purchase orders ≈ 0.43 × N, one transaction and one
 *                 payment per order)
 * --seed          PRNG seed (default 1): the same seed gives the same rows
 * --dump FILE     load a plain-SQL pg_dump file instead (it creates its own tables: use an empty database)
 * --database-url  target database (default $TOTESYS_DATABASE_URL; `. .local/env` sets it locally)
 * --if-empty      do nothing when sales_order already has rows
 * --create-schema create the ToteSys tables first when they are missing
 *
 * --json          also print the rows written per table to stdout, as one JSON object (for scripts)
 *
 * Progress (rows/s) and a one-line summary go to stderr.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { connect } from "../lib/io/pg.ts";
import { loadDump, seedDatabase, type SeedProgress, totesysSchemaExists } from "../lib/totesys/mod.ts";

function fail(message: string): never {
  console.error(`seed: ${message}`);
  Deno.exit(2);
}

function intFlag(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) fail(`--${name} must be a whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    orders: { type: "string" },
    seed: { type: "string" },
    dump: { type: "string" },
    "database-url": { type: "string" },
    "if-empty": { type: "boolean", default: false },
    "create-schema": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (values.help) {
  console.log(
    "deno task seed [--orders N] [--seed S] [--dump FILE] [--database-url URL] [--if-empty] [--create-schema] [--json]",
  );
  Deno.exit(0);
}

const orders = intFlag("orders", values.orders, 10_000);
const seed = intFlag("seed", values.seed, 1);
const url = values["database-url"] ?? Deno.env.get("TOTESYS_DATABASE_URL");
if (!url) fail("no database: pass --database-url or set TOTESYS_DATABASE_URL (locally: . .local/env)");

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
const sql = connect(url, { max: 2, applicationName: "totesys-seed" });
try {
  if (values.dump !== undefined) {
    if (values["if-empty"] && await totesysSchemaExists(sql)) {
      const [row] = await sql`SELECT EXISTS (SELECT 1 FROM sales_order) AS busy`;
      if (row!.busy === true) {
        console.error("seed: sales_order already has rows: nothing to do (--if-empty)");
        Deno.exit(0);
      }
    }
    const started = performance.now();
    const result = await loadDump(sql, values.dump, {
      onCopy: (table, rows) => console.error(`seed: ${table}: ${fmt(rows)} rows`),
    });
    const secs = (performance.now() - started) / 1000;
    console.error(
      `seed: loaded ${values.dump}: ${result.statements} statements, ${result.skipped.length} skipped, ` +
        `${secs.toFixed(1)} s`,
    );
    if (values.json) console.log(JSON.stringify(result.copied));
  } else {
    let lastReport = 0;
    const report = (p: SeedProgress, force = false) => {
      if (!force && p.elapsedMs - lastReport < 1000) return;
      lastReport = p.elapsedMs;
      const rate = p.rows / Math.max(p.elapsedMs / 1000, 1e-3);
      console.error(`seed: ${fmt(p.rows)} / ${fmt(p.totalRows)} rows (${p.table}), ${fmt(rate)} rows/s`);
    };
    let last: SeedProgress | undefined;
    const started = performance.now();
    const counts = await seedDatabase(sql, {
      orders,
      seed,
      ifEmpty: values["if-empty"],
      createSchema: values["create-schema"],
      onProgress: (p) => report(last = p),
    });
    if (counts === null) {
      console.error("seed: sales_order already has rows: nothing to do (--if-empty)");
    } else {
      if (last) report(last, true);
      const secs = (performance.now() - started) / 1000;
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      console.error(
        `seed: ${fmt(orders)} sales orders (seed ${seed}): ${fmt(total)} rows in ${secs.toFixed(1)} s ` +
          `(${fmt(total / secs)} rows/s, peak RSS ${fmt(peakRssMiB())} MiB)`,
      );
      if (values.json) console.log(JSON.stringify(counts));
    }
  }
} catch (e) {
  console.error(`seed: ${e instanceof Error ? e.message : String(e)}`);
  Deno.exitCode = 1;
} finally {
  await sql.end();
}
