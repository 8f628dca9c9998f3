import assert from "node:assert/strict";
import { civilFromDays, daysFromCivil, formatTimestamp, normaliseTimestamp, parseTimestamp } from "./time.ts";

Deno.test("daysFromCivil() and civilFromDays() agree with the calendar", () => {
  assert.equal(daysFromCivil(1970, 1, 1), 0);
  assert.equal(daysFromCivil(1969, 12, 31), -1);
  assert.equal(daysFromCivil(2000, 3, 1), 11017);
  for (let d = -800_000; d < 3_000_000; d += 997) {
    const [y, m, day] = civilFromDays(d);
    assert.equal(daysFromCivil(y, m, day), d);
  }
});

Deno.test("parseTimestamp() keeps microseconds and rejects impossible times", () => {
  assert.equal(parseTimestamp("1970-01-01 00:00:00.000001"), 1n);
  assert.equal(formatTimestamp(parseTimestamp("2024-11-13 10:00:00.500123")), "2024-11-13 10:00:00.500123");
  assert.equal(normaliseTimestamp("2022-11-03 14:20:49.962"), "2022-11-03 14:20:49.962000");
  assert.equal(normaliseTimestamp("2022-11-03 14:20:49"), "2022-11-03 14:20:49.000000");
  assert.equal(formatTimestamp(-1n), "1969-12-31 23:59:59.999999");
  assert.throws(() => parseTimestamp("2024-02-30 00:00:00"), /"2024-02-30 00:00:00": not a calendar date/);
  assert.throws(() => parseTimestamp("2024-01-01 24:00:00"), /not a calendar date and time/);
  assert.throws(() => parseTimestamp("2024-01-01T00:00:00Z"), /expected YYYY-MM-DD HH:MM:SS.ffffff/);
});
