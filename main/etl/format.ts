/**
 * Small text helpers of the `etl` command's reports.
 *
 * @module
 */

/** `s` right-aligned in `n` characters. */
export const pad = (s: string | number, n: number): string => String(s).padStart(n);

/** Milliseconds as seconds with two decimals: `1440` → `"1.44 s"`. */
export const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
