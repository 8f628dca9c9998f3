/**
 * Prompt release of the buffers a stage streams through: S3 bodies, PostgreSQL socket data, ranged reads.
 *
 * Each chunk a stage receives is a small JavaScript object holding a large native buffer (64 KiB from an S3 body).
 * V8 sizes its young generation by the small objects, so while a stage streams and allocates little else it
 * collects them rarely, and the native buffers pile up: hashing a 104 MB Parquet file from S3 raised the peak RSS
 * from 68 to 150–178 MiB, where a minor collection every 4 MiB kept it at 105–118 MiB for the same time
 * (measured 2026-12-02; docs/benchmarks.md). V8 exposes collections only under `--expose-gc`, one of the stage
 * processes' flags (lambda/bootstrap's `STAGE_V8_FLAGS`); without it (tests, other tools) this does nothing.
 *
 * @module
 */

/** How often the watch looks at the native (external) memory, in milliseconds. */
export const WATCH_INTERVAL_MS = 25;

/** Growth of external memory since the last collection that triggers a minor collection, in bytes (8 MiB). */
export const RELEASE_AFTER_BYTES = 8 << 20;

/**
 * Whether a minor collection is due: external memory `external` has grown by at least `threshold` bytes over
 * `floor`, the lowest figure seen since the last collection (all in bytes).
 *
 * @example
 * ```ts
 * import { releaseDue } from "./external_memory.ts";
 * releaseDue(30 << 20, 20 << 20, 8 << 20); // true: 10 MiB of growth
 * releaseDue(25 << 20, 20 << 20, 8 << 20); // false
 * ```
 */
export function releaseDue(
  external: number,
  floor: number,
  threshold: number = RELEASE_AFTER_BYTES,
): boolean {
  return external - floor >= threshold;
}

type Collect = (options?: { type?: "major" | "minor"; execution?: "sync" | "async" }) => void;

/**
 * Starts watching the process's external memory: every {@link WATCH_INTERVAL_MS} ms, a minor collection when it
 * grew by {@link RELEASE_AFTER_BYTES} (see {@link releaseDue}). The timer does not keep the process alive.
 *
 * Takes the collector (default: `globalThis.gc`, present under `--expose-gc`) and the memory reader (default
 * `Deno.memoryUsage().external`), both for tests.
 *
 * @returns a function that stops the watch; with no collector, a no-op (nothing is started).
 */
export function watchExternalMemory(
  collect: Collect | undefined = (globalThis as { gc?: Collect }).gc,
  external: () => number = () => Deno.memoryUsage().external,
): () => void {
  if (typeof collect !== "function") return () => {};
  let floor = external();
  const timer = setInterval(() => {
    const now = external();
    if (!releaseDue(now, floor)) {
      floor = Math.min(floor, now);
      return;
    }
    collect({ type: "minor" });
    floor = external();
  }, WATCH_INTERVAL_MS);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
}

/**
 * Runs `work` under {@link watchExternalMemory}, stopping the watch when it settles (either way).
 *
 * @returns what `work` returns; @throws what it throws.
 */
export async function withExternalMemoryWatch<T>(work: () => Promise<T>): Promise<T> {
  const stop = watchExternalMemory();
  try {
    return await work();
  } finally {
    stop();
  }
}
