/**
 * A set of integer keys stored as sorted, disjoint ranges: ToteSys keys are serials, so the keys a dimension
 * has emitted (a million transactions, say) compress to a handful of ranges in the transform state.
 *
 * @module
 */

import { hasId, type IdRanges, normaliseRanges } from "../id_ranges.ts";

export type { IdRanges };

/** Ids added out of order that are held before they are merged into the ranges. */
const PENDING_IDS = 1 << 16;

/**
 * A set of integers, cheap for dense runs of consecutive ids, in whatever order they are added: an id past the
 * largest extends the ranges in place; an earlier one waits in a typed buffer (8 bytes each) that is sorted and
 * merged into the ranges when it fills or the set is read. (A `Set` of the out-of-order ids cost about 100 MB of
 * heap for a first run's 1.4M transactions, which ToteSys returns in no particular order.)
 */
export class IdSet {
  private ranges: IdRanges;
  private pending = new Float64Array(1024);
  private count = 0;

  /** Starts from saved ranges (sorted and disjoint, as {@link IdSet.toJSON} writes them). */
  constructor(ranges: IdRanges = []) {
    this.ranges = ranges.map(([a, b]) => [a, b]);
  }

  /** Whether `id` is in the set. */
  has(id: number): boolean {
    this.merge();
    return hasId(this.ranges, id);
  }

  /** Adds `id`; ids past the largest so far (the usual case) extend the last range in place. */
  add(id: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (!last || id > last[1] + 1) this.ranges.push([id, id]);
    else if (id === last[1] + 1) last[1] = id;
    else if (id < last[0]) this.hold(id);
  }

  /** The set as sorted, disjoint, non-adjacent ranges. */
  toJSON(): IdRanges {
    this.merge();
    return normaliseRanges(this.ranges);
  }

  private hold(id: number): void {
    if (this.count === this.pending.length) {
      if (this.count >= PENDING_IDS) this.merge();
      else {
        const grown = new Float64Array(this.pending.length * 2);
        grown.set(this.pending);
        this.pending = grown;
      }
    }
    this.pending[this.count++] = id;
  }

  /** Merges the held ids into the ranges. */
  private merge(): void {
    if (this.count === 0) return;
    const ids = this.pending.subarray(0, this.count).sort();
    const held: IdRanges = [];
    for (const id of ids) {
      const prev = held[held.length - 1];
      if (prev && id <= prev[1] + 1) prev[1] = id;
      else held.push([id, id]);
    }
    this.count = 0;
    this.ranges = normaliseRanges([...this.ranges, ...held]);
  }
}
