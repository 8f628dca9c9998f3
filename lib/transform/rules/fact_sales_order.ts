/**
 * fact_sales_order: one row per captured version of a ToteSys sales order (docs/design.md section 5; issue 4).
 * Column names and order follow the Northcoders reference DDL: `staff_id` becomes `sales_staff_id`, timestamps
 * split into date and time; `sales_record_id` is left to the warehouse.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import type { SourceRow } from "./_columns.ts";
import { contractRow, contractRule } from "./_from_contract.ts";
import type { TableRule } from "./_rule.ts";

/**
 * The fact_sales_order row of a sales_order version, from the contract: stamps split to the microsecond, money
 * exact to the cent (`unit_price` within its declared numeric(10,2)), dates checked and kept as text.
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
export const factSalesOrder: (row: SourceRow) => WarehouseRow = contractRow("fact_sales_order");

/** The rule of fact_sales_order: its contract's columns, copied and checked. */
export const FACT_SALES_ORDER: TableRule = contractRule("fact_sales_order");
