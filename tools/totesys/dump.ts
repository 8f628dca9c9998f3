/**
 * Loads a plain-SQL pg_dump file (or any psql script of the same kind) into a database without psql: statements
 * run one by one, and each `COPY ... FROM stdin;` block streams through COPY FROM STDIN. Client-side and
 * database-level lines are skipped ({@link classifyDumpStatement}).
 *
 * Made for the real ToteSys dumps described in the ToteSys data notes (docs/design.md section 1)  (the main dump, its retyped
 * `derived/totesys_realschema.sql`, and the small `subset_test_db.sql`, which drops/creates a database and `\c`s
 * into it, and sets `session_replication_role = replica`, which needs a superuser).
 *
 * @module
 */
import type { Sql } from "../../lib/io/pg.ts";
import { copyIn } from "../../lib/io/copy.ts";
import { readLines } from "./read_lines.ts";
import { classifyDumpStatement, type ScriptItem, StatementSplitter } from "./sql_split.ts";

/** Options of {@link loadDump}. */
export interface LoadDumpOptions {
  /** Run the whole script in one transaction (default `true`): when a statement fails, nothing is kept. */
  singleTransaction?: boolean;
  /** Called after each COPY block with the table (as written in the dump, quotes removed) and its row count. */
  onCopy?: (table: string, rows: number) => void;
}

/** What {@link loadDump} did. */
export interface LoadDumpResult {
  /** Number of SQL statements run (COPY statements included). */
  statements: number;
  /** Rows streamed per COPY target table, keyed by the name as written in the dump with quotes removed. */
  copied: Record<string, number>;
  /** Statements and meta-commands not run, with why (first line of each). */
  skipped: { text: string; reason: string }[];
}

const CHUNK_CHARS = 256 * 1024;

/**
 * Loads the script at `path` into the database behind `sql` (normally an empty one: the dump creates its tables).
 *
 * Session settings made by the script (`search_path`, `session_replication_role`, ...) are reset at the end, so
 * the pooled connection it used goes back clean.
 *
 * @throws Error naming the script's line number and the statement's start when a statement or COPY block fails
 *   (the server's error is the `cause`), or when a COPY block is not terminated by `\.`; file-system errors as is.
 */
export async function loadDump(
  sql: Sql,
  path: string | URL,
  options: LoadDumpOptions = {},
): Promise<LoadDumpResult> {
  if (options.singleTransaction ?? true) {
    return await sql.begin(async (tx) => {
      const result = await runScript(tx as unknown as Sql, path, options);
      await tx.unsafe("RESET ALL").simple();
      return result;
    }) as LoadDumpResult;
  }
  const reserved = await sql.reserve();
  try {
    return await runScript(reserved, path, options);
  } finally {
    await reserved.unsafe("RESET ALL").simple().catch(() => {});
    reserved.release();
  }
}

async function runScript(db: Sql, path: string | URL, options: LoadDumpOptions): Promise<LoadDumpResult> {
  const result: LoadDumpResult = { statements: 0, copied: {}, skipped: [] };
  const lines = readLines(path)[Symbol.asyncIterator]();
  const splitter = new StatementSplitter();
  let lineNo = 0;
  let startLine = 0; // where the statement being read began

  const copyBlock = async (statement: string, table: string, at: number) => {
    let rows = 0;
    let ended = false;
    async function* chunks(): AsyncGenerator<string> {
      let chunk = "";
      for (;;) {
        const next = await lines.next();
        if (next.done) break;
        lineNo++;
        if (next.value === "\\.") {
          ended = true;
          break;
        }
        chunk += next.value + "\n";
        rows++;
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = "";
        }
      }
      if (chunk !== "") yield chunk;
    }
    try {
      await copyIn(db, statement, chunks());
    } catch (cause) {
      throw new Error(`Dump line ${at}: COPY into ${table} failed: ${errorMessage(cause)}`, { cause });
    }
    if (!ended) throw new Error(`Dump line ${at}: COPY block for ${table} has no terminating \\.`);
    const name = table.replaceAll('"', "");
    result.copied[name] = (result.copied[name] ?? 0) + rows;
    options.onCopy?.(name, rows);
  };

  const handle = async (item: ScriptItem) => {
    const what = classifyDumpStatement(item);
    if (what.action === "skip") {
      result.skipped.push({ text: item.text.split("\n", 1)[0]!, reason: what.reason });
      return;
    }
    result.statements++;
    if (what.action === "copy") return await copyBlock(item.text, what.table, startLine);
    try {
      await db.unsafe(item.text).simple();
    } catch (cause) {
      const head = item.text.split("\n", 1)[0]!.slice(0, 120);
      throw new Error(`Dump line ${startLine}: statement failed: ${head}: ${errorMessage(cause)}`, { cause });
    }
  };

  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    lineNo++;
    if (!splitter.pending) startLine = lineNo;
    for (const item of splitter.push(next.value)) await handle(item);
  }
  for (const item of splitter.end()) await handle(item);
  return result;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
