/**
 * `deno task docs [--check]`: regenerates docs/warehouse.md, the data dictionary, from the warehouse contract
 * (lib/contract/) and the types and keys of a scratch database on the warehouse's server, migrated (which also
 * applies the contract's `COMMENT`s: lib/load/migrations.ts) and dropped afterwards. `--check` writes nothing and
 * exits 1 when it is stale. Migration 4's `COMMENT` block is frozen as applied: descriptions reach a warehouse
 * with the next migration.
 *
 * @module
 */
import { connect } from "../lib/io/pg.ts";
import { parseCommandLine } from "../lib/io/cli.ts";
import { loadLocalEnvIfUnconfigured } from "../main/local_env.ts";
import { migrate } from "../lib/load/migrations.ts";
import { readCatalog, renderDictionary } from "../lib/report/dictionary_doc.ts";
import { databaseUrl } from "../main/config.ts";

const parsed = (() => {
  try {
    return parseCommandLine("docs", Deno.args, { check: { type: "boolean" } });
  } catch (err) {
    console.error(`docs: ${(err as Error).message}`);
    Deno.exit(2);
  }
})();
if (parsed.help) {
  console.log(`Usage: deno task docs [--check]   (make docs)
  Regenerate docs/warehouse.md from lib/contract/, using a scratch database on the warehouse's server (WAREHOUSE_DATABASE_URL; after make local-up, .local/env is read when it is unset).
  --check     write nothing; exit 1 naming each stale file
  --help, -h  print this and do nothing`);
  Deno.exit(0);
}
loadLocalEnvIfUnconfigured();
const check = Boolean(parsed.values.check);
const root = new URL("../", import.meta.url);
const docFile = new URL("docs/warehouse.md", root);

/** Renders docs/warehouse.md from a scratch database on the server of `url`. */
async function renderFromScratch(url: string): Promise<string> {
  const name = `docs_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`;
  const server = new URL(url);
  server.pathname = "/postgres";
  const admin = connect(server.toString(), { max: 1, applicationName: "totes-docs" });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const sql = connect(scratch.toString(), { max: 1, applicationName: "totes-docs" });
  try {
    await migrate(sql);
    return renderDictionary(await readCatalog(sql));
  } finally {
    await sql.end();
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

try {
  const stale: string[] = [];
  const doc = await renderFromScratch(await databaseUrl("WAREHOUSE"));
  for (const [file, now, next] of [[docFile, readOr(docFile), doc]] as const) {
    if (now === next) continue;
    stale.push(file.pathname.slice(root.pathname.length));
    if (!check) Deno.writeTextFileSync(file, next);
  }
  if (check && stale.length > 0) {
    console.error(`Stale: ${stale.join(", ")}; run "deno task docs" (make docs)`);
    Deno.exitCode = 1;
  } else console.log(stale.length > 0 ? `Wrote ${stale.join(", ")}` : "Generated files are up to date");
} catch (err) {
  console.error(`Error: ${(err as Error).message}`);
  Deno.exitCode = 1;
}

function readOr(url: URL): string {
  try {
    return Deno.readTextFileSync(url);
  } catch {
    return "";
  }
}
