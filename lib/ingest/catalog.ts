/**
 * The source catalog: the columns ToteSys has now, schema-drift checks against the previous run, and the SQL that
 * reads a table's changes as JSON Lines.
 *
 * @module
 */
import { kindOfPgType, SOURCE_TABLES, type SourceKind, type SourceTableName } from "../contract/mod.ts";

/** A source column as the catalog describes it. */
export interface CatalogColumn {
  name: string;
  /** PostgreSQL type (`information_schema.columns.data_type`; the enum's name for user-defined types). */
  type: string;
}

const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$/;

/**
 * Quotes an identifier from the catalog (any name PostgreSQL allows: camelCase, spaces, dashes).
 * @throws Error naming the table when the name is empty or holds a NUL.
 */
function quoteIdent(table: string, name: string): string {
  if (name === "" || name.includes("\0")) {
    throw new Error(`Unsupported column name "${name}" in table ${table}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Checks a table's current columns against the contract and the previous run's recorded columns.
 *
 * - A column added in ToteSys is fine: it is captured and recorded (returned in `added`).
 * - A column that disappeared or changed type since the previous run stops the run (issue 3).
 * - A column the contract needs (lib/contract/source.ts) that is missing or of another kind stops the run.
 *
 * @returns the added column names (relative to `previous`; empty on the first run).
 * @throws Error naming table and column.
 */
export function checkSchemaDrift(
  table: SourceTableName,
  current: readonly CatalogColumn[],
  previous: readonly CatalogColumn[] | undefined,
): string[] {
  if (current.length === 0) throw new Error(`Source table ${table} was not found in ToteSys (schema public)`);
  const now = new Map(current.map((c) => [c.name, c.type]));
  for (const [name, kind] of Object.entries(SOURCE_TABLES[table].columns)) {
    const type = now.get(name);
    if (type === undefined) {
      throw new Error(`Source column ${table}.${name} is missing; the pipeline needs it`);
    }
    const actual = kindOfPgType(type);
    if (actual !== kind && !(kind === "text" && actual !== "int")) {
      throw new Error(`Source column ${table}.${name} has type "${type}"; the pipeline needs ${kind}`);
    }
  }
  if (!previous) return [];
  for (const p of previous) {
    const type = now.get(p.name);
    if (type === undefined) {
      throw new Error(`Source column ${table}.${p.name} disappeared since the previous run`);
    }
    if (type !== p.type) {
      throw new Error(`Source column ${table}.${p.name} changed type from "${p.type}" to "${type}"`);
    }
  }
  const before = new Set(previous.map((p) => p.name));
  return current.filter((c) => !before.has(c.name)).map((c) => c.name);
}

function expression(table: string, col: CatalogColumn): string {
  const id = quoteIdent(table, col.name);
  const kind: SourceKind = kindOfPgType(col.type);
  switch (kind) {
    case "int":
    case "bool":
      return id;
    // A year before 1 AD keeps its " BC" (to_char alone would print it as the AD year of the same number); the
    // transform then rejects it as a bad row instead of moving it two thousand years.
    case "timestamp": {
      const v = col.type === "timestamp with time zone" ? `(${id} AT TIME ZONE 'UTC')` : id;
      return `to_char(${v}, CASE WHEN ${v} < '0001-01-01' THEN 'YYYY-MM-DD HH24:MI:SS.US BC' ELSE 'YYYY-MM-DD HH24:MI:SS.US' END)`;
    }
    case "date":
      return `to_char(${id}, CASE WHEN ${id} < '0001-01-01' THEN 'YYYY-MM-DD BC' ELSE 'YYYY-MM-DD' END)`;
    default:
      return `${id}::text`;
  }
}

/**
 * The `COPY ... TO STDOUT` statement that reads a table's rows with `last_updated >= lowerBound` (all rows when
 * null). Each output line is `pk<TAB>last_updated<TAB>json`, where json is the row as one JSON object: integers as
 * numbers, NUMERIC as exact decimal text, timestamps as text with six fractional digits, NULL as null, booleans as
 * booleans (../shared/design.md sections 2 and 3). PostgreSQL does the encoding, at COPY speed.
 *
 * Identifiers come from the catalog and are quoted; the table name from the fixed contract list; the bound is a
 * checked timestamp literal (COPY takes no bind parameters).
 *
 * @throws Error on an unexpected identifier or a malformed bound.
 */
export function changesCopySql(
  table: SourceTableName,
  columns: readonly CatalogColumn[],
  lowerBound: string | null,
): string {
  const { pk } = SOURCE_TABLES[table];
  const select = columns.map((c) => `${expression(table, c)} AS ${quoteIdent(table, c.name)}`).join(", ");
  let where = "";
  if (lowerBound !== null) {
    if (!TIMESTAMP_RE.test(lowerBound)) {
      throw new Error(`Malformed watermark "${lowerBound}" for table ${table}`);
    }
    where = ` WHERE "last_updated" >= '${lowerBound}'::timestamp`;
  }
  return `COPY (SELECT s."${pk}", s."last_updated", row_to_json(s) FROM (SELECT ${select} FROM public."${table}"${where}) s) TO STDOUT`;
}

/**
 * Splits one line of {@link changesCopySql}'s output (COPY text format) into its parts. COPY's text format
 * doubles every backslash; the JSON from PostgreSQL holds no raw tab, newline or carriage return, so undoing the
 * doubling restores it exactly.
 *
 * @throws Error quoting the line (first 200 characters) when it has not three fields.
 */
export function parseCopyLine(line: string): { pk: number; lastUpdated: string; json: string } {
  const t1 = line.indexOf("\t");
  const t2 = t1 < 0 ? -1 : line.indexOf("\t", t1 + 1);
  if (t2 < 0) throw new Error(`Malformed COPY line "${line.slice(0, 200)}"`);
  const raw = line.slice(t2 + 1);
  return {
    pk: Number(line.slice(0, t1)),
    lastUpdated: line.slice(t1 + 1, t2),
    json: raw.includes("\\") ? raw.replaceAll("\\\\", "\\") : raw,
  };
}
