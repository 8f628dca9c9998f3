import assert from "node:assert/strict";
import { dimPaymentType } from "./dim_payment_type.ts";

Deno.test("dimPaymentType() keeps the enum name as text", () => {
  const row = {
    payment_type_id: 3,
    payment_type_name: "PURCHASE_PAYMENT",
    last_updated: "2022-11-03 14:20:49.962",
  };
  assert.deepEqual(dimPaymentType(row, "r"), {
    payment_type_id: 3,
    payment_type_name: "PURCHASE_PAYMENT",
    source_last_updated: "2022-11-03 14:20:49.962",
    source_run_id: "r",
  });
  assert.throws(
    () => dimPaymentType({ ...row, payment_type_name: null }, "r"),
    /payment_type 3: payment_type_name null is NULL/,
  );
});
