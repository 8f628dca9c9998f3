import assert from "node:assert/strict";
import { dimTransaction } from "./dim_transaction.ts";

Deno.test("dimTransaction() keeps NULL order ids for the other kind of transaction", () => {
  const sale = {
    transaction_id: 1,
    transaction_type: "SALE",
    sales_order_id: 1,
    purchase_order_id: null,
    created_at: "2022-11-03 14:20:52.186000",
    last_updated: "2022-11-03 14:20:52.186000",
  };
  assert.deepEqual(dimTransaction(sale, "r"), {
    transaction_id: 1,
    transaction_type: "SALE",
    sales_order_id: 1,
    purchase_order_id: null,
    source_last_updated: "2022-11-03 14:20:52.186000",
    source_run_id: "r",
  });
  assert.throws(
    () => dimTransaction({ ...sale, sales_order_id: "1" }, "r"),
    /transaction 1: sales_order_id "1" is not an integer/,
  );
});
