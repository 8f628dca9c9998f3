/**
 * The source catalog: the columns ToteSys has now, schema-drift checks against the previous run, and the SQL that
 * reads a table's changes as JSON Lines.
 *
 * @module
 */
import { kindOfPgType, SOURCE_TABLES, type SourceKind, type SourceTableName } from "../contract/mod.ts";

import type { CatalogColumn } from "../run/manifest.ts";
import { RefusedInputError } from "../io/cli.ts";

export type { CatalogColumn };

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

/** What changed in a table's columns since the previous run. */
export interface SchemaDrift {
  /** Columns that appeared. */
  added: string[];
  /** Columns the pipeline does not use that disappeared (recorded; nothing downstream reads them). */
  dropped: string[];
  /** Columns the pipeline does not use whose type changed, as `name: old -> new`. */
  retyped: string[];
}

/**
 * Checks a table's current columns against the contract and the previous run's recorded columns.
 *
 * - A column added in ToteSys is fine: it is captured and recorded.
 * - A column the pipeline does not use (not in lib/contract/source.ts) may disappear or change type: recorded in
 *   the manifest and logged, never blocking (issue 12, C9).
 * - A column the contract needs that is missing or of another kind stops the run, naming table and column.
 *
 * @returns the drift relative to `previous` (all empty on the first run).
 * @throws Error naming table and column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSchemaDrift } from "./catalog.ts";
 * const cols = [
 *   { name: "currency_id", type: "integer" },
 *   { name: "currency_code", type: "character varying" },
 *   { name: "created_at", type: "timestamp without time zone" },
 *   { name: "last_updated", type: "timestamp without time zone" },
 * ];
 * const before = [...cols, { name: "colour", type: "text" }];
 * assert.deepEqual(checkSchemaDrift("currency", cols, before), { added: [], dropped: ["colour"], retyped: [] });
 * ```
 */
export function checkSchemaDrift(
  table: SourceTableName,
  current: readonly CatalogColumn[],
  previous: readonly CatalogColumn[] | undefined,
): SchemaDrift {
  if (current.length === 0) {
    throw new RefusedInputError(`Source table ${table} was not found in ToteSys (schema public)`);
  }
  const now = new Map(current.map((c) => [c.name, c.type]));
  const contract = SOURCE_TABLES[table].columns as Record<string, SourceKind>;
  for (const [name, kind] of Object.entries(contract)) {
    const type = now.get(name);
    if (type === undefined) {
      throw new RefusedInputError(`Source column ${table}.${name} is missing; the pipeline needs it`);
    }
    const actual = kindOfPgType(type);
    if (actual !== kind && !(kind === "text" && actual !== "int")) {
      throw new RefusedInputError(
        `Source column ${table}.${name} has type "${type}"; the pipeline needs ${kind}`,
      );
    }
  }
  const drift: SchemaDrift = { added: [], dropped: [], retyped: [] };
  if (!previous) return drift;
  for (const p of previous) {
    const type = now.get(p.name);
    if (type === undefined) drift.dropped.push(p.name);
    else if (type !== p.type) drift.retyped.push(`${p.name}: ${p.type} -> ${type}`);
  }
  const before = new Set(previous.map((p) => p.name));
  drift.added = current.filter((c) => !before.has(c.name)).map((c) => c.name);
  return drift;
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
      // coalesce: to_char gives NULL for 'infinity', which must reach the transform as itself (C6)
      return `coalesce(to_char(${v}, CASE WHEN ${v} < '0001-01-01' THEN 'YYYY-MM-DD HH24:MI:SS.US BC' ELSE 'YYYY-MM-DD HH24:MI:SS.US' END), ${v}::text)`;
    }
    case "date":
      return `coalesce(to_char(${id}, CASE WHEN ${id} < '0001-01-01' THEN 'YYYY-MM-DD BC' ELSE 'YYYY-MM-DD' END), ${id}::text)`;
    default:
      return `${id}::text`;
  }
}

