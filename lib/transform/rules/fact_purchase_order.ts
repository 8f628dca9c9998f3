/**
 * fact_purchase_order: one row per captured version of a ToteSys purchase order (docs/design.md section 5;
 * issue 4), columns as in the Northcoders reference DDL; `purchase_record_id` is left to the warehouse.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import type { SourceRow } from "./_columns.ts";
import { contractRow, contractRule } from "./_from_contract.ts";
import type { TableRule } from "./_rule.ts";

/**
 * The fact_purchase_order row of a purchase_order version: stamps split to the microsecond, money exact to the
 * cent (up to the Parquet decimal(12,2)), dates checked and kept as text.
 *
 * @throws BadRowError naming the purchase order, column and value.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { factPurchaseOrder } from "./fact_purchase_order.ts";
 * const row = factPurchaseOrder({ purchase_order_id: 1, created_at: "2022-11-03 14:20:52.187",
 *   last_updated: "2022-11-03 14:20:52.187", staff_id: 12, counterparty_id: 11, item_code: "ZDOI5EA",
 *   item_quantity: 371, item_unit_price: "361.39", currency_id: 2, agreed_delivery_date: "2022-11-09",
 *   agreed_payment_date: "2022-11-07", agreed_delivery_location_id: 6 });
 * assert.equal(row.item_unit_price, "361.39");
 * assert.equal(row.last_updated_date, "2022-11-03");
 * ```
 */
export const factPurchaseOrder: (row: SourceRow) => WarehouseRow = contractRow("fact_purchase_order");

/** The rule of fact_purchase_order: its contract's columns, copied and checked. */
export const FACT_PURCHASE_ORDER: TableRule = contractRule("fact_purchase_order");
