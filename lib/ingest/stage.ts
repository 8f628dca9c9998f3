/**
 * The ingest stage: reads every ToteSys change since the last run from one snapshot and writes the immutable
 * ingestion zone (issues 3 and 10; design.md sections 1 to 3).
 *
 * What changed is decided by transaction ids, not by `last_updated` (lib/ingest/xid.ts): a row is read when its
 * `xmin` was not visible to the previous run's snapshot, so silent edits (no new `last_updated`), transactions that
 * commit after any number of runs, savepoints and prepared transactions are all captured, by the next run after
 * they commit. Deletions are found by counting: every row live now was live before or is a candidate, so the table's
 * row count equals the previous live keys plus the candidates exactly when nothing was deleted; when it is lower,
 * the keys are compared bucket by bucket (4,096 keys each) to name the deleted ones. A run that would delete more
 * than a set share of a table stops instead (a truncated or mis-restored source must not wipe the warehouse).
 * How each table is read (one scan giving the count and the candidates' keys, two tables at a time, every reader
 * in the run's one exported snapshot; issue 15) is lib/ingest/capture_table.ts's; tables are finished in their
 * fixed order, so the manifest, the state and the `afterTable` hook stay deterministic.
 *
 * Commit protocol: data objects, then the run's state, then the manifest (the commit marker), then the pointer.
 * A failure before the manifest leaves the previous state current: the next run captures everything since.
 * Overlapping runs are serialised by a PostgreSQL session advisory lock on ToteSys (it writes nothing and is
 * released when the connection drops, so a killed run cannot leave it behind): the second run exits cleanly.
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { ObjectStore } from "../io/object_store.ts";
import { log } from "../io/log.ts";
import type { ProgressCallback } from "../io/progress.ts";
import type { CatalogColumn, IngestState, ManifestTable } from "../run/manifest.ts";
import { makeRunId } from "../run/run_id.ts";
import { capturePosition, newestChanges, runManifest } from "./capture.ts";
import { finishTable, readChanges, type Run, type RunSnapshot, scansTables } from "./capture_table.ts";
import { commitIngestRun, readIngestState } from "./lake.ts";
import { withIngestLock } from "./lock.ts";
import { readAhead } from "./read_ahead.ts";
import { beginInSnapshot } from "./read_table.ts";
import { ReaderPool } from "./scan.ts";
import { type CapturePosition, nextSeen, parseSnapshot, referenceXid } from "./xid.ts";
import { withExternalMemoryWatch } from "../io/external_memory.ts";

/**
 * Tables read at once (issue 15). A first run's read holds a COPY connection and up to a chunk of its rows. An
 * incremental run's scans share the two snapshot readers, so more tables in flight only let one table's object be
 * written while the next is scanned (at most 10,000 rows each; a table with more candidates reads by COPY).
 */
const READ_AHEAD = { first: 2, incremental: 4 };

export { readIngestState } from "./lake.ts";

/** Inputs of {@link runIngest}: adapters and settings, so the stage reads no environment or clock itself. */
export interface IngestOptions {
  /** ToteSys connection pool (read-only use). */
  sql: Sql;
  /**
   * Opens a one-connection client to the same ToteSys, used for one table's COPY and then discarded. (postgres.js
   * 3.4.9 can leave a connection's socket paused after a COPY TO STDOUT stream, porsager/postgres#499, so a COPY
   * connection is never reused.) Each imports the run's exported snapshot, so every table is read from it.
   */
  copyConnection: () => Sql;
  /** The ingestion zone. */
  bucket: ObjectStore;
  /** Largest share of a table's rows one run may find deleted (default 0.1, see deletions.ts). */
  maxDeleteShare?: number;
  /** Clock: epoch milliseconds (UTC), from main/: the run id, the manifest's times and the durations logged. */
  now: () => number;
  /** Six hex digits of entropy for the run id. */
  entropy: () => string;
  /** Test hook: called after each table's object is written (to simulate a crash mid-run). */
  afterTable?: (table: SourceTableName) => void | Promise<void>;
  /** Progress: called as each table starts and every 8,192 rows read (lib/io/progress.ts). */
  onProgress?: ProgressCallback;
}

