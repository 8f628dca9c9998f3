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
import { TRANSFORM_MANIFEST_PREFIX, type TransformManifest } from "../transform/manifest.ts";

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

/** Sales, one pass over the current sales orders: a fine grouping, then the report's groupings of it. */
const SALES_SQL = `
WITH cur AS (
  SELECT date_trunc('month', created_date::timestamp)::date AS month, currency_id, design_id,
         agreed_delivery_location_id AS location_id, sales_staff_id AS staff_id, units_sold,
         units_sold * unit_price AS revenue
  FROM fact_sales_order_current
), fine AS MATERIALIZED (
  SELECT month, location_id, staff_id, design_id, currency_id, GROUPING(design_id) AS by_place,
         count(*) AS orders, sum(units_sold) AS units, sum(revenue) AS revenue
  FROM cur
  GROUP BY GROUPING SETS ((month, location_id, staff_id, currency_id), (design_id, currency_id))
), place AS (
  SELECT f.*, c.currency_code FROM fine f JOIN dim_currency c ON c.currency_id = f.currency_id WHERE by_place = 1
), design AS (
  SELECT f.*, c.currency_code FROM fine f JOIN dim_currency c ON c.currency_id = f.currency_id WHERE by_place = 0
)
SELECT 'month' AS part, month::text AS k, NULL AS label, NULL AS extra, currency_code,
       sum(orders) AS orders, sum(units) AS units, sum(revenue) AS revenue
FROM place GROUP BY month, currency_code
UNION ALL
SELECT 'currency', NULL, NULL, NULL, currency_code, sum(orders), sum(units), sum(revenue)
FROM place GROUP BY currency_code
UNION ALL
SELECT 'country', l.country, NULL, NULL, p.currency_code, sum(orders), sum(units), sum(revenue)
FROM place p JOIN dim_location l ON l.location_id = p.location_id GROUP BY l.country, p.currency_code
UNION ALL
SELECT 'staff', s.staff_id::text, s.first_name || ' ' || s.last_name, s.department_name, p.currency_code,
       sum(orders), sum(units), sum(revenue)
FROM place p JOIN dim_staff s ON s.staff_id = p.staff_id
GROUP BY s.staff_id, s.first_name, s.last_name, s.department_name, p.currency_code
UNION ALL
SELECT 'department', s.department_name, NULL, NULL, p.currency_code, sum(orders), sum(units), sum(revenue)
FROM place p JOIN dim_staff s ON s.staff_id = p.staff_id GROUP BY s.department_name, p.currency_code
UNION ALL
SELECT 'design_units', design_id::text, design_name, rank::text, NULL, NULL, units, NULL FROM (
  SELECT d.design_id, d.design_name, sum(x.units) AS units,
         row_number() OVER (ORDER BY sum(x.units) DESC, d.design_id) AS rank
  FROM design x JOIN dim_design d ON d.design_id = x.design_id GROUP BY d.design_id, d.design_name
) u WHERE rank <= 10
UNION ALL
SELECT 'design_revenue', design_id::text, design_name, rank::text, currency_code, orders, units, revenue FROM (
  SELECT d.design_id, d.design_name, x.currency_code, x.orders, x.units, x.revenue,
         row_number() OVER (PARTITION BY x.currency_code ORDER BY x.revenue DESC, d.design_id) AS rank
  FROM design x JOIN dim_design d ON d.design_id = x.design_id
) r WHERE rank <= 10`;

