/**
 * `etl report`: the HTML report of sales and pipeline health (lib/report/), written to a file.
 *
 * @module
 */
import { buildReport } from "../../lib/report/mod.ts";
import { bucketFromEnv, openDatabase } from "../config.ts";
import { dirname, resolve } from "node:path";
import { secs } from "./format.ts";

/** Builds the report and writes it to `out`; prints its path. */
export async function reportCommand(out: string): Promise<number> {
  const warehouse = await openDatabase("WAREHOUSE", "totes-report", 3);
  const processed = Deno.env.get("PROCESSED_BUCKET") ? bucketFromEnv("PROCESSED_BUCKET") : undefined;
  try {
    const t = performance.now();
    const [views] = await warehouse<{ ok: boolean }[]>`
      SELECT to_regclass('sales_by_month_currency') IS NOT NULL AS ok`;
    if (!views?.ok) {
      throw new Error(`The warehouse lacks the report's views (migration 4): run "deno task migrate" first`);
    }
    const report = await buildReport(warehouse, processed, () => performance.now());
    const path = resolve(out);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, report.html);
    const bytes = new TextEncoder().encode(report.html).length;
    console.log(path);
    console.error(
      `Report: ${(bytes / 1024).toFixed(0)} KiB in ${secs(performance.now() - t)} ` +
        `(queries ${secs(report.readMs)}, charts and page ${secs(report.renderMs)})`,
    );
    return 0;
  } finally {
    await warehouse.end();
    processed?.client.destroy();
  }
}
