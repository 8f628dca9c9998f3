import assert from "node:assert/strict";
import { copyTextLine, deletionSql, mergeSql } from "./statements.ts";

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

Deno.test("mergeSql(): dimensions upsert newer, different content; facts insert new content; days once", () => {
  const staff = mergeSql("dim_staff");
  assert.match(
    staff,
    /ON CONFLICT \("staff_id"\) DO UPDATE SET .*"deleted_at" = NULL WHERE \(dim_staff\."source_run_id", dim_staff\."source_last_updated"\) < \(EXCLUDED\."source_run_id", EXCLUDED\."source_last_updated"\) AND/,
  );
  // content only: the version columns do not make a row different
  assert.match(
    staff,
    /IS DISTINCT FROM ROW\(EXCLUDED\."first_name", .*EXCLUDED\."email_address"\) OR dim_staff\."deleted_at" IS NOT NULL\)$/,
  );
  assert.doesNotMatch(staff.slice(staff.indexOf("AND (ROW")), /source_/);
  const fact = mergeSql("fact_sales_order");
  assert.match(
    fact,
    /^INSERT INTO fact_sales_order \("sales_record_id", "source_run_id", "sales_order_id", /,
  );
  assert.match(
    fact,
    /AND NOT EXISTS \(SELECT 1 FROM fact_sales_order n WHERE .* n\."source_run_id" >= \$1::text\)$/,
  );
  assert.match(fact, /SELECT base\.n \+ row_number\(\) OVER \(ORDER BY s\."sales_order_id"\)/);
  assert.match(
    fact,
    /ORDER BY f\."sales_record_id" DESC LIMIT 1\) cur ON true WHERE \(cur\.rid IS NULL OR ROW\(/,
  );
  assert.match(fact, /d\.fact_table = 'fact_sales_order' AND d\.natural_id = s\."sales_order_id"/);
  assert.match(mergeSql("dim_date"), /ON CONFLICT \("date_id"\) DO NOTHING$/);
});

Deno.test("deletionSql(): facts record the last version, dimensions are marked; dim_date never", () => {
  assert.match(
    deletionSql("fact_payment"),
    /SELECT 'fact_payment', "payment_id", max\("payment_record_id"\), \$2::timestamp, \$3/,
  );
  assert.match(
    deletionSql("dim_staff"),
    /^UPDATE dim_staff SET "deleted_at" = \$2::timestamp WHERE "staff_id" = ANY\(\$1::int\[\]\)/,
  );
  assert.throws(() => deletionSql("dim_date"), /never deleted/);
});

Deno.test("copyTextLine() refuses a NUL character, naming table, column and value", () => {
  assert.throws(
    () => copyTextLine("dim_design", { design_id: 1, design_name: "a\0b" }),
    /Cannot load dim_design.design_name value "a\\u0000b": it contains a NUL character/,
  );
});
