/**
 * An incremental run's read of one table on the snapshot's own connection (issue 15). One scan gives both the
 * table's row count (which finds deletions: stage.ts's module doc) and its candidate rows' keys, instead of a
 * count and a filtering COPY each scanning the table. A few candidates are then fetched by key through the
 * primary key's index on the same connection (no COPY connection to open); many are read by the ordinary COPY
 * (read_table.ts), from the same exported snapshot, so both reads see the same rows.
 *
 * @module
 */
import { SOURCE_TABLES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { TableRead } from "./capture.ts";
import { type CatalogColumn, changesSelectSql, copyTextLine } from "./catalog.ts";
import { copyLineLimit } from "./jsonl.ts";
import { type ObjectTarget, writeObject } from "./read_table.ts";
import { xidFromAgeSql } from "./xid.ts";

/** Candidates up to this many are fetched by key on the snapshot's connection; more are read by COPY. */
export const KEYED_READ_MAX = 10_000;

/** What one scan of a table found. */
export interface TableScan {
  /** Rows the table holds at the snapshot. */
  liveRows: number;
  /** Candidate rows (changed since the previous run). */
  candidates: number;
  /** Their keys, comma-separated, when there are at most {@link KEYED_READ_MAX}; else null. */
  keys: string | null;
}

/**
 * Counts a table's rows and lists its candidates' keys in one scan, on a connection inside the run's snapshot.
 *
 * @param candidateSql the candidate condition (xid.ts `candidateByAgeSql`) against this connection's reference
 */
export async function scanTable(conn: Sql, table: SourceTableName, candidateSql: string): Promise<TableScan> {
  const { pk } = SOURCE_TABLES[table];
  const [row] = await conn.unsafe(
    `SELECT n, coalesce(cardinality(k), 0)::int8 AS c,
        CASE WHEN cardinality(k) <= ${KEYED_READ_MAX} THEN array_to_string(k, ',') END AS keys
      FROM (SELECT count(*)::int8 AS n, array_agg("${pk}") FILTER (WHERE ${candidateSql}) AS k
        FROM public."${table}") a`,
  );
  const keys = row!.keys === null ? null : String(row!.keys);
  return { liveRows: Number(row!.n), candidates: Number(row!.c), keys };
}

/** A table's candidate rows fetched by key ({@link fetchKeyed}), as COPY text lines, ready to be written. */
export type KeyedRows = readonly string[];

/**
 * Fetches the candidates of `keys` (a {@link scanTable} list) by key on the same connection and snapshot as the
 * scan; the candidate condition is applied again, so exactly the scanned rows come. The rows are returned (at most
 * {@link KEYED_READ_MAX}) so that the connection is free again before the object is written ({@link writeKeyed}).
 *
 * @param reference the connection's reference xid (xid.ts `referenceXid`)
 * @throws Error quoting a key list that is not comma-separated integers; database errors.
 */
export async function fetchKeyed(
  conn: Sql,
  table: SourceTableName,
  columns: readonly CatalogColumn[],
  read: { reference: number; candidateSql: string; keys: string },
): Promise<KeyedRows> {
  if (!/^\d+(,\d+)*$/.test(read.keys)) throw new Error(`Unexpected key list "${read.keys.slice(0, 200)}"`);
  const sql = keyedSelectSql(table, columns, xidFromAgeSql(read.reference), read.candidateSql);
  const rows = await conn.unsafe(sql, [`{${read.keys}}`]);
  return rows.map((r) => keyedLine(table, r));
}

/**
 * The `SELECT` of the rows whose keys are `$1` (an `int8[]`), and that match `where` when given (catalog.ts
 * `changesSelectSql`, in key order), that leaves out, in PostgreSQL, the JSON of a row past the bound of jsonl.ts
 * `copyLineLimit` and gives its size instead: a row of 9M tabs read whole by a plain query filled the stage's
 * capped heap before any check could see it (an incremental run, a repair). Identifiers as `changesSelectSql`'s.
 */
export function keyedSelectSql(
  table: SourceTableName,
  columns: readonly CatalogColumn[],
  xidSql: string,
  where: string | null,
): string {
  const byKey = `"${SOURCE_TABLES[table].pk}" = ANY($1::int8[])${where === null ? "" : ` AND ${where}`}`;
  const max = copyLineLimit(table).bytes;
  return `SELECT pk, xid, CASE WHEN octet_length(json) > ${max} THEN NULL ELSE json END AS json, ` +
    `octet_length(json)::int8 AS bytes FROM (${
      changesSelectSql(table, columns, xidSql, byKey)
    }) c ORDER BY 1`;
}

/**
 * One row of {@link keyedSelectSql} as a COPY text line (`pk \t xid \t json`).
 *
 * @throws RefusedInputError (jsonl.ts `copyLineLimit`) naming the row when its JSON was left out for its size.
 */
export function keyedLine(table: SourceTableName, r: Record<string, unknown>): string {
  if (r.json === null) throw copyLineLimit(table).tooLong(`${r.pk}\t`, Number(r.bytes));
  return copyTextLine(String(r.pk), String(r.xid), String(r.json));
}

/** Writes the table's object from rows {@link fetchKeyed} returned (read_table.ts `writeObject`). */
export async function writeKeyed(target: ObjectTarget, rows: KeyedRows): Promise<TableRead> {
  return await writeObject(
    target,
    (async function* () {
      yield* rows;
    })(),
  );
}

/** A connection inside the run's snapshot, and its transaction's reference xid (xid.ts `referenceXid`). */
export interface SnapshotReader {
  sql: Sql;
  reference: number;
}

/**
 * The connections an incremental run scans its tables on: the snapshot's own and one more importing the exported
 * snapshot, so that two tables are scanned at once (one PostgreSQL backend each). Each scan and its keyed read
 * stay on one connection, against its reference.
 */
export class ReaderPool {
  readonly #free: SnapshotReader[];
  readonly #waiting: ((reader: SnapshotReader) => void)[] = [];

  /** A pool of `readers` (at least one). */
  constructor(readers: SnapshotReader[]) {
    this.#free = [...readers];
  }

  /** Adds a reader (given to a waiting caller first). */
  add(reader: SnapshotReader): void {
    const next = this.#waiting.shift();
    if (next) next(reader);
    else this.#free.push(reader);
  }

  /** Runs `fn` on a free reader (waiting for one), then frees it. */
  async use<T>(fn: (reader: SnapshotReader) => Promise<T>): Promise<T> {
    const reader = this.#free.pop() ?? await new Promise<SnapshotReader>((ok) => this.#waiting.push(ok));
    try {
      return await fn(reader);
    } finally {
      this.add(reader);
    }
  }
}
