import assert from "node:assert/strict";
import { BadRowError } from "../bad_row.ts";
import { factSalesOrder } from "./fact_sales_order.ts";

const so = {
  sales_order_id: 5031,
  created_at: "2024-11-13 10:00:00.500123",
  last_updated: "2024-11-14 00:00:00.000000",
  design_id: 3,
  staff_id: 4,
  counterparty_id: 5,
  units_sold: 42972,
  unit_price: "3.9",
  currency_id: 1,
  agreed_delivery_date: "2024-11-20",
  agreed_payment_date: "2024-12-01",
  agreed_delivery_location_id: 6,
};

Deno.test("factSalesOrder() splits timestamps to the microsecond and keeps money exact", () => {
  assert.deepEqual(factSalesOrder(so), {
    sales_order_id: 5031,
    created_date: "2024-11-13",
    created_time: "10:00:00.500123",
    last_updated_date: "2024-11-14",
    last_updated_time: "00:00:00.000000",
    sales_staff_id: 4,
    counterparty_id: 5,
    units_sold: 42972,
    unit_price: "3.90",
    currency_id: 1,
    design_id: 3,
    agreed_payment_date: "2024-12-01",
    agreed_delivery_date: "2024-11-20",
    agreed_delivery_location_id: 6,
  });
});

Deno.test("factSalesOrder() keeps dates before 1970 and millisecond stamps", () => {
  const row = factSalesOrder({
    ...so,
    created_at: "1969-12-31 23:59:59.999999",
    last_updated: "2022-11-03 14:20:52.186",
  });
  assert.deepEqual(
    [row.created_date, row.created_time, row.last_updated_date, row.last_updated_time],
    ["1969-12-31", "23:59:59.999999", "2022-11-03", "14:20:52.186000"],
  );
});

Deno.test("factSalesOrder() names table, key, column and value of a bad row", () => {
  assert.throws(
    () => factSalesOrder({ ...so, agreed_payment_date: "2024-02-30" }),
    (e: unknown) =>
      e instanceof BadRowError && e.message ===
        'Cannot transform sales_order 5031: agreed_payment_date "2024-02-30" is not a calendar date',
  );
  assert.throws(
    () => factSalesOrder({ ...so, agreed_delivery_date: "2024-11-2" }),
    /agreed_delivery_date "2024-11-2" is not a date \(YYYY-MM-DD\)/,
  );
  assert.throws(() => factSalesOrder({ ...so, staff_id: null }), /sales_order 5031: staff_id null is NULL/);
  assert.throws(
    () => factSalesOrder({ ...so, unit_price: "2.675" }),
    /unit_price "2.675" has more than 2 decimals/,
  );
  assert.throws(
    () => factSalesOrder({ ...so, unit_price: "123456789.12" }),
    /unit_price "123456789.12" has more than 8 digits before the point/,
  );
  assert.throws(
    () => factSalesOrder({ ...so, created_at: "2024-11-13T10:00:00Z" }),
    /created_at "2024-11-13T10:00:00Z" is not a timestamp/,
  );
});
