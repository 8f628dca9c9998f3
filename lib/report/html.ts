/**
 * Renders the report as one self-contained HTML page: inline CSS, charts as inline SVG (lib/report/charts.ts), no
 * script, no external URL. Pure: no database, no network, no clock (the time shown is the warehouse's, from
 * {@link ReportData}).
 *
 * @module
 */
import type { ReportData, SalesRow } from "./data.ts";
import { type ChartSpec, chartSvg } from "./charts.ts";

/** Escapes text for HTML. */
export function esc(s: string | number | null | undefined): string {
  return String(s ?? "").replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll(
    '"',
    "&quot;",
  );
}

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** An integer with thousands separators: `1234567` → `1,234,567`. */
export function fmtInt(n: number): string {
  return (n < 0 ? "-" : "") + group(String(Math.abs(Math.round(n))));
}

/**
 * Exact decimal text with thousands separators and at least two decimals, never through a float:
 * `"1234567.5"` → `"1,234,567.50"`.
 */
export function fmtMoney(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!m) return text;
  return `${m[1]}${group(m[2]!)}.${(m[3] ?? "").padEnd(2, "0")}`;
}

const NO_FX =
  "ToteSys holds no exchange rates, so amounts in different currencies are never added together: " +
  "every amount on this page is shown in its own currency.";

function table(head: string[], rows: (string | number)[][], numeric: boolean[] = []): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ""}>${esc(h)}</th>`).join("");
  const body = rows.map((r) =>
    `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ""}>${c}</td>`).join("")}</tr>`
  )
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

