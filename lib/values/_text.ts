/**
 * Character-level helpers shared by the value parsers and formatters of this folder (internal).
 *
 * @module
 */

/** The integer of `count` ASCII digits of `text` from `start`, or -1 when one of them is not a digit. */
export function digitsAt(text: string, start: number, count: number): number {
  let n = 0;
  for (let k = start; k < start + count; k++) {
    const digit = text.charCodeAt(k) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    n = n * 10 + digit;
  }
  return n;
}

/** `n` in decimal, left-padded with zeros to `width` digits. */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** `"00"` to `"99"`. */
export const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, n) => pad(n, 2));

/** Character code of `-` (date separator). */
export const DASH = 45;
/** Character code of `:` (time separator). */
export const COLON = 58;
/** Character code of `.` (before the fraction of a second). */
export const POINT = 46;
/** Character code of the space between a timestamp's date and time. */
export const SPACE = 32;
