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
 *
 * Commit protocol: data objects, then the run's state, then the manifest (the commit marker), then the pointer.
 * A failure before the manifest leaves the previous state current: the next run captures everything since.
 * Overlapping runs are serialised by a PostgreSQL session advisory lock on ToteSys (it writes nothing and is
 * released when the connection drops, so a killed run cannot leave it behind): the second run exits cleanly.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { SOURCE_TABLE_NAMES, SOURCE_TABLES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { Bucket } from "../io/s3.ts";
import { log } from "../io/log.ts";
import type { ProgressCallback } from "../io/progress.ts";
import { textLines } from "../io/lines.ts";
import { type CatalogColumn, changesCopySql, checkSchemaDrift, parseCopyLine } from "./catalog.ts";
import {
  INGEST_MANIFEST_PREFIX,
  INGEST_POINTER_KEY,
  type IngestManifest,
  ingestManifestKey,
  ingestObjectKey,
  type IngestState,
  ingestStateKey,
  INITIAL_INGEST_STATE,
  type ManifestTable,
  runIdOfManifestKey,
} from "./manifest.ts";
import { makeRunId } from "./run_id.ts";
import {
  candidateByAgeSql,
  type CapturePosition,
  nextSeen,
  parseSnapshot,
  referenceXid,
  xidFromAgeSql,
} from "./xid.ts";
import { DELETE_BUCKET_BITS, deletionGuard, mismatchedBuckets } from "./deletions.ts";
import { countIds, type IdRanges, idsBetween, rangesOf, subtractRanges, unionRanges } from "../id_ranges.ts";
import { IdSet } from "../transform/id_set.ts";

/** Advisory lock key that serialises ingest runs (any constant 64-bit number; "totes-ingest"). */
export const INGEST_LOCK_KEY = 7_461_726_573_001n;

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
  /** The ingestion bucket. */
  bucket: Bucket;
  /** Largest share of a table's rows one run may find deleted (default 0.1, see deletions.ts). */
  maxDeleteShare?: number;
  /** Clock: epoch milliseconds (UTC). */
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
  runId: string | null;
  manifestKey: string | null;
  /** Rows and bytes written, and keys found deleted, per table (tables without changes: 0). */
  tables: Partial<Record<SourceTableName, { rows: number; bytes: number; deleted?: number }>>;
}

/**
 * Reads the state of the latest committed run: the pointer, then any newer manifest listed after it.
 *
 * @throws Error when a committed manifest's state object is missing (the zone was tampered with).
 */
export async function readIngestState(bucket: Bucket): Promise<IngestState> {
  const pointer = await bucket.getJson<{ run_id: string }>(INGEST_POINTER_KEY);
  const after = pointer ? ingestManifestKey(pointer.run_id) : undefined;
  // Only well-formed manifest keys count: a stray object under the prefix must not reset the state.
  const newer = (await bucket.list(INGEST_MANIFEST_PREFIX, after)).map(runIdOfManifestKey).filter((id) =>
    id !== undefined
  );
  const latest = newer.length > 0 ? newer[newer.length - 1] : pointer?.run_id;
  if (!latest) return INITIAL_INGEST_STATE;
  const state = await bucket.getJson<IngestState>(ingestStateKey(latest));
  if (!state) {
    throw new Error(`Ingest state object ${ingestStateKey(latest)} is missing for committed run ${latest}`);
  }
  return state;
}

/** The capture position a state gives, or null when every row must be read (first run, version 1 state). */
export function capturePosition(state: IngestState): CapturePosition | null {
  if (state.version !== 2 || !state.snapshot) return null;
  return { snapshot: parseSnapshot(state.snapshot), seen: state.seen ?? [] };
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
export async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const started = options.now();
  const result = await withIngestLock(
    options.sql,
    (conn) => ingestLocked(conn, options.bucket, options, started),
  );
  if (result !== null) return result;
  log("warn", "ingest", "Another ingest run holds the lock; exiting without reading", {});
  return { status: "locked", runId: null, manifestKey: null, tables: {} };
}