/** Outcome of one ingest run. */
export interface IngestResult {
  /** `committed`: a manifest was written; `no_changes`: nothing new; `locked`: another run was in progress. */
  status: "committed" | "no_changes" | "locked";
  /** The run's id when committed, else null. */
  runId: string | null;
  /** The run's manifest key (`_manifests/ingest/<run_id>.json`) when committed, else null. */
  manifestKey: string | null;
  /** Rows and bytes written, and keys found deleted, per table (tables without changes: 0). */
  tables: Partial<Record<SourceTableName, { rows: number; bytes: number; deleted?: number }>>;
  /** Per table, the newest `last_updated` (UTC text) captured once the run is over; absent when `locked`. */
  newestChange?: Partial<Record<SourceTableName, string | null>>;
}

/**
 * Runs one ingest: every table from one `REPEATABLE READ, READ ONLY` snapshot, the rows changed since the previous
 * run's snapshot (all rows on the first run) streamed as JSON Lines to the ingestion zone, the deleted keys found,
 * then state, manifest and pointer. No manifest is written when nothing changed.
 *
 * @returns the run's outcome (a concurrent run gives `locked` and writes nothing).
 * @throws Error on schema drift (naming table and column), the mass-delete guard, a database or S3 failure; the
 *   capture position stays put.
 */
export function runIngest(options: IngestOptions): Promise<IngestResult> {
  return withExternalMemoryWatch(() => runIngestWatched(options));
}

async function runIngestWatched(options: IngestOptions): Promise<IngestResult> {
  const started = options.now();
  const result = await withIngestLock(options.sql, (conn) => ingestLocked(conn, options, started));
  if (result !== null) return result;
  log("warn", "ingest", "Another ingest run holds the lock; exiting without reading", {});
  return { status: "locked", runId: null, manifestKey: null, tables: {} };
}

async function ingestLocked(conn: Sql, options: IngestOptions, started: number): Promise<IngestResult> {
  // Under the lock no other run commits: the state is read while the snapshot is taken.
  const stateRead = readIngestState(options.bucket);
  stateRead.catch(() => {}); // awaited below, once the snapshot is open
  let run: Run | undefined;
  await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const snap = await openSnapshot(conn);
    const readers = new ReaderPool([{ sql: conn, reference: snap.reference }]);
    await withSecondReader(options, snap, readers, async () => {
      const catalogRead = readCatalog(conn);
      catalogRead.catch(() => {}); // awaited below, once the state is read
      const current = newRun(options, await stateRead, snap, readers, started);
      run = current;
      const catalog = await catalogRead;
      await readAhead(
        SOURCE_TABLE_NAMES,
        scansTables(current.prev, snap.reference) ? READ_AHEAD.incremental : READ_AHEAD.first,
        (table) => readChanges(current, table, catalog.get(table) ?? []),
        (table, out) => finishTable(conn, current, table, out),
      );
      current.next.snapshot = snap.text;
      current.next.seen = nextSeen(current.prev?.seen ?? [], current.seenRead, snap.cur);
    });
  } finally {
    await conn.unsafe("COMMIT");
  }
  return await finishRun(run, started);
}

/** A run starting from `state` in the snapshot `snap` (its id made and logged). */
function newRun(
  options: IngestOptions,
  state: IngestState,
  snap: RunSnapshot,
  readers: ReaderPool,
  started: number,
): Run {
  const prev = capturePosition(state);
  const runId = makeRunId(started, options.entropy(), state.run_id ?? undefined);
  logStart(runId, state, prev);
  return {
    options,
    runId,
    state,
    prev,
    snap,
    tables: {} as Record<SourceTableName, ManifestTable>,
    next: { run_id: runId, version: 2, tables: {} },
    result: { status: "no_changes", runId: null, manifestKey: null, tables: {} },
    seenRead: new Set(),
    changes: 0,
    lap: started,
    readers,
  };
}

