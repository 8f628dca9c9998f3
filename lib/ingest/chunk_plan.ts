/**
 * A chunked first run's plan and commit over plain data (issue 15: a first run past one Lambda). The runner is
 * `chunks.ts`; this module reads nothing.
 *
 * A first run (no capture position) reads every row. Chunked, it is three steps:
 * 1. **plan** (one process, under the ingest lock): records the run's snapshot S0 (`pg_current_snapshot()`) before
 *    any chunk reads, each table's columns and key bounds, and splits every table into key ranges of at most
 *    `chunk_keys` keys (a table whose keys span fewer is one chunk; the first range is open below, the last open
 *    above, so a key inserted outside the bounds is still in a chunk);
 * 2. **chunks** (any number of processes or Lambdas, in any order, each retried freely): a chunk reads its key
 *    range in its own `REPEATABLE READ` snapshot (later than S0), writes its JSON Lines object at a key fixed by
 *    run, table and index, then its done marker. A chunk already marked done is skipped; a chunk that died before
 *    its marker is read again and overwrites its own object, so no row is written twice;
 * 3. **commit** (under the ingest lock): once every chunk is done, the run's state and manifest, exactly as an
 *    unchunked run commits them: one ordinary run for the transform and the load (a table read in several
 *    objects lists them as `parts`).
 *
 * Exactly once without one snapshot across processes: the run's capture position is S0 with an empty `seen`
 * set. Every row version a chunk reads was either visible at S0 (its xid below S0's xmin, or committed before S0)
 * or written after it; a row version written after S0 has an xid at or above S0's xmin and is a candidate of the
 * next run whether a chunk read it or not (read twice at most, and the load keeps one version per content). So
 * nothing committed after S0 is lost, nothing visible at S0 and still live is missed (each key range is read once
 * after S0), and the next run's count finds every key a chunk read that is gone since. `seen` must stay empty: a
 * chunk's later snapshot may have read an xid that S0 had not seen (in progress at S0, committed before the
 * chunk), and S0's in-progress list omits subtransactions, so no xid of S0's window may be claimed; the cost is
 * one more read of the rows written by transactions in that window (usually none).
 *
 * @module
 */
import { SOURCE_TABLE_NAMES, type SourceTableName } from "../contract/mod.ts";
import { type IdRanges, unionRanges } from "../id_ranges.ts";
import { runIdPartition } from "../run/run_id.ts";
import type {
  CatalogColumn,
  IngestManifest,
  IngestState,
  ManifestObject,
  ManifestTable,
} from "../run/manifest.ts";
import { laterOf, runManifest, tableCapture } from "./capture.ts";
import { checkSchemaDrift } from "./catalog.ts";

/** Keys per chunk by default: 250,000 (about 60 MB of JSON Lines and 10 s of one vCPU for sales orders). */
export const DEFAULT_CHUNK_KEYS = 250_000;

/** One chunk: a table's keys in `[lo, hi)`; null is unbounded. */
export interface ChunkSpec {
  table: SourceTableName;
  /** The chunk's index within its table, from 0, in key order. */
  index: number;
  lo: number | null;
  hi: number | null;
}

/** A chunked run's plan (`_state/ingest/chunked/<run_id>/plan.json`). */
export interface ChunkPlan {
  kind: "ingest-chunked";
  version: 1;
  run_id: string;
  /** The committed run the plan starts from (a version 1 state's run, or null before the first run). */
  previous_run_id: string | null;
  /** When the plan was made (epoch milliseconds, UTC): the run's start. */
  started: number;
  /** S0: the run's capture position (`xmin:xmax:xip,...`), taken before any chunk read. */
  snapshot: string;
  /** The ToteSys clock at S0 (`YYYY-MM-DD HH:MM:SS.ffffff`). */
  snapshot_at: string;
  chunk_keys: number;
  /** Every source table's columns at S0 (the chunks read these). */
  columns: Record<SourceTableName, CatalogColumn[]>;
  chunks: ChunkSpec[];
}

/** A chunk's done marker (`_state/ingest/chunked/<run_id>/done/<table>-<index>.json`). */
export interface ChunkDone {
  table: SourceTableName;
  index: number;
  rows: number;
  bytes: number;
  /** The object written, or null when the range held no row. */
  object: ManifestObject | null;
  /** The keys read. */
  candidates: IdRanges;
  max_last_updated: string | null;
}

