/**
 * The transform stage: one ingest run's changes in, the star schema's rows for that run out, as Parquet in the
 * processed zone, then the transform manifest (issue 4; docs/design.md sections 3 to 5).
 *
 * Runs are chained: run N starts from the state written by run N's `previous_run_id`. When that state is missing
 * (an event delivered out of order, a failed transform), the missing runs are transformed first, oldest first.
 * Output depends only on the ingestion zone, so a re-run or two concurrent runs write byte-identical objects.
 *
 * Memory: the small source tables (address, currency, department, design, payment_type, counterparty, staff)
 * are read whole; the big ones (sales_order, purchase_order, payment, transaction) are streamed line by line into
 * the Parquet writer, which holds one row group at a time.
 *
 * @module
 */
import { createHash } from "node:crypto";
import {
  SOURCE_TABLES,
  type SourceTableName,
  WAREHOUSE_TABLES,
  type WarehouseRow,
  type WarehouseTableName,
} from "../contract/mod.ts";
import { INGEST_MANIFEST_PREFIX, type IngestManifest, ingestManifestKey } from "../ingest/manifest.ts";
import { jsonLines } from "../io/lines.ts";
import { log } from "../io/log.ts";
import type { ProgressCallback } from "../io/progress.ts";
import type { Bucket } from "../io/s3.ts";
import { encodeParquet } from "../parquet/mod.ts";
import { BadRowError, type BadRowPolicy, type QuarantineRecord, quarantineRecord } from "./bad_row.ts";
import { dateRangeCovering, dayAfter, dayBefore, dimDateRows, unionRange } from "./dim_date.ts";
import {
  applyReferenceChanges,
  dimCounterparty,
  dimCurrency,
  dimDesign,
  dimensionInputs,
  dimLocation,
  dimPaymentType,
  dimStaff,
  dimTransaction,
  EMPTY_REFERENCE_STATE,
  type SmallChanges,
} from "./dimensions.ts";
import { FACT_DATE_COLUMNS, FACT_RULES } from "./facts.ts";
import { IdSet } from "./id_set.ts";
import { hasId, type IdRanges, idsOf } from "../id_ranges.ts";
import {
  type ManifestFile,
  parquetKey,
  quarantineKey,
  type TransformManifest,
  transformManifestKey,
  type TransformState,
  transformStateKey,
  type WaitingRow,
} from "./manifest.ts";
import type { SourceRow } from "./values.ts";

