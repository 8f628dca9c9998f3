// The generated index files (deno task indexes, scripts/indexes.ts) are what the contract and the migration files
// give: a rule or a migration added without regenerating fails here.
import assert from "node:assert/strict";
import { indexes, migrationFiles, migrationsIndexText, rulesIndexText } from "../../scripts/indexes.ts";
import { RULES } from "../../lib/transform/rules/mod.ts";
import { MIGRATIONS } from "../../lib/load/migrations.ts";
import { WAREHOUSE_TABLE_NAMES } from "../../lib/contract/mod.ts";

const root = new URL("../../", import.meta.url);

Deno.test("lib/transform/rules/_index.ts and lib/load/migrations/_index.ts are generated and fresh", () => {
  for (const [path, text] of indexes()) {
    assert.equal(Deno.readTextFileSync(new URL(path, root)), text, `${path} is stale: run deno task indexes`);
  }
  assert.deepEqual(Object.keys(RULES), WAREHOUSE_TABLE_NAMES.filter((t) => t !== "dim_date"));
  assert.deepEqual(MIGRATIONS.map((m) => m.version), migrationFiles().map((_, i) => i + 1));
});

Deno.test("a new table or migration changes the generated indexes", () => {
  assert.match(
    rulesIndexText([...WAREHOUSE_TABLE_NAMES, "fact_extra"]),
    /import \{ FACT_EXTRA \} from ".\/fact_extra.ts";/,
  );
  assert.match(
    migrationsIndexText(["0001_star_schema.sql", "0002_extra.sql"]),
    /\{ version: 2, name: "extra", sql: m0002 \}/,
  );
});
