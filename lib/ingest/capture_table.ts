/**
 * One table's part of an ingest run (lib/ingest/stage.ts): its changed rows read from the run's snapshot and
 * written to the ingestion zone, its deletions found, its state and manifest entry added to the run.
 *
 * How the rows are read (issue 15):
 * - every row (first run, or a previous snapshot older than any age): one COPY on its own connection; the rows
 *   read are the table's rows at the snapshot, so they are also its count;
 * - otherwise one scan on the snapshot's connection counts the rows and lists the candidates' keys; none: nothing
 *   more to read; a few: fetched by key on the same connection; many: one COPY of the candidates on its own
 *   connection, from the same exported snapshot.
 *
 * @module
 */
import type { SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import { log } from "../io/log.ts";
import { countIds, type IdRanges } from "../id_ranges.ts";
import type { CatalogColumn, IngestState, ManifestTable } from "../run/manifest.ts";
import { expectedLive, liveAfter, tableCapture, type TableRead } from "./capture.ts";
import { checkSchemaDrift, type SchemaDrift } from "./catalog.ts";
import type { IngestOptions, IngestResult } from "./stage.ts";
import { findDeleted, type ObjectTarget, readTable } from "./read_table.ts";
import { fetchKeyed, type KeyedRows, type ReaderPool, scanTable, writeKeyed } from "./scan.ts";
import { candidateByAgeSql, type CapturePosition, type Snapshot } from "./xid.ts";

/** The run's snapshot: exported for the COPY connections, as text, parsed, and the ToteSys clock at it. */
export interface RunSnapshot {
  exported: string;
  text: string;
  cur: Snapshot;
  /** `YYYY-MM-DD HH:MM:SS.ffffff` (the ToteSys clock, UTC). */
  at: string;
  /** The snapshot connection's reference xid (xid.ts `referenceXid`). */
  reference: number;
}

/** A run in progress: where it started, and what each table adds to the manifest, the state and the result. */
export interface Run {
  options: IngestOptions;
  runId: string;
  state: IngestState;
  prev: CapturePosition | null;
  snap: RunSnapshot;
  tables: Record<SourceTableName, ManifestTable>;
  next: IngestState;
  result: IngestResult;
  /** Xids inside the snapshot's window whose rows this run read. */
  seenRead: Set<number>;
  changes: number;
  /** When the previous table finished (epoch ms), for the durations logged. */
  lap: number;
  /** The connections inside the snapshot that scan tables (incremental runs). */
  readers: ReaderPool;
}

/** What reading a table gave: its columns and drift, the rows read and its row count at the snapshot. */
export interface TableReadOut {
  columns: CatalogColumn[];
  drift: SchemaDrift;
  read: TableRead;
  liveRows: number;
}

const NOTHING_READ: TableRead = { rows: 0, bytes: 0, object: null, candidates: [], maxLastUpdated: null };

/**
 * Whether a run from `prev` scans its tables (an incremental run), else reads every row by COPY (a first run, or a
 * previous snapshot older than any age: xid.ts `candidateByAgeSql` gives "true").
 */
export function scansTables(prev: CapturePosition | null, reference: number): prev is CapturePosition {
  return prev !== null && candidateByAgeSql(prev, reference) !== "true";
}

/**
 * Reads one table's changes (see the module doc). Safe to run beside other tables' reads: it touches the run only
 * through `seenRead`, a set.
 *
 * @throws Error on schema drift that stops the run, a database or S3 failure.
 */
export async function readChanges(
  run: Run,
  table: SourceTableName,
  columns: CatalogColumn[],
): Promise<TableReadOut> {
  const { options, prev, snap } = run;
  const drift = checkSchemaDrift(table, columns, run.state.tables[table]?.columns);
  const target: ObjectTarget = {
    bucket: options.bucket,
    runId: run.runId,
    table,
    onXid: (x) => {
      if (x >= snap.cur.xmin) run.seenRead.add(x);
    },
    onProgress: options.onProgress,
  };
  const copy = (p: CapturePosition | null) =>
    readTable({
      ...target,
      copy: options.copyConnection(),
      exported: snap.exported,
      columns,
      xmax: snap.cur.xmax,
      prev: p,
    });
  if (!scansTables(prev, snap.reference)) {
    const read = await copy(null);
    return { columns, drift, read, liveRows: read.rows };
  }
  options.onProgress?.({ stage: "ingest", table, rows: 0, phase: "read", runId: run.runId });
  // The rows are fetched on a reader, which is freed before their object is written: the next table's scan runs
  // on it meanwhile.
  const { scan, rows } = await run.readers.use(async ({ sql, reference }) => {
    const candidateSql = candidateByAgeSql(prev, reference);
    const scan = await scanTable(sql, table, candidateSql);
    if (scan.keys === null) return { scan, rows: null };
    const rows: KeyedRows = await fetchKeyed(sql, table, columns, {
      reference,
      candidateSql,
      keys: scan.keys,
    });
    return { scan, rows };
  });
  const read = rows !== null
    ? await writeKeyed(target, rows)
    : scan.candidates > 0
    ? await copy(prev)
    : NOTHING_READ;
  if (read.rows !== scan.candidates) {
    throw new Error(
      `Table ${table}: ${read.rows} rows read but the scan found ${scan.candidates} candidates`,
    );
  }
  return { columns, drift, read, liveRows: scan.liveRows };
}

/** Adds a table's read to the run: its deletions found, its state, manifest entry and counts; then `afterTable`. */
export async function finishTable(
  conn: Sql,
  run: Run,
  table: SourceTableName,
  out: TableReadOut,
): Promise<void> {
  const { options, snap } = run;
  const { columns, drift, read, liveRows } = out;
  if (drift.added.length + drift.dropped.length + drift.retyped.length > 0) {
    log("warn", "ingest", "Source columns changed (recorded in the manifest)", { table, ...drift });
  }
  const { deleted, live } = await deletions(conn, run, table, read.candidates, liveRows);
  const captured = tableCapture({
    columns,
    before: run.state.tables[table],
    drift,
    read,
    liveRows,
    live,
    deleted,
    previousSnapshot: run.state.snapshot ?? null,
    snapshot: snap.text,
  });
  run.next.tables[table] = captured.state;
  run.tables[table] = captured.manifest;
  run.result.tables[table] = captured.counts;
  run.changes += read.rows + countIds(deleted);
  const lap = options.now();
  log("info", "ingest", "Table read", {
    run_id: run.runId,
    table,
    rows: read.rows,
    deleted: countIds(deleted),
    live_rows: liveRows,
    bytes: read.bytes,
    ms: Math.round(lap - run.lap),
  });
  run.lap = lap;
  await options.afterTable?.(table);
}

/**
 * The table's deleted keys and live keys after the run. Deletions are found only against a version 2 state, which
 * knows the live keys; the keys are searched only when the count says some are gone.
 */
async function deletions(
  conn: Sql,
  run: Run,
  table: SourceTableName,
  candidates: IdRanges,
  liveRows: number,
): Promise<{ deleted: IdRanges; live: IdRanges }> {
  const check = expectedLive(table, run.prev, run.state.tables[table], candidates, liveRows);
  if (!check) return { deleted: [], live: candidates };
  const deleted = check.missing > 0 ? await findDeleted(conn, table, check.expected) : [];
  return { deleted, live: liveAfter(table, check.expected, deleted, run.options.maxDeleteShare ?? 0.1) };
}
