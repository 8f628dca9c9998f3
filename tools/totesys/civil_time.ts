/**
 * Calendar arithmetic on integers, in UTC, for ToteSys timestamps (`timestamp(3)` without time zone, read as UTC
 * by convention: the ToteSys data notes (docs/design.md section 1; the dumps' README §1)) and its `YYYY-MM-DD` text dates. No JS `Date`, so nothing
 * depends on the machine's time zone.
 *
 * Days are counted from 1970-01-01 (day 0); instants are milliseconds since 1970-01-01 00:00:00.000.
 *
 * @module
 */

import { civilFromDays, daysFromCivil } from "../../lib/values/mod.ts";

export { civilFromDays, daysFromCivil };

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Day of the week of a day number: 0 = Sunday … 6 = Saturday. */
export function weekday(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

const dateTexts = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (years 0–9999). */
export function formatDate(days: number): string {
  let text = dateTexts.get(days);
  if (text === undefined) {
    const [y, m, d] = civilFromDays(days);
    text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
    if (dateTexts.size >= 8192) dateTexts.clear();
    dateTexts.set(days, text);
  }
  return text;
}

/** `YYYYMMDD` of a day number. */
export function formatCompactDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}`;
}

/** `YYYY-MM-DD HH:MM:SS.mmm` of an instant in ms (always three fractional digits). */
export function formatTimestamp(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const s = Math.floor(rest / 1000);
  return `${formatDate(day)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(rest - s * 1000, 3)}`;
}

const TIMESTAMP_TEXT = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Instant in ms of a PostgreSQL `timestamp` text (`YYYY-MM-DD HH:MM:SS[.f…]`, 0–6 fractional digits; digits past
 * the millisecond are dropped, i.e. truncated, never rounded up).
 *
 * @throws Error when the text is not in that form.
 */
export function parseTimestamp(text: string): number {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) throw new Error(`Not a timestamp: ${JSON.stringify(text)}`);
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const frac = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  return days * DAY_MS + Number(m[4]) * 3_600_000 + Number(m[5]) * 60_000 + Number(m[6]) * 1000 + frac;
}

/** Day number of a `YYYY-MM-DD` text. @throws Error when the text is not in that form. */
export function parseDate(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`Not a date: ${JSON.stringify(text)}`);
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}
