/**
 * Deletion detection, the pure part (issue 10; design.md section 2). The IO side counts rows per key bucket in
 * ToteSys; these functions decide which buckets hold deleted keys, and whether a run deletes too much.
 *
 * @module
 */
import { countIdsBetween, type IdRanges } from "../id_ranges.ts";

/** Keys per bucket are `2 ** DELETE_BUCKET_BITS` (4,096): bucket `b` holds keys `[b * 4096, (b + 1) * 4096)`. */
export const DELETE_BUCKET_BITS = 12;

/**
 * The buckets whose key count in ToteSys differs from the expected live keys (previous live keys plus this run's
 * candidates), ascending.
 *
 * @param expected the keys that would be live if nothing had been deleted.
 * @param actual per bucket number, the rows ToteSys holds in it (`pk >> 12`, `count(*)`).
 * @returns the bucket numbers to list key by key.
 * @throws Error naming the table and bucket when ToteSys holds more keys in a bucket than expected (the capture
 *   state does not belong to this database).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mismatchedBuckets } from "./deletions.ts";
 * // keys 1..5000 expected; 4095 rows in bucket 0 (keys 1..4095), 904 in bucket 1 (keys 4096..5000, one gone)
 * assert.deepEqual(mismatchedBuckets("payment", [[1, 5000]], new Map([[0, 4095], [1, 904]])), [1]);
 * ```
 */
export function mismatchedBuckets(table: string, expected: IdRanges, actual: Map<number, number>): number[] {
  const size = 2 ** DELETE_BUCKET_BITS;
  const buckets = new Set<number>(actual.keys());
  for (const [a, b] of expected) {
    for (let k = Math.floor(a / size); k <= Math.floor(b / size); k++) buckets.add(k);
  }
  const out: number[] = [];
  for (const k of [...buckets].sort((x, y) => x - y)) {
    const want = countIdsBetween(expected, k * size, (k + 1) * size);
    const have = actual.get(k) ?? 0;
    if (have > want) {
      throw new Error(
        `ToteSys table ${table} holds ${have} rows with keys in [${k * size}, ${
          (k + 1) * size
        }) but the capture ` +
          `state expects at most ${want}: the ingestion bucket's state does not belong to this database`,
      );
    }
    if (have < want) out.push(k);
  }
  return out;
}

/**
 * The mass-delete guard: a run may mark at most `maxShare` of a table's rows deleted.
 *
 * @param deleted keys deleted in this run; `before`: rows live before it (previous live keys plus candidates).
 * @throws Error naming the table, the counts and the setting to change when the share is exceeded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { deletionGuard } from "./deletions.ts";
 * deletionGuard("payment", 10, 100, 0.1); // exactly 10 %: allowed
 * assert.throws(() => deletionGuard("payment", 11, 100, 0.1), /11 of 100 payment rows/);
 * ```
 */
export function deletionGuard(table: string, deleted: number, before: number, maxShare: number): void {
  if (deleted === 0 || deleted <= maxShare * before) return;
  const pct = (100 * deleted / before).toFixed(1);
  throw new Error(
    `Ingest stopped: ${deleted} of ${before} ${table} rows (${pct} %) were deleted in ToteSys since the previous ` +
      `run, more than INGEST_MAX_DELETE_SHARE=${maxShare} allows. If ToteSys was truncated or restored by ` +
      `mistake, fix it and run again; if the deletions are real, run once with INGEST_MAX_DELETE_SHARE=1`,
  );
}
