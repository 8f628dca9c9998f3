import assert from "node:assert/strict";
import { factPurchaseOrder } from "./fact_purchase_order.ts";

const po = {
  purchase_order_id: 1,
  created_at: "2022-11-03 14:20:52.187",
  last_updated: "2022-11-03 14:20:52.187",
  staff_id: 1,
  counterparty_id: 1,
  item_code: "ZDOI5EA",
  item_quantity: 371,
  item_unit_price: "361.39",
  currency_id: 2,
  agreed_delivery_date: "2022-11-09",
  agreed_payment_date: "2022-11-07",
  agreed_delivery_location_id: 1,
};

Deno.test("factPurchaseOrder() builds the fact row of a purchase order", () => {
  assert.deepEqual(factPurchaseOrder(po), {
    purchase_order_id: 1,
    created_date: "2022-11-03",
    created_time: "14:20:52.187000",
    last_updated_date: "2022-11-03",
    last_updated_time: "14:20:52.187000",
    staff_id: 1,
    counterparty_id: 1,
    item_code: "ZDOI5EA",
    item_quantity: 371,
    item_unit_price: "361.39",
    currency_id: 2,
    agreed_delivery_date: "2022-11-09",
    agreed_payment_date: "2022-11-07",
    agreed_delivery_location_id: 1,
  });
});

Deno.test("factPurchaseOrder() allows prices up to the Parquet decimal(12,2) and names bad stamps", () => {
  assert.equal(
    factPurchaseOrder({ ...po, item_unit_price: "9999999999.99" }).item_unit_price,
    "9999999999.99",
  );
  assert.throws(
    () => factPurchaseOrder({ ...po, item_unit_price: "10000000000" }),
    /item_unit_price "10000000000" has more than 10 digits before the point/,
  );
  assert.throws(
    () => factPurchaseOrder({ purchase_order_id: 9, created_at: "x" }),
    /purchase_order 9: created_at "x" is not a timestamp/,
  );
});
