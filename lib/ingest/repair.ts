/**
 * Repair runs (issue 11): reconcile's differences turned into an ingest run that goes through transform and load
 * like any other, so the lake stays the whole record. The run's manifest says `purpose: "repair"`; it carries the
 * current ToteSys rows of the keys to correct, and as deletions the keys ToteSys no longer has. The capture
 * position is copied from the previous run: a repair does not move it (a row it reads that a later capture reads
 * again adds no version, content deciding).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { SOURCE_TABLE_NAMES, SOURCE_TABLES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { ObjectStore } from "../io/object_store.ts";
import { log } from "../io/log.ts";
import { textLines } from "../io/lines.ts";
import { type CatalogColumn, changesCopySql, parseCopyLine } from "./catalog.ts";
import { ingestObjectKey } from "../run/layout.ts";
import type { IngestState, ManifestTable } from "../run/manifest.ts";
import { makeRunId } from "../run/run_id.ts";
import { commitIngestRun, readIngestState, withIngestLock } from "./stage.ts";
import { countIds, type IdRanges, rangesOf, subtractRanges, unionRanges } from "../id_ranges.ts";
import { deletionGuard } from "./deletions.ts";

/** Per source table: keys whose current row to re-read, keys to record deleted. */
export type RepairKeys = Partial<Record<SourceTableName, { reread: number[]; deleted: number[] }>>;

/** Inputs of {@link runRepair}. */
export interface RepairOptions {
  sql: Sql;
  bucket: ObjectStore;
  keys: RepairKeys;
  now: () => number;
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
  const { bucket } = options;
  const started = options.now();
  const state = await readIngestState(bucket);
  if (state.run_id === null) throw new Error("Nothing to repair: the ingestion zone has no run yet");
  const runId = makeRunId(started, options.entropy(), state.run_id);
  const tables = {} as Record<SourceTableName, ManifestTable>;
  const next: IngestState = { ...state, run_id: runId, tables: { ...state.tables } };
  let changes = 0;
  await conn.unsafe("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    for (const table of SOURCE_TABLE_NAMES) {
      const want = options.keys[table];
      const columns: CatalogColumn[] = state.tables[table]?.columns ?? [];
      const entry: ManifestTable = {
        previous_watermark: state.snapshot ?? null,
        watermark: state.snapshot ?? null,
        object: null,
        columns,
        added_columns: [],
      };
      tables[table] = entry;
      if (!want || (want.reread.length === 0 && want.deleted.length === 0)) continue;
      if (columns.length === 0) {
        throw new Error(`Cannot repair ${table}: no earlier run recorded its columns (run "etl run" first)`);
      }
      const pk = SOURCE_TABLES[table].pk;
      const ids = [...new Set([...want.reread, ...want.deleted])].sort((a, b) => a - b);
      for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`Invalid ${table} key ${id}`);
      const lines: string[] = [];
      const found = new Set<number>();
      // the xid column is not used by a repair (it does not move the capture position)
      const copy = changesCopySql(table, columns, "0::int8", `"${pk}" IN (${ids.join(",")})`);
      for await (const line of textLines(await conn.unsafe(copy).readable())) {
        const { pk: key, json } = parseCopyLine(line);
        found.add(key);
        lines.push(json);
      }
      const gone = rangesOf(ids.filter((id) => !found.has(id)));
      const live: IdRanges | undefined = state.tables[table]?.live;
      // the same guard as a capture run: a repair must not empty the warehouse of a mis-restored ToteSys
      deletionGuard(table, countIds(gone), live ? countIds(live) : found.size, options.maxDeleteShare ?? 0.1);
      if (lines.length > 0) {
        const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
        const key = ingestObjectKey(table, runId);
        await bucket.put(key, bytes, "application/x-ndjson");
        entry.object = {
          key,
          rows: lines.length,
          bytes: bytes.length,
          sha256: createHash("sha256").update(bytes).digest("hex"),
        };
      }
      if (gone.length > 0) entry.deleted = gone;
      if (live) {
        next.tables[table] = {
          ...state.tables[table],
          columns,
          live: subtractRanges(unionRanges(live, rangesOf(found)), gone),
        };
      }
      changes += lines.length + countIds(gone);
      log("info", "repair", "Table repaired", {
        run_id: runId,
        table,
        reread: lines.length,
        deleted: countIds(gone),
      });
    }
  } finally {
    await conn.unsafe("COMMIT");
  }
  if (changes === 0) return null;
  await commitIngestRun(bucket, next, {
    kind: "ingest",
    version: 2,
    run_id: runId,
    previous_run_id: state.run_id,
    started_at: new Date(started).toISOString(),
    finished_at: new Date(options.now()).toISOString(),
    snapshot_at: new Date(started).toISOString().replace("T", " ").replace("Z", "000"),
    purpose: "repair",
    tables,
  });
  log("info", "repair", "Repair run committed", { run_id: runId, changes });
  return runId;
}
