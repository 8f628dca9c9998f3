/**
 * Exact calendar arithmetic on timestamp text, without JS `Date` or the machine's time zone.
 *
 * Timestamps are `YYYY-MM-DD HH:MM:SS.ffffff` (six fractional digits, no zone; UTC by ToteSys convention,
 * docs/design.md section 2), represented in arithmetic as bigint microseconds since 1970-01-01 00:00:00.
 *
 * @module
 */

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const US_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date `[year, month, day]` of a day number since 1970-01-01 (inverse of {@link daysFromCivil}). */
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
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Formats a day number since 1970-01-01 as `YYYY-MM-DD`. */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/**
 * Parses timestamp text (`YYYY-MM-DD HH:MM:SS[.f…]`, up to six fractional digits) into epoch microseconds.
 *
 * @throws Error quoting the value when it is not a valid timestamp (bad shape, month 13, February 30, hour 24).
 */
export function parseTimestamp(text: string): bigint {
  const m = TIMESTAMP_RE.exec(text);
  if (!m) throw new Error(`Cannot parse timestamp "${text}": expected YYYY-MM-DD HH:MM:SS.ffffff`);
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const days = daysFromCivil(y, mo, d);
  const [cy, cm, cd] = civilFromDays(days);
  if (cy !== y || cm !== mo || cd !== d || h > 23 || mi > 59 || s > 59) {
    throw new Error(`Cannot parse timestamp "${text}": not a calendar date and time`);
  }
  const frac = BigInt((m[7] ?? "").padEnd(6, "0") || "0");
  return BigInt(days) * US_PER_DAY + BigInt(h * 3600 + mi * 60 + s) * 1_000_000n + frac;
}

/** Formats epoch microseconds as `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function formatTimestamp(us: bigint): string {
  let days = us / US_PER_DAY;
  let rest = us % US_PER_DAY;
  if (rest < 0n) {
    rest += US_PER_DAY;
    days -= 1n;
  }
  const secs = Number(rest / 1_000_000n);
  const frac = Number(rest % 1_000_000n);
  return `${formatDate(Number(days))} ${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${
    pad(secs % 60)
  }.${pad(frac, 6)}`;
}

/** Normalises timestamp text to six fractional digits. @throws Error as {@link parseTimestamp}. */
export function normaliseTimestamp(text: string): string {
  return formatTimestamp(parseTimestamp(text));
}
