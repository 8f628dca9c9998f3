/**
 * The ingest stage: reads every ToteSys change since the last run from one snapshot and writes the immutable
 * ingestion zone (issue 3; ../shared/design.md sections 1 to 3).
 *
 * Commit protocol: data objects, then the run's state, then the manifest (the commit marker), then the pointer.
 * A failure before the manifest leaves the previous state current: the next run captures everything since.
 * Overlapping runs are serialised by a PostgreSQL session advisory lock on ToteSys (it writes nothing and is
 * released when the connection drops, so a killed run cannot leave it behind): the second run exits cleanly.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { Bucket } from "../io/s3.ts";
import { log } from "../io/log.ts";
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
import { formatTimestamp, parseTimestamp } from "../time.ts";
import {
  advanceWatermark,
  cappedMax,
  EMPTY_WATERMARK,
  newVersionFilter,
  readLowerBound,
  type Version,
} from "./watermark.ts";

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
  /** Lag window re-read behind each watermark, in seconds (default 300). */
  lagSeconds?: number;
  /** Clock: epoch milliseconds (UTC). */
  now: () => number;
  /** Six hex digits of entropy for the run id. */
  entropy: () => string;
  /** Test hook: called after each table's object is written (to simulate a crash mid-run). */
  afterTable?: (table: SourceTableName) => void | Promise<void>;
}