/**
 * Runs `fn` on one reserved ToteSys connection holding the ingest advisory lock (a session lock: it writes
 * nothing, and a killed process cannot leave it behind). Capture and repair runs share it.
 *
 * @returns `fn`'s result, or null when another run holds the lock (then `fn` is not called).
 */
export async function withIngestLock<T>(sql: Sql, fn: (conn: Sql) => Promise<T>): Promise<T | null> {
  const conn = await sql.reserve();
  try {
    const [lock] = await conn`SELECT pg_try_advisory_lock(${INGEST_LOCK_KEY.toString()}::bigint) AS locked`;
    if (!lock?.locked) return null;
    try {
      return await fn(conn);
    } finally {
      await conn`SELECT pg_advisory_unlock(${INGEST_LOCK_KEY.toString()}::bigint)`.catch(() => {});
    }
  } finally {
    conn.release();
  }
}

/**
 * Commits a run written to the ingestion zone: its state, then its manifest (the commit marker), then the pointer.
 *
 * @returns the manifest's key.
 */
export async function commitIngestRun(
  bucket: Bucket,
  state: IngestState,
  manifest: IngestManifest,
): Promise<string> {
  await bucket.put(ingestStateKey(manifest.run_id), JSON.stringify(state));
  const manifestKey = ingestManifestKey(manifest.run_id);
  await bucket.put(manifestKey, JSON.stringify(manifest, null, 1));
  await bucket.put(INGEST_POINTER_KEY, JSON.stringify({ run_id: manifest.run_id }));
  return manifestKey;
}

/** One table read: what goes into the manifest and the next state. */
interface TableRead {
  rows: number;
  bytes: number;
  object: ManifestTable["object"];
  candidates: IdRanges;
  /** The newest `last_updated` among the rows read (text, microseconds), or null. */
  maxLastUpdated: string | null;
}

/** The later of two timestamp texts (null-safe). */
function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

