import assert from "node:assert/strict";
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES } from "../../contract/mod.ts";
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

Deno.test("a rule's row has exactly its table's contract columns, in order", () => {
  const row = factPayment({
    payment_id: 1,
    created_at: "2022-11-03 14:20:52.186",
    last_updated: "2022-11-03 14:20:52.186",
    transaction_id: 1,
    counterparty_id: 1,
    payment_amount: "169316.88",
    currency_id: 1,
    payment_type_id: 1,
    paid: false,
    payment_date: "2022-11-08",
  });
  assert.deepEqual(Object.keys(row), WAREHOUSE_TABLES.fact_payment.columns.map((c) => c.name));
  assert.equal(
    RULES.fact_payment.build({
      ...row,
      created_at: "2022-11-03 14:20:52.186",
      last_updated: "2022-11-03 14:20:52.186",
      payment_amount: "1",
      payment_date: "2022-11-08",
    }, { runId: "r", reference: EMPTY_REFERENCE_STATE }).payment_amount,
    "1.00",
  );
});

Deno.test("deletion targets and date columns come from the rules and the contract", () => {
  assert.deepEqual(DELETION_TARGETS, {
    address: "dim_location",
    currency: "dim_currency",
    design: "dim_design",
    payment_type: "dim_payment_type",
    staff: "dim_staff",
    counterparty: "dim_counterparty",
    transaction: "dim_transaction",
    sales_order: "fact_sales_order",
    purchase_order: "fact_purchase_order",
    payment: "fact_payment",
  });
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
