/**
 * The ToteSys side of one table's capture (IO over the Sql adapter): streaming the changed rows from the run's
 * exported snapshot into the table's ingestion object, counting the rows, and naming deleted keys.
 *
 * @module
 */
import { SOURCE_TABLES, type SourceTableName } from "../contract/mod.ts";
import type { Sql } from "../io/pg.ts";
import type { ObjectStore } from "../io/object_store.ts";
import type { ProgressCallback } from "../io/progress.ts";
import { textLineBatches } from "../io/lines.ts";
import { copyOutChunks } from "../io/copy_out.ts";
import { type IdRanges, idsBetween, rangesOf } from "../id_ranges.ts";
import { ingestObjectKey } from "../run/layout.ts";
import { IdSet } from "../transform/id_set.ts";
import { type CatalogColumn, changesCopySql } from "./catalog.ts";
import type { TableRead } from "./capture.ts";
import { DELETE_BUCKET_BITS, mismatchedBuckets } from "./deletions.ts";
import { copyLineLimit, jsonlChunks, JsonlStats } from "./jsonl.ts";
import {
  candidateByAgeSql,
  type CapturePosition,
  parseSnapshot,
  referenceXid,
  xidFromAgeSql,
} from "./xid.ts";

/** Where one table's read takes its rows from and puts them. */
export interface TableSource {
  /** A fresh one-connection client (see IngestOptions.copyConnection); ended after the read. */
  copy: Sql;
  /** The ingestion zone. */
  bucket: ObjectStore;
  /** The run's id: the object's name. */
  runId: string;
  /** The run's exported snapshot id (`pg_export_snapshot()`); null: the read's own snapshot (a chunk's). */
  exported: string | null;
  /** The source table read. */
  table: SourceTableName;
  /** Its columns now, in column order (the object's JSON keys). */
  columns: readonly CatalogColumn[];
  /** The run's snapshot's xmax. */
  xmax: number;
  /** Where the previous run stopped; null: read every row. */
  prev: CapturePosition | null;
  /** Called with the xid of each row read. */
  onXid: (xid: number) => void;
  /** Progress: as the table starts and every 8,192 rows. */
  onProgress?: ProgressCallback | undefined;
  /** A further SQL condition on the rows (a chunk's key range, lib/ingest/chunk_plan.ts), built from checked numbers. */
  range?: string | null;
  /** The object's key (default: the table's object of the run, `ingestObjectKey`). */
  key?: string;
}

/** Lists the keys of `expected` that ToteSys no longer holds: bucket counts first, then keys of odd buckets. */
export async function findDeleted(conn: Sql, table: SourceTableName, expected: IdRanges): Promise<IdRanges> {
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
export async function readTable(src: TableSource): Promise<TableRead> {
  const { copy, table, runId } = src;
  src.onProgress?.({ stage: "ingest", table, rows: 0, phase: "read", runId });
  try {
    const reference = await beginRead(copy, src);
    const conditions = [src.prev ? candidateByAgeSql(src.prev, reference) : null, src.range ?? null];
    const where = conditions.filter((c) => c !== null).join(" AND ") || null;
    const readable = await copy.unsafe(changesCopySql(table, src.columns, xidFromAgeSql(reference), where))
      .readable();
    return await writeObject(src, textLineBatches(copyOutChunks(readable), copyLineLimit(table)));
  } finally {
    await copy.end({ timeout: 0 });
  }
}

/**
 * Opens the read's transaction: on the run's exported snapshot, or (a chunk) on its own snapshot; in one round
 * trip with the reference age.
 * @returns the transaction's reference xid: ages are taken against it (see xid.ts referenceXid).
 */
async function beginRead(copy: Sql, src: TableSource): Promise<number> {
  if (src.exported !== null) return await beginInSnapshot(copy, src.exported, src.xmax);
  const results = await copy.unsafe(
    `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
    SELECT pg_current_snapshot()::text AS s, age('3'::xid)::int8 AS a`,
  ) as unknown as { s: string; a: string }[][];
  const row = results[results.length - 1]![0]!;
  return referenceXid(Number(row.a), parseSnapshot(row.s).xmax);
}

/**
 * Opens a transaction on `copy` in the run's exported snapshot (`pg_export_snapshot()`'s id; checked), in one round
 * trip with the reference age.
 * @param xmax the run's snapshot's xmax
 * @returns the transaction's reference xid (xid.ts referenceXid).
 */
export async function beginInSnapshot(copy: Sql, exported: string, xmax: number): Promise<number> {
  if (!/^[0-9A-F-]+$/i.test(exported)) throw new Error(`Unexpected snapshot id "${exported}"`);
  const results = await copy.unsafe(
    `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '${exported}';
    SELECT age('3'::xid)::int8 AS a`,
  ) as unknown as { a: string }[][];
  return referenceXid(Number(results[results.length - 1]![0]!.a), xmax);
}

/** Where a table's object goes: the parts of {@link TableSource} that writing it needs. */
export type ObjectTarget = Pick<TableSource, "bucket" | "runId" | "table" | "onXid" | "onProgress" | "key">;

/** Writes the table's object from its lines (COPY's text form, one by one or in batches); no object when there are no rows. */
export async function writeObject(
  src: ObjectTarget,
  lines: AsyncIterable<string | string[]>,
): Promise<TableRead> {
  const { table, runId } = src;
  const ids = new IdSet();
  const stats = new JsonlStats();
  const it = jsonlChunks(lines, stats, (pk, xid, rows) => {
    ids.add(pk);
    src.onXid(xid);
    if ((rows & 8191) === 0) src.onProgress?.({ stage: "ingest", table, rows, phase: "read", runId });
  }, { table });
  const first = await it.next();
  if (first.done) return { rows: 0, bytes: 0, object: null, candidates: [], maxLastUpdated: null };
  const key = src.key ?? ingestObjectKey(table, runId);
  await src.bucket.upload(
    key,
    (async function* () {
      yield first.value;
      yield* it;
    })(),
    "application/x-ndjson",
  );
  const { rows, bytes } = stats;
  return {
    rows,
    bytes,
    object: { key, rows, bytes, sha256: stats.sha256() },
    candidates: ids.toJSON(),
    maxLastUpdated: stats.maxLastUpdated,
  };
}
