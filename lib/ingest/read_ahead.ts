/**
 * Bounded read-ahead (issue 15): the ingest reads a few tables at once, yet finishes them (deletions, state,
 * manifest entry, the `afterTable` hook) one at a time in the tables' fixed order, so a run's output and its
 * crash points stay deterministic.
 *
 * @module
 */

/**
 * Starts `start` on the items with at most `width` started and not yet finished, and calls `finish` on each
 * item's result one at a time, in the items' order. When anything fails, every started item is waited for (so
 * nothing runs on after the call) and the first failure in order is thrown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readAhead } from "./read_ahead.ts";
 * const events: string[] = [];
 * await readAhead([1, 2, 3], 2, async (n) => {
 *   events.push(`start ${n}`);
 *   await new Promise((r) => setTimeout(r, 10 - 3 * n)); // later items finish reading first
 *   return n * 10;
 * }, (n, v) => {
 *   events.push(`finish ${n}=${v}`);
 *   return Promise.resolve();
 * });
 * assert.deepEqual(events, ["start 1", "start 2", "finish 1=10", "start 3", "finish 2=20", "finish 3=30"]);
 * ```
 */
export async function readAhead<I, T>(
  items: readonly I[],
  width: number,
  start: (item: I) => Promise<T>,
  finish: (item: I, value: T) => Promise<void>,
): Promise<void> {
  const started: Promise<T>[] = [];
  const launch = (i: number) => {
    if (i >= items.length || started[i]) return;
    const p = (async () => await start(items[i]!))();
    p.catch(() => {}); // awaited below, in order; this only keeps a later failure from being unhandled meanwhile
    started[i] = p;
  };
  try {
    for (let i = 0; i < Math.max(1, width); i++) launch(i);
    for (let i = 0; i < items.length; i++) {
      const value = await started[i]!;
      await finish(items[i]!, value);
      launch(i + Math.max(1, width));
    }
  } catch (err) {
    await Promise.allSettled(started);
    throw err;
  }
}
