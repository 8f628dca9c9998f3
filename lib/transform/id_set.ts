/**
 * A set of integer keys stored as sorted, disjoint ranges: ToteSys keys are serials, so the keys a dimension
 * has emitted (a million transactions, say) compress to a handful of ranges in the transform state.
 *
 * @module
 */

/** Ranges `[first, last]`, inclusive, sorted, disjoint. */
export type IdRanges = [number, number][];

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
    if (this.extra.has(id)) return true;
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b] = this.ranges[mid]!;
      if (id < a) hi = mid - 1;
      else if (id > b) lo = mid + 1;
      else return true;
    }
    return false;
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
    const all: IdRanges = [...this.ranges, ...[...this.extra].map((id): [number, number] => [id, id])];
    all.sort((x, y) => x[0] - y[0]);
    const out: IdRanges = [];
    for (const [a, b] of all) {
      const prev = out[out.length - 1];
      if (prev && a <= prev[1] + 1) prev[1] = Math.max(prev[1], b);
      else out.push([a, b]);
    }
    return out;
  }
}
