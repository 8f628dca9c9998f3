/**
 * A repair run's decisions over plain data (issue 11; issue 13's pure core under `repair.ts`): which keys to read,
 * which of them became deletions, what the live keys become, and the run's clock text. A repair does not move the
 * capture position: the state is the previous run's, with the live keys corrected.
 *
 * @module
 */
import type { SourceTableName } from "../contract/mod.ts";
import { countIds, type IdRanges, rangesOf, subtractRanges, unionRanges } from "../id_ranges.ts";
import type { CatalogColumn, IngestState, ManifestTable, TableCaptureState } from "../run/manifest.ts";
import { deletionGuard } from "./deletions.ts";

/** Per source table: keys whose current row to re-read, keys to record deleted. */
export type RepairKeys = Partial<Record<SourceTableName, { reread: number[]; deleted: number[] }>>;

/**
 * The keys a repair reads for a table, ascending and once each (the keys to re-read and the keys said deleted:
 * a key said deleted that ToteSys still has is re-read instead).
 *
 * @returns `[]` when there is nothing to repair in the table.
 * @throws Error naming the table and key when a key is not a safe integer.
 *
 * @example
 * ```ts
 * import { repairIds } from "./repair_plan.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(repairIds("staff", { reread: [9, 2], deleted: [2, 5] }), [2, 5, 9]);
 * assert.deepEqual(repairIds("staff", undefined), []);
 * assert.throws(() => repairIds("staff", { reread: [1.5], deleted: [] }), /Invalid staff key 1.5/);
 * ```
 */
export function repairIds(table: SourceTableName, want: RepairKeys[SourceTableName]): number[] {
  if (!want) return [];
  const ids = [...new Set([...want.reread, ...want.deleted])].sort((a, b) => a - b);
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new Error(`Invalid ${table} key ${id}`);
  return ids;
}

/**
 * A table's manifest entry before its rows are read: the previous run's position (unmoved) and columns.
 *
 * @example
 * ```ts
 * import { repairEntry } from "./repair_plan.ts";
 * import assert from "node:assert/strict";
 *
 * const entry = repairEntry({ run_id: "r1", version: 2, snapshot: "10:12:", tables: {} }, "staff");
 * assert.equal(entry.watermark, "10:12:");
 * assert.equal(entry.object, null);
 * ```
 */
export function repairEntry(state: IngestState, table: SourceTableName): ManifestTable {
  return {
    previous_watermark: state.snapshot ?? null,
    watermark: state.snapshot ?? null,
    object: null,
    columns: state.tables[table]?.columns ?? [],
    added_columns: [],
  };
}

/**
 * The outcome of reading a table's repair keys: the keys ToteSys no longer has are deletions (guarded as in a
 * capture run, so a repair cannot empty the warehouse of a mis-restored ToteSys), and the corrected state.
 *
 * @param ids the keys read ({@link repairIds})
 * @param found the keys ToteSys returned
 * @returns the deleted keys, and the table's next state (undefined when the previous state had no live keys: it
 *   is kept as it was).
 * @throws Error from the mass-delete guard.
 *
 * @example
 * ```ts
 * import { repairOutcome } from "./repair_plan.ts";
 * import assert from "node:assert/strict";
 *
 * const before = { columns: [], live: [[1, 100]] as [number, number][] };
 * const out = repairOutcome("staff", before, [5, 101, 102], new Set([5, 101]), 0.1);
 * assert.deepEqual(out.gone, [[102, 102]]);
 * assert.deepEqual(out.state?.live, [[1, 101]]);
 * ```
 */
export function repairOutcome(
  table: SourceTableName,
  before: TableCaptureState | undefined,
  ids: readonly number[],
  found: ReadonlySet<number>,
  maxDeleteShare: number,
): { gone: IdRanges; state: TableCaptureState | undefined } {
  const gone = rangesOf(ids.filter((id) => !found.has(id)));
  const live = before?.live;
  deletionGuard(table, countIds(gone), live ? countIds(live) : found.size, maxDeleteShare);
  if (!live) return { gone, state: undefined };
  const columns: CatalogColumn[] = before?.columns ?? [];
  return {
    gone,
    state: { ...before, columns, live: subtractRanges(unionRanges(live, rangesOf(found)), gone) },
  };
}

/**
 * The `snapshot_at` of a repair run: its start (epoch milliseconds, UTC) as `YYYY-MM-DD HH:MM:SS.ffffff`.
 *
 * @example
 * ```ts
 * import { repairSnapshotAt } from "./repair_plan.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(repairSnapshotAt(Date.UTC(2026, 10, 30, 9, 0, 0, 123)), "2026-11-30 09:00:00.123000");
 * ```
 */
export function repairSnapshotAt(epochMs: number): string {
  return new Date(epochMs).toISOString().replace("T", " ").replace("Z", "000");
}
