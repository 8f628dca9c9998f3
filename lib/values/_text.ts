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

/** Character codes the parsers look for. */
export const DASH = 45;
export const COLON = 58;
export const POINT = 46;
export const SPACE = 32;
