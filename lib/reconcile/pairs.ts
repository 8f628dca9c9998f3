/**
 * What reconcile compares (issue 11; design.md section 5): each warehouse table's current state against the
 * ToteSys rows it is built from, as one text per natural key computed inside each database. The expressions
 * mirror the transform's rules (lib/transform/facts.ts, dimensions.ts): timestamps split into date and time to
 * the microsecond, money compared by exact value (`trim_scale`), NULL as `\N`. Deleted rows are left out on both
 * sides (the warehouse's `_current` views and `deleted_at`).
 *
 * Not compared: `dim_currency.currency_name` (derived from the code by `Intl`, not in ToteSys), the account
 * numbers of payments (not in the warehouse) and `dim_date` (generated).
 *
 * @module
 */

/** One side of a comparison: a FROM clause, its integer key and the column expressions, in the same order. */
export interface Side {
  from: string;
  key: string;
  columns: readonly string[];
}

/** A warehouse table and the ToteSys rows it must equal. */
export interface Pair {
  /** The warehouse table (or view) compared. */
  name: string;
  /** The ToteSys table whose key it is. */
  sourceTable: string;
  source: Side;
  warehouse: Side;
}

const money = (c: string) => `trim_scale(${c})`;
const split = (c: string) => [`${c}::date`, `${c}::time`];

/** A dimension's live rows (those not marked deleted) as a comparison side. */
const liveDim = (table: string, key: string, columns: readonly string[]): Side => ({
  from: `(SELECT * FROM ${table} WHERE deleted_at IS NULL) w`,
  key,
  columns,
});

/** A dimension copied column for column from one source table. */
const copiedDim = (
  name: string,
  sourceTable: string,
  sourceKey: string,
  key: string,
  columns: string[],
): Pair => ({
  name,
  sourceTable,
  source: { from: `public.${sourceTable}`, key: sourceKey, columns },
  warehouse: liveDim(name, key, columns),
});

/** Every compared pair, in the contract's load order. */
export const PAIRS: readonly Pair[] = [
  copiedDim("dim_location", "address", "address_id", "location_id", [
    "address_line_1",
    "address_line_2",
    "district",
    "city",
    "postal_code",
    "country",
    "phone",
  ]),
  copiedDim("dim_currency", "currency", "currency_id", "currency_id", ["currency_code"]),
  copiedDim("dim_design", "design", "design_id", "design_id", ["design_name", "file_location", "file_name"]),
  copiedDim("dim_payment_type", "payment_type", "payment_type_id", "payment_type_id", ["payment_type_name"]),
  {
    name: "dim_staff",
    sourceTable: "staff",
    source: {
      from: `(SELECT s.*, d.department_name, d.location FROM public.staff s
        LEFT JOIN public.department d ON d.department_id = s.department_id) s`,
      key: "staff_id",
      columns: ["first_name", "last_name", "department_name", "location", "email_address"],
    },
    warehouse: liveDim("dim_staff", "staff_id", [
      "first_name",
      "last_name",
      "department_name",
      "location",
      "email_address",
    ]),
  },
  {
    name: "dim_counterparty",
    sourceTable: "counterparty",
    source: {
      from:
        `(SELECT c.counterparty_id, c.counterparty_legal_name, a.address_line_1, a.address_line_2, a.district,
        a.city, a.postal_code, a.country, a.phone FROM public.counterparty c
        LEFT JOIN public.address a ON a.address_id = c.legal_address_id) s`,
      key: "counterparty_id",
      columns: [
        "counterparty_legal_name",
        "address_line_1",
        "address_line_2",
        "district",
        "city",
        "postal_code",
        "country",
        "phone",
      ],
    },
    warehouse: liveDim("dim_counterparty", "counterparty_id", [
      "counterparty_legal_name",
      "counterparty_legal_address_line_1",
      "counterparty_legal_address_line_2",
      "counterparty_legal_district",
      "counterparty_legal_city",
      "counterparty_legal_postal_code",
      "counterparty_legal_country",
      "counterparty_legal_phone_number",
    ]),
  },
  copiedDim("dim_transaction", "transaction", "transaction_id", "transaction_id", [
    "transaction_type",
    "sales_order_id",
    "purchase_order_id",
  ]),
  {
    name: "fact_sales_order_current",
    sourceTable: "sales_order",
    source: {
      from: `public.sales_order`,
      key: "sales_order_id",
      columns: [
        ...split("created_at"),
        ...split("last_updated"),
        "staff_id",
        "counterparty_id",
        "units_sold",
        money("unit_price"),
        "currency_id",
        "design_id",
        "agreed_payment_date",
        "agreed_delivery_date",
        "agreed_delivery_location_id",
      ],
    },
    warehouse: {
      from: `fact_sales_order_current`,
      key: "sales_order_id",
      columns: [
        "created_date",
        "created_time",
        "last_updated_date",
        "last_updated_time",
        "sales_staff_id",
        "counterparty_id",
        "units_sold",
        money("unit_price"),
        "currency_id",
        "design_id",
        "agreed_payment_date",
        "agreed_delivery_date",
        "agreed_delivery_location_id",
      ],
    },
  },
  {
    name: "fact_purchase_order_current",
    sourceTable: "purchase_order",
    source: {
      from: `public.purchase_order`,
      key: "purchase_order_id",
      columns: [
        ...split("created_at"),
        ...split("last_updated"),
        "staff_id",
        "counterparty_id",
        "item_code",
        "item_quantity",
        money("item_unit_price"),
        "currency_id",
        "agreed_delivery_date",
        "agreed_payment_date",
        "agreed_delivery_location_id",
      ],
    },
    warehouse: {
      from: `fact_purchase_order_current`,
      key: "purchase_order_id",
      columns: [
        "created_date",
        "created_time",
        "last_updated_date",
        "last_updated_time",
        "staff_id",
        "counterparty_id",
        "item_code",
        "item_quantity",
        money("item_unit_price"),
        "currency_id",
        "agreed_delivery_date",
        "agreed_payment_date",
        "agreed_delivery_location_id",
      ],
    },
  },
  {
    name: "fact_payment_current",
    sourceTable: "payment",
    source: {
      from: `public.payment`,
      key: "payment_id",
      columns: [
        ...split("created_at"),
        ...split("last_updated"),
        "transaction_id",
        "counterparty_id",
        money("payment_amount"),
        "currency_id",
        "payment_type_id",
        "paid",
        "payment_date",
      ],
    },
    warehouse: {
      from: `fact_payment_current`,
      key: "payment_id",
      columns: [
        "created_date",
        "created_time",
        "last_updated_date",
        "last_updated_time",
        "transaction_id",
        "counterparty_id",
        money("payment_amount"),
        "currency_id",
        "payment_type_id",
        "paid",
        "payment_date",
      ],
    },
  },
];

/** The SQL expression of one row's comparison text: every column as text (NULL as `\N`), unit-separated. */
export function rowTextSql(side: Side): string {
  return `concat_ws(E'\\x1f', ${side.columns.map((c) => `coalesce((${c})::text, '\\N')`).join(", ")})`;
}
