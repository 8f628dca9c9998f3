/**
 * Loads generated ToteSys rows ({@link generateTotesys}) into a database with `COPY ... FROM STDIN`, in one
 * transaction, then moves each table's serial sequence past its largest id.
 *
 * Measured on a shared 2-core machine (embedded PostgreSQL 18 on the same machine, `deno run -A scripts/seed.ts
 * --orders 1000000`): 4,291,223 rows in 13–14 s (the COPY phase about 8.5 s, ~500k rows/s; keys, foreign keys,
 * sequences and ANALYZE about 5 s), peak RSS about 200 MiB whatever the order count.
 *
 * @module
 */
import type { Sql } from "../../lib/io/pg.ts";
import { copyIn, copyLine, type CopyRow, quoteIdent } from "../../lib/io/copy.ts";
import { createTotesysSchema } from "./schema.ts";
import { generateTotesys, type SeedCounts, seedCounts, type SeedOptions, type TableBatch } from "./seed.ts";
import { TOTESYS_COLUMNS, type TotesysTable } from "./seed_rows.ts";

/** Progress of {@link seedDatabase}, reported after each COPY batch. */
export interface SeedProgress {
  /** Table of the batch just written. */
  table: TotesysTable;
  /** Rows written so far, all tables together. */
  rows: number;
  /** Rows the whole run writes. */
  totalRows: number;
  /** Milliseconds since the run started. */
  elapsedMs: number;
}

/** Options of {@link seedDatabase}. */
export interface SeedDatabaseOptions extends SeedOptions {
  /** Do nothing (and return `null`) when sales_order already has rows. */
  ifEmpty?: boolean;
  /** Create the ToteSys schema first when its tables are missing (tools/totesys/schema.sql). */
  createSchema?: boolean;
  /** Called after each batch. */
  onProgress?: (progress: SeedProgress) => void;
}

const CHUNK_CHARS = 512 * 1024;

function* copyChunks(rows: Iterable<CopyRow>): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    chunk += copyLine(row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk !== "") yield chunk;
}

/** Whether the ToteSys tables exist (checks `public.sales_order`). */
export async function totesysSchemaExists(sql: Sql): Promise<boolean> {
  const [row] = await sql`SELECT to_regclass('public.sales_order') IS NOT NULL AS present`;
  return row!.present === true;
}

/**
 * Sets the serial sequence of each ToteSys table so that the next id is max(id) + 1 (or 1 for an empty table),
 * as pg_dump's `setval` lines do. Needed after COPY with explicit ids.
 */
