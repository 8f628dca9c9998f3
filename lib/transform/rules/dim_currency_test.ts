import assert from "node:assert/strict";
import { dimCurrency } from "./dim_currency.ts";

const row = (code: string) => ({
  currency_id: 1,
  currency_code: code,
  last_updated: "2022-11-03 14:20:49.962000",
});

Deno.test("dimCurrency() names ISO 4217 codes through Intl and rejects unknown ones", () => {
  assert.deepEqual(dimCurrency(row("GBP"), "r"), {
    currency_id: 1,
    currency_code: "GBP",
    currency_name: "British Pound",
    source_last_updated: "2022-11-03 14:20:49.962000",
    source_run_id: "r",
  });
  assert.equal(dimCurrency(row("USD"), "r").currency_name, "US Dollar");
  assert.equal(dimCurrency(row("EUR"), "r").currency_name, "Euro");
  assert.throws(
    () => dimCurrency(row("ZZZ"), "r"),
    /currency 1: currency_code "ZZZ" is not an ISO 4217 currency code/,
  );
  assert.throws(() => dimCurrency(row("gbp"), "r"), /is not an ISO 4217 currency code/);
});
