import assert from "node:assert/strict";
import { addDays, checkDate, formatDate, parseDate, ValueError } from "./mod.ts";

Deno.test("parseDate() gives days since 1970-01-01", () => {
  assert.equal(parseDate("1970-01-01"), 0);
  assert.equal(parseDate("1969-12-31"), -1);
  assert.equal(parseDate("2024-02-29"), 19_782);
  assert.equal(parseDate("2000-02-29"), 11_016);
  assert.equal(parseDate("9999-12-31"), 2_932_896);
  assert.equal(parseDate("0001-01-01"), -719_162);
});

Deno.test("parseDate() rejects non-calendar dates, quoting the value", () => {
  assert.throws(() => parseDate("2024-02-30", "agreed_payment_date"), {
    message: 'Cannot encode agreed_payment_date "2024-02-30": not a calendar date',
  });
  for (
    const bad of [
      "2023-02-29",
      "1900-02-29",
      "2024-13-01",
      "2024-00-10",
      "2024-04-31",
      "2024-01-00",
      "0000-01-01",
    ]
  ) {
    assert.throws(() => parseDate(bad), /not a calendar date/, bad);
  }
  for (
    const bad of ["2024-1-01", "24-01-01", "2024/01/01", "2024-01-01 ", "2024-01-01T00:00", "", "10000-01-01"]
  ) {
    assert.throws(() => parseDate(bad), /not a date YYYY-MM-DD/, bad);
  }
});

Deno.test("parseDate() and formatDate() agree with the proleptic Gregorian calendar over 1600-2400", () => {
  const first = Date.UTC(1600, 0, 1) / 86_400_000; // a test oracle only: the codec uses no Date
  const last = Date.UTC(2400, 11, 31) / 86_400_000;
  for (let day = first; day <= last; day++) {
    const text = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (formatDate(day) !== text) assert.fail(`formatDate(${day}) = ${formatDate(day)}, expected ${text}`);
    if (parseDate(text) !== day) assert.fail(`parseDate(${text}) = ${parseDate(text)}, expected ${day}`);
  }
});

Deno.test("formatDate() rejects days outside years 0001-9999", () => {
  assert.equal(formatDate(-719_162), "0001-01-01");
  assert.equal(formatDate(2_932_896), "9999-12-31");
  assert.throws(() => formatDate(2_932_897), /not a day between/);
  assert.throws(() => formatDate(-719_163), /not a day between/);
  assert.throws(() => formatDate(0.5), /not a day between/);
});

Deno.test("checkDate() keeps the text and names the problem without a day number", () => {
  assert.equal(checkDate("2024-12-01"), "2024-12-01");
  assert.throws(() => checkDate("2024-02-30", "agreed_payment_date"), {
    message: 'Cannot encode agreed_payment_date "2024-02-30": not a calendar date',
  });
  assert.throws(() => checkDate("2024-2-30"), (e) => e instanceof ValueError && e.problem === "shape");
  assert.throws(() => checkDate("0000-01-01"), (e) => e instanceof ValueError && e.problem === "calendar");
});

Deno.test("addDays() steps over month, year and leap-day ends", () => {
  assert.equal(addDays("2024-02-28", 1), "2024-02-29");
  assert.equal(addDays("2024-02-29", 1), "2024-03-01");
  assert.equal(addDays("2025-01-01", -1), "2024-12-31");
});
