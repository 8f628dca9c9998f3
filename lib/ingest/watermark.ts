/**
 * Watermarks: which row versions of a table are new since the last run (../shared/design.md section 2).
 *
 * A change is a row version `(primary key, last_updated)`. Each table's state keeps the watermark (the largest
 * `last_updated` captured, but never later than the database's clock at the run's snapshot) and the versions
 * captured inside the lag window behind it. A run reads every row with `last_updated >= watermark − lag` and keeps
 * only versions not already captured, so:
 * - a row updated at exactly the watermark's microsecond, committed after the previous run, is captured once;
 * - a row committed late by a long transaction, with a `last_updated` older than the watermark but inside the lag
 *   window, is captured once;
 * - a version already captured is never captured again;
 * - a row stamped in the future (a writer's clock ahead) is captured, but cannot drag the watermark past the
 *   present and hide the correctly stamped changes that follow it; it is re-read, and dropped, until the clock
 *   passes it.
 * A version committed later than the lag window allows is not seen: widen `INGEST_LAG_SECONDS` for longer
 * transactions (the reconciliation sweep is a separate job).
 *
 * Modelled on the Singer SDK's state helpers: small pure functions over plain data.
 *
 * @module
 */
import { formatTimestamp, parseTimestamp } from "../time.ts";

/** A captured version: `[primary key, last_updated text]`. */
export type Version = [pk: number, lastUpdated: string];

/** Watermark state of one table. */
export interface TableWatermark {
  /** Largest `last_updated` captured so far (`YYYY-MM-DD HH:MM:SS.ffffff`), or null before the first capture. */
  watermark: string | null;
  /** Versions captured with `last_updated >= covered_from`, sorted by (last_updated, pk). */
  recent: Version[];
  /**
   * `recent` holds every captured version from this `last_updated` on, so no read may start earlier (else it
   * would capture older versions again). It trails the watermark by the lag, and catches up gradually when the
   * lag is raised. Absent in states written before it existed: then `watermark − lag`.
   */
  covered_from?: string | null;
}

/** The state before a table's first run. */
export const EMPTY_WATERMARK: TableWatermark = { watermark: null, recent: [], covered_from: null };

/**
 * The lower bound of the next read: `watermark − lagSeconds`, or null (read everything) before the first run.
 * Rows with `last_updated` greater than or equal to it are read (inclusive, so a lag of 0 still re-reads the
 * watermark's own microsecond).
 */
export function readLowerBound(state: TableWatermark, lagSeconds: number): string | null {
  if (state.watermark === null) return null;
  const bound = formatTimestamp(parseTimestamp(state.watermark) - BigInt(lagSeconds) * 1_000_000n);
  return state.covered_from && state.covered_from > bound ? state.covered_from : bound;
}

/** A predicate telling whether a version read above {@link readLowerBound} is a new change (not yet captured). */
export function newVersionFilter(state: TableWatermark): (pk: number, lastUpdated: string) => boolean {
  if (state.recent.length === 0) return () => true;
  const seen = new Set(state.recent.map(([pk, lu]) => `${pk}|${lu}`));
  return (pk, lu) => !seen.has(`${pk}|${lu}`);
}

/** The largest of `candidates`, capped at `cap` (when given): the watermark a run may move to. */
export function cappedMax(max: string | null, cap: string | null | undefined): string | null {
  return max !== null && cap && max > cap ? cap : max;
}

/**
 * The state after a run that captured `captured` (the new versions it wrote): the watermark moves to the largest
 * `last_updated` seen, capped at `now` (the database's clock at the run's snapshot, same text form), and never
 * backwards; the lag-window set keeps every version, old or new, with `last_updated >= newWatermark − lagSeconds`
 * (future-stamped versions included), but never below `readBound` (the bound this run read from: below it the
 * set is not complete).
 */
export function advanceWatermark(
  state: TableWatermark,
  captured: readonly Version[],
  lagSeconds: number,
  now?: string,
  readBound: string | null = readLowerBound(state, lagSeconds),
): TableWatermark {
  let max: string | null = null;
  for (const [, lu] of captured) if (max === null || lu > max) max = lu;
  const candidate = cappedMax(max, now);
  const watermark = state.watermark === null || (candidate !== null && candidate > state.watermark)
    ? candidate
    : state.watermark;
  if (watermark === null) return { watermark: null, recent: [], covered_from: null };
  const lagged = formatTimestamp(parseTimestamp(watermark) - BigInt(lagSeconds) * 1_000_000n);
  const bound = readBound !== null && readBound > lagged ? readBound : lagged;
  const keep = new Map<string, Version>();
  for (const v of [...state.recent, ...captured]) if (v[1] >= bound) keep.set(`${v[0]}|${v[1]}`, v);
  const recent = [...keep.values()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] - b[0]));
  return { watermark, recent, covered_from: bound };
}