export async function syncSequences(sql: Sql): Promise<void> {
  for (const table of Object.keys(TOTESYS_COLUMNS) as TotesysTable[]) {
    const pk = `${table}_id`;
    await sql.unsafe(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quoteIdent(pk)}), 0) + 1, false)
         FROM ${quoteIdent(table)}`,
      [`public.${table}`, pk],
    );
  }
}

/** A constraint to drop before the bulk load and to add again after it. */
interface SavedConstraint {
  table: string;
  name: string;
  kind: string;
  definition: string;
}

/**
 * Drops the primary-key, unique and foreign-key constraints of the ToteSys tables (and foreign keys from other
 * tables to them), returning their definitions: PostgreSQL's advice for bulk loads ("Populating a Database": checking
 * each row's foreign keys is what makes a plain COPY slow; adding the constraints afterwards checks them all at
 * once).
 */
async function dropConstraints(sql: Sql, tables: string[]): Promise<SavedConstraint[]> {
  const regs = tables.map((t) => `public.${t}`);
  const saved = await sql<SavedConstraint[]>`
    SELECT conrelid::regclass::text AS table, conname AS name, contype AS kind,
           pg_get_constraintdef(oid) AS definition
      FROM pg_constraint
     WHERE contype IN ('p', 'u', 'f')
       AND (conrelid = ANY (${regs}::regclass[]) OR (contype = 'f' AND confrelid = ANY (${regs}::regclass[])))
     ORDER BY contype = 'f' DESC, conrelid::regclass::text, conname`;
  for (const c of saved) await sql.unsafe(`ALTER TABLE ${c.table} DROP CONSTRAINT ${quoteIdent(c.name)}`);
  return [...saved];
}

/** Adds the constraints back (keys first, then foreign keys, which checks every row against them). */
async function addConstraints(sql: Sql, saved: SavedConstraint[]): Promise<void> {
  const ordered = [...saved.filter((c) => c.kind !== "f"), ...saved.filter((c) => c.kind === "f")];
  for (const c of ordered) {
    await sql.unsafe(`ALTER TABLE ${c.table} ADD CONSTRAINT ${quoteIdent(c.name)} ${c.definition}`);
  }
}

/**
 * Streams `batches` into their tables: one `COPY ... FROM STDIN (FREEZE)` per run of consecutive batches of the
 * same table. Calls `progress` after each batch with its table and row count.
 */
async function copyBatches(
  sql: Sql,
  batches: Iterable<TableBatch>,
  progress: (table: TotesysTable, rows: number) => void,
): Promise<void> {
  const it = batches[Symbol.iterator]();
  let next = it.next();
  while (!next.done) {
    const first: TableBatch = next.value;
    const cols = first.columns.map(quoteIdent).join(", ");
    const chunks = function* (): Generator<string> {
      while (!next.done && next.value.table === first.table) {
        yield* copyChunks(next.value.rows);
        progress(first.table, next.value.count);
        next = it.next();
      }
    };
    await copyIn(sql, `COPY ${quoteIdent(first.table)} (${cols}) FROM STDIN (FREEZE)`, chunks());
  }
}

/**
 * Generates ToteSys data for `options` (see {@link generateTotesys}) and loads it into the database behind `sql`
 * in one transaction: the (empty) tables are truncated, their keys and foreign keys dropped, the rows streamed in
 * with `COPY ... FROM STDIN (FREEZE)` (text format), the constraints added back (which checks every foreign key),
 * and the sequences synced. ANALYZE runs after the commit.
 *
 * @returns the rows written per table, or `null` when `ifEmpty` is set and sales_order already has rows.
 * @throws Error when the schema is missing (without `createSchema`) or any ToteSys table already has rows; the
 *   server's error when a COPY or a constraint fails (nothing is kept then).
 */
export async function seedDatabase(sql: Sql, options: SeedDatabaseOptions): Promise<SeedCounts | null> {
  const counts = seedCounts(options);
  const tables = Object.keys(TOTESYS_COLUMNS) as TotesysTable[];
  const totalRows = Object.values(counts).reduce((a, b) => a + b, 0);
  const started = performance.now();
  const done = await sql.begin(async (tx) => {
    const db = tx as unknown as Sql;
    if (!(await totesysSchemaExists(db))) {
      if (!options.createSchema) {
        throw new Error("ToteSys tables are missing: create them first (deno task seed --create-schema)");
      }
      await createTotesysSchema(db);
    }
    if (options.ifEmpty) {
      const [row] = await db`SELECT EXISTS (SELECT 1 FROM sales_order) AS busy`;
      if (row!.busy === true) return false;
    }
    const busy = [];
    for (const table of tables) {
      const [row] = await db.unsafe(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(table)}) AS busy`);
      if (row!.busy === true) busy.push(table);
    }
    if (busy.length > 0) {
      throw new Error(`ToteSys tables already have rows: ${busy.join(", ")}; seed needs them empty`);
    }
    const saved = await dropConstraints(db, tables);
    // Truncating in this transaction lets COPY write frozen rows (no hint-bit rewrite on the first read).
    await db.unsafe(`TRUNCATE ${tables.map(quoteIdent).join(", ")}`);
    let rows = 0;
    await copyBatches(db, generateTotesys(options), (table, n) => {
      rows += n;
      options.onProgress?.({ table, rows, totalRows, elapsedMs: performance.now() - started });
    });
    await addConstraints(db, saved);
    await syncSequences(db);
    return true;
  });
  if (!done) return null;
  await sql.unsafe(`ANALYZE ${tables.map(quoteIdent).join(", ")}`);
  return counts;
}
