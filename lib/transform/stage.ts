/**
 * The transform stage's runner: one ingest run's changes in, the star schema's rows for that run out, as Parquet
 * in the processed zone, then the transform manifest (issue 4; docs/design.md sections 3 to 5). The decisions are
 * the pure core's (run_core.ts, chain.ts); this file only reads and writes objects through the {@link Bucket}
 * adapter and logs.
 *
 * Output depends only on the ingestion zone, so a re-run or two concurrent runs write byte-identical objects.
 * Memory: the small source tables (address, currency, department, design, payment_type, counterparty, staff)
 * are read whole; the big ones (sales_order, purchase_order, payment, transaction) are streamed line by line into
 * the Parquet writer, which holds one row group at a time, and on to a multipart upload (writer.ts).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { SourceTableName, WarehouseTableName } from "../contract/mod.ts";
import {
  committedRunIds,
  earlierPending,
  type IngestManifest,
  ingestManifestKey,
  tableObjects,
} from "../run/mod.ts";
import { jsonLines } from "../io/lines.ts";
import { log } from "../io/log.ts";
import type { ProgressCallback } from "../io/progress.ts";
import type { Bucket } from "../io/s3.ts";
import type { BadRowPolicy } from "./bad_row.ts";
import { chainStart } from "./chain.ts";
import type { SupersedingRuns } from "./failures.ts";
import { transformManifestKey, type TransformState, transformStateKey } from "./manifest.ts";
import { SMALL_SOURCES, type SmallChanges } from "./reference.ts";
import { RULES, SMALL_DIMENSIONS, type SourceRow, STREAMED_TABLES } from "./rules/mod.ts";
import { RunCore } from "./run_core.ts";
import { RunWriter } from "./writer.ts";
import { prepareParquetWasm } from "../parquet/mod.ts";
import { withExternalMemoryWatch } from "../io/external_memory.ts";

/**
 * What the transform needs of an object store: lib/io/s3.ts's {@link Bucket} has it, and a test may pass an
 * in-memory one. `stream` of a missing key throws an error named `NoSuchKey`.
 */
export type TransformStore = Pick<Bucket, "put" | "upload" | "stream" | "getJson" | "list">;

/** What reading the ingestion zone's objects needs. */
type Readable = Pick<TransformStore, "stream">;

/** Inputs of {@link runTransform}. */
export interface TransformOptions {
  /** The ingestion zone (read only). */
  ingestion: TransformStore;
  /** The processed zone. */
  processed: TransformStore;
  /** The ingest run to transform. */
  runId: string;
  /** What a bad row does (default `fail`). */
  badRows?: BadRowPolicy;
  /** Progress: called as each table starts and every 8,192 rows written (lib/io/progress.ts). */
  onProgress?: ProgressCallback;
  /**
   * A monotonic clock in milliseconds (main/ gives `() => performance.now()`), used only for the run's duration in
   * the log; without it the log leaves the duration out.
   */
  clock?: () => number;
}

/** Outcome of transforming one run. */
export interface TransformResult {
  runId: string;
  manifestKey: string;
  /** Rows written per warehouse table. */
  tables: Partial<Record<WarehouseTableName, number>>;
  quarantined: number;
  /** Earlier runs that had to be transformed first (oldest first). */
  caughtUp: string[];
}

/**
 * Reads a JSON Lines object, checking its SHA-256 against the manifest's once every line is parsed (so that a
 * truncated or altered line is named first: C5), and its size as its bytes arrive. The rows come straight from lib/io/lines.ts `jsonLines`, with no
 * generator of its own between (one step of promises per row less).
 */
