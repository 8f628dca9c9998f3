/**
 * Sets of integer keys as sorted, disjoint, non-adjacent inclusive ranges `[first, last]`: ToteSys keys are
 * serials, so a table's live keys (a million payments, say) compress to a handful of ranges. Pure functions; the
 * capture state (the live keys per table) and the transform state (the keys each dimension emitted) use them.
 *
 * @module
 */

/** Ranges `[first, last]`, inclusive, sorted, disjoint and non-adjacent. */
export type IdRanges = [number, number][];

/**
 * Normalises any list of ranges (unsorted, overlapping, adjacent) into {@link IdRanges}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normaliseRanges } from "./id_ranges.ts";
 * assert.deepEqual(normaliseRanges([[5, 6], [1, 2], [3, 3], [10, 12], [11, 11]]), [[1, 3], [5, 6], [10, 12]]);
 * ```
 */
export function normaliseRanges(ranges: readonly (readonly [number, number])[]): IdRanges {
  const all = ranges.map(([a, b]): [number, number] => [a, b]).sort((x, y) => x[0] - y[0]);
  const out: IdRanges = [];
  for (const [a, b] of all) {
    const prev = out[out.length - 1];
    if (prev && a <= prev[1] + 1) prev[1] = Math.max(prev[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * Ranges of a list of ids (any order, duplicates allowed).
 *
 * @example
 * ```ts
 * import { rangesOf } from "./id_ranges.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(rangesOf([5, 1, 2, 3, 3, 9]), [[1, 3], [5, 5], [9, 9]]);
 * ```
 */
export function rangesOf(ids: Iterable<number>): IdRanges {
  const sorted = [...ids].sort((a, b) => a - b);
  const out: IdRanges = [];
  for (const id of sorted) {
    const last = out[out.length - 1];
    if (last && id <= last[1] + 1) last[1] = Math.max(last[1], id);
    else out.push([id, id]);
  }
  return out;
}

/**
 * The union of two sets.
 *
 * @example
 * ```ts
 * import { unionRanges } from "./id_ranges.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(unionRanges([[1, 3]], [[4, 6], [9, 9]]), [[1, 6], [9, 9]]);
 * ```
 */
export function unionRanges(a: IdRanges, b: IdRanges): IdRanges {
  return normaliseRanges([...a, ...b]);
}

/**
 * `a` without the ids of `b`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { subtractRanges } from "./id_ranges.ts";
 * assert.deepEqual(subtractRanges([[1, 10]], [[3, 4], [10, 12]]), [[1, 2], [5, 9]]);
 * ```
 */
export function subtractRanges(a: IdRanges, b: IdRanges): IdRanges {
  const out: IdRanges = [];
  let j = 0;
  for (const [first, last] of a) {
    let start = first;
    while (j < b.length && b[j]![1] < start) j++;
    let k = j;
    while (start <= last) {
      const cut = b[k];
      if (!cut || cut[0] > last) {
        out.push([start, last]);
        break;
      }
      if (cut[0] > start) out.push([start, cut[0] - 1]);
      start = Math.max(start, cut[1] + 1);
      k++;
    }
  }
  return out;
}

/**
 * How many ids the set holds.
 *
 * @example
 * ```ts
 * import { countIds } from "./id_ranges.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(countIds([[1, 3], [10, 10]]), 4);
 * ```
 */
export function countIds(ranges: IdRanges): number {
  let n = 0;
  for (const [a, b] of ranges) n += b - a + 1;
  return n;
}

/** How many ids of the set lie in the half-open interval `[lo, hi)`. */
export function countIdsBetween(ranges: IdRanges, lo: number, hi: number): number {
  let n = 0;
  for (const [a, b] of ranges) {
    const s = Math.max(a, lo);
    const e = Math.min(b, hi - 1);
    if (e >= s) n += e - s + 1;
  }
  return n;
}

/**
 * The ids of the set in the half-open interval `[lo, hi)`, ascending.
 *
 * @example
 * ```ts
 * import { idsBetween } from "./id_ranges.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(idsBetween([[1, 3], [8, 12]], 2, 9), [2, 3, 8]);
 * ```
 */
export function idsBetween(ranges: IdRanges, lo: number, hi: number): number[] {
  const out: number[] = [];
  for (const [a, b] of ranges) {
    for (let id = Math.max(a, lo); id <= Math.min(b, hi - 1); id++) out.push(id);
  }
  return out;
}

/** Every id of the set (int32 keys), ascending. */
export function idsOf(ranges: IdRanges): number[] {
  return idsBetween(ranges, -(2 ** 31), 2 ** 31);
}

/**
 * Whether the set holds `id` (binary search).
 *
 * @example
 * ```ts
 * import { hasId } from "./id_ranges.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hasId([[1, 3], [8, 12]], 9), true);
 * assert.equal(hasId([[1, 3], [8, 12]], 5), false);
 * ```
 */
export function hasId(ranges: IdRanges, id: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [a, b] = ranges[mid]!;
    if (id < a) hi = mid - 1;
    else if (id > b) lo = mid + 1;
    else return true;
  }
  return false;
}
