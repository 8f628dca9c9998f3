/**
 * The capture's decisions over plain data (issue 13: the pure core under the thin runner in `stage.ts`): where a
 * run starts from, whether a table can have lost rows and which keys must be searched, what a table's state and
 * manifest entry become, and the run's manifest. The protocol is issue 10's (lib/ingest/stage.ts's module doc):
 * the snapshot and the xids it saw give the position; deletions are found by counting.
 *
 * Nothing here reads ToteSys, the lake or the clock: times come in as values (epoch milliseconds, UTC).
 *
 * @module
 */
import type { SourceTableName } from "../contract/mod.ts";
import { countIds, type IdRanges, subtractRanges, unionRanges } from "../id_ranges.ts";
import type {
  CatalogColumn,
  IngestManifest,
  IngestState,
  ManifestTable,
  TableCaptureState,
} from "../run/manifest.ts";
import type { SchemaDrift } from "./catalog.ts";
import { deletionGuard } from "./deletions.ts";
import { type CapturePosition, parseSnapshot } from "./xid.ts";

/**
 * The capture position a state gives, or null when every row must be read (first run, version 1 state).
 *
 * @example
 * ```ts
 * import { capturePosition } from "./capture.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(capturePosition({ run_id: null, tables: {} }), null);
 * assert.deepEqual(
 *   capturePosition({ run_id: "r", version: 2, snapshot: "100:105:101", seen: [102], tables: {} }),
 *   { snapshot: { xmin: 100, xmax: 105, xip: [101] }, seen: [102] },
 * );
 * ```
 */
export function capturePosition(state: IngestState): CapturePosition | null {
  if (state.version !== 2 || !state.snapshot) return null;
  return { snapshot: parseSnapshot(state.snapshot), seen: state.seen ?? [] };
}

/**
 * The latest committed run: the newest well-formed manifest listed after the pointer, else the pointer's run.
 * (The pointer lags when a run died between its manifest and the pointer.)
 *
 * @param pointer the run id in `_state/ingest/current.json`, or undefined when there is none
 * @param newer run ids of the manifests listed after the pointer's, in key order (stray keys already dropped)
 * @returns the run id, or null before the first run.
 *
 * @example
 * ```ts
 * import { latestRunId } from "./capture.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(latestRunId("a", ["b", "c"]), "c");
 * assert.equal(latestRunId("a", []), "a");
 * assert.equal(latestRunId(undefined, []), null);
 * ```
 */
export function latestRunId(pointer: string | undefined, newer: readonly string[]): string | null {
  return newer.length > 0 ? newer[newer.length - 1]! : pointer ?? null;
}

/**
 * The later of two timestamp texts (`YYYY-MM-DD HH:MM:SS.ffffff`, which sort as text; null-safe).
 *
 * @example
 * ```ts
 * import { laterOf } from "./capture.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(laterOf("2026-11-30 09:00:00.000001", "2026-11-30 09:00:00.000000"), "2026-11-30 09:00:00.000001");
 * assert.equal(laterOf(null, "2026-11-30 09:00:00.000000"), "2026-11-30 09:00:00.000000");
 * ```
 */
export function laterOf(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return b > a ? b : a;
}

/**
 * The keys a table must hold at this snapshot when nothing was deleted: the previous live keys plus this run's
 * candidates (every row live now was live before or is a candidate). Null when deletions cannot be found: no
 * version 2 position, or no live keys recorded for the table.
 *
 * @param counted the table's row count at this snapshot
 * @returns the expected keys and how many of them are gone (`counted` below their count); search for them only
 *   when `missing > 0`.
 * @throws Error when the table holds more rows than expected: the lake's state belongs to another database.
 *
 * @example
 * ```ts
 * import { expectedLive } from "./capture.ts";
 * import assert from "node:assert/strict";
 *
 * const position = { snapshot: { xmin: 1, xmax: 2, xip: [] }, seen: [] };
 * const before = { columns: [], live: [[1, 10]] as [number, number][] };
 * assert.deepEqual(expectedLive("staff", position, before, [[11, 12]], 10), { expected: [[1, 12]], missing: 2 });
 * assert.equal(expectedLive("staff", null, before, [], 10), null);
 * assert.throws(() => expectedLive("staff", position, before, [], 11), /does not belong to this database/);
 * ```
 */
export function expectedLive(
  table: SourceTableName,
  prev: CapturePosition | null,
  before: TableCaptureState | undefined,
  candidates: IdRanges,
  counted: number,
): { expected: IdRanges; missing: number } | null {
  if (!prev || !before?.live) return null;
  const expected = unionRanges(before.live, candidates);
  const want = countIds(expected);
  if (counted > want) {
    throw new Error(
      `ToteSys table ${table} has ${counted} rows but the capture state accounts for ${want}: ` +
        `the ingestion bucket's state does not belong to this database`,
    );
  }
  return { expected, missing: want - counted };
}

/**
 * The live keys after the run: the expected keys without the deleted ones, once the mass-delete guard let them
 * through (lib/ingest/deletions.ts).
 *
 * @throws Error from the guard when more than `maxDeleteShare` of the expected keys were deleted.
 *
 * @example
 * ```ts
 * import { liveAfter } from "./capture.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(liveAfter("staff", [[1, 20]], [[5, 5]], 0.1), [[1, 4], [6, 20]]);
 * assert.throws(() => liveAfter("staff", [[1, 20]], [[1, 3]], 0.1), /3 of 20 staff rows/);
 * ```
 */
export function liveAfter(
  table: SourceTableName,
  expected: IdRanges,
  deleted: IdRanges,
  maxDeleteShare: number,
): IdRanges {
  deletionGuard(table, countIds(deleted), countIds(expected), maxDeleteShare);
  return subtractRanges(expected, deleted);
}