interface SalesPart {
  part: string;
  k: string | null;
  label: string | null;
  extra: string | null;
  currency_code: string | null;
  orders: string | null;
  units: string | null;
  revenue: string | null;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
    ro(async (tx) => ({
      now: (await tx<
        { now: string }[]
      >`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS now`)[0]!
        .now,
      runs: await tx<
        {
          load_id: string;
          run_id: string;
          started_at: string;
          seconds: string;
          outcome: string;
          staged: string | null;
          merged: string | null;
          error: string | null;
        }[]
      >`
        SELECT l.load_id, l.run_id, to_char(l.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS started_at,
               round(extract(epoch FROM l.finished_at - l.started_at), 2)::text AS seconds, l.outcome, l.error,
               (SELECT sum((v ->> 'staged')::bigint) FROM jsonb_each(l.row_counts) AS e(k, v)) AS staged,
               (SELECT sum((v ->> 'merged')::bigint) FROM jsonb_each(l.row_counts) AS e(k, v)) AS merged
        FROM etl_load_log l ORDER BY l.load_id DESC LIMIT ${options.runs ?? 20}`,
      freshness: await tx<
        { table_name: string; row_count: string; newest_change: string | null; age: string | null }[]
      >`
        SELECT table_name, row_count, newest_change,
               round(extract(epoch FROM (now() AT TIME ZONE 'UTC') - newest_change) / 3600, 1)::text AS age
        FROM warehouse_freshness`,
      reconcile: await readReconcile(tx),
    })),
  ]);

  const rows = (part: string) => sales.filter((r) => r.part === part);
  const salesRow = (r: SalesPart): SalesRow => ({
    currency: r.currency_code!,
    orders: num(r.orders),
    units: num(r.units),
    revenue: text(r.revenue),
  });
  return {
    generatedAt: health.now,
    salesByMonth: rows("month").map((r) => ({ month: r.k!, ...salesRow(r) }))
      .sort((a, b) => byText(a.month, b.month) || byText(a.currency, b.currency)),
    salesByCurrency: rows("currency").map(salesRow).sort((a, b) => byText(a.currency, b.currency)),
    topDesignsByUnits: rows("design_units").sort((a, b) => num(a.extra) - num(b.extra))
      .map((r) => ({ designId: num(r.k), designName: r.label!, units: num(r.units) })),
    topDesignsByRevenue: rows("design_revenue").map((r) => ({
      designId: num(r.k),
      designName: r.label!,
      rank: num(r.extra),
      ...salesRow(r),
    }))
      .sort((a, b) => byText(a.currency, b.currency) || a.rank - b.rank),
    salesByCountry: rows("country").map((r) => ({ country: r.k!, ...salesRow(r) }))
      .sort((a, b) => byText(a.country, b.country) || byText(a.currency, b.currency)),
    salesByStaff: rows("staff")
      .map((r) => ({ staffId: num(r.k), name: r.label!, department: r.extra!, ...salesRow(r) }))
      .sort((a, b) => a.staffId - b.staffId || byText(a.currency, b.currency)),
    salesByDepartment: rows("department").map((r) => ({ department: r.k!, ...salesRow(r) }))
      .sort((a, b) => byText(a.department, b.department) || byText(a.currency, b.currency)),
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

/** The newest row of `reconcile_log` (migration 3, written by `etl reconcile`), when there is one. */
async function readReconcile(tx: Sql): Promise<ReportData["reconcile"]> {
  const [t] = await tx<{ ok: boolean }[]>`SELECT to_regclass('reconcile_log') IS NOT NULL AS ok`;
  if (!t!.ok) return { status: "not_recorded" };
  const [row] = await tx.unsafe(
    `SELECT finished_at, outcome, differences, error FROM reconcile_log ORDER BY reconcile_id DESC LIMIT 1`,
  );
  if (!row) return { status: "not_recorded" };
  return {
    status: "recorded",
    row: Object.fromEntries(
      Object.entries(row).map((
        [k, v],
      ) => [k, v === null ? null : typeof v === "object" ? JSON.stringify(v) : String(v)]),
    ),
  };
}

/**
 * Quarantined rows: the quarantine objects under `_quarantine/` name their run; each run's transform manifest
 * gives their row counts (only the manifests of runs that quarantined something are read).
 */
export async function readQuarantine(processed: Bucket | undefined): Promise<ReportData["quarantine"]> {
  if (!processed) {
    return {
      status: "unavailable",
      reason: "PROCESSED_BUCKET is not configured, so the quarantine was not read.",
    };
  }
  try {
    const keys = await processed.list("_quarantine/");
    const runIds = [...new Set(keys.map((k) => k.slice(k.lastIndexOf("/") + 1).replace(/\.jsonl$/, "")))]
      .sort();
    const out: QuarantineRow[] = [];
    for (const runId of runIds) {
      const m = await processed.getJson<TransformManifest>(`${TRANSFORM_MANIFEST_PREFIX}${runId}.json`);
      for (const [sourceTable, f] of Object.entries(m?.quarantine ?? {})) {
        out.push({ runId, sourceTable, rows: f.rows, key: f.key });
      }
    }
    return {
      status: "read",
      rows: out.sort((a, b) => byText(b.runId, a.runId) || byText(a.sourceTable, b.sourceTable)),
    };
  } catch (err) {
    return {
      status: "unavailable",
      reason: `The processed bucket could not be read: ${(err as Error).message}`,
    };
  }
}
