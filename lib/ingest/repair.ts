/**
 * Repair runs (issue 11): reconcile's differences turned into an ingest run that goes through transform and load
 * like any other, so the lake stays the whole record. The run's manifest says `purpose: "repair"`; it carries the
 * current ToteSys rows of the keys to correct, and as deletions the keys ToteSys no longer has. The capture
 * position is copied from the previous run: a repair does not move it (a row it reads that a later capture reads
 * again adds no version, content deciding).
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { ObjectStore } from "../io/object_store.ts";
import { log } from "../io/log.ts";
import { countIds, idsOf } from "../id_ranges.ts";
import type { IngestState, ManifestTable } from "../run/manifest.ts";
import { makeRunId } from "../run/run_id.ts";
import { runManifest } from "./capture.ts";
import type { CatalogColumn } from "./catalog.ts";
import { writeObject } from "./read_table.ts";
import { KEYED_READ_MAX, keyedLine, keyedSelectSql } from "./scan.ts";
import { commitIngestRun, readIngestState } from "./lake.ts";
import { withIngestLock } from "./lock.ts";
import { repairEntry, repairIds, type RepairKeys, repairOutcome, repairSnapshotAt } from "./repair_plan.ts";

export type { RepairKeys };

/** Inputs of {@link runRepair}. */
export interface RepairOptions {
  /** ToteSys connection pool (read-only use). */
  sql: Sql;
  /** The ingestion zone. */
  bucket: ObjectStore;
  /** The keys to repair, per source table (from reconcile's differences). */
  keys: RepairKeys;
  /** Clock: epoch milliseconds (UTC), from main/: the run id and the manifest's times. */
  now: () => number;
  /** Six hex digits of entropy for the run id. */
  entropy: () => string;
  /** The mass-delete guard's share, as for a capture run (default 0.1; see deletions.ts). */
  maxDeleteShare?: number;
}

/**
 * Writes a repair run for `keys`: rows re-read from ToteSys (keys that no longer exist there become deletions),
 * then state, manifest and pointer, under the ingest lock.
 *
 * @returns the run id, or null when another ingest holds the lock or there is nothing to repair.
 * @throws Error when there is no earlier run (nothing to repair against), or on a database or S3 failure.
 */
export async function runRepair(options: RepairOptions): Promise<string | null> {
  return await withIngestLock(options.sql, (conn) => repairLocked(conn, options));
}

async function repairLocked(conn: Sql, options: RepairOptions): Promise<string | null> {
  const started = options.now();
  const state = await readIngestState(options.bucket);
  if (state.run_id === null) throw new Error("Nothing to repair: the ingestion zone has no run yet");
  const runId = makeRunId(started, options.entropy(), state.run_id);
  const tables = {} as Record<SourceTableName, ManifestTable>;
  const next: IngestState = { ...state, run_id: runId, tables: { ...state.tables } };
  let changes = 0;
  await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    for (const table of SOURCE_TABLE_NAMES) {
      tables[table] = repairEntry(state, table);
      changes += await repairTable(conn, options, runId, state, next, table, tables[table]);
    }
  } finally {
    await conn.unsafe("COMMIT");
  }
  if (changes === 0) return null;
  const times = { started, finished: options.now(), snapshotAt: repairSnapshotAt(started) };
  await commitIngestRun(options.bucket, next, runManifest(runId, state.run_id, times, "repair", tables));
  log("info", "repair", "Repair run committed", { run_id: runId, changes });
  return runId;
}

/**
 * One table's repair: its keys' current rows written as the run's object, the keys gone recorded as deletions,
 * the live keys corrected in `next`; `entry` is completed.
 *
 * @returns the changes (rows written plus keys deleted).
 */
async function repairTable(
  conn: Sql,
  options: RepairOptions,
  runId: string,
  state: IngestState,
  next: IngestState,
  table: SourceTableName,
  entry: ManifestTable,
): Promise<number> {
  const ids = repairIds(table, options.keys[table]);
  if (ids.length === 0) return 0;
  if (entry.columns.length === 0) {
    throw new Error(`Cannot repair ${table}: no earlier run recorded its columns (run "etl run" first)`);
  }
  // Read by plain queries, 10,000 keys at a time, and written as a stream: the keys of a whole table (a warehouse
  // truncated by hand) as one COPY on the locked connection left its socket paused (porsager/postgres#499) with
  // ToteSys waiting to send (ClientWrite), and the rows held whole came near the heap's cap.
  const read = await writeObject(
    { bucket: options.bucket, runId, table, onXid: () => {}, onProgress: undefined },
    keyedLines(conn, table, entry.columns, ids),
  );
  const found = new Set(idsOf(read.candidates));
  const out = repairOutcome(table, state.tables[table], ids, found, options.maxDeleteShare ?? 0.1);
  if (read.object) entry.object = read.object;
  if (out.gone.length > 0) entry.deleted = out.gone;
  if (out.state) next.tables[table] = out.state;
  const deleted = countIds(out.gone);
  log("info", "repair", "Table repaired", { run_id: runId, table, reread: read.rows, deleted });
  return read.rows + deleted;
}

/** The current rows of `ids` as COPY-format lines (`pk \t xid \t json`, xid 0), by queries of 10,000 keys. */
async function* keyedLines(
  conn: Sql,
  table: SourceTableName,
  columns: readonly CatalogColumn[],
  ids: readonly number[],
): AsyncGenerator<string> {
  // the xid column is not used by a repair (it does not move the capture position)
  const select = keyedSelectSql(table, columns, "0::int8", null);
  for (let i = 0; i < ids.length; i += KEYED_READ_MAX) {
    const rows = await conn.unsafe(select, [`{${ids.slice(i, i + KEYED_READ_MAX).join(",")}}`]);
    for (const r of rows) yield keyedLine(table, r);
  }
}
