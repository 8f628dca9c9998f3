/**
 * The warehouse star schema: every table's columns with their Arrow/Parquet type and nullability, its natural key,
 * and whether it is a dimension (type-1 upsert) or a fact (insert-only history).
 *
 * Columns and nullability follow the reference DDL (the Northcoders reference DDL, docs/design.md section 5, the
 * Northcoders ERD); types follow docs/design.md section 4. Dimensions (except dim_date) carry two extra
 * columns that correctness needs (issue 5): `source_last_updated` and `source_run_id`, the version used so that
 * runs loaded out of order never regress a dimension.
 *
 * In memory a warehouse row is a plain object whose values are exact text or numbers (see {@link ColumnType}).
 *
 * @module
 */

/**
 * Type of a warehouse column and its in-memory form:
 * - `int32`: JS number (integer)
 * - `utf8`: string
 * - `decimal`: string with the exact decimal text, scale 2 (`"3.25"`); Parquet decimal128(12,2)
 * - `date32`: string `"YYYY-MM-DD"`
 * - `time64us`: string `"HH:MM:SS.ffffff"` (microseconds)
 * - `timestamp_us`: string `"YYYY-MM-DD HH:MM:SS.ffffff"` (UTC, no zone)
 * - `bool`: boolean
 */
export type ColumnType = "int32" | "utf8" | "decimal" | "date32" | "time64us" | "timestamp_us" | "bool";

