import assert from "node:assert/strict";
import { BadRowError, quarantineRecord, quoteValue } from "./bad_row.ts";

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

Deno.test("a huge bad value is quoted cut at 200 characters with its length, so the reason stays on the line", () => {
  const value = "é€😀".repeat(100_000);
  const err = new BadRowError(
    "sales_order",
    5000,
    "agreed_delivery_date",
    value,
    "is not a date (YYYY-MM-DD)",
  );
  assert.equal(
    err.message,
    `Cannot transform sales_order 5000: agreed_delivery_date ${
      JSON.stringify(value.slice(0, 200)).slice(0, -1)
    }…" ` +
      "(400,000 characters) is not a date (YYYY-MM-DD)",
  );
  assert.equal(err.value, value, "the error keeps the whole value (the quarantine record's)");
  assert.equal(quoteValue(null), "null");
  assert.equal(quoteValue("x".repeat(200)), JSON.stringify("x".repeat(200)));
  const emoji = "a".repeat(199) + "😀".repeat(10);
  assert.equal(quoteValue(emoji), `"${"a".repeat(199)}…" (219 characters)`, "an emoji is not cut in two");
});