/** Outcome of one ingest run. */
export interface IngestResult {
  /** `committed`: a manifest was written; `no_changes`: nothing new; `locked`: another run was in progress. */
  status: "committed" | "no_changes" | "locked";
  runId: string | null;
  manifestKey: string | null;
  /** Rows and bytes written per table (tables without changes: 0). */
  tables: Partial<Record<SourceTableName, { rows: number; bytes: number }>>;
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

/** Keeps the versions that may still fall inside the lag window of the final watermark, in bounded memory. */
class WindowCollector {
  max: string | null = null;
  private bound: string | null = null;
  private limit = 10_000;
  versions: Version[] = [];
  /** `lagUs`: the lag in microseconds; `now`: the snapshot's clock, which caps the watermark. */
  constructor(private readonly lagUs: bigint, private readonly now: string) {}
  add(pk: number, lu: string): void {
    if (this.max === null || lu > this.max) this.max = lu;
    if (this.bound === null || lu >= this.bound) this.versions.push([pk, lu]);
    if (this.versions.length > this.limit) {
      this.bound = formatTimestamp(parseTimestamp(cappedMax(this.max, this.now)!) - this.lagUs);
      const b = this.bound;
      this.versions = this.versions.filter((v) => v[1] >= b);
      this.limit = Math.max(10_000, this.versions.length * 2);
    }
  }
}

/**
 * Runs one ingest: every table from one `REPEATABLE READ, READ ONLY` snapshot, the changes since each table's
 * watermark (all rows on the first run) streamed as JSON Lines to the ingestion zone, then state, manifest and
 * pointer. No manifest is written when nothing changed.
 *
 * @returns the run's outcome (a concurrent run gives `locked` and writes nothing).
 * @throws Error on schema drift (naming table and column), a database or S3 failure; the watermark stays put.
 */
export async function runIngest(options: IngestOptions): Promise<IngestResult> {
  const { sql, bucket } = options;
  const lagSeconds = options.lagSeconds ?? 300;
  const started = options.now();
  const conn = await sql.reserve();
  try {
    const [lock] = await conn`SELECT pg_try_advisory_lock(${INGEST_LOCK_KEY.toString()}::bigint) AS locked`;
    if (!lock?.locked) {
      log("warn", "ingest", "Another ingest run holds the lock; exiting without reading", {});
      return { status: "locked", runId: null, manifestKey: null, tables: {} };
    }
    try {
      return await ingestLocked(conn, bucket, options, lagSeconds, started);
    } finally {
      await conn`SELECT pg_advisory_unlock(${INGEST_LOCK_KEY.toString()}::bigint)`.catch(() => {});
    }
  } finally {
    conn.release();
  }
}

async function ingestLocked(
  conn: Sql,
  bucket: Bucket,
  options: IngestOptions,
  lagSeconds: number,
  started: number,
): Promise<IngestResult> {
  const state = await readIngestState(bucket);
  const runId = makeRunId(started, options.entropy(), state.run_id ?? undefined);
  log("info", "ingest", "Run started", {
    run_id: runId,
    previous_run_id: state.run_id,
    lag_seconds: lagSeconds,
  });
  const result: IngestResult = { status: "no_changes", runId: null, manifestKey: null, tables: {} };
  const tables = {} as Record<SourceTableName, ManifestTable>;
  const next: IngestState = { run_id: runId, tables: {} };
  let totalRows = 0;
  await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    const [{ snapshot, now }] = await conn`SELECT pg_export_snapshot() AS snapshot,
      to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS.US') AS now` as unknown as [
      { snapshot: string; now: string },
    ];
    if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error(`Unexpected snapshot id "${snapshot}"`);
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
      const prev = state.tables[table];
      const added = checkSchemaDrift(table, columns, prev?.columns);
      if (added.length > 0) log("warn", "ingest", "Source columns added", { table, columns: added });
      const wm = prev ?? { ...EMPTY_WATERMARK };
      const isNew = newVersionFilter(wm);
      const collector = new WindowCollector(BigInt(lagSeconds) * 1_000_000n, now);
      const copy = options.copyConnection();
      await copy.unsafe(
        `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${snapshot}'`,
      );
      const readBound = readLowerBound(wm, lagSeconds);
      const readable = await copy.unsafe(changesCopySql(table, columns, readBound))
        .readable();
      const hash = createHash("sha256");
      let rows = 0;
      let bytes = 0;
      const encoder = new TextEncoder();
      const chunks = async function* (): AsyncGenerator<Uint8Array> {
        let buf: string[] = [];
        let size = 0;
        for await (const line of textLines(readable)) {
          const { pk, lastUpdated, json } = parseCopyLine(line);
          if (lastUpdated === "\\N") throw new Error(`Row ${pk} of ${table} has a NULL last_updated`);
          if (!isNew(pk, lastUpdated)) continue;
          collector.add(pk, lastUpdated);
          rows++;
          buf.push(json);
          size += json.length + 1;
          if (size >= 1 << 20) {
            const out = encoder.encode(buf.join("\n") + "\n");
            buf = [];
            size = 0;
            hash.update(out);
            bytes += out.length;
            yield out;
          }
        }
        if (buf.length > 0) {
          const out = encoder.encode(buf.join("\n") + "\n");
          hash.update(out);
          bytes += out.length;
          yield out;
        }
      };
      let object: ManifestTable["object"] = null;
      try {
        const it = chunks();
        const first = await it.next();
        if (!first.done) {
          const key = ingestObjectKey(table, runId);
          await bucket.upload(
            key,
            (async function* () {
              yield first.value;
              yield* it;
            })(),
            "application/x-ndjson",
          );
          object = { key, rows, bytes, sha256: hash.digest("hex") };
        }
      } finally {
        await copy.end({ timeout: 0 });
      }
      const advanced = advanceWatermark(wm, collector.versions, lagSeconds, now, readBound);
      next.tables[table] = { ...advanced, columns };
      tables[table] = {
        previous_watermark: wm.watermark,
        watermark: advanced.watermark,
        object,
        columns,
        added_columns: prev ? added : [],
      };
      result.tables[table] = { rows, bytes };
      totalRows += rows;
      log("info", "ingest", "Table read", {
        run_id: runId,
        table,
        rows,
        bytes,
        watermark: advanced.watermark,
        ms: Math.round(performance.now() - t0),
      });
      await options.afterTable?.(table);
    }
  } finally {
    await conn.unsafe("COMMIT");
  }
  if (totalRows === 0) {
    log("info", "ingest", "No changes since the previous run; nothing written", {
      previous_run_id: state.run_id,
      ms: options.now() - started,
    });
    return result;
  }
  const manifest: IngestManifest = {
    kind: "ingest",
    version: 1,
    run_id: runId,
    previous_run_id: state.run_id,
    started_at: new Date(started).toISOString(),
    finished_at: new Date(options.now()).toISOString(),
    lag_seconds: lagSeconds,
    tables,
  };
  await bucket.put(ingestStateKey(runId), JSON.stringify(next));
  const manifestKey = ingestManifestKey(runId);
  await bucket.put(manifestKey, JSON.stringify(manifest, null, 1));
  await bucket.put(INGEST_POINTER_KEY, JSON.stringify({ run_id: runId }));
  log("info", "ingest", "Run committed", {
    run_id: runId,
    rows: totalRows,
    manifest: manifestKey,
    ms: options.now() - started,
  });
  return { ...result, status: "committed", runId, manifestKey };
}
