/**
 * Renders the report as one self-contained HTML page: inline CSS, charts as inline SVG (lib/report/charts.ts), no
 * script, no external URL. Pure: no database, no network, no clock (the time shown is the warehouse's, from
 * {@link ReportData}). The sections are rendered by _sales_sections.ts and _health_sections.ts.
 *
 * @module
 */
import type { ReportData } from "./data.ts";
import { esc, NO_FX } from "./_html_parts.ts";
import { countriesSection, designsSection, revenueSection, staffSection } from "./_sales_sections.ts";
import { healthSection, paymentsSection } from "./_health_sections.ts";

export { esc, fmtInt, fmtMoney } from "./_html_parts.ts";

/** Renders the whole page. */
export async function renderReport(d: ReportData): Promise<string> {
  const currencies = [...new Set(d.salesByMonth.map((r) => r.currency))].sort();
  const sections = [
    await revenueSection(d),
    await designsSection(d),
    await countriesSection(d, currencies),
    await staffSection(d, currencies),
    await paymentsSection(d),
    await healthSection(d),
  ];
  return page(d, currencies, sections);
}

/** The page around the sections: head, inline CSS, header and navigation. */
function page(d: ReportData, currencies: string[], sections: string[]): string {
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