function readJsonl(
  bucket: Readable,
  object: { key: string; sha256: string; bytes: number },
): AsyncGenerator<SourceRow> {
  const hash = createHash("sha256");
  const hashed = async function* () {
    let read = 0;
    try {
      for await (const chunk of bucket.stream(object.key)) {
        // bytes past the manifest's size are refused as they arrive: an unfinished line is held until its end,
        // and 300 MB appended without a newline filled the stage's heap (exit 133, naming nothing)
        if ((read += chunk.length) > object.bytes) {
          throw new Error(
            `Ingestion object ${object.key} is longer than the ${object.bytes} bytes its manifest says ` +
              `(at least ${read}): altered after the ingest wrote it`,
          );
        }
        hash.update(chunk);
        yield chunk;
      }
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === "NoSuchKey" || name === "NotFound") {
        throw new Error(`Ingestion object ${object.key} listed in the run's manifest is missing`, {
          cause: err,
        });
      }
      throw err;
    }
  };
  const checkDigest = () => {
    const digest = hash.digest("hex");
    if (digest !== object.sha256) {
      throw new Error(
        `Ingestion object ${object.key} has SHA-256 ${digest}, the manifest says ${object.sha256}`,
      );
    }
  };
  return jsonLines<SourceRow>(hashed(), `Ingestion object ${object.key}`, checkDigest);
}

/** Source objects under this size are read at once, as the run starts (an incremental run's are). */
const PREFETCH_OBJECT_BYTES = 1 << 20;

/**
 * The ingestion zone with the run's objects of `tables` under {@link PREFETCH_OBJECT_BYTES} being read at once
 * (one round trip for all instead of one per table); larger objects are streamed when their turn comes. A failed
 * read surfaces when its table is read.
 */
function prefetchSmall(bucket: Readable, m: IngestManifest, tables: SourceTableName[]): Readable {
  const reads = new Map<string, Promise<Uint8Array[]>>();
  for (const object of tables.flatMap((table) => tableObjects(m.tables[table]))) {
    if (object.bytes >= PREFETCH_OBJECT_BYTES || reads.has(object.key)) continue;
    const read = Array.fromAsync(bucket.stream(object.key));
    read.catch(() => {}); // thrown when its table awaits it
    reads.set(object.key, read);
  }
  return {
    stream: (key) => {
      const read = reads.get(key);
      return read
        ? (async function* () {
          yield* await read;
        })()
        : bucket.stream(key);
    },
  };
}

/** A source table's rows in a run: its objects' lines (a chunked run's parts in key order), or none. */
function sourceRows(bucket: Readable, m: IngestManifest, table: SourceTableName): AsyncGenerator<SourceRow> {
  const objects = tableObjects(m.tables[table]);
  if (objects.length === 1) return readJsonl(bucket, objects[0]!); // the usual case: no generator between
  return (async function* () {
    for (const object of objects) yield* readJsonl(bucket, object);
  })();
}

/** The run's changed rows of the small source tables, their objects read at once (a few round trips in one). */
async function readSmall(bucket: TransformStore, m: IngestManifest): Promise<SmallChanges> {
  const rows = await Promise.all(SMALL_SOURCES.map((table) => Array.fromAsync(sourceRows(bucket, m, table))));
  return Object.fromEntries(SMALL_SOURCES.map((table, i) => [table, rows[i]!])) as unknown as SmallChanges;
}

/** The ingest runs to transform, oldest first, ending with `runId`, and the state the first of them starts from. */
async function pendingRuns(
  ingestion: TransformStore,
  processed: TransformStore,
  runId: string,
): Promise<{ chain: IngestManifest[]; start: TransformState }> {
  const manifest = async (id: string) => {
    const m = await ingestion.getJson<IngestManifest>(ingestManifestKey(id));
    if (!m) throw new Error(`No ingest manifest for run "${id}" (${ingestManifestKey(id)})`);
    return m;
  };
  const run = await manifest(runId);
  const states = new Map<string, TransformState>();
  const isDone = async (id: string) => {
    const saved = await processed.getJson<TransformState>(transformStateKey(id));
    if (saved) states.set(id, saved);
    return saved !== undefined;
  };
  const chain = [...await earlierPending(run, { isDone, manifest }), run];
  const first = chain[0]!;
  const start = chainStart(first, states.get(first.previous_run_id ?? ""));
  if (!start) {
    throw new Error(
      `No transform state for run "${first.previous_run_id}", which run "${first.run_id}" follows`,
    );
  }
  return { chain, start };
}

