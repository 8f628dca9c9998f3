/**
 * The data dictionary's entries for the analyst views of migration 4 (internal to lib/contract/; see
 * dictionary.ts).
 *
 * @module
 */
import type { ColumnDoc, RelationDoc } from "./dictionary.ts";

const col = (name: string, description: string): ColumnDoc => ({ name, description });
const NO_FX = "Never add amounts of different currencies: ToteSys holds no exchange rates.";
const live = "Counts the current state (fact_*_current views): the latest version of every live ToteSys row.";

const month = (from: string) => col("month", `First day of the month of the ${from} (UTC).`);
const currency = col("currency_code", "Currency of the amounts on this row (ISO 4217).");
const orders = col("orders", "Number of sales orders.");
const units = col("units_sold", "Bags sold (units may be added across currencies).");
const revenue = col("revenue", `Sum of units_sold × unit_price, in currency_code. ${NO_FX}`);

/** The analyst views of migration 4, in the order of the migration. */
export const ANALYST_VIEWS: readonly RelationDoc[] = [
  {
    name: "sales_by_month_currency",
    kind: "view",
    description: `Sales per month of order creation and per currency. ${live}`,
    columns: [month("order's created_date"), currency, orders, units, revenue],
    grain: ["month", "currency_code"],
    examples: [
      "SELECT month, currency_code, revenue FROM sales_by_month_currency ORDER BY month DESC, currency_code LIMIT 12",
    ],
  },
  {
    name: "sales_by_design",
    kind: "view",
    description:
      `Sales per design and currency. A design with no sales has one row with currency_code and revenue NULL and 0 orders and units (deleted designs without sales are left out). ${live}`,
    columns: [
      col("design_id", "The design (dim_design)."),
      col("design_name", "Name of the design."),
      col("currency_code", "Currency of revenue (ISO 4217); NULL for a design with no sales."),
      orders,
      units,
      col("revenue", `Sum of units_sold × unit_price, in currency_code; NULL with no sales. ${NO_FX}`),
    ],
    grain: ["design_id", "currency_code"],
    examples: [
      "SELECT design_name, sum(units_sold) AS units FROM sales_by_design GROUP BY design_id, design_name ORDER BY units DESC LIMIT 10",
      "SELECT design_name FROM sales_by_design WHERE orders = 0 ORDER BY design_name",
    ],
  },
  {
    name: "sales_by_delivery_location",
    kind: "view",
    description: `Sales per agreed delivery country and city, and currency. ${live}`,
    columns: [
      col("country", "Country of the delivery address (dim_location)."),
      col("city", "City of the delivery address."),
      currency,
      orders,
      units,
      revenue,
    ],
    grain: ["country", "city", "currency_code"],
    examples: [
      "SELECT country, currency_code, sum(revenue) AS revenue FROM sales_by_delivery_location GROUP BY 1, 2 ORDER BY 1, 2",
    ],
  },
  {
    name: "sales_by_staff",
    kind: "view",
    description: `Sales per member of the sales staff and currency, with their current department. ${live}`,
    columns: [
      col("staff_id", "The member of staff (dim_staff)."),
      col("first_name", "First name."),
      col("last_name", "Last name."),
      col("department_name", "Their department today (dimensions hold the latest values)."),
      currency,
      orders,
      units,
      revenue,
    ],
    grain: ["staff_id", "currency_code"],
    examples: [
      "SELECT first_name, last_name, currency_code, revenue FROM sales_by_staff ORDER BY revenue DESC LIMIT 5",
    ],
  },
  {
    name: "sales_by_department",
    kind: "view",
    description: `Sales per department of the sales staff and currency. ${live}`,
    columns: [
      col("department_name", "Department of the member of staff who made the sale (their department today)."),
      currency,
      orders,
      units,
      revenue,
    ],
    grain: ["department_name", "currency_code"],
    examples: ["SELECT * FROM sales_by_department ORDER BY department_name, currency_code"],
  },
  {
    name: "purchases_by_counterparty",
    kind: "view",
    description: `Purchases per supplier and currency. ${live}`,
    columns: [
      col("counterparty_id", "The supplier (dim_counterparty)."),
      col("counterparty_legal_name", "Legal name of the supplier."),
      col("currency_code", "Currency of amount (ISO 4217)."),
      col("orders", "Number of purchase orders."),
      col("item_quantity", "Items bought."),
      col("amount", `Sum of item_quantity × item_unit_price, in currency_code. ${NO_FX}`),
    ],
    grain: ["counterparty_id", "currency_code"],
    examples: [
      "SELECT counterparty_legal_name, currency_code, amount FROM purchases_by_counterparty ORDER BY amount DESC LIMIT 5",
    ],
  },
  {
    name: "payments_by_month",
    kind: "view",
    description:
      `Payments per month of payment_date, currency, payment type (SALES_RECEIPT and SALES_REFUND: with customers; PURCHASE_PAYMENT and PURCHASE_REFUND: with suppliers) and whether paid. ${live}`,
    columns: [
      month("payment's payment_date"),
      col("currency_code", "Currency of amount (ISO 4217)."),
      col("payment_type_name", "Kind of payment (dim_payment_type), e.g. SALES_RECEIPT or PURCHASE_PAYMENT."),
      col("paid", "Whether these payments have been made (true) or are still due (false)."),
      col("payments", "Number of payments."),
      col("amount", `Sum of payment_amount, in currency_code. ${NO_FX}`),
    ],
    grain: ["month", "currency_code", "payment_type_name", "paid"],
    examples: [
      "SELECT month, currency_code, amount FROM payments_by_month WHERE NOT paid AND payment_type_name = 'SALES_RECEIPT' ORDER BY month",
    ],
  },
  {
    name: "warehouse_freshness",
    kind: "view",
    description:
      "Per dimension (but dim_date) and fact table: its rows and the newest ToteSys last_updated it holds, to compare with the time now.",
    columns: [
      col("table_name", "The warehouse table."),
      col("row_count", "Rows in the table (facts: every version)."),
      col("newest_change", "Newest ToteSys last_updated loaded into the table (UTC); NULL when empty."),
    ],
    grain: ["table_name"],
    examples: [
      "SELECT table_name, newest_change, now() AT TIME ZONE 'UTC' - newest_change AS age FROM warehouse_freshness",
    ],
  },
];
