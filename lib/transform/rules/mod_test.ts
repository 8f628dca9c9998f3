import assert from "node:assert/strict";
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES, type WarehouseTableName } from "../../contract/mod.ts";
import { EMPTY_REFERENCE_STATE } from "../reference.ts";
import {
  dateColumns,
  DELETION_TARGETS,
  referencesOf,
  RULES,
  SMALL_DIMENSIONS,
  STREAMED_TABLES,
} from "./mod.ts";
import { factPayment } from "./fact_payment.ts";

Deno.test("every warehouse table but dim_date has a rule, written once per run", () => {
  assert.deepEqual(Object.keys(RULES).sort(), WAREHOUSE_TABLE_NAMES.filter((t) => t !== "dim_date").sort());
  assert.deepEqual([...SMALL_DIMENSIONS, ...STREAMED_TABLES].sort(), Object.keys(RULES).sort());
  for (const [table, rule] of Object.entries(RULES)) assert.equal(rule.target, table);
});

/** A valid source row for a fact, made from its contract: each copied column gets a value of its type. */
function sampleSourceRow(table: WarehouseTableName): Record<string, unknown> {
  const sample: Record<string, unknown> = {};
  for (const c of WAREHOUSE_TABLES[table].columns) {
    const { column, part } = c.source!;
    sample[column] = part ? "2022-11-03 14:20:52.186" : {
      int32: 1,
      utf8: "x",
      decimal: "1",
      date32: "2022-11-08",
      bool: false,
    }[c.type as string];
  }
  return sample;
}

Deno.test("every fact's rule gives exactly its table's contract columns, in order", () => {
  for (const table of WAREHOUSE_TABLE_NAMES.filter((t) => WAREHOUSE_TABLES[t].kind === "fact")) {
    const rule = RULES[table as keyof typeof RULES];
    const row = rule.build(sampleSourceRow(table), { runId: "r", reference: EMPTY_REFERENCE_STATE });
    assert.deepEqual(Object.keys(row), WAREHOUSE_TABLES[table].columns.map((c) => c.name), table);
  }
  assert.equal(factPayment(sampleSourceRow("fact_payment")).payment_amount, "1.00");
});

Deno.test("deletion targets and date columns come from the rules and the contract", () => {
  assert.equal(DELETION_TARGETS.department, undefined);
  assert.deepEqual(DELETION_TARGETS.address, ["dim_location"]);
  assert.deepEqual(DELETION_TARGETS.sales_order, ["fact_sales_order"]);
  for (const rule of Object.values(RULES)) {
    assert.ok((DELETION_TARGETS[rule.source] as readonly string[] | undefined)?.includes(rule.target));
  }
  assert.deepEqual(dateColumns("fact_payment"), ["created_date", "last_updated_date", "payment_date"]);
  assert.deepEqual(dateColumns("dim_transaction"), []);
});

Deno.test("the facts' references come from the contract's foreign keys", () => {
  assert.deepEqual(referencesOf("fact_sales_order"), [
    ["sales_staff_id", "dim_staff"],
    ["counterparty_id", "dim_counterparty"],
    ["currency_id", "dim_currency"],
    ["design_id", "dim_design"],
    ["agreed_delivery_location_id", "dim_location"],
  ]);
});

Deno.test("every reference names a column of its fact and a tracked dimension's key column", () => {
  for (const rule of Object.values(RULES)) {
    for (const [column, dim] of referencesOf(rule.target)) {
      const names = WAREHOUSE_TABLES[rule.target].columns.map((c) => c.name);
      assert.ok(names.includes(column), `${rule.target}.${column}`);
      assert.ok(RULES[dim], dim);
    }
  }
});