/** A column of a warehouse table. */
export interface Column {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

/**
 * A warehouse column with what it means: the one place column descriptions come from (the `COMMENT ON COLUMN`
 * statements of migration 4 and docs/warehouse.md are generated from it, and a test checks the migrated catalog
 * against it).
 */
export interface DescribedColumn extends Column {
  /** What the column means, one or two sentences (becomes the column's `COMMENT`). */
  description: string;
}

/** A warehouse row: column name to value (`null` only where the column is nullable). */
export type WarehouseRow = Record<string, string | number | boolean | null>;

/** A warehouse table's contract. */
export interface WarehouseTable {
  name: WarehouseTableName;
  kind: "dimension" | "fact";
  /** What one row is (becomes the table's `COMMENT`). */
  description: string;
  /** Columns written to Parquet and loaded, in order (facts: without the warehouse-assigned `*_record_id`). */
  columns: readonly DescribedColumn[];
  /**
   * Columns the warehouse holds besides the loaded ones: a fact's `*_record_id` and `source_run_id`, a
   * dimension's `deleted_at`. Never in Parquet.
   */
  warehouseColumns: readonly DescribedColumn[];
  /** Dimension: the primary key column. Fact: the natural id; the version is (id, last_updated_date, last_updated_time). */
  key: string;
  /** Fact only: the surrogate key the warehouse assigns (`serial`). */
  recordId?: string;
}

/** The 11 warehouse tables in load order: dim_date, the other dimensions, then the facts (issue 5). */
export const WAREHOUSE_TABLE_NAMES = [
  "dim_date",
  "dim_location",
  "dim_currency",
  "dim_design",
  "dim_payment_type",
  "dim_staff",
  "dim_counterparty",
  "dim_transaction",
  "fact_sales_order",
  "fact_purchase_order",
  "fact_payment",
] as const;

/** Name of a warehouse table. */
export type WarehouseTableName = typeof WAREHOUSE_TABLE_NAMES[number];

const c = (name: string, type: ColumnType, description: string, nullable = false): DescribedColumn => ({
  name,
  type,
  nullable,
  description,
});
const version = (what: string) => [
  c(
    "source_last_updated",
    "timestamp_us",
    `ToteSys last_updated of the ${what} this row was built from (UTC); keeps runs loaded out of order from regressing the row.`,
  ),
  c("source_run_id", "utf8", "The ingest run that brought this row's current values."),
];
const deleted = (what: string) => [
  c(
    "deleted_at",
    "timestamp_us",
    `When the source ${what} was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.`,
    true,
  ),
];
const stamps = (what: string) => [
  c("created_date", "date32", `Date the ${what} was created in ToteSys (UTC).`),
  c("created_time", "time64us", `Time of day the ${what} was created in ToteSys (UTC, microseconds).`),
  c("last_updated_date", "date32", `Date of this version's last_updated in ToteSys (UTC).`),
  c(
    "last_updated_time",
    "time64us",
    `Time of day of this version's last_updated in ToteSys (UTC, microseconds).`,
  ),
];
const factExtra = (recordId: string, what: string) => [
  c(
    recordId,
    "int32",
    `Warehouse key of this version of the ${what}: versions of one ${what} in capture order (the highest is the latest).`,
  ),
  c(
    "source_run_id",
    "utf8",
    "The ingest run that captured this version (NULL: loaded before migration 2).",
    true,
  ),
];
const money = "Never add amounts of different currencies: ToteSys holds no exchange rates.";

/** Contract of every warehouse table, keyed by name. */
export const WAREHOUSE_TABLES: Readonly<Record<WarehouseTableName, WarehouseTable>> = {
  dim_date: {
    name: "dim_date",
    kind: "dimension",
    description:
      "One row per calendar day: a contiguous calendar in whole years covering every date a fact references (agreed dates in the future included).",
    key: "date_id",
    columns: [
      c("date_id", "date32", "The day (primary key); every date column of the facts references it."),
      c("year", "int32", "Calendar year, e.g. 2024."),
      c("month", "int32", "Month number 1..12."),
      c("day", "int32", "Day of the month 1..31."),
      c("day_of_week", "int32", "ISO 8601: 1 = Monday .. 7 = Sunday."),
      c("day_name", "utf8", "English day name, unpadded: Monday .. Sunday."),
      c("month_name", "utf8", "English month name, unpadded: January .. December."),
      c("quarter", "int32", "Calendar quarter 1..4 (January-March = 1)."),
    ],
    warehouseColumns: [],
  },
  dim_location: {
    name: "dim_location",
    kind: "dimension",
    description:
      "One row per ToteSys address (delivery locations of sales and purchase orders), with its latest values.",
    key: "location_id",
    columns: [
      c("location_id", "int32", "ToteSys address_id (primary key)."),
      c("address_line_1", "utf8", "First address line."),
      c("address_line_2", "utf8", "Second address line, if any.", true),
      c("district", "utf8", "District, if any.", true),
      c("city", "utf8", "City."),
      c("postal_code", "utf8", "Postal code."),
      c("country", "utf8", "Country name as written in ToteSys."),
      c("phone", "utf8", "Telephone number of the address."),
      ...version("address"),
    ],
    warehouseColumns: deleted("address"),
  },
  dim_currency: {
    name: "dim_currency",
    kind: "dimension",
    description: `One row per ToteSys currency. ${money}`,
    key: "currency_id",
    columns: [
      c("currency_id", "int32", "ToteSys currency_id (primary key)."),
      c("currency_code", "utf8", "ISO 4217 code, e.g. GBP, USD, EUR."),
      c("currency_name", "utf8", "English name of the currency, e.g. Pound Sterling."),
      ...version("currency"),
    ],
    warehouseColumns: deleted("currency"),
  },
  dim_design: {
    name: "dim_design",
    kind: "dimension",
    description: "One row per tote bag design, with its latest values.",
    key: "design_id",
    columns: [
      c("design_id", "int32", "ToteSys design_id (primary key)."),
      c("design_name", "utf8", "Name of the design."),
      c("file_location", "utf8", "Folder of the design's artwork file."),
      c("file_name", "utf8", "File name of the design's artwork."),
      ...version("design"),
    ],
    warehouseColumns: deleted("design"),
  },
  dim_payment_type: {
    name: "dim_payment_type",
    kind: "dimension",
    description: "One row per kind of payment (e.g. SALES_RECEIPT, PURCHASE_PAYMENT).",
    key: "payment_type_id",
    columns: [
      c("payment_type_id", "int32", "ToteSys payment_type_id (primary key)."),
      c("payment_type_name", "utf8", "Name of the payment type."),
      ...version("payment type"),
    ],
    warehouseColumns: deleted("payment type"),
  },
  dim_staff: {
    name: "dim_staff",
    kind: "dimension",
    description: "One row per member of staff, with the name and location of their department.",
    key: "staff_id",
    columns: [
      c("staff_id", "int32", "ToteSys staff_id (primary key)."),
      c("first_name", "utf8", "First name."),
      c("last_name", "utf8", "Last name."),
      c("department_name", "utf8", "Name of the staff member's department (ToteSys department)."),
      c("location", "utf8", "Location of the staff member's department."),
      c("email_address", "utf8", "Work e-mail address."),
      ...version("staff row"),
    ],
    warehouseColumns: deleted("staff row"),
  },
  dim_counterparty: {
    name: "dim_counterparty",
    kind: "dimension",
    description:
      "One row per counterparty (customer or supplier), with its legal address copied from ToteSys address.",
    key: "counterparty_id",
    columns: [
      c("counterparty_id", "int32", "ToteSys counterparty_id (primary key)."),
      c("counterparty_legal_name", "utf8", "Legal name of the counterparty."),
      c("counterparty_legal_address_line_1", "utf8", "First line of the legal address."),
      c("counterparty_legal_address_line_2", "utf8", "Second line of the legal address, if any.", true),
      c("counterparty_legal_district", "utf8", "District of the legal address, if any.", true),
      c("counterparty_legal_city", "utf8", "City of the legal address."),
      c("counterparty_legal_postal_code", "utf8", "Postal code of the legal address."),
      c("counterparty_legal_country", "utf8", "Country of the legal address."),
      c("counterparty_legal_phone_number", "utf8", "Telephone number of the legal address."),
      ...version("counterparty"),
    ],
    warehouseColumns: deleted("counterparty"),
  },
  dim_transaction: {
    name: "dim_transaction",
    kind: "dimension",
    description: "One row per ToteSys transaction: a sale or a purchase that payments settle.",
    key: "transaction_id",
    columns: [
      c("transaction_id", "int32", "ToteSys transaction_id (primary key)."),
      c("transaction_type", "utf8", "SALE or PURCHASE."),
      c(
        "sales_order_id",
        "int32",
        "The sales order of a SALE (NULL otherwise, or when that order was deleted).",
        true,
      ),
      c(
        "purchase_order_id",
        "int32",
        "The purchase order of a PURCHASE (NULL otherwise, or when that order was deleted).",
        true,
      ),
      ...version("transaction"),
    ],
    warehouseColumns: deleted("transaction"),
  },
  fact_sales_order: {
    name: "fact_sales_order",
    kind: "fact",
    description:
      "History of sales orders: one row per distinct content a ToteSys sales order had when captured, in capture order. fact_sales_order_current holds the latest version of each live order.",
    key: "sales_order_id",
    recordId: "sales_record_id",
    columns: [
      c("sales_order_id", "int32", "ToteSys sales_order_id: the order (natural key; one row per version)."),
      ...stamps("sales order"),
      c("sales_staff_id", "int32", "The member of staff who made the sale (dim_staff)."),
      c("counterparty_id", "int32", "The customer (dim_counterparty)."),
      c("units_sold", "int32", "Number of bags sold."),
      c("unit_price", "decimal", `Price of one bag in the order's currency (exact, 2 decimals). ${money}`),
      c("currency_id", "int32", "Currency of unit_price (dim_currency)."),
      c("design_id", "int32", "The design sold (dim_design)."),
      c("agreed_payment_date", "date32", "Date the customer agreed to pay."),
      c("agreed_delivery_date", "date32", "Date agreed for delivery."),
      c("agreed_delivery_location_id", "int32", "Where the order is delivered (dim_location)."),
    ],
    warehouseColumns: factExtra("sales_record_id", "sales order"),
  },
  fact_purchase_order: {
    name: "fact_purchase_order",
    kind: "fact",
    description:
      "History of purchase orders: one row per distinct content a ToteSys purchase order had when captured, in capture order. fact_purchase_order_current holds the latest version of each live order.",
    key: "purchase_order_id",
    recordId: "purchase_record_id",
    columns: [
      c(
        "purchase_order_id",
        "int32",
        "ToteSys purchase_order_id: the order (natural key; one row per version).",
      ),
      ...stamps("purchase order"),
      c("staff_id", "int32", "The member of staff who placed the order (dim_staff)."),
      c("counterparty_id", "int32", "The supplier (dim_counterparty)."),
      c("item_code", "utf8", "Supplier's code of the item bought."),
      c("item_quantity", "int32", "Number of items bought."),
      c("item_unit_price", "decimal", `Price of one item in the order's currency (exact). ${money}`),
      c("currency_id", "int32", "Currency of item_unit_price (dim_currency)."),
      c("agreed_delivery_date", "date32", "Date agreed for delivery."),
      c("agreed_payment_date", "date32", "Date agreed for payment."),
      c("agreed_delivery_location_id", "int32", "Where the items are delivered (dim_location)."),
    ],
    warehouseColumns: factExtra("purchase_record_id", "purchase order"),
  },
  fact_payment: {
    name: "fact_payment",
    kind: "fact",
    description:
      "History of payments: one row per distinct content a ToteSys payment had when captured, in capture order (a payment turning paid is a new version). fact_payment_current holds the latest version of each live payment.",
    key: "payment_id",
    recordId: "payment_record_id",
    columns: [
      c("payment_id", "int32", "ToteSys payment_id: the payment (natural key; one row per version)."),
      ...stamps("payment"),
      c("transaction_id", "int32", "The sale or purchase this payment settles (dim_transaction)."),
      c("counterparty_id", "int32", "Who pays or is paid (dim_counterparty)."),
      c("payment_amount", "decimal", `Amount in the payment's currency (exact). ${money}`),
      c("currency_id", "int32", "Currency of payment_amount (dim_currency)."),
      c("payment_type_id", "int32", "Kind of payment (dim_payment_type)."),
      c("paid", "bool", "Whether the payment has been made (true) or is still due (false)."),
      c("payment_date", "date32", "Date the payment was made, or is due when not paid yet."),
    ],
    warehouseColumns: factExtra("payment_record_id", "payment"),
  },
};
