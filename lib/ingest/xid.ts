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
 * `xmin` is 32 bits and wraps around; snapshots give 64-bit ids (epoch × 2³² + xid). Rows are compared through
 * PostgreSQL's `age(xmin)`, the wraparound-safe distance from the reading transaction's fixed reference xid,
 * whose 64-bit form {@link referenceXid} derives; a row's 64-bit xid is that reference minus its age. Frozen rows
 * keep their old raw `xmin` (PostgreSQL 9.4 and later) and may then look recent after 2³² more transactions: such
 * a row is a false candidate, re-read and found unchanged by content downstream; never a miss. The permanent ids
 * 0 to 2 (invalid, bootstrap, frozen) have the largest age, older than any snapshot.
 *
 * @module
 */

/** A snapshot as 64-bit transaction ids (JS numbers: exact below 2⁵³, i.e. for epochs below 2²¹). */
export interface Snapshot {
  /** The oldest transaction still in progress: every id below it is finished. */
  xmin: number;
  /** One past the newest finished transaction: ids from it on had not started. */
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
 * The SQL condition selecting candidate rows after `prev` (an xid at least the previous snapshot's xmin and not
 * in its `seen` set), tested on `age(xmin)` against `reference`: an int4 computed in C, instead of a widened
 * `xmin`. Frozen and special xids have the largest age and are never candidates.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { candidateByAgeSql } from "./xid.ts";
 * const prev = { snapshot: { xmin: 100, xmax: 110, xip: [100] }, seen: [104] };
 * assert.equal(candidateByAgeSql(prev, 120), "age(xmin) <= 20 AND NOT (age(xmin) = ANY ('{16}'::int4[]))");
 * ```
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
  /** The previous run's snapshot. */
  snapshot: Snapshot;
  /** Transaction ids in `[snapshot.xmin, snapshot.xmax)` whose rows the snapshot saw, ascending. */
  seen: number[];
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
