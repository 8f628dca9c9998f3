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

function runScript(db: Sql, path: string | URL, options: LoadDumpOptions): Promise<LoadDumpResult> {
  return new ScriptRun(db, path, options).run();
}

/** One pass over a dump: its lines, the statement being read, and what was done. */
class ScriptRun {
  readonly result: LoadDumpResult = { statements: 0, copied: {}, skipped: [] };
  readonly lines: AsyncIterator<string>;
  readonly splitter = new StatementSplitter();
  lineNo = 0;
  /** Where the statement being read began. */
  startLine = 0;

  constructor(readonly db: Sql, path: string | URL, readonly options: LoadDumpOptions) {
    this.lines = readLines(path)[Symbol.asyncIterator]();
  }

  async run(): Promise<LoadDumpResult> {
    for (;;) {
      const next = await this.lines.next();
      if (next.done) break;
      this.lineNo++;
      if (!this.splitter.pending) this.startLine = this.lineNo;
      for (const item of this.splitter.push(next.value)) await this.handle(item);
    }
    for (const item of this.splitter.end()) await this.handle(item);
    return this.result;
  }

  async handle(item: ScriptItem): Promise<void> {
    const what = classifyDumpStatement(item);
    if (what.action === "skip") {
      this.result.skipped.push({ text: item.text.split("\n", 1)[0]!, reason: what.reason });
      return;
    }
    this.result.statements++;
    if (what.action === "copy") return await this.copyBlock(item.text, what.table, this.startLine);
    try {
      await this.db.unsafe(item.text).simple();
    } catch (cause) {
      const head = item.text.split("\n", 1)[0]!.slice(0, 120);
      throw new Error(`Dump line ${this.startLine}: statement failed: ${head}: ${errorMessage(cause)}`, {
        cause,
      });
    }
  }

  /** Copies the data lines after a COPY statement, up to its `\.`, into the table. */
  async copyBlock(statement: string, table: string, at: number): Promise<void> {
    const block = { rows: 0, ended: false };
    try {
      await copyIn(this.db, statement, this.chunks(block));
    } catch (cause) {
      throw new Error(`Dump line ${at}: COPY into ${table} failed: ${errorMessage(cause)}`, { cause });
    }
    if (!block.ended) throw new Error(`Dump line ${at}: COPY block for ${table} has no terminating \\.`);
    const name = table.replaceAll('"', "");
    this.result.copied[name] = (this.result.copied[name] ?? 0) + block.rows;
    this.options.onCopy?.(name, block.rows);
  }

  /** The COPY block's data lines in chunks of about CHUNK_CHARS, counting rows and noting the end marker. */
  async *chunks(block: { rows: number; ended: boolean }): AsyncGenerator<string> {
    let chunk = "";
    for (;;) {
      const next = await this.lines.next();
      if (next.done) break;
      this.lineNo++;
      if (next.value === "\\.") {
        block.ended = true;
        break;
      }
      chunk += next.value + "\n";
      block.rows++;
      if (chunk.length >= CHUNK_CHARS) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk !== "") yield chunk;
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
