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

/** A warehouse row: column name to value (`null` only where the column is nullable). */
export type WarehouseRow = Record<string, string | number | boolean | null>;

/** A warehouse table's contract. */
export interface WarehouseTable {
  name: WarehouseTableName;
  kind: "dimension" | "fact";
  /** Columns written to Parquet and loaded, in order (facts: without the warehouse-assigned `*_record_id`). */
  columns: readonly Column[];
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

const c = (name: string, type: ColumnType, nullable = false): Column => ({ name, type, nullable });
const version = [c("source_last_updated", "timestamp_us"), c("source_run_id", "utf8")];
const stamps = [
  c("created_date", "date32"),
  c("created_time", "time64us"),
  c("last_updated_date", "date32"),
  c("last_updated_time", "time64us"),
];

/** Contract of every warehouse table, keyed by name. */
export const WAREHOUSE_TABLES: Readonly<Record<WarehouseTableName, WarehouseTable>> = {
  dim_date: {
    name: "dim_date",
    kind: "dimension",
    key: "date_id",
    columns: [
      c("date_id", "date32"),
      c("year", "int32"),
      c("month", "int32"),
      c("day", "int32"),
      c("day_of_week", "int32"),
      c("day_name", "utf8"),
      c("month_name", "utf8"),
      c("quarter", "int32"),
    ],
  },
  dim_location: {
    name: "dim_location",
    kind: "dimension",
    key: "location_id",
    columns: [
      c("location_id", "int32"),
      c("address_line_1", "utf8"),
      c("address_line_2", "utf8", true),
      c("district", "utf8", true),
      c("city", "utf8"),
      c("postal_code", "utf8"),
      c("country", "utf8"),
      c("phone", "utf8"),
      ...version,
    ],
  },
  dim_currency: {
    name: "dim_currency",
    kind: "dimension",
    key: "currency_id",
    columns: [c("currency_id", "int32"), c("currency_code", "utf8"), c("currency_name", "utf8"), ...version],
  },
  dim_design: {
    name: "dim_design",
    kind: "dimension",
    key: "design_id",
    columns: [
      c("design_id", "int32"),
      c("design_name", "utf8"),
      c("file_location", "utf8"),
      c("file_name", "utf8"),
      ...version,
    ],
  },
  dim_payment_type: {
    name: "dim_payment_type",
    kind: "dimension",
    key: "payment_type_id",
    columns: [c("payment_type_id", "int32"), c("payment_type_name", "utf8"), ...version],
  },
  dim_staff: {
    name: "dim_staff",
    kind: "dimension",
    key: "staff_id",
    columns: [
      c("staff_id", "int32"),
      c("first_name", "utf8"),
      c("last_name", "utf8"),
      c("department_name", "utf8"),
      c("location", "utf8"),
      c("email_address", "utf8"),
      ...version,
    ],
  },
  dim_counterparty: {
    name: "dim_counterparty",
    kind: "dimension",
    key: "counterparty_id",
    columns: [
      c("counterparty_id", "int32"),
      c("counterparty_legal_name", "utf8"),
      c("counterparty_legal_address_line_1", "utf8"),
      c("counterparty_legal_address_line_2", "utf8", true),
      c("counterparty_legal_district", "utf8", true),
      c("counterparty_legal_city", "utf8"),
      c("counterparty_legal_postal_code", "utf8"),
      c("counterparty_legal_country", "utf8"),
      c("counterparty_legal_phone_number", "utf8"),
      ...version,
    ],
  },
  dim_transaction: {
    name: "dim_transaction",
    kind: "dimension",
    key: "transaction_id",
    columns: [
      c("transaction_id", "int32"),
      c("transaction_type", "utf8"),
      c("sales_order_id", "int32", true),
      c("purchase_order_id", "int32", true),
      ...version,
    ],
  },
  fact_sales_order: {
    name: "fact_sales_order",
    kind: "fact",
    key: "sales_order_id",
    recordId: "sales_record_id",
    columns: [
      c("sales_order_id", "int32"),
      ...stamps,
      c("sales_staff_id", "int32"),
      c("counterparty_id", "int32"),
      c("units_sold", "int32"),
      c("unit_price", "decimal"),
      c("currency_id", "int32"),
      c("design_id", "int32"),
      c("agreed_payment_date", "date32"),
      c("agreed_delivery_date", "date32"),
      c("agreed_delivery_location_id", "int32"),
    ],
  },
  fact_purchase_order: {
    name: "fact_purchase_order",
    kind: "fact",
    key: "purchase_order_id",
    recordId: "purchase_record_id",
    columns: [
      c("purchase_order_id", "int32"),
      ...stamps,
      c("staff_id", "int32"),
      c("counterparty_id", "int32"),
      c("item_code", "utf8"),
      c("item_quantity", "int32"),
      c("item_unit_price", "decimal"),
      c("currency_id", "int32"),
      c("agreed_delivery_date", "date32"),
      c("agreed_payment_date", "date32"),
      c("agreed_delivery_location_id", "int32"),
    ],
  },
  fact_payment: {
    name: "fact_payment",
    kind: "fact",
    key: "payment_id",
    recordId: "payment_record_id",
    columns: [
      c("payment_id", "int32"),
      ...stamps,
      c("transaction_id", "int32"),
      c("counterparty_id", "int32"),
      c("payment_amount", "decimal"),
      c("currency_id", "int32"),
      c("payment_type_id", "int32"),
      c("paid", "bool"),
      c("payment_date", "date32"),
    ],
  },
};
