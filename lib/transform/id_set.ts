/**
 * A set of integer keys stored as sorted, disjoint ranges: ToteSys keys are serials, so the keys a dimension
 * has emitted (a million transactions, say) compress to a handful of ranges in the transform state.
 *
 * @module
 */

import { hasId, type IdRanges, normaliseRanges } from "../id_ranges.ts";

export type { IdRanges };

/** A set of integers, cheap for dense runs of consecutive ids. */
export class IdSet {
  private readonly ranges: IdRanges;
  private readonly extra = new Set<number>();

  /** Starts from saved ranges (sorted and disjoint, as {@link IdSet.toJSON} writes them). */
  constructor(ranges: IdRanges = []) {
    this.ranges = ranges.map(([a, b]) => [a, b]);
  }

  /** Whether `id` is in the set. */
  has(id: number): boolean {
    return this.extra.has(id) || hasId(this.ranges, id);
  }

  /** Adds `id`; ids past the largest so far (the usual case) extend the last range in place. */
  add(id: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (!last || id > last[1] + 1) this.ranges.push([id, id]);
    else if (id === last[1] + 1) last[1] = id;
    else if (!this.has(id)) this.extra.add(id);
  }

  /** The set as sorted, disjoint, non-adjacent ranges. */
  toJSON(): IdRanges {
    return normaliseRanges([...this.ranges, ...[...this.extra].map((id): [number, number] => [id, id])]);
  }
}
