/**
 * CloudWatch metrics in the embedded metric format (EMF), written by hand: one JSON line per set of dimensions on
 * stdout, which Lambda's log stream turns into metrics with no API call and no extra dependency.
 * Specification: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 *
 * @module
 */

/** The CloudWatch namespace of the pipeline's metrics. */
export const METRIC_NAMESPACE = "TerrificTotes";

/** The units the pipeline uses. */
export type MetricUnit = "Count" | "Seconds" | "Milliseconds";

/** One measurement: a metric name, its value and unit, and the dimensions it is recorded under. */
export interface MetricPoint {
  name: string;
  value: number;
  unit: MetricUnit;
  /** e.g. `{ Stage: "load", Table: "fact_sales_order" }`; CloudWatch allows up to 30. */
  dimensions: Record<string, string>;
}

/** EMF allows at most 100 metrics per directive. */
const MAX_METRICS_PER_LINE = 100;

/**
 * Formats `points` as EMF lines: points with the same dimensions (names and values) share a line, in the order
 * they first appear; a name repeated under the same dimensions keeps its last value.
 *
 * @param at epoch milliseconds of the measurement (`_aws.Timestamp`).
 * @returns JSON lines without a trailing newline.
 * @throws Error quoting a value that is not a finite number (CloudWatch would drop the line).
 * @example
 * ```ts
 * import { emfLines } from "./metrics.ts";
 * emfLines([{ name: "RowsLoaded", value: 3, unit: "Count", dimensions: { Stage: "load", Table: "dim_currency" } }],
 *   1_700_000_000_000);
 * // ['{"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"TerrificTotes",
 * //   "Dimensions":[["Stage","Table"]],"Metrics":[{"Name":"RowsLoaded","Unit":"Count"}]}]},
 * //   "Stage":"load","Table":"dim_currency","RowsLoaded":3}']
 * ```
 */
export function emfLines(points: readonly MetricPoint[], at: number, namespace = METRIC_NAMESPACE): string[] {
  const groups = new Map<string, { dimensions: Record<string, string>; values: Map<string, MetricPoint> }>();
  for (const p of points) {
    if (!Number.isFinite(p.value)) throw new Error(`Metric ${p.name} has the value ${String(p.value)}`);
    const id = JSON.stringify(Object.entries(p.dimensions).sort(([a], [b]) => a.localeCompare(b)));
    let group = groups.get(id);
    if (!group) groups.set(id, group = { dimensions: p.dimensions, values: new Map() });
    group.values.set(p.name, p);
  }
  const lines: string[] = [];
  for (const { dimensions, values } of groups.values()) {
    const all = [...values.values()];
    for (let i = 0; i < all.length; i += MAX_METRICS_PER_LINE) {
      const part = all.slice(i, i + MAX_METRICS_PER_LINE);
      lines.push(JSON.stringify({
        _aws: {
          Timestamp: at,
          CloudWatchMetrics: [{
            Namespace: namespace,
            Dimensions: [Object.keys(dimensions)],
            Metrics: part.map((p) => ({ Name: p.name, Unit: p.unit })),
          }],
        },
        ...dimensions,
        ...Object.fromEntries(part.map((p) => [p.name, p.value])),
      }));
    }
  }
  return lines;
}

/** Writes EMF lines on stdout (in Lambda: the function's log stream, where CloudWatch extracts them). */
export function writeMetrics(lines: readonly string[]): void {
  for (const line of lines) console.log(line);
}
