/**
 * Calendar arithmetic on integers, in UTC, for ToteSys timestamps (`timestamp(3)` without time zone, read as UTC
 * by convention: ../shared/data/totesys/README.md §1) and its `YYYY-MM-DD` text dates. No JS `Date`, so nothing
 * depends on the machine's time zone.
 *
 * Days are counted from 1970-01-01 (day 0); instants are milliseconds since 1970-01-01 00:00:00.000.
 *
 * @module
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Day number of a proleptic Gregorian date (H. Hinnant's `days_from_civil`); `month` is 1–12. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `[year, month (1–12), day]` of a day number (H. Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

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
