/**
 * The ToteSys source tables: name, primary key and the columns the pipeline relies on, with their live types
 * (the ToteSys data notes (docs/design.md section 1; the dumps' README §4); docs/design.md section 1).
 *
 * Ingest captures every column it finds (added columns included); the columns listed here are those of the live
 * schema, which the pipeline needs, so ingest refuses to run when one of them is missing or changed type.
 * tests/contract/source_schema_test.ts checks tools/totesys/schema.sql against this contract.
 *
 * @module
 */

/** How a source column is carried in the ingestion zone (JSON Lines). */
export type SourceKind =
  | "int" // JSON number (int2, int4)
  | "text" // JSON string (text, varchar, enums, int8 and anything else as its text)
  | "numeric" // JSON string holding the exact decimal text, e.g. "2.675"
  | "timestamp" // JSON string "YYYY-MM-DD HH:MM:SS.ffffff" (six digits, UTC by convention)
  | "bool" // JSON boolean
  | "date"; // JSON string "YYYY-MM-DD"

/** One source table's contract. */
export interface SourceTable {
  /** Table name in ToteSys (schema `public`). */
  name: SourceTableName;
  /** Integer primary key column (`<table>_id`). */
  pk: string;
  /** Every column of the live table, in its DDL order (tools/totesys/schema.sql), with its kind. */
  columns: Readonly<Record<string, SourceKind>>;
  /**
   * Foreign keys: column to the table whose primary key it holds (all `ON UPDATE CASCADE ON DELETE RESTRICT`,
   * except transaction's two, `ON DELETE SET NULL`: docs/design.md section 1).
   */
  references?: Readonly<Record<string, SourceTableName>>;
}

/** The 11 ToteSys tables, in dependency order (referenced tables first). */
export const SOURCE_TABLE_NAMES = [
  "address",
  "currency",
  "department",
  "design",
  "payment_type",
  "counterparty",
  "staff",
  "sales_order",
  "purchase_order",
  "transaction",
  "payment",
] as const;

/** Name of a ToteSys table. */
export type SourceTableName = typeof SOURCE_TABLE_NAMES[number];

const ts = { created_at: "timestamp", last_updated: "timestamp" } as const;

/**
 * Contract of every ToteSys table, keyed by name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SOURCE_TABLES } from "./source.ts";
 * assert(SOURCE_TABLES.sales_order.pk === "sales_order_id");
 * assert(SOURCE_TABLES.sales_order.columns.unit_price === "numeric");
 * assert(SOURCE_TABLES.sales_order.references?.agreed_delivery_location_id === "address");
 * ```
 */
export const SOURCE_TABLES: Readonly<Record<SourceTableName, SourceTable>> = {
  address: {
    name: "address",
    pk: "address_id",
    columns: {
      address_id: "int",
      address_line_1: "text",
      address_line_2: "text",
      district: "text",
      city: "text",
      postal_code: "text",
      country: "text",
      phone: "text",
      ...ts,
    },
  },
  currency: {
    name: "currency",
    pk: "currency_id",
    columns: { currency_id: "int", currency_code: "text", ...ts },
  },
  department: {
    name: "department",
    pk: "department_id",
    columns: { department_id: "int", department_name: "text", location: "text", manager: "text", ...ts },
  },
  design: {
    name: "design",
    pk: "design_id",
    columns: {
      design_id: "int",
      created_at: "timestamp",
      design_name: "text",
      file_location: "text",
      file_name: "text",
      last_updated: "timestamp",
    },
  },
  payment_type: {
    name: "payment_type",
    pk: "payment_type_id",
    columns: { payment_type_id: "int", payment_type_name: "text", ...ts },
  },
  counterparty: {
    name: "counterparty",
    pk: "counterparty_id",
    columns: {
      counterparty_id: "int",
      counterparty_legal_name: "text",
      legal_address_id: "int",
      commercial_contact: "text",
      delivery_contact: "text",
      ...ts,
    },
    references: { legal_address_id: "address" },
  },
  staff: {
    name: "staff",
    pk: "staff_id",
    columns: {
      staff_id: "int",
      first_name: "text",
      last_name: "text",
      department_id: "int",
      email_address: "text",
      ...ts,
    },
    references: { department_id: "department" },
  },
  sales_order: {
    name: "sales_order",
    pk: "sales_order_id",
    columns: {
      sales_order_id: "int",
      ...ts,
      design_id: "int",
      staff_id: "int",
      counterparty_id: "int",
      units_sold: "int",
      unit_price: "numeric",
      currency_id: "int",
      agreed_delivery_date: "text",
      agreed_payment_date: "text",
      agreed_delivery_location_id: "int",
    },
    references: {
      design_id: "design",
      staff_id: "staff",
      counterparty_id: "counterparty",
      currency_id: "currency",
      agreed_delivery_location_id: "address",
    },
  },
  purchase_order: {
    name: "purchase_order",
    pk: "purchase_order_id",
    columns: {
      purchase_order_id: "int",
      ...ts,
      staff_id: "int",
      counterparty_id: "int",
      item_code: "text",
      item_quantity: "int",
      item_unit_price: "numeric",
      currency_id: "int",
      agreed_delivery_date: "text",
      agreed_payment_date: "text",
      agreed_delivery_location_id: "int",
    },
    references: {
      staff_id: "staff",
      counterparty_id: "counterparty",
      currency_id: "currency",
      agreed_delivery_location_id: "address",
    },
  },
  transaction: {
    name: "transaction",
    pk: "transaction_id",
    columns: {
      transaction_id: "int",
      transaction_type: "text",
      sales_order_id: "int",
      purchase_order_id: "int",
      ...ts,
    },
    references: { sales_order_id: "sales_order", purchase_order_id: "purchase_order" },
  },
  payment: {
    name: "payment",
    pk: "payment_id",
    columns: {
      payment_id: "int",
      ...ts,
      transaction_id: "int",
      counterparty_id: "int",
      payment_amount: "numeric",
      currency_id: "int",
      payment_type_id: "int",
      paid: "bool",
      payment_date: "text",
      company_ac_number: "int",
      counterparty_ac_number: "int",
    },
    references: {
      transaction_id: "transaction",
      counterparty_id: "counterparty",
      currency_id: "currency",
      payment_type_id: "payment_type",
    },
  },
};

/**
 * Maps a PostgreSQL type (`information_schema.columns.data_type`, or `udt_name` for user-defined types) to the
 * kind it is carried as. Unknown types travel as text, never lossy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { kindOfPgType } from "./source.ts";
 * assert.equal(kindOfPgType("timestamp without time zone"), "timestamp");
 * assert.equal(kindOfPgType("PaymentTypeName"), "text");
 * ```
 */
export function kindOfPgType(dataType: string): SourceKind {
  switch (dataType) {
    case "integer":
    case "smallint":
      return "int";
    case "numeric":
      return "numeric";
    case "timestamp without time zone":
    case "timestamp with time zone":
      return "timestamp";
    case "boolean":
      return "bool";
    case "date":
      return "date";
    default:
      return "text";
  }
}
