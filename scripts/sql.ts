/**
 * `deno task sql "<query>" [--totesys]`: runs one SQL statement against the warehouse (or ToteSys) and prints the
 * rows as a table, for users without psql. Read-only: the statement runs in a READ ONLY transaction.
 *
 * @module
 */
import { connect } from "../lib/io/pg.ts";
import { databaseTls, databaseUrl } from "../main/config.ts";

const query = Deno.args.find((a) => !a.startsWith("--"));
if (!query) {
  console.error(`Usage: deno task sql "SELECT ..." [--totesys]   (make sql Q="SELECT ...")`);
  Deno.exit(2);
}
const target = Deno.args.includes("--totesys") ? "TOTESYS" : "WAREHOUSE";
const sql = connect(await databaseUrl(target), { max: 1, applicationName: "totes-sql", tls: databaseTls() });
try {
  const rows = await sql.begin("READ ONLY", (tx) => tx.unsafe(query));
  if (rows.length > 0) console.table(rows.map((r) => ({ ...r })));
  console.log(`(${rows.length} row${rows.length === 1 ? "" : "s"})`);
} catch (err) {
  console.error(`Error: ${(err as Error).message}`);
  Deno.exitCode = 1;
} finally {
  await sql.end();
}
