/**
 * The report's payment and pipeline-health sections.
 *
 * @module
 */
import type { ReportData } from "./data.ts";
import { chart, esc, fmtInt, fmtMoney, table } from "./_html_parts.ts";

/** Payments paid and unpaid per month, and the unpaid ones of the last 12 months. */
export async function paymentsSection(d: ReportData): Promise<string> {
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
  return `<section id="payments"><h2>Payments paid and unpaid over time</h2>
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
</section>`;
}

/** The pipeline's health: last loads, freshness, quarantined rows, last reconcile. */
export async function healthSection(d: ReportData): Promise<string> {
  const runs = [...d.runs].reverse().map((r) => ({ ...r, label: String(r.loadId) }));
  return `<section id="health"><h2>Pipeline health</h2>
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
${loadsTable(d.runs)}
<h3>Freshness</h3>
<p class="note">The newest ToteSys <code>last_updated</code> loaded into each table, and how long before this report
that was. A quiet ToteSys table looks stale too.</p>
${freshnessTable(d.freshness)}
<h3>Quarantined rows</h3>
${quarantineHtml(d.quarantine)}
<h3>Last reconcile</h3>
${
    d.reconcile.status === "not_recorded"
      ? `<p>None yet: <code>deno task etl reconcile</code> compares ToteSys with the warehouse and keeps each ` +
        `result in the warehouse's <code>reconcile_log</code>, shown here.</p>`
      : table(["column", "value"], Object.entries(d.reconcile.row).map(([k, v]) => [esc(k), esc(v ?? "")]))
  }
</section>`;
}

/** The quarantined rows: a count and a table, or why the quarantine could not be read. */
function quarantineHtml(q: ReportData["quarantine"]): string {
  return q.status === "unavailable"
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
      );
}

/** The last load attempts, newest first. */
function loadsTable(runs: ReportData["runs"]): string {
  return runs.length === 0 ? "<p>No load has run yet.</p>" : table(
    ["run", "started (UTC)", "duration", "outcome", "rows staged", "rows loaded", "error"],
    runs.map((r) => [
      `<code>${esc(r.runId)}</code>`,
      esc(r.startedAt),
      `${r.seconds.toFixed(2)} s`,
      `<span class="${r.outcome === "loaded" ? "ok" : "bad"}">${esc(r.outcome)}</span>`,
      fmtInt(r.staged),
      fmtInt(r.merged),
      esc(r.error ?? ""),
    ]),
    [false, false, true, false, true, true, false],
  );
}

/** Per table: rows, the newest change loaded and its age. */
function freshnessTable(freshness: ReportData["freshness"]): string {
  return table(
    ["table", "rows", "newest change loaded (UTC)", "age"],
    freshness.map((r) => [
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
  );
}
