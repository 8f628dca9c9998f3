/**
 * Transaction ids and snapshots: the position of change capture (issue 10; design.md section 2).
 *
 * Every row version in PostgreSQL carries `xmin`, the id of the transaction that wrote it, readable with a plain
 * `SELECT`. A run records its snapshot (`pg_current_snapshot()`: xmin, xmax, the transactions in progress). A row
 * written after that snapshot, or by a transaction still in flight at it (however long it stays open, savepoints
 * and prepared transactions included), has an `xmin` the snapshot did not see; a later run finds it by that test.
 *
 * The test is exact with one more fact: which transaction ids between the snapshot's xmin and xmax the snapshot
 * *did* see (`seen`). `pg_current_snapshot()` lists only top-level transactions in progress, not their
 * subtransactions (a savepoint's writes carry the subtransaction's id), so "in progress" cannot be read from the
 * list; "seen" can, because every visible row of the window is read by the run that saw it. A row is a candidate
 * when its xid is at least the previous snapshot's xmin and not in the previous `seen` set.
 *
 * `xmin` is 32 bits and wraps around; snapshots give 64-bit ids (epoch × 2³² + xid). A visible row's xid is older
 * than the snapshot's xmax by less than 2³¹ (PostgreSQL freezes rows long before), so it is widened against the
 * current snapshot's xmax: the epoch of xmax, or the one before when the low 32 bits are not below xmax's. Frozen
 * rows keep their old raw `xmin` (PostgreSQL 9.4 and later) and may then widen to a recent id after 2³² more
 * transactions: such a row is a false candidate, re-read and found unchanged by content downstream; never a miss.
 * The permanent ids 0 to 2 (invalid, bootstrap, frozen) widen to 0, older than any snapshot.
 *
 * @module
 */

/** A snapshot as 64-bit transaction ids (JS numbers: exact below 2⁵³, i.e. for epochs below 2²¹). */
export interface Snapshot {
  xmin: number;
  xmax: number;
  /** Top-level transactions in progress at the snapshot, ascending. */
  xip: number[];
}

const TWO_32 = 4_294_967_296;

/**
 * Parses the text form of `pg_current_snapshot()` / `txid_current_snapshot()`: `xmin:xmax:xip,xip,...`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseSnapshot } from "./xid.ts";
 * assert.deepEqual(parseSnapshot("10:20:12,15"), { xmin: 10, xmax: 20, xip: [12, 15] });
 * assert.deepEqual(parseSnapshot("757:757:"), { xmin: 757, xmax: 757, xip: [] });
 * ```
 * @throws Error quoting the text when it is not a snapshot or an id is past 2⁵³.
 */
export function parseSnapshot(text: string): Snapshot {
  const m = /^(\d+):(\d+):((?:\d+(?:,\d+)*)?)$/.exec(text.trim());
  if (!m) throw new Error(`Malformed snapshot "${text}"`);
  const num = (s: string) => {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new Error(`Transaction id ${s} in snapshot "${text}" is past 2^53`);
    return n;
  };
  const xip = m[3] ? m[3].split(",").map(num).sort((a, b) => a - b) : [];
  return { xmin: num(m[1]!), xmax: num(m[2]!), xip };
}

/** The text form of a snapshot, as PostgreSQL writes it. */
export function formatSnapshot(s: Snapshot): string {
  return `${s.xmin}:${s.xmax}:${s.xip.join(",")}`;
}

/**
 * Widens a row's 32-bit `xmin` to 64 bits against the reading snapshot's xmax (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { widenXid } from "./xid.ts";
 * assert.equal(widenXid(100, 2 ** 32 + 50), 100);          // written before the epoch turned
 * assert.equal(widenXid(40, 2 ** 32 + 50), 2 ** 32 + 40);  // written after
 * assert.equal(widenXid(2, 2 ** 32 + 50), 0);              // frozen
 * ```
 */
export function widenXid(xid32: number, xmax: number): number {
  if (xid32 < 3) return 0;
  const epochBase = Math.floor(xmax / TWO_32) * TWO_32;
  const low = xmax - epochBase;
  return epochBase + xid32 - (xid32 >= low ? TWO_32 : 0);
}

/**
 * The SQL expression that widens a table's `xmin` like {@link widenXid}, for the reading snapshot's xmax (a
 * number, written as a literal: COPY takes no parameters).
 */
export function widenXidSql(xmax: number): string {
  if (!Number.isSafeInteger(xmax) || xmax < 0) throw new Error(`Invalid snapshot xmax ${xmax}`);
  const epochBase = Math.floor(xmax / TWO_32) * TWO_32;
  const low = xmax - epochBase;
  const x = `xmin::text::bigint`;
  return `(CASE WHEN ${x} < 3 THEN 0 ELSE ${epochBase} + ${x} - CASE WHEN ${x} >= ${low} THEN ${TWO_32} ELSE 0 END END)`;
}

