/**
 * The catalog facts the contract tests compare: per table its columns (name, `format_type`, NOT NULL) in the
 * database's order, its primary key columns and its foreign keys, read from a real PostgreSQL.
 *
 * @module
 */
import type { Sql } from "../../lib/io/pg.ts";

/** A table as the catalog has it. */
export interface CatalogTable {
  columns: { name: string; type: string; notNull: boolean }[];
  primaryKey: string[];
  /** `column -> table.column`, sorted. */
  foreignKeys: string[];
}

/** Every base table of schema `public`, by name. */
export async function readTables(sql: Sql): Promise<Map<string, CatalogTable>> {
  const out = new Map<string, CatalogTable>();
  const table = (name: string) => {
    let t = out.get(name);
    if (!t) out.set(name, t = { columns: [], primaryKey: [], foreignKeys: [] });
    return t;
  };
  const cols = await sql<{ rel: string; name: string; type: string; not_null: boolean }[]>`
    SELECT c.relname AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS not_null
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname, a.attnum`;
  for (const r of cols) table(r.rel).columns.push({ name: r.name, type: r.type, notNull: r.not_null });
  const keys = await sql<
    { rel: string; kind: string; name: string; ref: string | null; ref_col: string | null }[]
  >`
    SELECT cl.relname AS rel, c.contype::text AS kind, a.attname AS name, rc.relname AS ref, ra.attname AS ref_col
    FROM pg_constraint c
    JOIN pg_class cl ON cl.oid = c.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
    CROSS JOIN LATERAL unnest(c.conkey, coalesce(c.confkey, c.conkey)) WITH ORDINALITY AS k(attnum, refnum, i)
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
    LEFT JOIN pg_class rc ON rc.oid = c.confrelid
    LEFT JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.refnum
    WHERE n.nspname = 'public' AND c.contype IN ('p', 'f') ORDER BY cl.relname, c.conname, k.i`;
  for (const k of keys) {
    if (k.kind === "p") table(k.rel).primaryKey.push(k.name);
    else table(k.rel).foreignKeys.push(`${k.name} -> ${k.ref}.${k.ref_col}`);
  }
  for (const t of out.values()) t.foreignKeys.sort();
  return out;
}
