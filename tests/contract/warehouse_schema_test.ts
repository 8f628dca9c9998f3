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
import { type CatalogTable, readTables } from "./_catalog.ts";

/** What differs between the catalog and the contract, one line per table and aspect (empty when equal). */
function differences(tables: Map<string, CatalogTable>): string[] {
  const out: string[] = [];
  const pipeline = WAREHOUSE_RELATIONS.filter((r) => r.kind === "pipeline").map((r) => r.name);
  const expected = [...WAREHOUSE_TABLE_NAMES, ...pipeline].sort();
  const got = [...tables.keys()].sort();
  if (JSON.stringify(got) !== JSON.stringify(expected)) out.push(`tables: ${got} instead of ${expected}`);
  const differ = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      out.push(`${what}: ${JSON.stringify(a)}, contract ${JSON.stringify(b)}`);
    }
  };
  for (const name of WAREHOUSE_TABLE_NAMES) {
    const t = tables.get(name);
    if (!t) continue;
    // by name: every statement names its columns, and a column added later sits at the table's end
    const byName = <T extends { name: string }>(cs: T[]) =>
      cs.toSorted((a, b) => a.name.localeCompare(b.name));
    const columns = warehouseColumns(name).map((c) => ({
      name: c.name,
      type: sqlTypeOf(c),
      notNull: !c.nullable,
    }));
    differ(`${name} columns`, byName(t.columns), byName(columns));
    differ(`${name} primary key`, t.primaryKey, [primaryKey(name)]);
    const fks = foreignKeys().filter((k) => k.table === name).map((k) =>
      `${k.column} -> ${k.references.table}.${k.references.column}`
    );
    differ(`${name} foreign keys`, t.foreignKeys, fks.sort());
  }
  return out;
}

Deno.test("the migrated warehouse has exactly the contract's tables, columns, types, keys and foreign keys", async () => {
  const db = await freshDatabase("contract");
  try {
    await migrate(db.sql);
    const tables = await readTables(db.sql);
    assert.deepEqual(differences(tables), []);
    // spelled out, so the test does not only compare the contract with itself
    const sales = tables.get("fact_sales_order")!;
    assert.deepEqual(sales.columns.find((c) => c.name === "unit_price"), {
      name: "unit_price",
      type: "numeric(10,2)",
      notNull: true,
    });
    assert.ok(sales.foreignKeys.includes("sales_staff_id -> dim_staff.staff_id"));
    assert.ok(sales.foreignKeys.includes("agreed_delivery_date -> dim_date.date_id"));
    // fact_deletion accepts exactly the contract's facts (a migration adding a fact widens its CHECK)
    const [check] = await db.sql<{ def: string }[]>`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'fact_deletion'::regclass AND contype = 'c' AND conname = 'fact_deletion_fact_table_check'`;
    const facts = WAREHOUSE_TABLE_NAMES.filter((t) => t.startsWith("fact_"));
    assert.deepEqual([...check!.def.matchAll(/'(fact_[a-z_]+)'/g)].map((m) => m[1]).sort(), facts.toSorted());

    // a migration that drifts is named: a type's length, nullability, a dropped foreign key
    await db.sql.unsafe(
      `ALTER TABLE dim_counterparty ALTER COLUMN counterparty_legal_phone_number TYPE varchar(30);
      ALTER TABLE dim_location ALTER COLUMN district SET NOT NULL;
      ALTER TABLE fact_payment DROP CONSTRAINT fact_payment_payment_type_id_fkey`,
    );
    const drift = differences(await readTables(db.sql));
    assert.deepEqual(drift.map((d) => d.split(":")[0]), [
      "dim_location columns",
      "dim_counterparty columns",
      "fact_payment foreign keys",
    ]);
    assert.match(drift[1]!, /character varying\(30\)/);
  } finally {
    await db.drop();
  }
});

Deno.test("the Parquet decimal is the contract's", () => {
  assert.deepEqual({ precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE }, PARQUET_DECIMAL);
});
