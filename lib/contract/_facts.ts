/**
 * The contracts of the three facts (internal to lib/contract/; see warehouse.ts).
 *
 * @module
 */
import { c, day, factExtra, MONEY_NOTE, ref, same, stamps } from "./_build.ts";
import type { WarehouseTable } from "./warehouse.ts";

/** A fact: the history of one source table's rows, deletions recorded in fact_deletion. */
const fact = (
  table: Omit<WarehouseTable, "kind" | "warehouseColumns" | "deletion" | "recordId">,
  recordId: string,
  what: string,
): WarehouseTable => ({
  ...table,
  kind: "fact",
  recordId,
  warehouseColumns: factExtra(recordId, what),
  deletion: "fact_deletion",
});

const staff = (name: string, description: string) =>
  c(name, "int32", description, false, ref("staff_id", "dim_staff", "staff_id"));
const counterparty = (description: string) =>
  c(
    "counterparty_id",
    "int32",
    description,
    false,
    ref("counterparty_id", "dim_counterparty", "counterparty_id"),
  );
const currency = (description: string) =>
  c("currency_id", "int32", description, false, ref("currency_id", "dim_currency", "currency_id"));
const location = (description: string) =>
  c(
    "agreed_delivery_location_id",
    "int32",
    description,
    false,
    ref("agreed_delivery_location_id", "dim_location", "location_id"),
  );
const date = (name: string, description: string) => c(name, "date32", description, false, day(name));

/** The facts in load order (after every dimension). A new fact is appended here and to {@link FACTS}. */
export const FACT_NAMES = ["fact_sales_order", "fact_purchase_order", "fact_payment"] as const;

/** Contract of every fact, in load order. */
export const FACTS: Readonly<Record<typeof FACT_NAMES[number], WarehouseTable>> = {
  fact_sales_order: fact(
    {
      name: "fact_sales_order",
      description:
        "History of sales orders: one row per distinct content a ToteSys sales order had when captured, in capture order. fact_sales_order_current holds the latest version of each live order.",
      key: "sales_order_id",
      source: "sales_order",
      columns: [
        c(
          "sales_order_id",
          "int32",
          "ToteSys sales_order_id: the order (natural key; one row per version).",
          false,
          same("sales_order_id"),
        ),
        ...stamps("sales order"),
        staff("sales_staff_id", "The member of staff who made the sale (dim_staff)."),
        counterparty("The customer (dim_counterparty)."),
        c("units_sold", "int32", "Number of bags sold.", false, same("units_sold")),
        c(
          "unit_price",
          "decimal",
          `Price of one bag in the order's currency (exact, 2 decimals). ${MONEY_NOTE}`,
          false,
          { ...same("unit_price"), numeric: { precision: 10, scale: 2 } },
        ),
        currency("Currency of unit_price (dim_currency)."),
        c(
          "design_id",
          "int32",
          "The design sold (dim_design).",
          false,
          ref("design_id", "dim_design", "design_id"),
        ),
        date("agreed_payment_date", "Date the customer agreed to pay."),
        date("agreed_delivery_date", "Date agreed for delivery."),
        location("Where the order is delivered (dim_location)."),
      ],
    },
    "sales_record_id",
    "sales order",
  ),
  fact_purchase_order: fact(
    {
      name: "fact_purchase_order",
      description:
        "History of purchase orders: one row per distinct content a ToteSys purchase order had when captured, in capture order. fact_purchase_order_current holds the latest version of each live order.",
      key: "purchase_order_id",
      source: "purchase_order",
      columns: [
        c(
          "purchase_order_id",
          "int32",
          "ToteSys purchase_order_id: the order (natural key; one row per version).",
          false,
          same("purchase_order_id"),
        ),
        ...stamps("purchase order"),
        staff("staff_id", "The member of staff who placed the order (dim_staff)."),
        counterparty("The supplier (dim_counterparty)."),
        c("item_code", "utf8", "Supplier's code of the item bought.", false, same("item_code")),
        c("item_quantity", "int32", "Number of items bought.", false, same("item_quantity")),
        c(
          "item_unit_price",
          "decimal",
          `Price of one item in the order's currency (exact). ${MONEY_NOTE}`,
          false,
          same("item_unit_price"),
        ),
        currency("Currency of item_unit_price (dim_currency)."),
        date("agreed_delivery_date", "Date agreed for delivery."),
        date("agreed_payment_date", "Date agreed for payment."),
        location("Where the items are delivered (dim_location)."),
      ],
    },
    "purchase_record_id",
    "purchase order",
  ),
  fact_payment: fact(
    {
      name: "fact_payment",
      description:
        "History of payments: one row per distinct content a ToteSys payment had when captured, in capture order (a payment turning paid is a new version). fact_payment_current holds the latest version of each live payment.",
      key: "payment_id",
      source: "payment",
      columns: [
        c(
          "payment_id",
          "int32",
          "ToteSys payment_id: the payment (natural key; one row per version).",
          false,
          same("payment_id"),
        ),
        ...stamps("payment"),
        c(
          "transaction_id",
          "int32",
          "The sale or purchase this payment settles (dim_transaction).",
          false,
          ref("transaction_id", "dim_transaction", "transaction_id"),
        ),
        counterparty("Who pays or is paid (dim_counterparty)."),
        c(
          "payment_amount",
          "decimal",
          `Amount in the payment's currency (exact). ${MONEY_NOTE}`,
          false,
          same("payment_amount"),
        ),
        currency("Currency of payment_amount (dim_currency)."),
        c(
          "payment_type_id",
          "int32",
          "Kind of payment (dim_payment_type).",
          false,
          ref("payment_type_id", "dim_payment_type", "payment_type_id"),
        ),
        c(
          "paid",
          "bool",
          "Whether the payment has been made (true) or is still due (false).",
          false,
          same("paid"),
        ),
        date("payment_date", "Date the payment was made, or is due when not paid yet."),
      ],
    },
    "payment_record_id",
    "payment",
  ),
};
