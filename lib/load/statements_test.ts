import assert from "node:assert/strict";
import { copyTextLine, mergeSql } from "./statements.ts";

Deno.test("copyTextLine() escapes text and writes NULL, booleans and exact values", () => {
  assert.equal(
    copyTextLine("dim_location", {
      location_id: 1,
      address_line_1: "a\tb\\c\nd\re",
      address_line_2: null,
      district: null,
      city: "Leeds",
      postal_code: "LS1",
      country: "UK",
      phone: "0113",
      source_last_updated: "2024-01-01 00:00:00.000001",
      source_run_id: "r",
    }),
    "1\ta\\tb\\\\c\\nd\\re\t\\N\t\\N\tLeeds\tLS1\tUK\t0113\t2024-01-01 00:00:00.000001\tr\n",
  );
  assert.match(copyTextLine("fact_payment", { paid: false, payment_amount: "0.10" }), /\tf\t/);
});

Deno.test("mergeSql() upserts dimensions by version, inserts facts once, and adds missing days", () => {
  assert.match(
    mergeSql("dim_staff"),
    /ON CONFLICT \("staff_id"\) DO UPDATE SET .* WHERE \(dim_staff\."source_run_id", dim_staff\."source_last_updated"\) < \(EXCLUDED\."source_run_id", EXCLUDED\."source_last_updated"\)$/,
  );
  assert.match(
    mergeSql("fact_sales_order"),
    /ON CONFLICT \("sales_order_id", "last_updated_date", "last_updated_time"\) DO NOTHING$/,
  );
  assert.match(mergeSql("dim_date"), /ON CONFLICT \("date_id"\) DO NOTHING$/);
});

Deno.test("copyTextLine() refuses a NUL character, naming table, column and value", () => {
  assert.throws(
    () => copyTextLine("dim_design", { design_id: 1, design_name: "a\0b" }),
    /Cannot load dim_design.design_name value "a\\u0000b": it contains a NUL character/,
  );
});
