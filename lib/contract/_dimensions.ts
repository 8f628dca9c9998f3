/**
 * The contracts of the eight dimensions (internal to lib/contract/; see warehouse.ts).
 *
 * @module
 */
import { c, deleted, MONEY_NOTE, same, version, via } from "./_build.ts";
import type { WarehouseTable } from "./warehouse.ts";

/** The dimensions in load order: dim_date first (the facts' dates reference it). */
export const DIMENSION_NAMES = [
  "dim_date",
  "dim_location",
  "dim_currency",
  "dim_design",
  "dim_payment_type",
  "dim_staff",
  "dim_counterparty",
  "dim_transaction",
] as const;

type DimensionName = typeof DIMENSION_NAMES[number];

/** A dimension whose rows hold the latest values of one source table's rows, marked when deleted. */
const dimension = (
  table: Omit<WarehouseTable, "kind" | "warehouseColumns" | "deletion">,
  what: string,
): WarehouseTable => ({
  ...table,
  kind: "dimension",
  columns: [...table.columns, ...version(what)],
  warehouseColumns: deleted(what),
  deletion: "deleted_at",
});

/** The legal-address columns of dim_counterparty: the address the counterparty's legal_address_id names. */
const legal = (name: string, column: string, description: string, nullable = false) =>
  c(name, "utf8", description, nullable, via("legal_address_id", column));

/** Contract of every dimension, in load order. */
export const DIMENSIONS: Readonly<Record<DimensionName, WarehouseTable>> = {
  dim_date: {
    name: "dim_date",
    kind: "dimension",
    description:
      "One row per calendar day: a contiguous calendar in whole years covering every date a fact references (agreed dates in the future included).",
    key: "date_id",
    source: null,
    deletion: null,
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
  dim_location: dimension({
    name: "dim_location",
    description:
      "One row per ToteSys address (delivery locations of sales and purchase orders), with its latest values.",
    key: "location_id",
    source: "address",
    columns: [
      c("location_id", "int32", "ToteSys address_id (primary key).", false, same("address_id")),
      c("address_line_1", "utf8", "First address line.", false, same("address_line_1")),
      c("address_line_2", "utf8", "Second address line, if any.", true, same("address_line_2")),
      c("district", "utf8", "District, if any.", true, same("district")),
      c("city", "utf8", "City.", false, same("city")),
      c("postal_code", "utf8", "Postal code.", false, same("postal_code")),
      c("country", "utf8", "Country name as written in ToteSys.", false, same("country")),
      c("phone", "utf8", "Telephone number of the address.", false, same("phone")),
    ],
  }, "address"),
  dim_currency: dimension({
    name: "dim_currency",
    description: `One row per ToteSys currency. ${MONEY_NOTE}`,
    key: "currency_id",
    source: "currency",
    columns: [
      c("currency_id", "int32", "ToteSys currency_id (primary key).", false, same("currency_id")),
      c("currency_code", "utf8", "ISO 4217 code, e.g. GBP, USD, EUR.", false, same("currency_code")),
      c("currency_name", "utf8", "English name of the currency, e.g. Pound Sterling."),
    ],
  }, "currency"),
  dim_design: dimension({
    name: "dim_design",
    description: "One row per tote bag design, with its latest values.",
    key: "design_id",
    source: "design",
    columns: [
      c("design_id", "int32", "ToteSys design_id (primary key).", false, same("design_id")),
      c("design_name", "utf8", "Name of the design.", false, same("design_name")),
      c("file_location", "utf8", "Folder of the design's artwork file.", false, same("file_location")),
      c("file_name", "utf8", "File name of the design's artwork.", false, same("file_name")),
    ],
  }, "design"),
  dim_payment_type: dimension({
    name: "dim_payment_type",
    description: "One row per kind of payment (e.g. SALES_RECEIPT, PURCHASE_PAYMENT).",
    key: "payment_type_id",
    source: "payment_type",
    columns: [
      c("payment_type_id", "int32", "ToteSys payment_type_id (primary key).", false, same("payment_type_id")),
      c("payment_type_name", "utf8", "Name of the payment type.", false, same("payment_type_name")),
    ],
  }, "payment type"),
  dim_staff: dimension({
    name: "dim_staff",
    description: "One row per member of staff, with the name and location of their department.",
    key: "staff_id",
    source: "staff",
    columns: [
      c("staff_id", "int32", "ToteSys staff_id (primary key).", false, same("staff_id")),
      c("first_name", "utf8", "First name.", false, same("first_name")),
      c("last_name", "utf8", "Last name.", false, same("last_name")),
      c(
        "department_name",
        "utf8",
        "Name of the staff member's department (ToteSys department).",
        false,
        via("department_id", "department_name"),
      ),
      c(
        "location",
        "utf8",
        "Location of the staff member's department.",
        false,
        via("department_id", "location"),
      ),
      c("email_address", "utf8", "Work e-mail address.", false, same("email_address")),
    ],
  }, "staff row"),
  dim_counterparty: dimension({
    name: "dim_counterparty",
    description:
      "One row per counterparty (customer or supplier), with its legal address copied from ToteSys address.",
    key: "counterparty_id",
    source: "counterparty",
    columns: [
      c("counterparty_id", "int32", "ToteSys counterparty_id (primary key).", false, same("counterparty_id")),
      c(
        "counterparty_legal_name",
        "utf8",
        "Legal name of the counterparty.",
        false,
        same("counterparty_legal_name"),
      ),
      legal("counterparty_legal_address_line_1", "address_line_1", "First line of the legal address."),
      legal(
        "counterparty_legal_address_line_2",
        "address_line_2",
        "Second line of the legal address, if any.",
        true,
      ),
      legal("counterparty_legal_district", "district", "District of the legal address, if any.", true),
      legal("counterparty_legal_city", "city", "City of the legal address."),
      legal("counterparty_legal_postal_code", "postal_code", "Postal code of the legal address."),
      legal("counterparty_legal_country", "country", "Country of the legal address."),
      legal("counterparty_legal_phone_number", "phone", "Telephone number of the legal address."),
    ],
  }, "counterparty"),
  dim_transaction: dimension({
    name: "dim_transaction",
    description: "One row per ToteSys transaction: a sale or a purchase that payments settle.",
    key: "transaction_id",
    source: "transaction",
    columns: [
      c("transaction_id", "int32", "ToteSys transaction_id (primary key).", false, same("transaction_id")),
      c("transaction_type", "utf8", "SALE or PURCHASE.", false, same("transaction_type")),
      c(
        "sales_order_id",
        "int32",
        "The sales order of a SALE (NULL otherwise, or when that order was deleted).",
        true,
        same("sales_order_id"),
      ),
      c(
        "purchase_order_id",
        "int32",
        "The purchase order of a PURCHASE (NULL otherwise, or when that order was deleted).",
        true,
        same("purchase_order_id"),
      ),
    ],
  }, "transaction"),
};
