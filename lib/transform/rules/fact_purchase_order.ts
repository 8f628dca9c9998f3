/**
 * fact_purchase_order: one row per captured version of a ToteSys purchase order (docs/design.md section 5;
 * issue 4), columns as in the Northcoders reference DDL; `purchase_record_id` is left to the warehouse.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { date, int, money, type SourceRow, stamps, text } from "./_columns.ts";
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
export function factPurchaseOrder(row: SourceRow): WarehouseRow {
  const t = "purchase_order";
  const key = int(t, row, 0, "purchase_order_id");
  return {
    purchase_order_id: key,
    ...stamps(t, row, key),
    staff_id: int(t, row, key, "staff_id"),
    counterparty_id: int(t, row, key, "counterparty_id"),
    item_code: text(t, row, key, "item_code"),
    item_quantity: int(t, row, key, "item_quantity"),
    item_unit_price: money(t, row, key, "item_unit_price"),
    currency_id: int(t, row, key, "currency_id"),
    agreed_delivery_date: date(t, row, key, "agreed_delivery_date"),
    agreed_payment_date: date(t, row, key, "agreed_payment_date"),
    agreed_delivery_location_id: int(t, row, key, "agreed_delivery_location_id"),
  };
}

/** The rule of fact_purchase_order. */
export const FACT_PURCHASE_ORDER: TableRule = {
  target: "fact_purchase_order",
  source: "purchase_order",
  build: factPurchaseOrder,
};
