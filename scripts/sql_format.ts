/**
 * Output formats of `deno task sql`: an aligned text table, CSV (RFC 4180) and JSON. Numbers print as numbers:
 * the columns' PostgreSQL types decide, and int8 and NUMERIC keep the exact text the server sent.
 *
 * @module
 */

/** A result column: name and PostgreSQL type OID. */
export interface ResultColumn {
  name: string;
  type: number;
}

/** `table` (aligned text), `csv` or `json`. */
export type OutputFormat = "table" | "csv" | "json";

/** int2, int4, int8, oid, float4, float8, numeric. */
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701, 1700]);

/** Whether a column holds numbers. */
export function isNumericColumn(c: ResultColumn): boolean {
  return NUMERIC_OIDS.has(c.type);
}

function text(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function jsonValue(v: unknown, numeric: boolean): string {
  if (v === null || v === undefined) return "null";
  if (numeric) {
    const s = String(v);
    // NaN and ±Infinity have no JSON number form: kept as strings.
    return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(s) ? s : JSON.stringify(s);
  }
  return JSON.stringify(v);
}

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/**
 * Formats rows. Table: numbers right-aligned and unquoted, NULL printed as `NULL`; CSV: a header line, NULL as an
 * empty field; JSON: an array of objects, numbers as JSON numbers with their exact digits.
 */
export function formatRows(
  rows: Record<string, unknown>[],
  columns: ResultColumn[],
  format: OutputFormat,
): string {
  if (format === "json") {
    const items = rows.map((r) =>
      `{${
        columns.map((c) => `${JSON.stringify(c.name)}:${jsonValue(r[c.name], isNumericColumn(c))}`).join(",")
      }}`
    );
    return items.length === 0 ? "[]" : `[\n${items.join(",\n")}\n]`;
  }
  if (format === "csv") {
    const lines = [columns.map((c) => csvField(c.name)).join(",")];
    for (const r of rows) lines.push(columns.map((c) => csvField(text(r[c.name]))).join(","));
    return lines.join("\r\n");
  }
  if (columns.length === 0) return "";
  const cells = rows.map((r) => columns.map((c) => r[c.name] === null ? "NULL" : text(r[c.name])));
  const widths = columns.map((c, i) => Math.max(c.name.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[], header: boolean) =>
    values.map((v, i) =>
      !header && isNumericColumn(columns[i]!) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)
    ).join(" | ").trimEnd();
  return [
    line(columns.map((c) => c.name), true),
    widths.map((w) => "-".repeat(w)).join("-+-"),
    ...cells.map((c) => line(c, false)),
  ].join("\n");
}