async function chart(title: string, spec: ChartSpec, hasData: boolean): Promise<string> {
  if (!hasData) {
    return `<figure class="chart empty"><figcaption>${esc(title)}</figcaption><p>No data yet.</p></figure>`;
  }
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption>${await chartSvg(
    spec,
    title,
  )}</figure>`;
}

/** One row per key: orders and units over all currencies, then the revenue in each currency (never added). */
function pivot(keyTitle: string, rows: (SalesRow & { key: string })[], currencies: string[]): string {
  const keys = [...new Set(rows.map((r) => r.key))];
  return table(
    [keyTitle, "orders", "units sold", ...currencies.map((c) => `revenue ${c}`)],
    keys.map((k) => {
      const mine = rows.filter((r) => r.key === k);
      return [
        esc(k),
        fmtInt(mine.reduce((a, r) => a + r.orders, 0)),
        fmtInt(mine.reduce((a, r) => a + r.units, 0)),
        ...currencies.map((c) => {
          const r = mine.find((x) => x.currency === c);
          return r ? fmtMoney(r.revenue) : "";
        }),
      ];
    }),
    [false, true, true, ...currencies.map(() => true)],
  );
}

const money = (r: SalesRow) => `${fmtMoney(r.revenue)}&nbsp;${esc(r.currency)}`;

/** Renders the whole page. */
export async function renderReport(d: ReportData): Promise<string> {
  const currencies = [...new Set(d.salesByMonth.map((r) => r.currency))].sort();
  const months = d.salesByMonth.map((r) => ({ ...r, revenue: Number(r.revenue) }));

  const sections: string[] = [];

  // Sales over time
  sections.push(`<section id="revenue"><h2>Monthly revenue per currency</h2>
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
</section>`);

  // Designs
  // design names are not unique in ToteSys: the charts label each design with its id
  const byRevenue = d.topDesignsByRevenue.map((r) => ({
    ...r,
    design: `${r.designName} #${r.designId}`,
    revenue: Number(r.revenue),
  }));
  const byUnits = d.topDesignsByUnits.map((r) => ({ ...r, design: `${r.designName} #${r.designId}` }));
  sections.push(`<section id="designs"><h2>Top 10 designs</h2>
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
</section>`);

  // Countries
  const countryUnits = Object.entries(
    d.salesByCountry.reduce<Record<string, number>>(
      (a, r) => ({ ...a, [r.country]: (a[r.country] ?? 0) + r.units }),
      {},
    ),
  ).map(([country, units]) => ({ country, units }));
  sections.push(`<section id="countries"><h2>Sales by delivery country</h2>
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
</section>`);

  // Staff and departments
  const staffUnits = Object.values(
    d.salesByStaff.reduce<Record<number, { name: string; department: string; units: number }>>((a, r) => {
      const e = a[r.staffId] ?? { name: r.name, department: r.department, units: 0 };
      e.units += r.units;
      a[r.staffId] = e;
      return a;
    }, {}),
  );
  const dept = d.salesByDepartment.map((r) => ({ ...r, revenue: Number(r.revenue) }));
  sections.push(`<section id="staff"><h2>Sales by staff and department</h2>
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
</section>`);

  // Payments
  const payCounts = Object.values(
    d.paymentsByMonth.reduce<Record<string, { month: string; status: string; payments: number }>>((a, r) => {
      const status = r.paid ? "paid" : "unpaid";
      const k = `${r.month}|${status}`;
      const e = a[k] ?? { month: r.month, status, payments: 0 };
      e.payments += r.payments;
      a[k] = e;
      return a;
    }, {}),
  );
  // unpaid payments of the last 12 months that have any
  const unpaidMonths = [...new Set(d.paymentsByMonth.filter((r) => !r.paid).map((r) => r.month))].sort()
    .slice(-12);
  const unpaid = d.paymentsByMonth.filter((r) => !r.paid && unpaidMonths.includes(r.month));
  sections.push(`<section id="payments"><h2>Payments paid and unpaid over time</h2>
<p class="note">Payments by the month of their payment date (current version of every live payment). Counts may be
added; amounts are per currency and payment type.</p>
${await chart("Payments per month, paid and unpaid", {
    data: { values: payCounts },
    width: 680,
    height: 200,
    mark: "bar",
    encoding: {
      x: { field: "month", type: "temporal", timeUnit: "utcyearmonth", title: null },
      y: { field: "payments", type: "quantitative", title: "payments", stack: "zero" },
      color: {
        field: "status",
        type: "nominal",
        title: null,
        scale: { domain: ["paid", "unpaid"], range: ["#059669", "#dc2626"] },
      },
    },
  }, payCounts.length > 0)}
<h3>Unpaid payments (the last 12 months with any)</h3>
${
    unpaid.length === 0 ? "<p>None.</p>" : table(
      ["month", "currency", "payment type", "payments", "amount"],
      unpaid.map((r) => [
        esc(r.month.slice(0, 7)),
        esc(r.currency),
        esc(r.paymentType),
        fmtInt(r.payments),
        `${fmtMoney(r.amount)}&nbsp;${esc(r.currency)}`,
      ]),
      [false, false, false, true, true],
    )
  }
</section>`);

  // Pipeline health
  const runs = [...d.runs].reverse().map((r) => ({ ...r, label: String(r.loadId) }));
  const q = d.quarantine;
  sections.push(`<section id="health"><h2>Pipeline health</h2>
<h3>Last loads</h3>
${await chart("Load duration (seconds) per attempt, oldest first", {
    data: { values: runs },
    width: 680,
    height: 140,
    mark: "bar",
    encoding: {
      x: { field: "label", type: "ordinal", sort: null, title: "load attempt (etl_load_log.load_id)" },
      y: { field: "seconds", type: "quantitative", title: "seconds" },
      color: {
        field: "outcome",
        type: "nominal",
        title: null,
        scale: { domain: ["loaded", "failed"], range: ["#2563eb", "#dc2626"] },
      },
    },
  }, runs.length > 0)}
${
    d.runs.length === 0 ? "<p>No load has run yet.</p>" : table(
      ["run", "started (UTC)", "duration", "outcome", "rows staged", "rows loaded", "error"],
      d.runs.map((r) => [
        `<code>${esc(r.runId)}</code>`,
        esc(r.startedAt),
        `${r.seconds.toFixed(2)} s`,
        `<span class="${r.outcome === "loaded" ? "ok" : "bad"}">${esc(r.outcome)}</span>`,
        fmtInt(r.staged),
        fmtInt(r.merged),
        esc(r.error ?? ""),
      ]),
      [false, false, true, false, true, true, false],
    )
  }
<h3>Freshness</h3>
<p class="note">The newest ToteSys <code>last_updated</code> loaded into each table, and how long before this report
that was. A quiet ToteSys table looks stale too.</p>
${
    table(
      ["table", "rows", "newest change loaded (UTC)", "age"],
      d.freshness.map((r) => [
        `<code>${esc(r.table)}</code>`,
        fmtInt(r.rows),
        esc(r.newest ?? "never"),
        r.ageHours === null
          ? ""
          : r.ageHours < 48
          ? `${r.ageHours.toFixed(1)} h`
          : `${(r.ageHours / 24).toFixed(1)} days`,
      ]),
      [false, true, false, true],
    )
  }
<h3>Quarantined rows</h3>
${
    q.status === "unavailable"
      ? `<p class="note">${esc(q.reason)}</p>`
      : q.rows.length === 0
      ? "<p>No row has been quarantined (transform manifests list no quarantine file).</p>"
      : `<p>${fmtInt(q.rows.reduce((a, r) => a + r.rows, 0))} row(s) quarantined in ${
        new Set(q.rows.map((r) => r.runId)).size
      } run(s). A fact that waited for its dimension row loads with the run that brings it.</p>` +
        table(
          ["run", "source table", "rows", "object"],
          q.rows.map((
            r,
          ) => [
            `<code>${esc(r.runId)}</code>`,
            esc(r.sourceTable),
            fmtInt(r.rows),
            `<code>${esc(r.key)}</code>`,
          ]),
          [false, false, true, false],
        )
  }
<h3>Last reconcile</h3>
${
    d.reconcile.status === "not_recorded"
      ? `<p>Not recorded yet: <code>deno task etl reconcile</code> prints its result but no table keeps it.</p>`
      : table(["column", "value"], Object.entries(d.reconcile.row).map(([k, v]) => [esc(k), esc(v ?? "")]))
  }
</section>`);

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Terrific Totes: sales and pipeline report</title>
<style>
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111827; margin: 0; background: #f9fafb; }
header, main { max-width: 960px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
section { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; padding: 4px 16px 16px; margin: 16px 0; }
.fx { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px; padding: 8px 12px; }
.note { color: #4b5563; }
.row { display: flex; flex-wrap: wrap; gap: 16px; }
figure.chart { margin: 8px 0; }
figcaption { font-weight: 600; margin-bottom: 4px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #047857; } .bad { color: #b91c1c; font-weight: 600; }
nav a { margin-right: 12px; }
</style>
</head>
<body>
<header>
<h1>Terrific Totes: sales and pipeline report</h1>
<p>Built ${esc(d.generatedAt)} UTC from the warehouse. Currencies: ${
    esc(currencies.join(", ") || "none yet")
  }.</p>
<p class="fx"><strong>Never add currencies.</strong> ${esc(NO_FX)}</p>
<nav><a href="#revenue">Revenue</a><a href="#designs">Designs</a><a href="#countries">Countries</a><a href="#staff">Staff</a><a href="#payments">Payments</a><a href="#health">Pipeline health</a></nav>
</header>
<main>
${sections.join("\n")}
</main>
</body>
</html>
`;
}
