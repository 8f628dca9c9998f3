/**
 * The report's sales sections: revenue over time, designs, delivery countries, staff and departments.
 *
 * @module
 */
import type { ReportData } from "./data.ts";
import { chart, esc, fmtInt, money, NO_FX, pivot, table } from "./_html_parts.ts";

/** Monthly revenue per currency, one chart panel per currency. */
export async function revenueSection(d: ReportData): Promise<string> {
  const months = d.salesByMonth.map((r) => ({ ...r, revenue: Number(r.revenue) }));
  return `<section id="revenue"><h2>Monthly revenue per currency</h2>
<p class="note">Revenue is units sold × unit price of the current version of every live sales order, by the month the
order was created. ${esc(NO_FX)} Each currency has its own chart and scale.</p>
${await chart("Revenue per month, one panel per currency", {
    data: { values: months },
    facet: { row: { field: "currency", type: "nominal", title: null } },
    spec: {
      width: 680,
      height: 130,
      mark: { type: "line", point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: "month", type: "temporal", timeUnit: "utcyearmonth", title: null },
        y: { field: "revenue", type: "quantitative", title: "revenue" },
        color: { field: "currency", type: "nominal", legend: null },
      },
    },
    resolve: { scale: { y: "independent" } },
  }, months.length > 0)}
${
    table(
      ["currency", "orders", "units sold", "revenue"],
      d.salesByCurrency.map((r) => [esc(r.currency), fmtInt(r.orders), fmtInt(r.units), money(r)]),
      [false, true, true, true],
    )
  }
</section>`;
}

/** The top 10 designs by units and by revenue in each currency. */
export async function designsSection(d: ReportData): Promise<string> {
  // design names are not unique in ToteSys: the charts label each design with its id
  const byRevenue = d.topDesignsByRevenue.map((r) => ({
    ...r,
    design: `${r.designName} #${r.designId}`,
    revenue: Number(r.revenue),
  }));
  const byUnits = d.topDesignsByUnits.map((r) => ({ ...r, design: `${r.designName} #${r.designId}` }));
  return `<section id="designs"><h2>Top 10 designs</h2>
<div class="row">
${await chart("By units sold (all currencies: units may be added)", {
    data: { values: byUnits },
    width: 330,
    height: 260,
    mark: "bar",
    encoding: {
      y: { field: "design", type: "nominal", sort: "-x", title: null },
      x: { field: "units", type: "quantitative", title: "units sold" },
    },
  }, d.topDesignsByUnits.length > 0)}
${await chart("By revenue, in each currency", {
    data: { values: byRevenue },
    facet: { row: { field: "currency", type: "nominal", title: null } },
    spec: {
      width: 260,
      height: 170,
      mark: "bar",
      encoding: {
        y: { field: "design", type: "nominal", sort: "-x", title: null },
        x: { field: "revenue", type: "quantitative", title: "revenue" },
        color: { field: "currency", type: "nominal", legend: null },
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  }, byRevenue.length > 0)}
</div>
${
    table(
      ["#", "design", "id", "units sold"],
      d.topDesignsByUnits.map((
        r,
        i,
      ) => [String(i + 1), esc(r.designName), String(r.designId), fmtInt(r.units)]),
      [true, false, true, true],
    )
  }
</section>`;
}

/** Sales by delivery country. */
export async function countriesSection(d: ReportData, currencies: string[]): Promise<string> {
  const countryUnits = Object.entries(
    d.salesByCountry.reduce<Record<string, number>>(
      (a, r) => ({ ...a, [r.country]: (a[r.country] ?? 0) + r.units }),
      {},
    ),
  ).map(([country, units]) => ({ country, units }));
  return `<section id="countries"><h2>Sales by delivery country</h2>
${await chart("Units sold by delivery country", {
    data: { values: countryUnits },
    width: 680,
    height: { step: 16 },
    mark: "bar",
    encoding: {
      y: { field: "country", type: "nominal", sort: "-x", title: null },
      x: { field: "units", type: "quantitative", title: "units sold" },
    },
  }, countryUnits.length > 0)}
${pivot("country", d.salesByCountry.map((r) => ({ ...r, key: r.country })), currencies)}
</section>`;
}

/** Sales by member of staff and by department. */
export async function staffSection(d: ReportData, currencies: string[]): Promise<string> {
  const staffUnits = Object.values(
    d.salesByStaff.reduce<Record<number, { name: string; department: string; units: number }>>((a, r) => {
      const e = a[r.staffId] ?? { name: r.name, department: r.department, units: 0 };
      e.units += r.units;
      a[r.staffId] = e;
      return a;
    }, {}),
  );
  const dept = d.salesByDepartment.map((r) => ({ ...r, revenue: Number(r.revenue) }));
  return `<section id="staff"><h2>Sales by staff and department</h2>
<div class="row">
${await chart("Units sold per member of staff", {
    data: { values: staffUnits },
    width: 330,
    height: { step: 14 },
    mark: "bar",
    encoding: {
      y: { field: "name", type: "nominal", sort: "-x", title: null },
      x: { field: "units", type: "quantitative", title: "units sold" },
      color: { field: "department", type: "nominal" },
    },
  }, staffUnits.length > 0)}
${await chart("Revenue per department, in each currency", {
    data: { values: dept },
    facet: { row: { field: "currency", type: "nominal", title: null } },
    spec: {
      width: 260,
      height: { step: 14 },
      mark: "bar",
      encoding: {
        y: { field: "department", type: "nominal", sort: "-x", title: null },
        x: { field: "revenue", type: "quantitative", title: "revenue" },
        color: { field: "currency", type: "nominal", legend: null },
      },
    },
    resolve: { scale: { x: "independent", y: "independent" } },
  }, dept.length > 0)}
</div>
${pivot("department", d.salesByDepartment.map((r) => ({ ...r, key: r.department })), currencies)}
</section>`;
}