/**
 * The `COPY ... TO STDOUT` statement that reads a table's rows matching `where` (all rows when null). Each output
 * line is `pk<TAB>xid<TAB>json`: the primary key, the row's `xmin` widened to 64 bits by `xidSql` (see xid.ts), and
 * the row as one JSON object: integers as numbers, NUMERIC as exact decimal text, timestamps as text with six
 * fractional digits, NULL as null, booleans as booleans (design.md sections 2 and 3). PostgreSQL does the
 * encoding, at COPY speed.
 *
 * Identifiers come from the catalog and are quoted; the table name from the fixed contract list; `xidSql` and
 * `where` are built by xid.ts from checked numbers only (COPY takes no bind parameters).
 *
 * @throws Error on an unexpected identifier.
 */
export function changesCopySql(
  table: SourceTableName,
  columns: readonly CatalogColumn[],
  xidSql: string,
  where: string | null,
): string {
  return `COPY (${changesSelectSql(table, columns, xidSql, where)}) TO STDOUT`;
}

/**
 * The `SELECT` inside {@link changesCopySql}: columns `pk` (the primary key), `xid` (the row's 64-bit `xmin`) and
 * `json` (the row's JSON, led by its `__xid` member), for the rows matching `where` (all rows when null). Read
 * without COPY, a row's line is `pk \t xid \t json` with the JSON's backslashes doubled ({@link copyTextLine}).
 *
 * @throws Error on an unexpected identifier.
 */
export function changesSelectSql(
  table: SourceTableName,
  columns: readonly CatalogColumn[],
  xidSql: string,
  where: string | null,
): string {
  const { pk } = SOURCE_TABLES[table];
  const select = columns.map((c) => `${expression(table, c)} AS ${quoteIdent(table, c.name)}`).join(", ");
  const filter = where === null ? "" : ` WHERE ${where}`;
  return `SELECT s."${pk}" AS pk, s."__xid" AS xid, row_to_json(s)::text AS json FROM (SELECT ${xidSql} AS "__xid", ${select} FROM public."${table}"${filter}) s`;
}

/**
 * The line COPY's text format gives for one row of {@link changesSelectSql} (read as a plain query): the three
 * fields joined by tabs, the JSON's backslashes doubled (its only character COPY escapes: PostgreSQL's JSON holds
 * no raw control character), so that {@link parseCopyLine} reads both alike.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { copyTextLine, parseCopyLine } from "./catalog.ts";
 * const json = '{"__xid":9,"staff_id":7,"email_address":"a\\\\b"}';
 * assert.equal(copyTextLine(7, "9", json), '7\t9\t{"__xid":9,"staff_id":7,"email_address":"a\\\\\\\\b"}');
 * assert.deepEqual(parseCopyLine(copyTextLine(7, "9", json)), {
 *   pk: 7,
 *   xid: 9,
 *   json: '{"staff_id":7,"email_address":"a\\\\b"}',
 * });
 * ```
 */
export function copyTextLine(pk: number | string, xid: number | string, json: string): string {
  return `${pk}\t${xid}\t${json.includes("\\") ? json.replaceAll("\\", "\\\\") : json}`;
}

/**
 * Splits one line of {@link changesCopySql}'s output (COPY text format) into its parts. COPY's text format
 * doubles every backslash; the JSON from PostgreSQL holds no raw tab, newline or carriage return, so undoing the
 * doubling restores it exactly. The `__xid` member is cut from the JSON (it is the line's second field).
 *
 * @throws Error quoting the line (first 200 characters) when it has not three fields.
 */
export function parseCopyLine(line: string): { pk: number; xid: number; json: string } {
  const t1 = line.indexOf("\t");
  const t2 = t1 < 0 ? -1 : line.indexOf("\t", t1 + 1);
  if (t2 < 0) throw new Error(`Malformed COPY line "${line.slice(0, 200)}"`);
  const raw = line.slice(t2 + 1);
  const json = raw.includes("\\") ? raw.replaceAll("\\\\", "\\") : raw;
  // row_to_json writes members in select order: `{"__xid":123,` comes first.
  const cut = json.indexOf(",");
  return {
    pk: Number(line.slice(0, t1)),
    xid: Number(line.slice(t1 + 1, t2)),
    json: json.startsWith('{"__xid":') && cut > 0 ? "{" + json.slice(cut + 1) : json,
  };
}