/** What a table's read gave: the object written, its candidate keys and the freshest `last_updated`. */
export interface TableRead {
  /** Rows written (changed since the previous run). */
  rows: number;
  /** Bytes of the object written (UTF-8 JSON Lines). */
  bytes: number;
  /** The object written, or null when there were no rows (then nothing is written). */
  object: ManifestTable["object"];
  /** Keys of the rows read (changed since the previous run), as ranges. */
  candidates: IdRanges;
  /** The newest `last_updated` among the rows read (text, microseconds), or null. */
  maxLastUpdated: string | null;
}

/** Everything known about one table at the end of its capture. */
export interface TableCaptureInput {
  /** The table's columns now (lib/ingest/catalog.ts). */
  columns: CatalogColumn[];
  /** The table's state after the previous run, or undefined before its first read. */
  before: TableCaptureState | undefined;
  /** The column changes since the previous run (`checkSchemaDrift`). */
  drift: SchemaDrift;
  /** What the table's read wrote. */
  read: TableRead;
  /** Rows the table holds at the snapshot. */
  liveRows: number;
  /** The live keys after the run (the candidates when deletions cannot be found). */
  live: IdRanges;
  /** The keys found deleted since the previous run (empty when none, or when they cannot be found). */
  deleted: IdRanges;
  /** The previous run's snapshot text, or null on a first read. */
  previousSnapshot: string | null;
  /** This run's snapshot text (`xmin:xmax:xip,...`). */
  snapshot: string;
}

/**
 * A table's next capture state, manifest entry and counts (for the run's result). The freshness
 * (`max_last_updated`) only moves forward; empty deletion and drift lists are left out of the manifest.
 *
 * @example
 * ```ts
 * import { tableCapture } from "./capture.ts";
 * import assert from "node:assert/strict";
 *
 * const out = tableCapture({
 *   columns: [{ name: "staff_id", type: "integer" }],
 *   before: undefined,
 *   drift: { added: [], dropped: [], retyped: [] },
 *   read: { rows: 0, bytes: 0, object: null, candidates: [], maxLastUpdated: null },
 *   liveRows: 0,
 *   live: [],
 *   deleted: [],
 *   previousSnapshot: null,
 *   snapshot: "100:100:",
 * });
 * assert.equal(out.manifest.watermark, "100:100:");
 * assert.deepEqual(out.counts, { rows: 0, bytes: 0 });
 * ```
 */
export function tableCapture(input: TableCaptureInput): {
  state: TableCaptureState;
  manifest: ManifestTable;
  counts: { rows: number; bytes: number; deleted?: number };
} {
  const { read, drift, deleted } = input;
  const deletedCount = countIds(deleted);
  const maxLastUpdated = laterOf(input.before?.max_last_updated ?? null, read.maxLastUpdated);
  return {
    state: { columns: input.columns, live: input.live, max_last_updated: maxLastUpdated },
    manifest: {
      previous_watermark: input.previousSnapshot,
      watermark: input.snapshot,
      object: read.object,
      ...(deletedCount > 0 ? { deleted } : {}),
      live_rows: input.liveRows,
      max_last_updated: maxLastUpdated,
      columns: input.columns,
      added_columns: drift.added,
      ...(drift.dropped.length > 0 ? { dropped_columns: drift.dropped } : {}),
      ...(drift.retyped.length > 0 ? { retyped_columns: drift.retyped } : {}),
    },
    counts: { rows: read.rows, bytes: read.bytes, ...(deletedCount ? { deleted: deletedCount } : {}) },
  };
}

/** The run's times: epoch milliseconds (UTC) from the runner's clock, and the ToteSys clock at the snapshot. */
export interface RunTimes {
  /** When the run started (epoch milliseconds, UTC). */
  started: number;
  /** When the run finished writing its data (epoch milliseconds, UTC). */
  finished: number;
  /** `YYYY-MM-DD HH:MM:SS.ffffff` (UTC). */
  snapshotAt: string;
}

/**
 * The manifest of a run (version 2) that started from `previous`.
 *
 * @example
 * ```ts
 * import { runManifest } from "./capture.ts";
 * import assert from "node:assert/strict";
 *
 * const m = runManifest("r2", "r1", { started: 0, finished: 1500, snapshotAt: "1970-01-01 00:00:00.000000" }, "capture", {} as never);
 * assert.equal(m.started_at, "1970-01-01T00:00:00.000Z");
 * assert.equal(m.finished_at, "1970-01-01T00:00:01.500Z");
 * assert.equal(m.previous_run_id, "r1");
 * ```
 */
export function runManifest(
  runId: string,
  previous: string | null,
  times: RunTimes,
  purpose: "capture" | "repair",
  tables: Record<SourceTableName, ManifestTable>,
): IngestManifest {
  return {
    kind: "ingest",
    version: 2,
    run_id: runId,
    previous_run_id: previous,
    started_at: new Date(times.started).toISOString(),
    finished_at: new Date(times.finished).toISOString(),
    snapshot_at: times.snapshotAt,
    purpose,
    tables,
  };
}

/**
 * The newest `last_updated` (UTC text, or null when unknown) of each table of a capture state: what the freshness
 * metric compares with the clock.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { newestChanges } from "./capture.ts";
 * const state = { run_id: "r1", tables: { currency: { max_last_updated: "2022-11-03 14:20:49.962000" } } };
 * assert.deepEqual(newestChanges(state as never), { currency: "2022-11-03 14:20:49.962000" });
 * ```
 */
export function newestChanges(state: IngestState): Partial<Record<SourceTableName, string | null>> {
  return Object.fromEntries(Object.entries(state.tables).map(([t, s]) => [t, s?.max_last_updated ?? null]));
}
