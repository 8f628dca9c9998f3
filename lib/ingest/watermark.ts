/**
 * Watermarks: which row versions of a table are new since the last run (../shared/design.md section 2).
 *
 * A change is a row version `(primary key, last_updated)`. Each table's state keeps the watermark (the largest
 * `last_updated` captured) and the versions captured inside the lag window behind it. A run reads every row with
 * `last_updated > watermark − lag` and keeps only versions not already captured, so:
 * - a row updated at exactly the watermark's microsecond, committed after the previous run, is captured once;
 * - a row committed late by a long transaction, with a `last_updated` older than the watermark but inside the lag
 *   window, is captured once;
 * - a version already captured is never captured again.
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
  /** Versions captured with `last_updated > watermark − lag`, sorted by (last_updated, pk). */
  recent: Version[];
}

/** The state before a table's first run. */
export const EMPTY_WATERMARK: TableWatermark = { watermark: null, recent: [] };

/**
 * The lower bound of the next read: `watermark − lagSeconds`, or null (read everything) before the first run.
 * Rows with `last_updated` strictly greater than it are read.
 */
export function readLowerBound(state: TableWatermark, lagSeconds: number): string | null {
  if (state.watermark === null) return null;
  return formatTimestamp(parseTimestamp(state.watermark) - BigInt(lagSeconds) * 1_000_000n);
}

/** A predicate telling whether a version read above {@link readLowerBound} is a new change (not yet captured). */
export function newVersionFilter(state: TableWatermark): (pk: number, lastUpdated: string) => boolean {
  if (state.recent.length === 0) return () => true;
  const seen = new Set(state.recent.map(([pk, lu]) => `${pk}|${lu}`));
  return (pk, lu) => !seen.has(`${pk}|${lu}`);
}

/**
 * The state after a run that captured `captured` (the new versions it wrote): the watermark moves to the largest
 * `last_updated` seen (never backwards), and the lag-window set keeps every version, old or new, with
 * `last_updated > newWatermark − lagSeconds`.
 */
export function advanceWatermark(
  state: TableWatermark,
  captured: readonly Version[],
  lagSeconds: number,
): TableWatermark {
  let watermark = state.watermark;
  for (const [, lu] of captured) if (watermark === null || lu > watermark) watermark = lu;
  if (watermark === null) return { watermark: null, recent: [] };
  const bound = formatTimestamp(parseTimestamp(watermark) - BigInt(lagSeconds) * 1_000_000n);
  const keep = new Map<string, Version>();
  for (const v of [...state.recent, ...captured]) if (v[1] > bound) keep.set(`${v[0]}|${v[1]}`, v);
  const recent = [...keep.values()].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : a[0] - b[0]));
  return { watermark, recent };
}