/**
 * Runs `fn` while a second connection in the run's snapshot is opened and added to `readers` (an incremental run
 * scans on both; a first run, which reads by COPY, leaves it idle), then ends that connection.
 */
async function withSecondReader(
  options: IngestOptions,
  snap: RunSnapshot,
  readers: ReaderPool,
  fn: () => Promise<void>,
): Promise<void> {
  const sql = options.copyConnection();
  const opened = beginInSnapshot(sql, snap.exported, snap.cur.xmax)
    .then((reference) => readers.add({ sql, reference }));
  opened.catch(() => {}); // awaited after fn: until then the run reads on the snapshot's own connection
  try {
    await fn();
    await opened;
  } finally {
    // Never end a connection still opening (postgres.js would leave its type query's failure unhandled).
    await opened.catch(() => {});
    await sql.end({ timeout: 0 });
  }
}

function logStart(runId: string, state: IngestState, prev: CapturePosition | null): void {
  log("info", "ingest", "Run started", {
    run_id: runId,
    previous_run_id: state.run_id,
    previous_snapshot: state.snapshot ?? null,
  });
  if (state.run_id !== null && !prev) {
    log(
      "warn",
      "ingest",
      "The previous state has no transaction-id position (written before issue 10): " +
        "this run reads every row once; unchanged rows add nothing to the warehouse",
      { run_id: runId },
    );
  }
}

/** Exports the transaction's snapshot (the COPY connections import it) and reads its position and clock. */
async function openSnapshot(conn: Sql): Promise<RunSnapshot> {
  // age('3'::xid): the transaction's fixed reference for ages (xid.ts referenceXid), in the same round trip.
  const [info] = await conn`SELECT pg_export_snapshot() AS exported, pg_current_snapshot()::text AS snapshot,
      to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US') AS now, age('3'::xid)::int8 AS age` as unknown as [
    { exported: string; snapshot: string; now: string; age: string },
  ];
  const { exported } = info;
  if (!/^[0-9A-F-]+$/i.test(exported)) throw new Error(`Unexpected snapshot id "${exported}"`);
  const cur = parseSnapshot(info.snapshot);
  return {
    exported,
    text: info.snapshot,
    cur,
    at: info.now,
    reference: referenceXid(Number(info.age), cur.xmax),
  };
}

/** The source tables' columns now (name and type; an enum's type is its name), in column order. */
export async function readCatalog(conn: Sql): Promise<Map<string, CatalogColumn[]>> {
  const rows = await conn<{ table_name: string; column_name: string; data_type: string; udt_name: string }[]>`
      SELECT table_name, column_name, data_type, udt_name
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN ${conn([...SOURCE_TABLE_NAMES])}
      ORDER BY table_name, ordinal_position`;
  const out = new Map<string, CatalogColumn[]>();
  for (const c of rows) {
    const type = c.data_type === "USER-DEFINED" ? c.udt_name : c.data_type;
    out.set(c.table_name, [...(out.get(c.table_name) ?? []), { name: c.column_name, type }]);
  }
  return out;
}

/** Commits the run (state, manifest, pointer) when it found changes; writes nothing otherwise. */
async function finishRun(run: Run | undefined, started: number): Promise<IngestResult> {
  if (!run) throw new Error("unreachable: the run's snapshot was not opened");
  const { options, runId, state, result } = run;
  if (run.changes === 0) {
    log("info", "ingest", "No changes since the previous run; nothing written", {
      previous_run_id: state.run_id,
      ms: options.now() - started,
    });
    return { ...result, newestChange: newestChanges(state) };
  }
  const times = { started, finished: options.now(), snapshotAt: run.snap.at };
  const manifest = runManifest(runId, state.run_id, times, "capture", run.tables);
  const manifestKey = await commitIngestRun(options.bucket, run.next, manifest);
  log("info", "ingest", "Run committed", {
    run_id: runId,
    changes: run.changes,
    manifest: manifestKey,
    ms: options.now() - started,
  });
  return { ...result, status: "committed", runId, manifestKey, newestChange: newestChanges(run.next) };
}
