/**
 * The report's figures, read from the warehouse and the processed bucket (the SQL and I/O side of the report;
 * lib/report/html.ts renders them without any I/O).
 *
 * Every aggregate is computed in SQL: the client receives a few hundred rows whatever the warehouse's size. The
 * sales figures come from one statement that reads the current sales orders once (the same figures as the
 * analyst views of migration 4, which tests/report/report_test.ts checks); money stays exact decimal text and is
 * never added across currencies.
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import type { Bucket } from "../io/s3.ts";
import { readHealth, readQuarantine } from "./_health_data.ts";
import { SALES_SQL, salesFigures, type SalesPart } from "./_sales_data.ts";

export { readQuarantine } from "./_health_data.ts";

/** Sales of one group in one currency. */
export interface SalesRow {
  currency: string;
  orders: number;
  units: number;
  /** Exact decimal text in `currency`. */
  revenue: string;
}

/** A design's units sold, all currencies together (units may be added, money may not). */
export interface DesignUnits {
  designId: number;
  designName: string;
  units: number;
}

/** A load attempt from `etl_load_log`. */
export interface RunRow {
  loadId: number;
  runId: string;
  startedAt: string;
  seconds: number;
  outcome: string;
  /** Rows staged from the run's Parquet files, all tables. */
  staged: number;
  /** Rows inserted or changed, all tables. */
  merged: number;
  error: string | null;
}

/** Quarantined rows of one source table in one transform run. */
export interface QuarantineRow {
  runId: string;
  sourceTable: string;
  rows: number;
  key: string;
}

/** Everything the report shows. */
export interface ReportData {
  /** The warehouse's clock when read (UTC, `YYYY-MM-DD HH:MM:SS`). */
  generatedAt: string;
  /** Per month (`YYYY-MM-DD`, first day) and currency. */
  salesByMonth: (SalesRow & { month: string })[];
  /** Totals per currency. */
  salesByCurrency: SalesRow[];
  /** The 10 designs with most units sold. */
  topDesignsByUnits: DesignUnits[];
  /** Per currency, the 10 designs with most revenue in it. */
  topDesignsByRevenue: (SalesRow & { designId: number; designName: string; rank: number })[];
  /** Per delivery country and currency. */
  salesByCountry: (SalesRow & { country: string })[];
  /** Per member of staff and currency. */
  salesByStaff: (SalesRow & { staffId: number; name: string; department: string })[];
  /** Per department and currency. */
  salesByDepartment: (SalesRow & { department: string })[];
  /** Payments per month, currency, type and paid. */
  paymentsByMonth: {
    month: string;
    currency: string;
    paymentType: string;
    paid: boolean;
    payments: number;
    amount: string;
  }[];
  /** The last load attempts, newest first. */
  runs: RunRow[];
  /** Per table: rows and the newest ToteSys last_updated loaded; hours between that and generatedAt. */
  freshness: { table: string; rows: number; newest: string | null; ageHours: number | null }[];
  /** Quarantined rows listed by the transform manifests, or why they could not be read. */
  quarantine: { status: "read"; rows: QuarantineRow[] } | { status: "unavailable"; reason: string };
  /** The last reconcile result, when a table records it. */
  reconcile: { status: "not_recorded" } | { status: "recorded"; row: Record<string, string | null> };
}

/** Options of {@link readReportData}. */
export interface ReadOptions {
  /** The processed bucket, to read the quarantine (absent: the report says it was not configured). */
  processed?: Bucket | undefined;
  /** How many load attempts to show (default 20). */
  runs?: number;
}

const num = (x: unknown) => Number(x ?? 0);
const text = (x: unknown) => (x === null || x === undefined ? "0" : String(x));

/**
 * Reads every figure of the report. Statements run concurrently on `sql`'s pool (give it 3 connections), each in
 * its own read-only transaction.
 */
export async function readReportData(sql: Sql, options: ReadOptions = {}): Promise<ReportData> {
  const ro = <T>(fn: (tx: Sql) => Promise<T>) =>
    sql.begin("READ ONLY", async (tx) => {
      await tx`SET LOCAL work_mem = '64MB'`;
      return await fn(tx as unknown as Sql);
    }) as Promise<T>;
  const [sales, payments, health] = await Promise.all([
    ro((tx) => tx.unsafe<SalesPart[]>(SALES_SQL)),
    ro((tx) =>
      tx<
        {
          month: string;
          currency_code: string;
          payment_type_name: string;
          paid: boolean;
          payments: string;
          amount: string;
        }[]
      >`
        SELECT month::text, currency_code, payment_type_name, paid, payments, amount FROM payments_by_month
        ORDER BY month, currency_code, payment_type_name, paid`
    ),
    ro((tx) => readHealth(tx, options.runs ?? 20)),
  ]);
  return {
    generatedAt: health.now,
    ...salesFigures(sales),
    paymentsByMonth: payments.map((r) => ({
      month: r.month,
      currency: r.currency_code,
      paymentType: r.payment_type_name,
      paid: r.paid,
      payments: num(r.payments),
      amount: text(r.amount),
    })),
    runs: health.runs.map((r) => ({
      loadId: num(r.load_id),
      runId: r.run_id,
      startedAt: r.started_at,
      seconds: num(r.seconds),
      outcome: r.outcome,
      staged: num(r.staged),
      merged: num(r.merged),
      error: r.error,
    })),
    freshness: health.freshness.map((r) => ({
      table: r.table_name,
      rows: num(r.row_count),
      newest: r.newest_change,
      ageHours: r.age === null ? null : Number(r.age),
    })),
    quarantine: await readQuarantine(options.processed),
    reconcile: health.reconcile,
  };
}
