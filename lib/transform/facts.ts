/**
 * Fact rules: one fact row per changed source row version (docs/design.md section 5; issue 4).
 *
 * `created_at` and `last_updated` are split into a date and a time (microseconds kept); agreed and payment dates
 * are parsed from their `YYYY-MM-DD` text; money stays exact text. Column names and order follow the reference
 * warehouse DDL (the Northcoders reference DDL, docs/design.md section 5); `*_record_id` is left to the warehouse.
 *
 * @module
 */
import type { WarehouseRow, WarehouseTableName } from "../contract/mod.ts";
import { bool, date, int, money, type SourceRow, splitTimestamp, text } from "./values.ts";

function stamps(table: string, row: SourceRow, key: number): WarehouseRow {
  const [createdDate, createdTime] = splitTimestamp(table, row, key, "created_at");
  const [updatedDate, updatedTime] = splitTimestamp(table, row, key, "last_updated");
  return {
    created_date: createdDate,
    created_time: createdTime,
    last_updated_date: updatedDate,
    last_updated_time: updatedTime,
  };
}

/** fact_sales_order from a ToteSys sales_order version (staff_id becomes sales_staff_id, per the ERD). */
export function factSalesOrder(row: SourceRow): WarehouseRow {
  const t = "sales_order";
  const key = int(t, row, 0, "sales_order_id");
  return {
    sales_order_id: key,
    ...stamps(t, row, key),
    sales_staff_id: int(t, row, key, "staff_id"),
    counterparty_id: int(t, row, key, "counterparty_id"),
    units_sold: int(t, row, key, "units_sold"),
    unit_price: money(t, row, key, "unit_price", 8), // numeric(10,2) in the warehouse DDL
    currency_id: int(t, row, key, "currency_id"),
    design_id: int(t, row, key, "design_id"),
    agreed_payment_date: date(t, row, key, "agreed_payment_date"),
    agreed_delivery_date: date(t, row, key, "agreed_delivery_date"),
    agreed_delivery_location_id: int(t, row, key, "agreed_delivery_location_id"),
  };
}

/** fact_purchase_order from a ToteSys purchase_order version. */
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

/** fact_payment from a ToteSys payment version (account numbers are not in the warehouse ERD). */
export function factPayment(row: SourceRow): WarehouseRow {
  const t = "payment";
  const key = int(t, row, 0, "payment_id");
  return {
    payment_id: key,
    ...stamps(t, row, key),
    transaction_id: int(t, row, key, "transaction_id"),
    counterparty_id: int(t, row, key, "counterparty_id"),
    payment_amount: money(t, row, key, "payment_amount"),
    currency_id: int(t, row, key, "currency_id"),
    payment_type_id: int(t, row, key, "payment_type_id"),
    paid: bool(t, row, key, "paid"),
    payment_date: date(t, row, key, "payment_date"),
  };
}

/** The fact rule of each source table that feeds a fact. */
export const FACT_RULES = {
  sales_order: { target: "fact_sales_order", rule: factSalesOrder },
  purchase_order: { target: "fact_purchase_order", rule: factPurchaseOrder },
  payment: { target: "fact_payment", rule: factPayment },
} as const satisfies Record<string, { target: WarehouseTableName; rule: (r: SourceRow) => WarehouseRow }>;

/** The date columns of each fact (what dim_date must cover). */
export const FACT_DATE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  fact_sales_order: ["created_date", "last_updated_date", "agreed_payment_date", "agreed_delivery_date"],
  fact_purchase_order: ["created_date", "last_updated_date", "agreed_delivery_date", "agreed_payment_date"],
  fact_payment: ["created_date", "last_updated_date", "payment_date"],
};