/** Inputs of {@link runTransform}. */
export interface TransformOptions {
  ingestion: Bucket;
  processed: Bucket;
  /** The ingest run to transform. */
  runId: string;
  /** What a bad row does (default `fail`). */
  badRows?: BadRowPolicy;
  /** Progress: called as each table starts and every 8,192 rows written (lib/io/progress.ts). */
  onProgress?: ProgressCallback;
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

const INITIAL_STATE: TransformState = {
  run_id: null,
  reference: EMPTY_REFERENCE_STATE,
  date_range: null,
  emitted: {},
};

/** Reads a JSON Lines object, checking its SHA-256 against the manifest's. */
async function* readJsonl(
  bucket: Bucket,
  object: { key: string; sha256: string },
): AsyncGenerator<SourceRow> {
  const hash = createHash("sha256");
  const hashed = (async function* () {
    try {
      for await (const chunk of bucket.stream(object.key)) {
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
  })();
  yield* jsonLines<SourceRow>(hashed, `Ingestion object ${object.key}`);
  const digest = hash.digest("hex");
  if (digest !== object.sha256) {
    throw new Error(
      `Ingestion object ${object.key} has SHA-256 ${digest}, the manifest says ${object.sha256}`,
    );
  }
}

async function readAll(bucket: Bucket, m: IngestManifest, table: SourceTableName): Promise<SourceRow[]> {
  const object = m.tables[table]?.object;
  if (!object) return [];
  const rows: SourceRow[] = [];
  for await (const row of readJsonl(bucket, object)) rows.push(row);
  return rows;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Transforms one ingest run (and any earlier run whose transform state is missing).
 *
 * @throws Error when the run's ingest manifest does not exist; {@link BadRowError} (policy `fail`) naming table,
 *   key, column and value; S3 errors. Nothing is committed for a run that fails (no manifest).
 */
export async function runTransform(options: TransformOptions): Promise<TransformResult> {
  const { ingestion, processed, runId } = options;
  const chain: IngestManifest[] = [];
  let id: string | null = runId;
  let prevState: TransformState | undefined;
  while (id !== null) {
    const m: IngestManifest | undefined = await ingestion.getJson<IngestManifest>(ingestManifestKey(id));
    if (!m) throw new Error(`No ingest manifest for run "${id}" (${ingestManifestKey(id)})`);
    chain.push(m);
    if (m.previous_run_id === null) {
      prevState = INITIAL_STATE;
      break;
    }
    prevState = await processed.getJson<TransformState>(transformStateKey(m.previous_run_id));
    if (prevState) break;
    id = m.previous_run_id;
  }
  chain.reverse();
  let state = prevState ?? INITIAL_STATE;
  let result: TransformResult | undefined;
  for (const m of chain) {
    const out = await transformOne(
      ingestion,
      processed,
      m,
      state,
      options.badRows ?? "fail",
      options.onProgress,
    );
    state = out.state;
    result = out.result;
  }
  result!.caughtUp = chain.slice(0, -1).map((m) => m.run_id);
  if (result!.caughtUp.length > 0) {
    log("warn", "transform", "Transformed missing earlier runs first", { runs: result!.caughtUp });
  }
  return result!;
}

/** A bad row met under the `fail` policy, kept until the end of the run to see whether a later run fixed it. */
interface Failure {
  source: SourceTableName;
  error: BadRowError;
  row: SourceRow;
}

/**
 * Which failed rows a later committed ingest run supersedes (a newer version of the same source row): under the
 * `fail` policy those are quarantined instead of stopping the pipeline, because the fix is already on its way.
 */
/**
 * The source rows whose newer version fixes a failure: the failed row itself, and the row its error names when
 * that is another table's (a department's NULL location failing its staff's dim_staff rows, C8): a later version
 * of the department re-emits every staff row of it.
 */
function failureKeys(f: Failure): [SourceTableName, number][] {
  const keys: [SourceTableName, number][] = [];
  const pk = f.row[SOURCE_TABLES[f.source].pk];
  if (typeof pk === "number") keys.push([f.source, pk]);
  const named = f.error.table as SourceTableName;
  if (named !== f.source && named in SOURCE_TABLES && typeof f.error.key === "number") {
    keys.push([named, f.error.key]);
  }
  return keys;
}

async function supersededKeys(
  ingestion: Bucket,
  runId: string,
  failures: readonly Failure[],
): Promise<Map<string, string>> {
  const wanted = new Map<SourceTableName, Set<number>>();
  for (const f of failures) {
    for (const [table, pk] of failureKeys(f)) wanted.set(table, (wanted.get(table) ?? new Set()).add(pk));
  }
  const found = new Map<string, string>();
  for (const key of await ingestion.list(INGEST_MANIFEST_PREFIX, ingestManifestKey(runId))) {
    const later = await ingestion.getJson<IngestManifest>(key);
    if (!later) continue;
    for (const [table, pks] of wanted) {
      // a later deletion of the row supersedes it too: it will never come back fixed
      for (const pk of pks) {
        if (hasId(later.tables[table]?.deleted ?? [], pk) && !found.has(`${table}|${pk}`)) {
          found.set(`${table}|${pk}`, later.run_id);
        }
      }
      const object = later.tables[table]?.object;
      if (!object) continue;
      for await (const row of readJsonl(ingestion, object)) {
        const pk = row[SOURCE_TABLES[table].pk] as number;
        if (pks.has(pk) && !found.has(`${table}|${pk}`)) found.set(`${table}|${pk}`, later.run_id);
      }
    }
  }
  return found;
}

async function transformOne(
  ingestion: Bucket,
  processed: Bucket,
  m: IngestManifest,
  prev: TransformState,
  policy: BadRowPolicy,
  progress?: ProgressCallback,
): Promise<{ result: TransformResult; state: TransformState }> {
  const runId = m.run_id;
  const t0 = performance.now();
  log("info", "transform", "Run started", { run_id: runId, previous_run_id: m.previous_run_id });
  const quarantine = new Map<string, QuarantineRecord[]>();
  const quarantineRow = (source: SourceTableName, record: QuarantineRecord) => {
    const list = quarantine.get(source) ?? [];
    list.push(record);
    quarantine.set(source, list);
  };
  const failures: Failure[] = [];
  const guard = <T>(sourceTable: SourceTableName, row: SourceRow, build: () => T): T | undefined => {
    try {
      return build();
    } catch (err) {
      if (!(err instanceof BadRowError) || err instanceof MissingReferenceError) throw err;
      if (policy === "fail") failures.push({ source: sourceTable, error: err, row });
      else quarantineRow(sourceTable, quarantineRecord(err, row));
      return undefined;
    }
  };

  const small: SmallChanges = {
    address: await readAll(ingestion, m, "address"),
    department: await readAll(ingestion, m, "department"),
    staff: await readAll(ingestion, m, "staff"),
    counterparty: await readAll(ingestion, m, "counterparty"),
    currency: await readAll(ingestion, m, "currency"),
    design: await readAll(ingestion, m, "design"),
    payment_type: await readAll(ingestion, m, "payment_type"),
  };
  // Deletions found by the ingest: the reference rows go, the warehouse rows are marked (see the manifest).
  const deletedIds = (source: SourceTableName) => idsOf(m.tables[source]?.deleted ?? []);
  const reference = applyReferenceChanges(prev.reference, small, {
    address: deletedIds("address"),
    department: deletedIds("department"),
    staff: deletedIds("staff"),
    counterparty: deletedIds("counterparty"),
  });
  const deletions: Partial<Record<WarehouseTableName, IdRanges>> = {};
  for (const [source, target] of Object.entries(DELETION_TARGETS)) {
    const ranges = m.tables[source as SourceTableName]?.deleted ?? [];
    if (ranges.length > 0) deletions[target] = ranges;
  }
  const inputs = dimensionInputs(reference, small);
  const builders: Record<SmallDimension, [SourceTableName, (r: SourceRow) => WarehouseRow]> = {
    dim_location: ["address", (r) => dimLocation(r, runId)],
    dim_currency: ["currency", (r) => dimCurrency(r, runId)],
    dim_design: ["design", (r) => dimDesign(r, runId)],
    dim_payment_type: ["payment_type", (r) => dimPaymentType(r, runId)],
    dim_staff: ["staff", (r) => dimStaff(r, reference, runId)],
    dim_counterparty: ["counterparty", (r) => dimCounterparty(r, reference, runId)],
  };
  const files: Partial<Record<WarehouseTableName, ManifestFile>> = {};
  const counts: Partial<Record<WarehouseTableName, number>> = {};

  const write = async (
    table: WarehouseTableName,
    rows: Iterable<WarehouseRow> | AsyncIterable<WarehouseRow>,
  ) => {
    let n = 0;
    progress?.({ stage: "transform", table, rows: 0, phase: "write", runId });
    const counted = (async function* () {
      for await (const r of rows) {
        n++;
        if ((n & 8191) === 0) progress?.({ stage: "transform", table, rows: n, phase: "write", runId });
        yield r;
      }
    })();
    const bytes = await encodeParquet(WAREHOUSE_TABLES[table].columns, counted);
    counts[table] = n;
    if (n === 0) return;
    const key = parquetKey(table, runId);
    await processed.put(key, bytes, "application/vnd.apache.parquet");
    files[table] = { key, rows: n, bytes: bytes.length, sha256: sha256(bytes) };
    log("info", "transform", "Table written", { run_id: runId, table, rows: n, bytes: bytes.length });
  };

  // The dimensions. `emitted` records every key the warehouse holds (or will, once this run loads), so a fact
  // that references a key it lacks waits for it (below) rather than fail the load on a foreign key. States written
  // before `emitted` existed do not know the keys: for them the check stays off.
  const emitted = prev.run_id === null || prev.emitted ? emittedSets(prev.emitted) : undefined;
  for (const table of SMALL_DIMENSIONS) {
    const [source, build] = builders[table];
    const rows: WarehouseRow[] = [];
    for (const r of inputs[table] ?? []) {
      const out = guard(source, r, () => build(r));
      if (!out) continue;
      rows.push(out);
      emitted?.[table].add(out[WAREHOUSE_TABLES[table].key] as number);
    }
    await write(table, rows);
  }

  // The big tables, streamed. Facts also record the dates dim_date must cover. A fact whose dimension row is
  // missing (quarantined, or not arrived) is quarantined as "waiting" and kept in the state; each later run
  // releases the waiting rows whose dimension rows have arrived, unless a newer version of the fact came first.
  let minDate: string | null = null;
  let maxDate: string | null = null;
  const waiting: WaitingRow[] = [];
  let released = 0;
  const checkReferences = (source: SourceTableName, r: SourceRow, row: WarehouseRow, target: string) => {
    for (const [column, dim] of emitted ? FACT_REFERENCES[target] ?? [] : []) {
      const id = row[column] as number;
      if (!emitted![dim].has(id)) {
        throw new MissingReferenceError(source, r[SOURCE_TABLES[source].pk] as number, column, id, dim);
      }
    }
  };
  const stream = async function* (
    source: SourceTableName,
    target: WarehouseTableName,
    build: (r: SourceRow) => WarehouseRow,
    dates: readonly string[],
  ) {
    const pk = SOURCE_TABLES[source].pk;
    // Only the keys of rows waiting from earlier runs need watching (a newer version drops the waiting one).
    const waitingKeys = new Set(
      (prev.waiting ?? []).filter((w) => w.source === source).map((w) => w.row[pk]),
    );
    const seen = new Set<unknown>();
    const emit = (out: WarehouseRow) => {
      for (const c of dates) {
        const d = out[c] as string;
        if (minDate === null || d < minDate) minDate = d;
        if (maxDate === null || d > maxDate) maxDate = d;
      }
      if (target === "dim_transaction") emitted?.dim_transaction.add(out.transaction_id as number);
      return out;
    };
    const object = m.tables[source]?.object;
    if (object) {
      for await (const r of readJsonl(ingestion, object)) {
        if (waitingKeys.size > 0 && waitingKeys.has(r[pk])) seen.add(r[pk]);
        let row: WarehouseRow | undefined;
        try {
          row = guard(source, r, () => {
            const built = build(r);
            checkReferences(source, r, built, target);
            return built;
          });
        } catch (err) {
          if (!(err instanceof MissingReferenceError)) throw err;
          waiting.push({ source, row: r, column: err.column, value: err.value, reason: err.message });
          continue;
        }
        if (row) yield emit(row);
      }
    }
    // Rows that waited for a dimension row: released when it has arrived, dropped when a newer version came.
    const gone = m.tables[source]?.deleted ?? [];
    for (const w of prev.waiting ?? []) {
      if (w.source !== source || seen.has(w.row[pk])) continue;
      if (hasId(gone, w.row[pk] as number)) continue; // deleted at the source before it could load
      try {
        const built = build(w.row);
        checkReferences(source, w.row, built, target);
        released++;
        yield emit(built);
      } catch (err) {
        if (!(err instanceof MissingReferenceError)) throw err;
        waiting.push(w);
      }
    }
  };
  await write(
    "dim_transaction",
    stream("transaction", "dim_transaction", (r) => dimTransaction(r, runId), []),
  );
  for (const [source, { target, rule }] of Object.entries(FACT_RULES)) {
    await write(target, stream(source as SourceTableName, target, rule, FACT_DATE_COLUMNS[target]!));
  }
  for (const w of waiting) {
    if ((prev.waiting ?? []).includes(w)) continue; // still waiting: quarantined when it first arrived
    quarantineRow(w.source, {
      source_table: w.source,
      key: w.row[SOURCE_TABLES[w.source].pk] as number,
      column: w.column,
      value: w.value,
      reason: `${w.reason}; waiting: it loads with the run that brings that row`,
      row: w.row,
    });
  }
  if (released > 0) {
    log("info", "transform", "Released rows that waited for their dimension rows", {
      run_id: runId,
      rows: released,
    });
  }

  // Under the `fail` policy a bad row stops the run, unless a later run already carries a newer version of it
  // (the fix made at the source): then it is quarantined and the pipeline goes on.
  if (failures.length > 0) {
    const superseded = await supersededKeys(ingestion, runId, failures);
    const by = (f: Failure) =>
      failureKeys(f).map(([t, k]) => superseded.get(`${t}|${k}`)).find((r) => r !== undefined);
    const open = failures.filter((f) => by(f) === undefined);
    if (open.length > 0) {
      const first = open[0]!.error;
      if (open.length > 1) first.message += ` (and ${open.length - 1} more bad row(s) in run ${runId})`;
      throw first;
    }
    for (const f of failures) {
      const record = quarantineRecord(f.error, f.row);
      record.reason += `; superseded by run ${by(f)}`;
      quarantineRow(f.source, record);
    }
  }

  // dim_date: contiguous whole years covering every fact date seen so far. Loads apply runs in order, so each run
  // writes only the days its dates add to the range (none in most runs).
  const dateRange = minDate !== null && maxDate !== null
    ? unionRange(prev.date_range, dateRangeCovering(minDate, maxDate))
    : prev.date_range;
  if (dateRange) await write("dim_date", newDateRows(prev.date_range, dateRange));

  const quarantineFiles: Record<string, ManifestFile> = {};
  for (const [source, records] of [...quarantine.entries()].sort()) {
    const bytes = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const key = quarantineKey(source, runId);
    await processed.put(key, bytes, "application/x-ndjson");
    quarantineFiles[source] = { key, rows: records.length, bytes: bytes.length, sha256: sha256(bytes) };
    log("warn", "transform", "Rows quarantined", {
      run_id: runId,
      source_table: source,
      rows: records.length,
      key,
    });
  }

  const ordered: Partial<Record<WarehouseTableName, ManifestFile>> = {};
  for (const name of Object.keys(WAREHOUSE_TABLES) as WarehouseTableName[]) {
    if (files[name]) ordered[name] = files[name];
  }
  const state: TransformState = {
    run_id: runId,
    reference,
    date_range: dateRange,
    ...(emitted
      ? { emitted: Object.fromEntries(TRACKED_DIMENSIONS.map((d) => [d, emitted[d].toJSON()])) }
      : {}),
    waiting,
  };
  const manifest: TransformManifest = {
    kind: "transform",
    version: 1,
    run_id: runId,
    previous_run_id: m.previous_run_id,
    ingest_manifest: ingestManifestKey(runId),
    tables: ordered,
    quarantine: quarantineFiles,
    date_range: dateRange,
    ...(Object.keys(deletions).length > 0
      ? { deletions, detected_at: m.snapshot_at ?? m.finished_at.replace("T", " ").replace("Z", "") }
      : {}),
    ...(m.purpose === "repair" ? { purpose: "repair" as const } : {}),
  };
  await processed.put(transformStateKey(runId), JSON.stringify(state));
  const manifestKey = transformManifestKey(runId);
  await processed.put(manifestKey, JSON.stringify(manifest, null, 1));
  const quarantined = Object.values(quarantineFiles).reduce((a, f) => a + f.rows, 0);
  log("info", "transform", "Run committed", {
    run_id: runId,
    manifest: manifestKey,
    quarantined,
    ms: Math.round(performance.now() - t0),
  });
  return { result: { runId, manifestKey, tables: counts, quarantined, caughtUp: [] }, state };
}

/** The warehouse table whose rows a source table's deleted keys name (department has none: it folds into staff). */
const DELETION_TARGETS: Partial<Record<SourceTableName, WarehouseTableName>> = {
  address: "dim_location",
  currency: "dim_currency",
  design: "dim_design",
  payment_type: "dim_payment_type",
  staff: "dim_staff",
  counterparty: "dim_counterparty",
  transaction: "dim_transaction",
  sales_order: "fact_sales_order",
  purchase_order: "fact_purchase_order",
  payment: "fact_payment",
};

/** The dimensions built from the small source tables, whose keys the transform state remembers. */
const SMALL_DIMENSIONS = [
  "dim_location",
  "dim_currency",
  "dim_design",
  "dim_payment_type",
  "dim_staff",
  "dim_counterparty",
] as const;
type SmallDimension = typeof SMALL_DIMENSIONS[number];

/** The dimensions whose emitted keys the state remembers: the small ones and dim_transaction. */
const TRACKED_DIMENSIONS = [...SMALL_DIMENSIONS, "dim_transaction"] as const;
type TrackedDimension = typeof TRACKED_DIMENSIONS[number];

function emittedSets(saved: TransformState["emitted"]): Record<TrackedDimension, IdSet> {
  return Object.fromEntries(TRACKED_DIMENSIONS.map((d) => [d, new IdSet(saved?.[d] ?? [])])) as Record<
    TrackedDimension,
    IdSet
  >;
}

/** A fact that references a dimension row the warehouse does not have (yet). */
class MissingReferenceError extends BadRowError {
  constructor(table: string, key: number, column: string, value: number, dim: string) {
    super(
      table,
      key,
      column,
      value,
      `references a ${dim} row the warehouse does not have (missing or quarantined)`,
    );
  }
}

/** The fact columns that reference a small dimension (warehouse DDL foreign keys). */
const FACT_REFERENCES: Record<string, readonly (readonly [string, TrackedDimension])[]> = {
  fact_sales_order: [
    ["sales_staff_id", "dim_staff"],
    ["counterparty_id", "dim_counterparty"],
    ["currency_id", "dim_currency"],
    ["design_id", "dim_design"],
    ["agreed_delivery_location_id", "dim_location"],
  ],
  fact_purchase_order: [
    ["staff_id", "dim_staff"],
    ["counterparty_id", "dim_counterparty"],
    ["currency_id", "dim_currency"],
    ["agreed_delivery_location_id", "dim_location"],
  ],
  fact_payment: [
    ["counterparty_id", "dim_counterparty"],
    ["currency_id", "dim_currency"],
    ["payment_type_id", "dim_payment_type"],
    ["transaction_id", "dim_transaction"],
  ],
};

/** The dim_date rows of `next` that `prev` lacks (ranges only grow): at most two stretches, in date order. */
function* newDateRows(prev: [string, string] | null, next: [string, string]): Generator<WarehouseRow> {
  if (!prev) {
    yield* dimDateRows(next[0], next[1]);
    return;
  }
  if (next[0] < prev[0]) yield* dimDateRows(next[0], dayBefore(prev[0]));
  if (next[1] > prev[1]) yield* dimDateRows(dayAfter(prev[1]), next[1]);
}
