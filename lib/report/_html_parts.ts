/**
 * The report page's building blocks (internal to lib/report/): escaping and number formats, tables, charts.
 *
 * @module
 */
import type { SalesRow } from "./data.ts";
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

/** The page's warning that amounts in different currencies are never added. */
export const NO_FX =
  "ToteSys holds no exchange rates, so amounts in different currencies are never added together: " +
  "every amount on this page is shown in its own currency.";

/** An HTML table; `numeric` columns are right-aligned. */
export function table(head: string[], rows: (string | number)[][], numeric: boolean[] = []): string {
  const th = head.map((h, i) => `<th${numeric[i] ? ' class="n"' : ""}>${esc(h)}</th>`).join("");
  const body = rows.map((r) =>
    `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ""}>${c}</td>`).join("")}</tr>`
  )
    .join("\n");
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A captioned chart, or "No data yet." when there is none. */
export async function chart(title: string, spec: ChartSpec, hasData: boolean): Promise<string> {
  if (!hasData) {
    return `<figure class="chart empty"><figcaption>${esc(title)}</figcaption><p>No data yet.</p></figure>`;
  }
  return `<figure class="chart"><figcaption>${esc(title)}</figcaption>${await chartSvg(
    spec,
    title,
  )}</figure>`;
}

/** One row per key: orders and units over all currencies, then the revenue in each currency (never added). */
export function pivot(keyTitle: string, rows: (SalesRow & { key: string })[], currencies: string[]): string {
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

/** A revenue with its currency. */
export const money = (r: SalesRow) => `${fmtMoney(r.revenue)}&nbsp;${esc(r.currency)}`;
