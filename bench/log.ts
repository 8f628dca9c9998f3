/**
 * The benchmark's progress lines and number formats (stderr).
 *
 * @module
 */

const STARTED = performance.now();

/** Says what is wrong with the command line and exits 2. */
export function fail(message: string): never {
  console.error(`bench: ${message}`);
  Deno.exit(2);
}

/** A progress line on stderr, with the time since the benchmark started. */
export function progress(message: string): void {
  const s = Math.round((performance.now() - STARTED) / 1000);
  const stamp = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  console.error(`[bench ${stamp}] ${message}`);
}

/** A whole number with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString("en-GB");
/** KiB as MiB, or `?`. */
export const mib = (kib: number | null): string => kib === null ? "?" : `${fmt(kib / 1024)} MiB`;
