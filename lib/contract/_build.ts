/**
 * Builders of the warehouse contract's columns, shared by `_dimensions.ts` and `_facts.ts` (internal to
 * lib/contract/).
 *
 * @module
 */
import type { ColumnReference, ColumnSource, ColumnType, DescribedColumn } from "./columns.ts";
import type { WarehouseTableName } from "./warehouse.ts";

/** What a column declares besides name, type, description and nullability. */
type Extra = Pick<DescribedColumn, "references" | "source" | "numeric" | "sqlType">;

/** A described column. */
export const c = (
  name: string,
  type: ColumnType,
  description: string,
  nullable = false,
  extra: Extra = {},
): DescribedColumn => ({ name, type, nullable, description, ...extra });

/** The source column of the same name, copied. */
export const same = (column: string): Extra => ({ source: { column } });

/** The source column `column`, copied, as a foreign key to `table`'s `key`. */
export const ref = (column: string, table: WarehouseTableName, key: string): Extra => ({
  source: { column },
  references: { table, column: key } satisfies ColumnReference,
});

/** A column of the row the source row's foreign key `via` references. */
export const via = (via: string, column: string): Extra => ({
  source: { column, via } satisfies ColumnSource,
});

/** The `part` of the source timestamp `column`; a date part references dim_date. */
const part = (column: string, part: "date" | "time"): Extra => ({
  source: { column, part },
  ...(part === "date" ? { references: { table: "dim_date", column: "date_id" } } : {}),
});

/** A date column copied from the source and referencing dim_date. */
export const day = (column: string): Extra => ref(column, "dim_date", "date_id");

/** A dimension's version columns (issue 5). */
export const version = (what: string): DescribedColumn[] => [
  c(
    "source_last_updated",
    "timestamp_us",
    `ToteSys last_updated of the ${what} this row was built from (UTC); keeps runs loaded out of order from regressing the row.`,
  ),
  c("source_run_id", "utf8", "The ingest run that brought this row's current values.", false, {
    sqlType: "text",
  }),
];

/** A dimension's deletion mark (migration 2). */
export const deleted = (what: string): DescribedColumn[] => [
  c(
    "deleted_at",
    "timestamp_us",
    `When the source ${what} was found deleted in ToteSys (UTC); NULL while it exists. The row stays: facts may reference it.`,
    true,
  ),
];

/** A fact's created and last-updated dates and times, split from the source row's timestamps. */
export const stamps = (what: string): DescribedColumn[] => [
  c(
    "created_date",
    "date32",
    `Date the ${what} was created in ToteSys (UTC).`,
    false,
    part("created_at", "date"),
  ),
  c(
    "created_time",
    "time64us",
    `Time of day the ${what} was created in ToteSys (UTC, microseconds).`,
    false,
    part("created_at", "time"),
  ),
  c(
    "last_updated_date",
    "date32",
    `Date of this version's last_updated in ToteSys (UTC).`,
    false,
    part("last_updated", "date"),
  ),
  c(
    "last_updated_time",
    "time64us",
    `Time of day of this version's last_updated in ToteSys (UTC, microseconds).`,
    false,
    part("last_updated", "time"),
  ),
];

/** A fact's warehouse-assigned record id and the run that captured the version. */
export const factExtra = (recordId: string, what: string): DescribedColumn[] => [
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
    { sqlType: "text" },
  ),
];

/** Appended to the description of every money column and of dim_currency. */
export const MONEY_NOTE = "Never add amounts of different currencies: ToteSys holds no exchange rates.";