/**
 * The committed run that overtook `plan` (`current` is the capture's run now, or null before any): the chunked run
 * can then never commit. Null while it still can (no run committed since the plan was made).
 *
 * @example
 * ```ts
 * import { type ChunkPlan, planOvertakenBy } from "./chunk_plan.ts";
 * const plan = { previous_run_id: null } as ChunkPlan;
 * if (planOvertakenBy(plan, null) !== null || planOvertakenBy(plan, "r2") !== "r2") throw new Error("wrong");
 * ```
 */
export function planOvertakenBy(plan: ChunkPlan, current: string | null): string | null {
  return current === plan.previous_run_id ? null : current;
}

/** Prefix of a chunked run's plan and markers (under `_state/`, which triggers nothing). */
export function chunkedPrefix(runId: string): string {
  return `_state/ingest/chunked/${runId}/`;
}

/** Key of a chunked run's plan. */
export function planKey(runId: string): string {
  return `${chunkedPrefix(runId)}plan.json`;
}

/**
 * Key of a chunk's done marker, and of its data object (fixed by run, table and index: a retry overwrites it).
 *
 * @example
 * ```ts
 * import { chunkDoneKey, chunkObjectKey } from "./chunk_plan.ts";
 * import assert from "node:assert/strict";
 *
 * const id = "20261130T084501123Z-0a1b2c";
 * assert.equal(chunkObjectKey("payment", id, 3), "payment/2026/11/30/20261130T084501123Z-0a1b2c-c00003.jsonl");
 * assert.equal(chunkDoneKey(id, "payment", 3), `_state/ingest/chunked/${id}/done/payment-00003.json`);
 * ```
 */
export function chunkDoneKey(runId: string, table: SourceTableName, index: number): string {
  return `${chunkedPrefix(runId)}done/${table}-${String(index).padStart(5, "0")}.json`;
}

/**
 * Key of a chunk's refusal: written when the chunk failed for good (a refused row or column: retrying cannot help),
 * with the error for `etl status`; a chunk done later (after the row was fixed, by `--resume`) makes it moot.
 *
 * @example
 * ```ts
 * import { chunkRefusedKey } from "./chunk_plan.ts";
 * import assert from "node:assert/strict";
 * const id = "20261130T084501123Z-0a1b2c";
 * assert.equal(chunkRefusedKey(id, "design", 0), `_state/ingest/chunked/${id}/refused/design-00000.json`);
 * ```
 */
export function chunkRefusedKey(runId: string, table: SourceTableName, index: number): string {
  return `${chunkedPrefix(runId)}refused/${table}-${String(index).padStart(5, "0")}.json`;
}

/** A chunk's refusal as {@link chunkRefusedKey} holds it. */
export interface ChunkRefusal {
  table: SourceTableName;
  index: number;
  /** The error's message (it names the table, key and what to fix). */
  error: string;
}

/** Key of a chunk's JSON Lines object (see {@link chunkDoneKey}). */
export function chunkObjectKey(table: SourceTableName, runId: string, index: number): string {
  return `${table}/${runIdPartition(runId)}/${runId}-c${String(index).padStart(5, "0")}.jsonl`;
}

/**
 * A table's chunks: ranges of `keys` keys from its smallest key, the first open below and the last open above.
 *
 * @param min the smallest key at S0, or null when the table is empty (one unbounded chunk)
 *
 * @example
 * ```ts
 * import { tableChunks } from "./chunk_plan.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(tableChunks("staff", null, null, 10), [{ table: "staff", index: 0, lo: null, hi: null }]);
 * assert.deepEqual(tableChunks("staff", 1, 25, 10).map((c) => [c.lo, c.hi]), [[null, 11], [11, 21], [21, null]]);
 * assert.equal(tableChunks("staff", 1, 10, 10).length, 1);
 * ```
 */
export function tableChunks(
  table: SourceTableName,
  min: number | null,
  max: number | null,
  keys: number,
): ChunkSpec[] {
  if (!Number.isSafeInteger(keys) || keys < 1) {
    throw new Error(`Chunk size must be a whole number >= 1, got ${keys}`);
  }
  if (min === null || max === null) return [{ table, index: 0, lo: null, hi: null }];
  const n = Math.max(1, Math.ceil((max - min + 1) / keys));
  return Array.from({ length: n }, (_, i) => ({
    table,
    index: i,
    lo: i === 0 ? null : min + i * keys,
    hi: i === n - 1 ? null : min + (i + 1) * keys,
  }));
}

