import assert from "node:assert/strict";
import { civilFromDays, daysFromCivil, daysInMonth, isoWeekday } from "./mod.ts";

Deno.test("daysFromCivil() and civilFromDays() agree with the calendar", () => {
  assert.equal(daysFromCivil(1970, 1, 1), 0);
  assert.equal(daysFromCivil(1969, 12, 31), -1);
  assert.equal(daysFromCivil(2000, 3, 1), 11017);
  for (let d = -800_000; d < 3_000_000; d += 997) {
    const [y, m, day] = civilFromDays(d);
    assert.equal(daysFromCivil(y, m, day), d);
  }
});

Deno.test("daysInMonth() knows leap years and isoWeekday() counts from Monday", () => {
  assert.equal(daysInMonth(2024, 2), 29);
  assert.equal(daysInMonth(1900, 2), 28);
  assert.equal(daysInMonth(2000, 2), 29);
  assert.equal(isoWeekday(daysFromCivil(2024, 11, 11)), 1); // a Monday
  assert.equal(isoWeekday(daysFromCivil(2024, 11, 17)), 7); // a Sunday
});