/**
 * Transforms one ingest run (and any earlier run whose transform state is missing).
 *
 * @throws Error when the run's ingest manifest does not exist; {@link BadRowError} (policy `fail`) naming table,
 *   key, column and value; S3 errors. Nothing is committed for a run that fails (no manifest).
 */
export function runTransform(options: TransformOptions): Promise<TransformResult> {
  return withExternalMemoryWatch(() => runTransformWatched(options));
}

async function runTransformWatched(options: TransformOptions): Promise<TransformResult> {
  void prepareParquetWasm(); // compiles while the manifests and state are read
  const { chain, start } = await pendingRuns(options.ingestion, options.processed, options.runId);
  let state = start;
  let result: TransformResult | undefined;
  for (const m of chain) ({ state, result } = await transformOne(options, m, state));
  result!.caughtUp = chain.slice(0, -1).map((m) => m.run_id);
  if (result!.caughtUp.length > 0) {
    log("warn", "transform", "Transformed missing earlier runs first", { runs: result!.caughtUp });
  }
  return result!;
}

/** Feeds the later committed ingest runs to `superseding` (only when a row failed). */
async function readLaterRuns(
  ingestion: TransformStore,
  runId: string,
  superseding: SupersedingRuns,
): Promise<void> {
  if (superseding.wanted.size === 0) return;
  for (const id of await committedRunIds(ingestion, "ingest", runId)) {
    const later = await ingestion.getJson<IngestManifest>(ingestManifestKey(id));
    if (!later) continue;
    superseding.noteDeletions(later);
    for (const table of superseding.wanted.keys()) {
      for await (const row of sourceRows(ingestion, later, table)) {
        superseding.noteRow(later.run_id, table, row);
      }
    }
  }
}

async function transformOne(
  options: TransformOptions,
  m: IngestManifest,
  prev: TransformState,
): Promise<{ result: TransformResult; state: TransformState }> {
  const { ingestion, processed, clock } = options;
  const runId = m.run_id;
  const t0 = clock?.();
  log("info", "transform", "Run started", { run_id: runId, previous_run_id: m.previous_run_id });
  const core = new RunCore(m, prev, options.badRows ?? "fail", await readSmall(ingestion, m));
  const out = new RunWriter(processed, runId, options.onProgress);
  await prepareParquetWasm();
  for (const table of SMALL_DIMENSIONS) await out.table(table, core.dimensionRows(table));
  const sources = prefetchSmall(ingestion, m, STREAMED_TABLES.map((table) => RULES[table].source));
  for (const table of STREAMED_TABLES) {
    await out.table(table, core.streamRows(table, sourceRows(sources, m, RULES[table].source)));
  }
  core.closeWaiting();
  if (core.released > 0) {
    log("info", "transform", "Released rows that waited for their dimension rows", {
      run_id: runId,
      rows: core.released,
    });
  }
  const superseding = core.superseding();
  await readLaterRuns(ingestion, runId, superseding);
  core.settle(superseding);
  const dates = core.dateRows();
  if (dates) await out.table("dim_date", dates);
  const quarantine = await out.quarantine(core.quarantineObjects());
  await out.settled(); // every Parquet file written before the state and the manifest
  const state = core.state();
  await processed.put(transformStateKey(runId), JSON.stringify(state));
  const manifestKey = transformManifestKey(runId);
  await processed.put(manifestKey, JSON.stringify(core.transformManifest(out.files, quarantine), null, 1));
  const quarantined = Object.values(quarantine).reduce((a, f) => a + f.rows, 0);
  log("info", "transform", "Run committed", {
    run_id: runId,
    manifest: manifestKey,
    quarantined,
    ...(t0 === undefined ? {} : { ms: Math.round(clock!() - t0) }),
  });
  return { result: { runId, manifestKey, tables: out.counts, quarantined, caughtUp: [] }, state };
}
