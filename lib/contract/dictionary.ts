/**
 * The warehouse's data dictionary: every table and view with what it and each of its columns mean. The star
 * schema's descriptions are those of the contract ({@link WAREHOUSE_TABLES}); this module adds the pipeline's own
 * tables and the views (migrations 2 and 3), so that every relation of the warehouse is described in one place.
 *
 * Generated from it: the `COMMENT ON` statements of migration 4 ({@link commentStatements}) and
 * docs/warehouse.md (lib/report/dictionary_doc.ts, `deno task docs`); tests/load/dictionary_test.ts checks the
 * migrated catalog against it.
 *
 * @module
 */
import { WAREHOUSE_TABLE_NAMES, WAREHOUSE_TABLES, type WarehouseTableName } from "./warehouse.ts";

/** A described column of a table or view. */
export interface ColumnDoc {
  name: string;
  description: string;
}

/** A described table or view of the warehouse. */
export interface RelationDoc {
  name: string;
  /** `dimension`/`fact`: the star schema; `pipeline`: tables the pipeline keeps; `view`: a view. */
  kind: "dimension" | "fact" | "pipeline" | "view";
  description: string;
  /** Every column (the database's order may differ: docs follow the catalog's order). */
  columns: readonly ColumnDoc[];
  /** What one row is identified by (views: their grouping columns), as column names. */
  grain: readonly string[];
  /** Example queries (run by the docs test, so they stay valid). */
  examples: readonly string[];
}

const col = (name: string, description: string): ColumnDoc => ({ name, description });
const NO_FX = "Never add amounts of different currencies: ToteSys holds no exchange rates.";
const live = "Counts the current state (fact_*_current views): the latest version of every live ToteSys row.";

function starTable(name: WarehouseTableName): RelationDoc {
  const t = WAREHOUSE_TABLES[name];
  const columns = [
    ...(t.recordId ? t.warehouseColumns.filter((c) => c.name === t.recordId) : []),
    ...t.columns,
    ...t.warehouseColumns.filter((c) => c.name !== t.recordId),
  ];
  return {
    name,
    kind: t.kind,
    description: t.description,
    columns: columns.map((c) => col(c.name, c.description)),
    grain: [t.recordId ?? t.key],
    examples: [],
  };
}

function currentView(name: "fact_sales_order" | "fact_purchase_order" | "fact_payment"): RelationDoc {
  const t = starTable(name);
  const what =
    { fact_sales_order: "sales order", fact_purchase_order: "purchase order", fact_payment: "payment" }[
      name
    ];
  return {
    name: `${name}_current`,
    kind: "view",
    description:
      `Current state of every live ToteSys ${what}: its latest captured version (the columns of ${name}); deleted ones left out.`,
    columns: t.columns,
    grain: [WAREHOUSE_TABLES[name].key],
    examples: [],
  };
}

const month = (from: string) => col("month", `First day of the month of the ${from} (UTC).`);
const currency = col("currency_code", "Currency of the amounts on this row (ISO 4217).");
const orders = col("orders", "Number of sales orders.");
const units = col("units_sold", "Bags sold (units may be added across currencies).");
const revenue = col("revenue", `Sum of units_sold × unit_price, in currency_code. ${NO_FX}`);

