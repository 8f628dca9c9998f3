import assert from "node:assert/strict";
import { formatDecimal, normaliseAmount, parseDecimal, ValueError } from "./mod.ts";

Deno.test("parseDecimal() gives the unscaled value exactly", () => {
  assert.equal(parseDecimal("3.25"), 325n);
  assert.equal(parseDecimal("0.00"), 0n);
  assert.equal(parseDecimal("-0.00"), 0n);
  assert.equal(parseDecimal("-0.01"), -1n);
  assert.equal(parseDecimal("99999999.99"), 9_999_999_999n);
  assert.equal(parseDecimal("9999999999.99"), 999_999_999_999n);
  assert.equal(parseDecimal("-9999999999.99"), -999_999_999_999n);
  assert.equal(parseDecimal("7"), 700n);
  assert.equal(parseDecimal("7.5"), 750n);
  assert.equal(parseDecimal("0.1"), 10n);
  assert.equal(parseDecimal("007.05"), 705n);
});

Deno.test("parseDecimal() rejects 3 decimals instead of rounding, quoting the value and column", () => {
  assert.throws(() => parseDecimal("2.675", "unit_price"), {
    message: 'Cannot encode unit_price "2.675": more than 2 decimal places',
  });
  assert.throws(() => parseDecimal("2.670", "unit_price"), /more than 2 decimal places/);
});

Deno.test("parseDecimal() rejects values outside decimal(12,2) and non-decimal text", () => {
  assert.throws(() => parseDecimal("10000000000.00", "payment_amount"), {
    message: 'Cannot encode payment_amount "10000000000.00": out of range for decimal(12,2)',
  });
  assert.throws(() => parseDecimal("-10000000000"), /out of range/);
  for (
    const bad of ["", "abc", "1e3", " 1.00", "1.00 ", "+1.00", "1.", ".5", "1,00", "--1", "NaN", "Infinity"]
  ) {
    assert.throws(() => parseDecimal(bad, "x"), {
      message: `Cannot encode x ${JSON.stringify(bad)}: not decimal text like 3.25`,
    });
  }
});

Deno.test("formatDecimal() gives canonical text with 2 decimals", () => {
  assert.equal(formatDecimal(325n), "3.25");
  assert.equal(formatDecimal(0n), "0.00");
  assert.equal(formatDecimal(5n), "0.05");
  assert.equal(formatDecimal(-1n), "-0.01");
  assert.equal(formatDecimal(-100n), "-1.00");
  assert.equal(formatDecimal(999_999_999_999n), "9999999999.99");
  assert.throws(() => formatDecimal(1_000_000_000_000n), /out of range/);
});

Deno.test("normaliseAmount() gives 2 decimals, text to text, and refuses to round", () => {
  assert.equal(normaliseAmount("3.9"), "3.90");
  assert.equal(normaliseAmount("3.940"), "3.94");
  assert.equal(normaliseAmount("007"), "7.00");
  assert.equal(normaliseAmount("-0.5"), "-0.50");
  assert.equal(normaliseAmount("99999999.99", 8), "99999999.99");
  assert.throws(
    () => normaliseAmount("2.675", 10, "unit_price"),
    (e) => e instanceof ValueError && e.problem === "decimals" && e.column === "unit_price",
  );
  assert.throws(
    () => normaliseAmount("100000000.00", 8),
    (e) => e instanceof ValueError && e.problem === "range",
  );
  for (const bad of ["", "3.", ".5", "1e3", "+1", "3,50"]) {
    assert.throws(() => normaliseAmount(bad), (e) => e instanceof ValueError && e.problem === "shape", bad);
  }
});
