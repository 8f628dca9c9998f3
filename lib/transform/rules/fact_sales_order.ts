/**
 * fact_sales_order: one row per captured version of a ToteSys sales order (docs/design.md section 5; issue 4).
 * Column names and order follow the Northcoders reference DDL: `staff_id` becomes `sales_staff_id`, timestamps
 * split into date and time; `sales_record_id` is left to the warehouse.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { date, int, money, type SourceRow, stamps } from "./_columns.ts";
import { integerDigits, WAREHOUSE_TABLES } from "../../contract/mod.ts";
import type { TableRule } from "./_rule.ts";

/** Digits before the point of `unit_price`, from its declared numeric(10,2) in the contract: 8. */
const UNIT_PRICE_INTEGER_DIGITS = integerDigits(
  WAREHOUSE_TABLES.fact_sales_order.columns.find((c) => c.name === "unit_price")!,
);

/**
 * The fact_sales_order row of a sales_order version: stamps split to the microsecond, money exact to the cent,
 * dates checked and kept as text.
 *
 * @throws BadRowError naming the sales order, column and value (a NULL id, a non-calendar date, a price that
 *   would need rounding or does not fit numeric(10,2)).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { factSalesOrder } from "./fact_sales_order.ts";
 * const row = factSalesOrder({ sales_order_id: 2, created_at: "2022-11-03 14:20:52.186", last_updated:
 *   "2022-11-03 14:20:52.186", design_id: 3, staff_id: 19, counterparty_id: 8, units_sold: 42972,
 *   unit_price: "3.94", currency_id: 2, agreed_delivery_date: "2022-11-07", agreed_payment_date: "2022-11-08",
 *   agreed_delivery_location_id: 8 });
 * assert.equal(row.created_time, "14:20:52.186000");
 * assert.equal(row.sales_staff_id, 19);
 * ```
 */
export function factSalesOrder(row: SourceRow): WarehouseRow {
  const t = "sales_order";
  const key = int(t, row, 0, "sales_order_id");
  return {
    sales_order_id: key,
    ...stamps(t, row, key),
    sales_staff_id: int(t, row, key, "staff_id"),
    counterparty_id: int(t, row, key, "counterparty_id"),
    units_sold: int(t, row, key, "units_sold"),
    unit_price: money(t, row, key, "unit_price", UNIT_PRICE_INTEGER_DIGITS),
    currency_id: int(t, row, key, "currency_id"),
    design_id: int(t, row, key, "design_id"),
    agreed_payment_date: date(t, row, key, "agreed_payment_date"),
    agreed_delivery_date: date(t, row, key, "agreed_delivery_date"),
    agreed_delivery_location_id: int(t, row, key, "agreed_delivery_location_id"),
  };
}

/** The rule of fact_sales_order. */
export const FACT_SALES_ORDER: TableRule = {
  target: "fact_sales_order",
  source: "sales_order",
  build: factSalesOrder,
};