async function ingestLocked(
  conn: Sql,
  bucket: Bucket,
  options: IngestOptions,
  started: number,
): Promise<IngestResult> {
  const state = await readIngestState(bucket);
  const prev = capturePosition(state);
  const runId = makeRunId(started, options.entropy(), state.run_id ?? undefined);
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
  const result: IngestResult = { status: "no_changes", runId: null, manifestKey: null, tables: {} };
  const tables = {} as Record<SourceTableName, ManifestTable>;
  const next: IngestState = { run_id: runId, version: 2, tables: {} };
  const seenRead = new Set<number>();
  let changes = 0;
  let snapshotText = "";
  let snapshotAt = "";
  await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const [info] =
      await conn`SELECT pg_export_snapshot() AS exported, pg_current_snapshot()::text AS snapshot,
      to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US') AS now` as unknown as [
        { exported: string; snapshot: string; now: string },
      ];
    const { exported } = info;
    if (!/^[0-9A-F-]+$/i.test(exported)) throw new Error(`Unexpected snapshot id "${exported}"`);
    snapshotText = info.snapshot;
    snapshotAt = info.now;
    const cur = parseSnapshot(snapshotText);
    const catalog = await conn<
      { table_name: string; column_name: string; data_type: string; udt_name: string }[]
    >`
      SELECT table_name, column_name, data_type, udt_name
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN ${conn([...SOURCE_TABLE_NAMES])}
      ORDER BY table_name, ordinal_position`;
    for (const table of SOURCE_TABLE_NAMES) {
      const t0 = performance.now();
      const columns: CatalogColumn[] = catalog.filter((c) => c.table_name === table).map((c) => ({
        name: c.column_name,
        type: c.data_type === "USER-DEFINED" ? c.udt_name : c.data_type,
      }));
      const before = state.tables[table];
      const drift = checkSchemaDrift(table, columns, before?.columns);
      if (drift.added.length + drift.dropped.length + drift.retyped.length > 0) {
        log("warn", "ingest", "Source columns changed (recorded in the manifest)", { table, ...drift });
      }
      const countQuery = countRows(conn, table);
      const read = await readTable(options, bucket, runId, exported, table, columns, cur.xmax, prev, (x) => {
        if (x >= cur.xmin) seenRead.add(x);
      });
      const counted = await countQuery;
      // Deletions: only against a version 2 state, which knows the live keys.
      let deleted: IdRanges = [];
      let live = read.candidates;
      if (prev && before?.live) {
        const expected = unionRanges(before.live, read.candidates);
        const want = countIds(expected);
        if (counted.rows > want) {
          throw new Error(
            `ToteSys table ${table} has ${counted.rows} rows but the capture state accounts for ${want}: ` +
              `the ingestion bucket's state does not belong to this database`,
          );
        }
        if (counted.rows < want) deleted = await findDeleted(conn, table, expected);
        deletionGuard(table, countIds(deleted), want, options.maxDeleteShare ?? 0.1);
        live = subtractRanges(expected, deleted);
      }
      const deletedCount = countIds(deleted);
      const maxLastUpdated = laterOf(before?.max_last_updated ?? null, read.maxLastUpdated);
      next.tables[table] = { columns, live, max_last_updated: maxLastUpdated };
      tables[table] = {
        previous_watermark: state.snapshot ?? null,
        watermark: snapshotText,
        object: read.object,
        ...(deletedCount > 0 ? { deleted } : {}),
        live_rows: counted.rows,
        max_last_updated: maxLastUpdated,
        columns,
        added_columns: drift.added,
        ...(drift.dropped.length > 0 ? { dropped_columns: drift.dropped } : {}),
        ...(drift.retyped.length > 0 ? { retyped_columns: drift.retyped } : {}),
      };
      result.tables[table] = {
        rows: read.rows,
        bytes: read.bytes,
        ...(deletedCount ? { deleted: deletedCount } : {}),
      };
      changes += read.rows + deletedCount;
      log("info", "ingest", "Table read", {
        run_id: runId,
        table,
        rows: read.rows,
        deleted: deletedCount,
        live_rows: counted.rows,
        bytes: read.bytes,
        ms: Math.round(performance.now() - t0),
      });
      await options.afterTable?.(table);
    }
    next.snapshot = snapshotText;
    next.seen = nextSeen(prev?.seen ?? [], seenRead, cur);
  } finally {
    await conn.unsafe("COMMIT");
  }
  if (changes === 0) {
    log("info", "ingest", "No changes since the previous run; nothing written", {
      previous_run_id: state.run_id,
      ms: options.now() - started,
    });
    return result;
  }
  const manifest: IngestManifest = {
    kind: "ingest",
    version: 2,
    run_id: runId,
    previous_run_id: state.run_id,
    started_at: new Date(started).toISOString(),
    finished_at: new Date(options.now()).toISOString(),
    snapshot_at: snapshotAt,
    purpose: "capture",
    tables,
  };
  const manifestKey = await commitIngestRun(bucket, next, manifest);
  log("info", "ingest", "Run committed", {
    run_id: runId,
    changes,
    manifest: manifestKey,
    ms: options.now() - started,
  });
  return { ...result, status: "committed", runId, manifestKey };
}

/** Rows of a table at the snapshot, on the snapshot's connection (runs beside the table's COPY). */
async function countRows(conn: Sql, table: SourceTableName): Promise<{ rows: number }> {
  const [row] = await conn.unsafe(`SELECT count(*)::int8 AS n FROM public."${table}"`);
  return { rows: Number(row!.n) };
}