/**
 * The reading transaction's reference xid as 64 bits, from `age('3'::xid)` read in that transaction. PostgreSQL's
 * `age(xid)` is computed in C against a value fixed for the whole transaction (the next xid, for a read-only one),
 * wraparound-safe, and far cheaper per row than casting `xmin` through text; this gives that value's 64-bit form,
 * which is at or after the snapshot's xmax (less than 2³² later).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { referenceXid } from "./xid.ts";
 * assert.equal(referenceXid(997, 990), 1000);                   // age of xid 3 was 997
 * assert.equal(referenceXid(-2147483000, 2 ** 32 - 10), 2 ** 32 + 2147484299); // past an epoch boundary
 * ```
 */
export function referenceXid(ageOf3: number, xmax: number): number {
  const low = ((ageOf3 + 3) % TWO_32 + TWO_32) % TWO_32;
  const epochBase = Math.floor(xmax / TWO_32) * TWO_32;
  const xmaxLow = xmax - epochBase;
  return epochBase + low + (low < xmaxLow ? TWO_32 : 0);
}

/** The SQL expression of a row's 64-bit `xmin` from its age against `reference` (see {@link referenceXid}). */
export function xidFromAgeSql(reference: number): string {
  if (!Number.isSafeInteger(reference) || reference < 0) {
    throw new Error(`Invalid reference xid ${reference}`);
  }
  return `(${reference}::int8 - age(xmin))`;
}

/**
 * The SQL condition selecting candidate rows after `prev`, by age against `reference`: the same test as
 * {@link candidateSql}, on `age(xmin)` (an int4 from C) instead of a widened `xmin`. Frozen and special xids have
 * the largest age and are never candidates.
 */
export function candidateByAgeSql(prev: CapturePosition, reference: number): string {
  const maxAge = reference - prev.snapshot.xmin;
  if (!Number.isSafeInteger(maxAge)) throw new Error(`Invalid snapshot xmin ${prev.snapshot.xmin}`);
  if (maxAge >= 2147483647) return "true"; // the previous snapshot is older than any age: every row
  const ages = prev.seen.filter((x) => x >= prev.snapshot.xmin).map((x) => reference - x);
  for (const a of ages) if (!Number.isSafeInteger(a)) throw new Error(`Invalid seen xid`);
  if (ages.length === 0) return `age(xmin) <= ${maxAge}`;
  return `age(xmin) <= ${maxAge} AND NOT (age(xmin) = ANY ('{${ages.join(",")}}'::int4[]))`;
}

/** Where the previous run stopped: its snapshot and the xids of its window that it saw. */
export interface CapturePosition {
  snapshot: Snapshot;
  /** Transaction ids in `[snapshot.xmin, snapshot.xmax)` whose rows the snapshot saw, ascending. */
  seen: number[];
}

/**
 * Whether a row whose widened xid is `xid` may have changed since `prev` (a candidate), per the module doc.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCandidate } from "./xid.ts";
 * const prev = { snapshot: { xmin: 100, xmax: 110, xip: [100] }, seen: [104] };
 * assert.equal(isCandidate(99, prev), false);  // committed before the snapshot's window
 * assert.equal(isCandidate(104, prev), false); // seen by the previous run
 * assert.equal(isCandidate(100, prev), true);  // in progress then
 * assert.equal(isCandidate(105, prev), true);  // a subtransaction of 100, say
 * assert.equal(isCandidate(110, prev), true);  // after the snapshot
 * ```
 */
export function isCandidate(xid: number, prev: CapturePosition): boolean {
  if (xid < prev.snapshot.xmin) return false;
  return !sortedHas(prev.seen, xid);
}

/**
 * The SQL condition selecting a table's candidate rows after `prev`, read under a snapshot whose xmax is `xmax`.
 * Literals only (numbers checked), because COPY takes no parameters.
 */
export function candidateSql(prev: CapturePosition, xmax: number): string {
  const x = widenXidSql(xmax);
  const min = prev.snapshot.xmin;
  if (!Number.isSafeInteger(min)) throw new Error(`Invalid snapshot xmin ${min}`);
  const seen = prev.seen.filter((s) => s >= min);
  for (const s of seen) if (!Number.isSafeInteger(s)) throw new Error(`Invalid seen xid ${s}`);
  if (seen.length === 0) return `${x} >= ${min}`;
  return `${x} >= ${min} AND NOT (${x} = ANY ('{${seen.join(",")}}'::bigint[]))`;
}

/**
 * The `seen` set of the current snapshot: the previous run's seen ids still inside the current window (they were
 * visible then, so they are now), plus the ids of rows read now that fall inside it. Ascending, no duplicates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nextSeen } from "./xid.ts";
 * const cur = { xmin: 105, xmax: 120, xip: [105] };
 * assert.deepEqual(nextSeen([101, 106], [107, 106, 121, 90], cur), [106, 107]);
 * ```
 */
export function nextSeen(prevSeen: readonly number[], read: Iterable<number>, cur: Snapshot): number[] {
  const out = new Set<number>();
  for (const x of prevSeen) if (x >= cur.xmin && x < cur.xmax) out.add(x);
  for (const x of read) if (x >= cur.xmin && x < cur.xmax) out.add(x);
  return [...out].sort((a, b) => a - b);
}

function sortedHas(list: readonly number[], x: number): boolean {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = list[mid]!;
    if (v === x) return true;
    if (v < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