/** The analyst views of migration 4, in the order of the migration. */
const ANALYST_VIEWS: readonly RelationDoc[] = [
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

/** The pipeline's own tables (migrations 1 and 2, and the migration runner). */
const PIPELINE_TABLES: readonly RelationDoc[] = [
  {
    name: "fact_deletion",
    kind: "pipeline",
    description:
      "Source rows deleted in ToteSys: the fact, the natural id, the latest fact version (record id) it had when the deletion was detected, when (ToteSys clock, UTC) and by which run. A later version (re-insert) makes the row current again.",
    columns: [
      col("fact_table", "fact_sales_order, fact_purchase_order or fact_payment."),
      col("natural_id", "The deleted row's natural id (sales_order_id, purchase_order_id or payment_id)."),
      col("last_record_id", "The fact's record id of the latest version when the deletion was detected."),
      col("detected_at", "When the deletion was detected: the ingest snapshot's ToteSys clock (UTC)."),
      col("run_id", "The ingest run that detected it."),
    ],
    grain: ["fact_table", "natural_id", "last_record_id"],
    examples: ["SELECT fact_table, count(*) FROM fact_deletion GROUP BY fact_table"],
  },
  {
    name: "etl_load_log",
    kind: "pipeline",
    description: "One row per load attempt of an ingest run: when, how it ended and the rows per table.",
    columns: [
      col("load_id", "Order of the attempts."),
      col("run_id", "The ingest run loaded (the name of its manifest)."),
      col("started_at", "When the load started."),
      col("finished_at", "When it committed or failed."),
      col("outcome", "loaded (committed; at most once per run) or failed (rolled back)."),
      col(
        "row_counts",
        "Per warehouse table: rows staged from the run's Parquet file (staged), rows inserted or changed (merged) and deletions recorded (deleted).",
      ),
      col("error", "Why a failed load failed; NULL when loaded."),
    ],
    grain: ["load_id"],
    examples: [
      "SELECT run_id, outcome, finished_at - started_at AS took FROM etl_load_log ORDER BY load_id DESC LIMIT 10",
    ],
  },
  {
    name: "reconcile_log",
    kind: "pipeline",
    description: "One row per etl reconcile: outcome, differing keys per table (first 20), error.",
    columns: [
      col("reconcile_id", "Order of the reconciles."),
      col("started_at", "When the reconcile started."),
      col("finished_at", "When it ended."),
      col("outcome", "equal, different or failed."),
      col("differences", "Keys that differ, all tables together."),
      col(
        "tables",
        "Per compared table: table, source_rows, warehouse_rows, differences and the first differing keys.",
      ),
      col("error", "Why it failed (failed only)."),
    ],
    grain: ["reconcile_id"],
    examples: [
      "SELECT finished_at, outcome, differences FROM reconcile_log ORDER BY reconcile_id DESC LIMIT 5",
    ],
  },
  {
    name: "etl_rebuild",
    kind: "pipeline",
    description:
      "The processed location (bucket and key prefix) a rebuild fills this warehouse from: a rebuild refuses a non-empty warehouse it did not start, and resumes the one it did.",
    columns: [
      col("processed_location", "s3://bucket/prefix/ of the rebuild's Parquet files."),
      col("started_at", "When the rebuild started."),
    ],
    grain: ["processed_location"],
    examples: ["SELECT * FROM etl_rebuild"],
  },
  {
    name: "schema_migrations",
    kind: "pipeline",
    description: "Warehouse schema versions applied (lib/load/migrations.ts).",
    columns: [
      col("version", "Migration number."),
      col("name", "Migration name."),
      col("applied_at", "When it was applied."),
    ],
    grain: ["version"],
    examples: [],
  },
];

/** Every table and view of the warehouse: the star schema, the pipeline's tables, then the views. */
export const WAREHOUSE_RELATIONS: readonly RelationDoc[] = [
  ...WAREHOUSE_TABLE_NAMES.map(starTable),
  ...PIPELINE_TABLES,
  currentView("fact_sales_order"),
  currentView("fact_purchase_order"),
  currentView("fact_payment"),
  ...ANALYST_VIEWS,
];

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * `COMMENT ON` statements for every relation and column of {@link WAREHOUSE_RELATIONS}, one a line (the
 * generated block of migration 4).
 *
 * @example
 * ```ts
 * import { commentStatements } from "./dictionary.ts";
 * const lines = commentStatements();
 * if (!lines.includes("COMMENT ON COLUMN dim_date.quarter IS 'Calendar quarter 1..4 (January-March = 1).';")) {
 *   throw new Error("missing");
 * }
 * ```
 */
export function commentStatements(): string[] {
  const out: string[] = [];
  for (const r of WAREHOUSE_RELATIONS) {
    out.push(`COMMENT ON ${r.kind === "view" ? "VIEW" : "TABLE"} ${r.name} IS ${literal(r.description)};`);
    for (const c of r.columns) {
      out.push(`COMMENT ON COLUMN ${r.name}.${c.name} IS ${literal(c.description)};`);
    }
  }
  return out;
}
