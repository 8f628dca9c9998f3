/**
 * Key ranges for reconcile's bisection (issue 11), pure. A range is half-open, `[lo, hi)`, so no key is counted
 * twice or lost at a boundary; a range is split into at most `parts` contiguous sub-ranges of near-equal width.
 *
 * @module
 */

/** A half-open key range `[lo, hi)`. */
export type KeyRange = [lo: number, hi: number];

/**
 * Splits `[lo, hi)` into at most `parts` contiguous, non-empty, half-open ranges covering it exactly.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitRange } from "./ranges.ts";
 * assert.deepEqual(splitRange([0, 10], 4), [[0, 3], [3, 6], [6, 9], [9, 10]]);
 * assert.deepEqual(splitRange([5, 7], 16), [[5, 6], [6, 7]]);
 * assert.deepEqual(splitRange([5, 5], 4), []);
 * ```
 */
export function splitRange([lo, hi]: KeyRange, parts: number): KeyRange[] {
  if (hi <= lo) return [];
  const width = Math.max(1, Math.ceil((hi - lo) / parts));
  const out: KeyRange[] = [];
  for (let a = lo; a < hi; a += width) out.push([a, Math.min(hi, a + width)]);
  return out;
}

/** A range's summary on one side: row count and a hash of its rows' texts in key order. */
export interface RangeSummary {
  rows: number;
  hash: string;
}

/** What differs about one key. */
export interface KeyDifference {
  key: number;
  /** `missing`: in ToteSys, not in the warehouse; `extra`: the reverse; `different`: in both, unequal. */
  kind: "missing" | "extra" | "different";
  source?: string;
  warehouse?: string;
}

/**
 * Compares the rows of one leaf range, key by key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { diffRows } from "./ranges.ts";
 * const src = new Map([[1, "a"], [2, "b"], [3, "c"]]);
 * const wh = new Map([[2, "b"], [3, "x"], [4, "d"]]);
 * assert.deepEqual(diffRows(src, wh).map((d) => [d.key, d.kind]), [[1, "missing"], [3, "different"], [4, "extra"]]);
 * ```
 */
export function diffRows(source: Map<number, string>, warehouse: Map<number, string>): KeyDifference[] {
  const keys = [...new Set([...source.keys(), ...warehouse.keys()])].sort((a, b) => a - b);
  const out: KeyDifference[] = [];
  for (const key of keys) {
    const s = source.get(key);
    const w = warehouse.get(key);
    if (s === w) continue;
    if (w === undefined) out.push({ key, kind: "missing", source: s! });
    else if (s === undefined) out.push({ key, kind: "extra", warehouse: w });
    else out.push({ key, kind: "different", source: s, warehouse: w });
  }
  return out;
}
