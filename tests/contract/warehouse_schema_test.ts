// The migrated warehouse (lib/load/migrations/*.sql applied by lib/load/migrations.ts to a real PostgreSQL)
// against the contract (lib/contract/): every table, column, type (numeric precision and scale included),
// nullability, primary key and foreign key. A migration that drifts from the contract, or a contract edit
// without its migration, fails here.
import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import { migrate } from "../../lib/load/migrations.ts";
import {
  foreignKeys,
  PARQUET_DECIMAL,
  primaryKey,
  sqlTypeOf,
  WAREHOUSE_TABLE_NAMES,
  warehouseColumns,
} from "../../lib/contract/mod.ts";
import { WAREHOUSE_RELATIONS } from "../../lib/contract/dictionary.ts";
import { DECIMAL_PRECISION, DECIMAL_SCALE } from "../../lib/parquet/schema.ts";
import { readTables } from "./_catalog.ts";

Deno.test("the migrated warehouse has exactly the contract's tables, columns, types, keys and foreign keys", async () => {
  const db = await freshDatabase("contract");
  try {
    await migrate(db.sql);
    const tables = await readTables(db.sql);
    const pipeline = WAREHOUSE_RELATIONS.filter((r) => r.kind === "pipeline").map((r) => r.name);
    assert.deepEqual([...tables.keys()].sort(), [...WAREHOUSE_TABLE_NAMES, ...pipeline].sort());
    for (const name of WAREHOUSE_TABLE_NAMES) {
      const got = tables.get(name)!;
      assert.deepEqual(
        got.columns,
        warehouseColumns(name).map((c) => ({ name: c.name, type: sqlTypeOf(c), notNull: !c.nullable })),
        `${name}: columns, types and nullability`,
      );
      assert.deepEqual(got.primaryKey, [primaryKey(name)], `${name}: primary key`);
      assert.deepEqual(
        got.foreignKeys,
        foreignKeys().filter((k) => k.table === name).map((k) =>
          `${k.column} -> ${k.references.table}.${k.references.column}`
        ).sort(),
        `${name}: foreign keys`,
      );
    }
    // spelled out, so the test does not only compare the contract with itself
    const sales = tables.get("fact_sales_order")!;
    assert.deepEqual(sales.columns.find((c) => c.name === "unit_price"), {
      name: "unit_price",
      type: "numeric(10,2)",
      notNull: true,
    });
    assert.ok(sales.foreignKeys.includes("sales_staff_id -> dim_staff.staff_id"));
    assert.equal(foreignKeys().length, 24);
  } finally {
    await db.drop();
  }
});

Deno.test("the Parquet decimal is the contract's", () => {
  assert.deepEqual({ precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE }, PARQUET_DECIMAL);
});
