/**
 * `deno task sql "<query>" [--totesys] [--limit N] [--csv | --json]`: runs one SQL statement against the
 * warehouse (or ToteSys) and prints the rows, for users without psql (C21). Read-only: the statement runs in a
 * READ ONLY transaction. The query reaches the server exactly as given (`$$x$$` stays `$$x$$`); numbers print as
 * numbers (int8 and NUMERIC exactly as the server wrote them); at most `--limit` rows (default 1000) are fetched,
 * with a note when there were more.
 *
 * @module
 */
import { openDatabase } from "../main/config.ts";
import { loadLocalEnvIfUnconfigured } from "../main/local_env.ts";
import { parseCommandLine, runCli, UsageError, wholeNumber } from "../lib/io/cli.ts";
import { formatRows, type OutputFormat, type ResultColumn } from "./sql_format.ts";

const USAGE =
  `Usage: deno task sql "SELECT ..." [--totesys] [--limit N] [--csv | --json]   (make sql Q='SELECT ...')
  Run one read-only SQL statement on the warehouse and print the rows (no psql needed).
  --totesys   run it on ToteSys instead of the warehouse
  --limit N   print at most N rows (default 1000; 0 = all); a note says when there were more
  --csv       print CSV (RFC 4180, a header line) instead of a table
  --json      print a JSON array of objects (numbers as JSON numbers, exact)
  --help, -h  print this and do nothing`;

await runCli("sql", async () => {
  const { help, values, positionals } = parseCommandLine("sql", Deno.args, {
    totesys: { type: "boolean" },
    limit: { type: "string" },
    csv: { type: "boolean" },
    json: { type: "boolean" },
  }, 1);
  if (help) return console.log(USAGE);
  const query = positionals[0];
  if (!query || query.trim() === "") {
    throw new UsageError(`no query given: make sql Q='SELECT ...' (or deno task sql "SELECT ...")`);
  }
  if (values.csv && values.json) throw new UsageError("--csv and --json exclude each other");
  const limit = wholeNumber("limit", values.limit, 1000);
  const format: OutputFormat = values.csv ? "csv" : values.json ? "json" : "table";
  loadLocalEnvIfUnconfigured();
  const target = values.totesys ? "TOTESYS" : "WAREHOUSE";
  const sql = await openDatabase(target, "totes-sql", 1); // a server that is down is named with its variable
  try {
    const { rows, columns, more } = await sql.begin("READ ONLY", async (tx) => {
      const rows: Record<string, unknown>[] = [];
      let columns: ResultColumn[] = [];
      let more = false;
      // A cursor fetches limit + 1 rows at most: a huge table is never read whole.
      const batch = limit === 0 ? 10_000 : limit + 1;
      for await (const part of tx.unsafe(query).cursor(batch)) {
        const cols = (part as unknown as { columns?: { name: string; type: number }[] }).columns;
        if (cols && columns.length === 0) columns = cols.map((c) => ({ name: c.name, type: c.type }));
        for (const r of part) {
          if (limit > 0 && rows.length === limit) {
            more = true;
            break;
          }
          rows.push({ ...r });
        }
        if (more) break;
      }
      if (columns.length === 0 && rows[0]) columns = Object.keys(rows[0]).map((name) => ({ name, type: 25 }));
      return { rows, columns, more };
    });
    console.log(formatRows(rows, columns, format));
    if (format === "table") console.log(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
    if (more) {
      console.error(
        `Note: only the first ${limit} rows are shown (--limit ${limit}); --limit 0 shows all, or add LIMIT to the ` +
          "query.",
      );
    }
  } catch (err) {
    const e = err as Error & { position?: string };
    throw new Error(`${target === "TOTESYS" ? "ToteSys" : "Warehouse"} query failed: ${e.message}`);
  } finally {
    await sql.end();
  }
});
