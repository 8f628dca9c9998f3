// The data dictionary against the real migrated warehouse: every table, view and column has the contract's
// description as its COMMENT (applied by lib/load/migrations.ts after the migrations), nothing in the schema is
// undescribed, docs/warehouse.md is not stale, and every example query of the dictionary runs.
import assert from "node:assert/strict";
import { freshDatabase } from "../harness.ts";
import { migrate, MIGRATIONS } from "../../lib/load/migrations.ts";
import { WAREHOUSE_RELATIONS } from "../../lib/contract/dictionary.ts";
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES } from "../../lib/contract/mod.ts";
import { readCatalog, renderDictionary } from "../../lib/report/dictionary_doc.ts";

const root = new URL("../../", import.meta.url);

Deno.test("every table, view and column of the migrated warehouse carries the contract's description", async () => {
  const db = await freshDatabase("dict");
  try {
    assert.deepEqual(await migrate(db.sql), MIGRATIONS.map((m) => m.version));
    const catalog = await readCatalog(db.sql);
    // nothing in the schema without a contract entry, and nothing in the contract missing from the schema
    assert.deepEqual([...catalog.keys()].sort(), WAREHOUSE_RELATIONS.map((r) => r.name).sort());
    let columns = 0;
    for (const r of WAREHOUSE_RELATIONS) {
      const cat = catalog.get(r.name)!;
      assert.equal(cat.comment, r.description, r.name);
      assert.equal(cat.kind, r.kind === "view" ? "view" : "table", r.name);
      assert.deepEqual(cat.columns.map((c) => c.name).sort(), r.columns.map((c) => c.name).sort(), r.name);
      for (const c of r.columns) {
        assert.equal(
          cat.columns.find((x) => x.name === c.name)!.comment,
          c.description,
          `${r.name}.${c.name}`,
        );
        columns++;
      }
    }
    assert.ok(columns > 150, `${columns} columns described`);
    // a few values spelled out, so the test does not only compare the contract with itself
    const staff = catalog.get("dim_staff")!;
    assert.equal(
      staff.columns.find((c) => c.name === "deleted_at")!.comment?.startsWith("When the source"),
      true,
    );
    const sales = catalog.get("fact_sales_order")!;
    assert.deepEqual(
      sales.columns.find((c) => c.name === "unit_price"),
      {
        name: "unit_price",
        type: "numeric(10,2)",
        notNull: true,
        key: "",
        comment: WAREHOUSE_TABLES.fact_sales_order.columns.find((c) => c.name === "unit_price")!.description,
      },
    );
    assert.equal(sales.columns.find((c) => c.name === "created_date")!.key, "FK dim_date");
    assert.equal(sales.columns.find((c) => c.name === "sales_record_id")!.key, "PK");
    assert.match(catalog.get("sales_by_month_currency")!.comment!, /current state/);
    // the loaded columns of every star table are in the contract in the catalog's order (the load relies on it)
    for (const t of WAREHOUSE_TABLE_NAMES) {
      const names = catalog.get(t)!.columns.map((c) => c.name);
      const loaded = WAREHOUSE_TABLES[t].columns.map((c) => c.name);
      assert.deepEqual(names.filter((n) => loaded.includes(n)), loaded, t);
    }

    // the generated dictionary is up to date (deno task docs regenerates it)
    const doc = Deno.readTextFileSync(new URL("docs/warehouse.md", root));
    assert.equal(doc, renderDictionary(catalog), "docs/warehouse.md is stale: run deno task docs");

    // every example query of the dictionary runs (on an empty warehouse)
    for (const r of WAREHOUSE_RELATIONS) {
      for (const q of r.examples) await db.sql.unsafe(q);
    }
  } finally {
    await db.drop();
  }
});

Deno.test("renderDictionary names a contract column the schema lacks", () => {
  const catalog = new Map([[
    "dim_date",
    {
      name: "dim_date",
      kind: "table" as const,
      comment: null,
      columns: [{ name: "date_id", type: "date", notNull: true, key: "PK", comment: null }],
    },
  ]]);
  const rel = WAREHOUSE_RELATIONS.find((r) => r.name === "dim_date")!;
  assert.throws(
    () => renderDictionary(catalog, [rel]),
    /dim_date\.year is in the contract but not in the migrated/,
  );
  assert.throws(
    () => renderDictionary(catalog, [{ ...rel, name: "dim_x" }]),
    /dim_x is in the contract but not in the migrated warehouse/,
  );
});
