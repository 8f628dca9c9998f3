/**
 * `deno task etl report`: one self-contained HTML page of the warehouse's sales and the pipeline's health. The
 * figures are read by lib/report/data.ts (SQL, S3), the page rendered by lib/report/html.ts (pure, charts as
 * inline SVG from lib/report/charts.ts).
 *
 * @module
 */
import type { Sql } from "../io/pg.ts";
import type { Bucket } from "../io/s3.ts";
import { readReportData, type ReportData } from "./data.ts";
import { renderReport } from "./html.ts";

export { type ReportData } from "./data.ts";

/** A built report and what it cost. */
export interface BuiltReport {
  html: string;
  data: ReportData;
  /** Milliseconds spent reading the figures (SQL, S3). */
  readMs: number;
  /** Milliseconds spent rendering the page and its charts. */
  renderMs: number;
}

/**
 * Reads the figures from `sql` (a pool of 3 connections is used concurrently) and `processed`, then renders.
 *
 * @param clock milliseconds from a monotonic clock, for `readMs` and `renderMs` (main/ passes
 *   `() => performance.now()`; lib/ reads no clock). Default: no clock, both are 0.
 */
export async function buildReport(
  sql: Sql,
  processed?: Bucket,
  clock: () => number = () => 0,
): Promise<BuiltReport> {
  let t = clock();
  const data = await readReportData(sql, { processed });
  const readMs = clock() - t;
  t = clock();
  const html = await renderReport(data);
  return { html, data, readMs, renderMs: clock() - t };
}
