/**
 * The report's sales figures (internal to lib/report/): one statement over the current sales orders, and its
 * rows turned into the report's groupings.
 *
 * @module
 */
import type { ReportData, SalesRow } from "./data.ts";

const num = (x: unknown) => Number(x ?? 0);
const text = (x: unknown) => (x === null || x === undefined ? "0" : String(x));
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sales, one pass over the current sales orders: a fine grouping, then the report's groupings of it. */
export const SALES_SQL = `
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

/** A row of {@link SALES_SQL}: one grouping (`part`) of one key. */
export interface SalesPart {
  part: string;
  k: string | null;
  label: string | null;
  extra: string | null;
  currency_code: string | null;
  orders: string | null;
  units: string | null;
  revenue: string | null;
}

/** The sales figures of the report from the rows of {@link SALES_SQL}. */
export function salesFigures(
  sales: readonly SalesPart[],
): Pick<
  ReportData,
  | "salesByMonth"
  | "salesByCurrency"
  | "topDesignsByUnits"
  | "topDesignsByRevenue"
  | "salesByCountry"
  | "salesByStaff"
  | "salesByDepartment"
> {
  const rows = (part: string) => sales.filter((r) => r.part === part);
  const salesRow = (r: SalesPart): SalesRow => ({
    currency: r.currency_code!,
    orders: num(r.orders),
    units: num(r.units),
    revenue: text(r.revenue),
  });
  return {
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
  };
}
