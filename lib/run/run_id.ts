/**
 * Run ids: `YYYYMMDDTHHMMSSmmmZ-xxxxxx` (UTC time of the run's start, to the millisecond, then six hex digits).
 *
 * They sort in time order and contain only `[0-9A-Za-z_-]` (docs/design.md section 3), so they are safe in
 * S3 keys (no spaces, colons or `+`). Every stage names its objects after the ingest run's id.
 *
 * @module
 */

const RUN_ID_RE = /^\d{8}T\d{9}Z-[0-9a-f]{6}$/;

/**
 * Makes a run id from a time (epoch milliseconds, UTC) and six hex digits of entropy.
 * When `after` is given and the new id would not sort after it (a clock that went back), the time is bumped to
 * one millisecond past `after`'s, so run ids always increase.
 *
 * @throws Error quoting `entropy` when it is not six lower-case hex digits; Error when `after` is malformed.
 *
 * @example
 * ```ts
 * import { makeRunId } from "./run_id.ts";
 * import assert from "node:assert/strict";
 *
 * const id = makeRunId(Date.UTC(2026, 10, 30, 8, 45, 1, 123), "0a1b2c");
 * assert.equal(id, "20261130T084501123Z-0a1b2c");
 * // a clock that went back still gives a later id
 * assert.equal(makeRunId(0, "000000", id), "20261130T084501124Z-000000");
 * ```
 */
export function makeRunId(epochMs: number, entropy: string, after?: string): string {
  if (!/^[0-9a-f]{6}$/.test(entropy)) {
    throw new Error(`Run id entropy must be six hex digits, got "${entropy}"`);
  }
  let ms = epochMs;
  if (after !== undefined) {
    const prev = runIdTime(after);
    if (ms <= prev) ms = prev + 1;
  }
  const iso = new Date(ms).toISOString(); // 2026-11-30T08:45:01.123Z (UTC, no local zone involved)
  const compact = iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + "T" + iso.slice(11, 13) +
    iso.slice(14, 16) + iso.slice(17, 19) + iso.slice(20, 23) + "Z";
  return `${compact}-${entropy}`;
}

/**
 * Whether `id` is a well-formed run id.
 *
 * @example
 * ```ts
 * import { isRunId } from "./run_id.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isRunId("20261130T084501123Z-0a1b2c"), true);
 * assert.equal(isRunId("2026-11-30T08:45:01Z"), false);
 * ```
 */
export function isRunId(id: string): boolean {
  return RUN_ID_RE.test(id);
}

/**
 * Parses a run id into epoch milliseconds (UTC).
 * @throws Error quoting the id when it is malformed.
 *
 * @example
 * ```ts
 * import { runIdTime } from "./run_id.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(runIdTime("20261130T084501123Z-0a1b2c"), Date.UTC(2026, 10, 30, 8, 45, 1, 123));
 * ```
 */
export function runIdTime(id: string): number {
  if (!isRunId(id)) throw new Error(`Malformed run id "${id}": expected YYYYMMDDTHHMMSSmmmZ-xxxxxx`);
  return Date.UTC(
    Number(id.slice(0, 4)),
    Number(id.slice(4, 6)) - 1,
    Number(id.slice(6, 8)),
    Number(id.slice(9, 11)),
    Number(id.slice(11, 13)),
    Number(id.slice(13, 15)),
    Number(id.slice(15, 18)),
  );
}

/**
 * The `yyyy/mm/dd` partition of a run id (its UTC date), as data keys use it.
 * @throws Error quoting the id when it is malformed.
 *
 * @example
 * ```ts
 * import { runIdPartition } from "./run_id.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(runIdPartition("20261130T084501123Z-0a1b2c"), "2026/11/30");
 * ```
 */
export function runIdPartition(id: string): string {
  runIdTime(id);
  return `${id.slice(0, 4)}/${id.slice(4, 6)}/${id.slice(6, 8)}`;
}