/** Lists the keys of `expected` that ToteSys no longer holds: bucket counts first, then keys of odd buckets. */
async function findDeleted(conn: Sql, table: SourceTableName, expected: IdRanges): Promise<IdRanges> {
  const pk = SOURCE_TABLES[table].pk;
  const counts = await conn.unsafe(
    `SELECT ("${pk}" >> ${DELETE_BUCKET_BITS})::int8 AS b, count(*)::int8 AS n FROM public."${table}" GROUP BY 1`,
  );
  const actual = new Map<number, number>(counts.map((r) => [Number(r.b), Number(r.n)]));
  const gone: number[] = [];
  const size = 2 ** DELETE_BUCKET_BITS;
  for (const b of mismatchedBuckets(table, expected, actual)) {
    const rows = await conn.unsafe(
      `SELECT "${pk}" AS id FROM public."${table}" WHERE "${pk}" >= $1 AND "${pk}" < $2`,
      [b * size, (b + 1) * size],
    );
    const present = new Set(rows.map((r) => Number(r.id)));
    for (const id of idsBetween(expected, b * size, (b + 1) * size)) if (!present.has(id)) gone.push(id);
  }
  return rangesOf(gone);
}

/** Streams one table's candidate rows from the exported snapshot into its ingestion object. */
async function readTable(
  options: IngestOptions,
  bucket: Bucket,
  runId: string,
  exported: string,
  table: SourceTableName,
  columns: readonly CatalogColumn[],
  xmax: number,
  prev: CapturePosition | null,
  onXid: (xid: number) => void,
): Promise<TableRead> {
  const copy = options.copyConnection();
  const ids = new IdSet();
  const hash = createHash("sha256");
  let rows = 0;
  let bytes = 0;
  let maxLastUpdated: string | null = null;
  options.onProgress?.({ stage: "ingest", table, rows: 0, phase: "read", runId });
  try {
    await copy.unsafe(
      `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${exported}'`,
    );
    // Ages are taken against this transaction's fixed reference xid (see xid.ts referenceXid).
    const [ref] = await copy.unsafe(`SELECT age('3'::xid)::int8 AS a`);
    const reference = referenceXid(Number(ref!.a), xmax);
    const where = prev ? candidateByAgeSql(prev, reference) : null;
    const readable = await copy.unsafe(changesCopySql(table, columns, xidFromAgeSql(reference), where))
      .readable();
    const encoder = new TextEncoder();
    const chunks = async function* (): AsyncGenerator<Uint8Array> {
      let buf: string[] = [];
      let size = 0;
      const flush = () => {
        const out = encoder.encode(buf.join("\n") + "\n");
        buf = [];
        size = 0;
        hash.update(out);
        bytes += out.length;
        return out;
      };
      const luPrefix = '"last_updated":"';
      for await (const line of textLines(readable)) {
        const { pk, xid, json } = parseCopyLine(line);
        const at = json.indexOf(luPrefix);
        if (at >= 0 && json.charCodeAt(at + luPrefix.length) <= 57) { // a digit: not 'infinity' (C6)
          const lu = json.slice(at + luPrefix.length, at + luPrefix.length + 26);
          if (maxLastUpdated === null || lu > maxLastUpdated) maxLastUpdated = lu;
        }
        ids.add(pk);
        onXid(xid);
        rows++;
        if ((rows & 8191) === 0) options.onProgress?.({ stage: "ingest", table, rows, phase: "read", runId });
        buf.push(json);
        size += json.length + 1;
        if (size >= 1 << 20) yield flush();
      }
      if (buf.length > 0) yield flush();
    };
    const it = chunks();
    const first = await it.next();
    if (first.done) return { rows: 0, bytes: 0, object: null, candidates: [], maxLastUpdated: null };
    const key = ingestObjectKey(table, runId);
    await bucket.upload(
      key,
      (async function* () {
        yield first.value;
        yield* it;
      })(),
      "application/x-ndjson",
    );
    return {
      rows,
      bytes,
      object: { key, rows, bytes, sha256: hash.digest("hex") },
      candidates: ids.toJSON(),
      maxLastUpdated,
    };
  } finally {
    await copy.end({ timeout: 0 });
  }
}