/**
 * The SQL condition selecting a chunk's keys, or null for an unbounded chunk (numbers checked, no parameters).
 *
 * @example
 * ```ts
 * import { chunkRangeSql } from "./chunk_plan.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(chunkRangeSql("staff_id", { lo: 11, hi: 21 }), `"staff_id" >= 11 AND "staff_id" < 21`);
 * assert.equal(chunkRangeSql("staff_id", { lo: null, hi: null }), null);
 * ```
 */
export function chunkRangeSql(pk: string, c: Pick<ChunkSpec, "lo" | "hi">): string | null {
  const parts: string[] = [];
  for (const [op, v] of [[">=", c.lo], ["<", c.hi]] as const) {
    if (v === null) continue;
    if (!Number.isSafeInteger(v)) throw new Error(`Invalid chunk bound ${v}`);
    parts.push(`"${pk}" ${op} ${v}`);
  }
  return parts.length > 0 ? parts.join(" AND ") : null;
}

/** The state and manifest a chunked run commits, and its number of rows (0: nothing to commit). */
export interface ChunkedCommit {
  state: IngestState;
  manifest: IngestManifest;
  tables: Partial<Record<SourceTableName, { rows: number; bytes: number }>>;
  rows: number;
}

/**
 * The commit of a chunked run from its plan, the state it started from and every chunk's marker: per table the
 * union of the keys the chunks read (the live keys: no deletions on a first read), the objects in key order, and
 * the position S0 with an empty `seen` (module doc).
 *
 * @param finished when the commit runs (epoch milliseconds, UTC)
 * @throws Error when a chunk's marker is missing, or a needed column is gone from the plan's catalog.
 */
export function chunkedCommit(
  plan: ChunkPlan,
  before: IngestState,
  done: readonly ChunkDone[],
  finished: number,
): ChunkedCommit {
  const byKey = new Map(done.map((d) => [`${d.table}/${d.index}`, d]));
  const missing = plan.chunks.filter((c) => !byKey.has(`${c.table}/${c.index}`));
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((c) => `${c.table} #${c.index}`).join(", ");
    throw new Error(`Chunked run ${plan.run_id} has ${missing.length} chunk(s) not done yet (${names})`);
  }
  const state: IngestState = {
    run_id: plan.run_id,
    version: 2,
    snapshot: plan.snapshot,
    seen: [],
    tables: {},
  };
  const tables = {} as Record<SourceTableName, ManifestTable>;
  const counts: ChunkedCommit["tables"] = {};
  let rows = 0;
  for (const table of SOURCE_TABLE_NAMES) {
    const chunks = plan.chunks.filter((c) => c.table === table).map((c) => byKey.get(`${table}/${c.index}`)!);
    const out = tableOfChunks(plan, before, table, chunks);
    state.tables[table] = out.state;
    tables[table] = out.manifest;
    counts[table] = out.counts;
    rows += out.counts.rows;
  }
  const times = { started: plan.started, finished, snapshotAt: plan.snapshot_at };
  const manifest = runManifest(plan.run_id, before.run_id, times, "capture", tables);
  return { state, manifest, tables: counts, rows };
}

function tableOfChunks(plan: ChunkPlan, before: IngestState, table: SourceTableName, chunks: ChunkDone[]) {
  const columns = plan.columns[table];
  const objects = chunks.map((c) => c.object).filter((o) => o !== null);
  let candidates: IdRanges = [];
  let maxLastUpdated: string | null = null;
  for (const c of chunks) {
    candidates = unionRanges(candidates, c.candidates);
    maxLastUpdated = laterOf(maxLastUpdated, c.max_last_updated);
  }
  const read = {
    rows: chunks.reduce((a, c) => a + c.rows, 0),
    bytes: chunks.reduce((a, c) => a + c.bytes, 0),
    object: objects.length === 1 ? objects[0]! : null,
    candidates,
    maxLastUpdated,
  };
  const out = tableCapture({
    columns,
    before: before.tables[table],
    drift: checkSchemaDrift(table, columns, before.tables[table]?.columns),
    read,
    liveRows: read.rows,
    live: candidates,
    deleted: [],
    previousSnapshot: before.snapshot ?? null,
    snapshot: plan.snapshot,
  });
  if (objects.length > 1) out.manifest = { ...out.manifest, parts: objects };
  return out;
}
