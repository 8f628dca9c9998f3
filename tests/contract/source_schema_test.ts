// The project's ToteSys DDL (tools/totesys/schema.sql, the live schema) against the source contract
// (lib/contract/source.ts): every table, column in DDL order with its kind, primary key and foreign key.
import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import { createTotesysSchema } from "../../tools/totesys/schema.ts";
import { TOTESYS_COLUMNS } from "../../tools/totesys/seed_rows.ts";
import {
  kindOfPgType,
  SOURCE_TABLE_NAMES,
  SOURCE_TABLES,
  sourceColumnNames,
  sourceForeignKeys,
} from "../../lib/contract/mod.ts";
import { readTables } from "./_catalog.ts";

Deno.test("tools/totesys/schema.sql has exactly the source contract's tables, columns, kinds and keys", async () => {
  const db = await freshDatabase("srccontract");
  try {
    await createTotesysSchema(db.sql);
    const tables = await readTables(db.sql);
    assert.deepEqual([...tables.keys()].sort(), [...SOURCE_TABLE_NAMES].sort());
    const types = await db.sql<{ rel: string; name: string; type: string }[]>`
      SELECT table_name AS rel, column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`;
    for (const name of SOURCE_TABLE_NAMES) {
      const t = SOURCE_TABLES[name];
      assert.deepEqual(
        types.filter((r) => r.rel === name).map((r) => [r.name, kindOfPgType(r.type)]),
        Object.entries(t.columns),
        `${name}: columns in DDL order and their kinds`,
      );
      assert.deepEqual(tables.get(name)!.primaryKey, [t.pk], `${name}: primary key`);
      assert.deepEqual(
        tables.get(name)!.foreignKeys,
        sourceForeignKeys().filter((k) => k.table === name).map((k) =>
          `${k.column} -> ${k.references}.${SOURCE_TABLES[k.references].pk}`
        ).sort(),
        `${name}: foreign keys`,
      );
    }
  } finally {
    await db.drop();
  }
});

Deno.test("the generator's column lists are the contract's", () => {
  for (const name of SOURCE_TABLE_NAMES) {
    assert.deepEqual(TOTESYS_COLUMNS[name], sourceColumnNames(name), name);
  }
});
