/**
 * Facts that wait for their dimension rows (issue 4; docs/design.md section 5): the transform state remembers
 * every dimension key the warehouse holds (or will, once the runs are loaded), so a fact that references a key it
 * lacks is held back, quarantined as "waiting", instead of failing the load on a foreign key; each later run
 * releases the waiting rows whose dimension rows have arrived.
 *
 * @module
 */
import { SOURCE_TABLES, type SourceTableName, type WarehouseRow } from "../contract/mod.ts";
import { hasId, type IdRanges } from "../id_ranges.ts";
import { BadRowError } from "./bad_row.ts";
import { IdSet } from "./id_set.ts";
import type { TransformState, WaitingRow } from "./manifest.ts";
import { type Reference, SMALL_DIMENSIONS, type TrackedDimension } from "./rules/mod.ts";

/** The dimensions whose emitted keys the state remembers: the small ones and dim_transaction. */
export const TRACKED_DIMENSIONS: readonly TrackedDimension[] = [...SMALL_DIMENSIONS, "dim_transaction"];

/** A fact that references a dimension row the warehouse does not have (yet). */
export class MissingReferenceError extends BadRowError {
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

/**
 * The keys of each tracked dimension emitted so far, as {@link IdSet}s.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { EmittedKeys } from "./waiting.ts";
 * const keys = EmittedKeys.from({ run_id: "r1", emitted: { dim_currency: [[1, 2]] } })!;
 * assert.throws(() => keys.check("sales_order", 5, { currency_id: 3 }, [["currency_id", "dim_currency"]]),
 *   /references a dim_currency row the warehouse does not have/);
 * ```
 */
export class EmittedKeys {
  private constructor(private readonly sets: Record<TrackedDimension, IdSet>) {}

  /**
   * The keys a previous state recorded; `undefined` for a state written before `emitted` existed (it does not
   * know the keys, so the check stays off). The first run starts from no keys.
   */
  static from(prev: Pick<TransformState, "run_id" | "emitted">): EmittedKeys | undefined {
    if (prev.run_id !== null && !prev.emitted) return undefined;
    const sets = Object.fromEntries(TRACKED_DIMENSIONS.map((d) => [d, new IdSet(prev.emitted?.[d] ?? [])]));
    return new EmittedKeys(sets as Record<TrackedDimension, IdSet>);
  }

  /** Records a dimension key as emitted. */
  add(dim: TrackedDimension, key: number): void {
    this.sets[dim].add(key);
  }

  /**
   * Checks a fact row's references.
   *
   * @throws MissingReferenceError naming the source row, the column and the missing key.
   */
  check(source: string, key: number, row: WarehouseRow, references: readonly Reference[]): void {
    for (const [column, dim] of references) {
      const id = row[column] as number;
      if (!this.sets[dim].has(id)) throw new MissingReferenceError(source, key, column, id, dim);
    }
  }

  /** The keys as ranges per dimension, for the state. */
  toJSON(): Record<string, [number, number][]> {
    return Object.fromEntries(TRACKED_DIMENSIONS.map((d) => [d, this.sets[d].toJSON()]));
  }
}

/**
 * The rows waiting from earlier runs that may be released now: those of `source` that no newer version in this run
 * replaced (`seen`: their keys among this run's rows) and that were not deleted at the source (`deleted`) before
 * they could load.
 */
export function releasable(
  waiting: readonly WaitingRow[],
  source: SourceTableName,
  seen: ReadonlySet<unknown>,
  deleted: IdRanges,
): WaitingRow[] {
  const pk = SOURCE_TABLES[source].pk;
  return waiting.filter((w) =>
    w.source === source && !seen.has(w.row[pk]) && !hasId(deleted, w.row[pk] as number)
  );
}
