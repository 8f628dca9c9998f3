/**
 * A line-by-line splitter of plain SQL scripts (pg_dump output, hand-written seed files) into statements, the way
 * psql reads them: `;` ends a statement unless it is inside a string (`'...'`, `E'...'`), a quoted identifier
 * (`"..."`), a dollar-quoted body (`$tag$...$tag$`) or a comment (`-- ...`, nested `/* ... *\/`). A line that
 * starts with a backslash between statements is a psql meta-command (`\c db`, `\connect`, `\restrict key`).
 *
 * Pure: no I/O. The caller feeds lines (without their newline) and receives what each line completed.
 *
 * @module
 */

/** One piece of a script: a complete SQL statement (without its `;`) or a psql meta-command line. */
export type ScriptItem =
  | { kind: "statement"; text: string }
  | { kind: "meta"; text: string };

const IDENT = /[A-Za-z0-9_$]/;
const DOLLAR_TAG = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Splits a SQL script into statements and meta-commands, fed one line at a time.
 *
 * `-- comments` are dropped from statement text; block comments are kept (they may be hints). Statement text is
 * trimmed and never empty. Call {@link StatementSplitter.end} after the last line: it returns an unterminated
 * last statement, if any (psql would run it too).
 */
export class StatementSplitter {
  #buf = "";
  #quote: "'" | "E'" | '"' | null = null;
  #dollar: string | null = null;
  #comment = 0;

  /** True when the text seen so far ends inside a statement (not between statements). */
  get pending(): boolean {
    return this.#buf.trim() !== "" || this.#quote !== null || this.#dollar !== null || this.#comment > 0;
  }

  /** Feeds one line (no trailing newline); returns the statements and meta-commands it completed, in order. */
  push(line: string): ScriptItem[] {
    const out: ScriptItem[] = [];
    if (!this.pending && /^\s*\\/.test(line)) {
      out.push({ kind: "meta", text: line.trim() });
      return out;
    }
    let start = 0;
    let i = 0;
    const n = line.length;
    while (i < n) {
      const inside = this.#inside(line, i);
      if (inside !== null) {
        i = inside;
        continue;
      }
      if (line[i] === "-" && line[i + 1] === "-") {
        this.#buf += line.slice(start, i);
        start = n;
        break;
      }
      const opened = this.#open(line, i);
      if (opened !== null) i = opened;
      else if (line[i] === ";") {
        const text = (this.#buf + line.slice(start, i)).trim();
        this.#buf = "";
        if (text !== "") out.push({ kind: "statement", text });
        i++;
        start = i;
      } else i++;
    }
    if (start < n) this.#buf += line.slice(start);
    this.#buf += "\n";
    if (!this.pending) this.#buf = "";
    return out;
  }

  /** Inside a comment, dollar quote or quote: where the scan goes on from `i`; null when outside all. */
  #inside(line: string, i: number): number | null {
    const c = line[i]!;
    if (this.#comment > 0) {
      if (c === "*" && line[i + 1] === "/") {
        this.#comment--;
        return i + 2;
      } else if (c === "/" && line[i + 1] === "*") {
        this.#comment++;
        return i + 2;
      }
      return i + 1;
    }
    if (this.#dollar !== null) {
      if (c === "$" && line.startsWith(this.#dollar, i)) {
        const next = i + this.#dollar.length;
        this.#dollar = null;
        return next;
      }
      return i + 1;
    }
    if (this.#quote !== null) {
      if (this.#quote === "E'" && c === "\\") return i + 2;
      if (c === this.#quote.slice(-1)) {
        if (line[i + 1] === c) return i + 2; // doubled quote inside the string
        this.#quote = null;
      }
      return i + 1;
    }
    return null;
  }

  /** Outside all quotes: opens a comment, quote or dollar quote at `i` and returns where to go on; else null. */
  #open(line: string, i: number): number | null {
    const c = line[i]!;
    if (c === "/" && line[i + 1] === "*") {
      this.#comment = 1;
      return i + 2;
    } else if (c === "'") {
      const prev = line[i - 1];
      const before = line[i - 2];
      const escaped = (prev === "E" || prev === "e") && (before === undefined || !IDENT.test(before));
      this.#quote = escaped ? "E'" : "'";
      return i + 1;
    } else if (c === '"') {
      this.#quote = '"';
      return i + 1;
    } else if (c === "$" && (i === 0 || !IDENT.test(line[i - 1]!))) {
      const m = DOLLAR_TAG.exec(line.slice(i, i + 64));
      if (m) {
        this.#dollar = m[0];
        return i + m[0].length;
      }
      return i + 1;
    }
    return null;
  }

  /** Ends the script: returns the unterminated last statement, if there is one. */
  end(): ScriptItem[] {
    const text = this.#buf.trim();
    this.#buf = "";
    this.#quote = null;
    this.#dollar = null;
    this.#comment = 0;
    return text === "" ? [] : [{ kind: "statement", text }];
  }
}

/** What {@link classifyDumpStatement} decided for one statement or meta-command. */
export type StatementAction =
  | { action: "run" }
  | { action: "copy"; table: string }
  | { action: "skip"; reason: string };

/**
 * Decides what a dump loader does with one script item:
 * - `COPY <table> (...) FROM stdin` → `copy` (the data lines that follow, up to `\.`, go through COPY FROM STDIN);
 * - psql meta-commands (`\c`, `\connect`, `\restrict`, ...) → `skip` (they are client-side, not SQL);
 * - `DROP DATABASE` / `CREATE DATABASE` → `skip` (the loader works inside the database it was given);
 * - `ALTER ... OWNER TO role` → `skip` (the dump's roles do not exist here; the ToteSys data notes (docs/design.md section 1; the dumps' README §1));
 * - anything else → `run`.
 */
export function classifyDumpStatement(item: ScriptItem): StatementAction {
  if (item.kind === "meta") return { action: "skip", reason: "psql meta-command" };
  const text = item.text;
  const copy = /^COPY\s+((?:"[^"]*"|[^\s(])+)[\s\S]*\bFROM\s+stdin\b/i.exec(text);
  if (copy) return { action: "copy", table: copy[1]! };
  if (/^(DROP|CREATE)\s+DATABASE\b/i.test(text)) {
    return { action: "skip", reason: "database-level statement" };
  }
  if (/^ALTER\s[\s\S]*\sOWNER\s+TO\s/i.test(text)) {
    return { action: "skip", reason: "ownership of a dump role" };
  }
  return { action: "run" };
}
