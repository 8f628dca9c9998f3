// The contract is consistent with itself (no services): every foreign key names a table's primary key, every
// column source names a ToteSys column (through a ToteSys foreign key for a joined one), and the precision and
// SQL-type overrides sit where they make sense.
import assert from "node:assert/strict";
import {
  foreignKeys,
  integerDigits,
  primaryKey,
  SOURCE_TABLE_NAMES,
  SOURCE_TABLES,
  sourceForeignKeys,
  sourceJoins,
  type SourceTableName,
  WAREHOUSE_TABLE_NAMES,
  WAREHOUSE_TABLES,
  warehouseColumns,
} from "../../lib/contract/mod.ts";

Deno.test("every warehouse foreign key references its table's primary key, with the same column type", () => {
  for (const fk of foreignKeys()) {
    const target = fk.references;
    assert.equal(primaryKey(target.table), target.column, `${fk.table}.${fk.column}`);
    const from = warehouseColumns(fk.table).find((c) => c.name === fk.column)!;
    const to = warehouseColumns(target.table).find((c) => c.name === target.column)!;
    assert.equal(from.type, to.type, `${fk.table}.${fk.column} -> ${target.table}.${target.column}`);
  }
});

Deno.test("every ToteSys foreign key is an int column referencing an earlier table", () => {
  for (const fk of sourceForeignKeys()) {
    assert.equal(SOURCE_TABLES[fk.table].columns[fk.column], "int", `${fk.table}.${fk.column}`);
    const order = (t: string) => SOURCE_TABLE_NAMES.indexOf(t as typeof SOURCE_TABLE_NAMES[number]);
    assert.ok(order(fk.references) < order(fk.table), `${fk.table}.${fk.column} -> ${fk.references}`);
  }
});

Deno.test("every column source names a ToteSys column, joined ones through a ToteSys foreign key", () => {
  for (const name of WAREHOUSE_TABLE_NAMES) {
    const t = WAREHOUSE_TABLES[name];
    const sourced = t.columns.filter((c) => c.source);
    if (t.source === null) {
      assert.deepEqual(sourced, [], name);
      continue;
    }
    assert.equal(t.columns.find((c) => c.name === t.key)?.source?.column, SOURCE_TABLES[t.source].pk, name);
    const joins = new Map(sourceJoins(name).map((j) => [j.via, j.table]));
    for (const c of sourced) {
      const table: SourceTableName = c.source!.via ? joins.get(c.source!.via)! : t.source;
      const kind: string | undefined = SOURCE_TABLES[table].columns[c.source!.column];
      assert.ok(
        kind !== undefined,
        `${name}.${c.name}: ${table}.${c.source!.column} is not a ToteSys column`,
      );
      if (c.source!.part) assert.equal(kind, "timestamp", `${name}.${c.name}`);
      if (c.type === "decimal") assert.equal(kind, "numeric", `${name}.${c.name}`);
    }
  }
});

Deno.test("deletion handling follows the kind of table, and precision only sits on money", () => {
  for (const name of WAREHOUSE_TABLE_NAMES) {
    const t = WAREHOUSE_TABLES[name];
    const expected = t.source === null ? null : t.kind === "fact" ? "fact_deletion" : "deleted_at";
    assert.equal(t.deletion, expected, name);
    assert.equal(t.warehouseColumns.some((c) => c.name === "deleted_at"), expected === "deleted_at", name);
    for (const c of warehouseColumns(name)) {
      if (c.numeric) assert.equal(c.type, "decimal", `${name}.${c.name}`);
    }
  }
  const price = WAREHOUSE_TABLES.fact_sales_order.columns.find((c) => c.name === "unit_price")!;
  assert.equal(integerDigits(price), 8);
});
