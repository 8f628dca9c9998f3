import assert from "node:assert/strict";
import {
  formatTime,
  formatTimestamp,
  normaliseTimestamp,
  parseTime,
  parseTimestamp,
  splitTimestamp,
} from "./mod.ts";

Deno.test("parseTime() gives microseconds since midnight, with 0 to 6 fractional digits", () => {
  assert.equal(parseTime("00:00:00.000000"), 0n);
  assert.equal(parseTime("23:59:59.999999"), 86_399_999_999n);
  assert.equal(parseTime("00:00:01.5"), 1_500_000n);
  assert.equal(parseTime("14:20:49.962"), 51_649_962_000n);
  assert.equal(parseTime("12:00:00"), 43_200_000_000n);
  assert.equal(parseTime("00:00:00.000001"), 1n);
});

Deno.test("parseTime() rejects text that is not a time of day", () => {
  assert.throws(() => parseTime("24:00:00", "created_time"), {
    message: 'Cannot encode created_time "24:00:00": not a time of day',
  });
  assert.throws(() => parseTime("12:60:00"), /not a time of day/);
  assert.throws(() => parseTime("12:00:60"), /not a time of day/);
  for (const bad of ["12:00:00.1234567", "1:00:00", "12:00", "12:00:00.", "12:00:00Z", ""]) {
    assert.throws(() => parseTime(bad), /not a time HH:MM:SS.ffffff/, bad);
  }
});

Deno.test("formatTime() always writes 6 fractional digits", () => {
  assert.equal(formatTime(0n), "00:00:00.000000");
  assert.equal(formatTime(86_399_999_999n), "23:59:59.999999");
  assert.equal(formatTime(51_649_962_000n), "14:20:49.962000");
  assert.throws(() => formatTime(86_400_000_000n), /not microseconds within a day/);
  assert.throws(() => formatTime(-1n), /not microseconds within a day/);
});

Deno.test("parseTimestamp() gives epoch microseconds, keeping microseconds", () => {
  assert.equal(parseTimestamp("1970-01-01 00:00:00.000000"), 0n);
  assert.equal(parseTimestamp("1970-01-01 00:00:00.000001"), 1n);
  assert.equal(parseTimestamp("1969-12-31 23:59:59.999999"), -1n);
  assert.equal(
    parseTimestamp("2022-11-03 14:20:49.962000"),
    BigInt(Date.UTC(2022, 10, 3, 14, 20, 49, 962)) * 1000n,
  );
  assert.equal(parseTimestamp("2022-11-03 14:20:49.962"), parseTimestamp("2022-11-03 14:20:49.962000"));
  assert.equal(
    parseTimestamp("2024-11-13 10:00:00.500123"),
    BigInt(Date.UTC(2024, 10, 13, 10)) * 1000n + 500_123n,
  );
  assert.equal(parseTimestamp("2024-11-13 10:00:00"), BigInt(Date.UTC(2024, 10, 13, 10)) * 1000n);
});

Deno.test("parseTimestamp() rejects malformed or impossible timestamps, quoting the value", () => {
  assert.throws(() => parseTimestamp("2024-02-30 00:00:00", "source_last_updated"), {
    message: 'Cannot encode source_last_updated "2024-02-30 00:00:00": not a calendar date',
  });
  assert.throws(() => parseTimestamp("2024-02-28 25:00:00"), /not a time of day/);
  for (const bad of ["2024-02-28T10:00:00", "2024-02-28 10:00:00+00", "2024-02-28", "2024-02-28 10:00"]) {
    assert.throws(() => parseTimestamp(bad), /not a timestamp/, bad);
  }
});

Deno.test("formatTimestamp() is the inverse of parseTimestamp() with 6 fractional digits", () => {
  for (
    const text of [
      "2022-11-03 14:20:49.962000",
      "2024-11-13 10:00:00.500123",
      "1969-12-31 23:59:59.999999",
      "1970-01-01 00:00:00.000000",
      "0001-01-01 00:00:00.000000",
      "9999-12-31 23:59:59.999999",
      "1900-03-01 00:00:00.000001",
    ]
  ) {
    assert.equal(formatTimestamp(parseTimestamp(text)), text);
  }
  assert.equal(formatTimestamp(-1n), "1969-12-31 23:59:59.999999");
  assert.throws(() => formatTimestamp(parseTimestamp("9999-12-31 23:59:59.999999") + 1n), /not within/);
});

Deno.test("normaliseTimestamp() and splitTimestamp() keep microseconds, text to text", () => {
  assert.equal(normaliseTimestamp("2022-11-03 14:20:49.962"), "2022-11-03 14:20:49.962000");
  assert.equal(normaliseTimestamp("2022-11-03 14:20:49"), "2022-11-03 14:20:49.000000");
  assert.deepEqual(splitTimestamp("2024-11-13 10:00:00.500123"), ["2024-11-13", "10:00:00.500123"]);
  assert.deepEqual(splitTimestamp("2024-11-13 10:00:00"), ["2024-11-13", "10:00:00.000000"]);
  assert.throws(() => splitTimestamp("2024-02-30 00:00:00"), /"2024-02-30 00:00:00": not a calendar date/);
  assert.throws(() => splitTimestamp("2024-01-01 24:00:00"), /not a time of day/);
  assert.throws(() => splitTimestamp("2024-01-01T00:00:00Z"), /not a timestamp YYYY-MM-DD HH:MM:SS.ffffff/);
});
