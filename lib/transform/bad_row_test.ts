import assert from "node:assert/strict";
import { BadRowError, quarantineRecord } from "./bad_row.ts";

Deno.test("BadRowError names table, key, column and value; quarantineRecord() keeps the row", () => {
  const row = { sales_order_id: 5031, agreed_payment_date: "2024-02-30" };
  const err = new BadRowError(
    "sales_order",
    5031,
    "agreed_payment_date",
    "2024-02-30",
    "is not a calendar date",
  );
  assert.equal(
    err.message,
    'Cannot transform sales_order 5031: agreed_payment_date "2024-02-30" is not a calendar date',
  );
  assert.equal(err.name, "BadRowError");
  assert.deepEqual(quarantineRecord(err, row), {
    source_table: "sales_order",
    key: 5031,
    column: "agreed_payment_date",
    value: "2024-02-30",
    reason: "is not a calendar date",
    row,
  });
});
