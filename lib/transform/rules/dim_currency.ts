/**
 * dim_currency: one row per ToteSys currency, with its English name (the Northcoders ERD's `currency_name`;
 * ToteSys holds only the code).
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { BadRowError } from "../bad_row.ts";
import { lastUpdated, pk, type SourceRow, text } from "./_columns.ts";
import type { RuleContext, TableRule } from "./_rule.ts";

const currencyNames = new Intl.DisplayNames(["en"], { type: "currency", fallback: "none" });

/**
 * The dim_currency row of a currency: `currency_name` is the English ISO 4217 name from `Intl.DisplayNames`
 * (GBP → "British Pound").
 *
 * @throws BadRowError naming the currency when the code is not a known ISO 4217 code.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimCurrency } from "./dim_currency.ts";
 * const row = dimCurrency({ currency_id: 1, currency_code: "GBP", last_updated: "2022-11-03 14:20:49.962000" }, "r1");
 * assert.equal(row.currency_name, "British Pound");
 * ```
 */
export function dimCurrency(c: SourceRow, runId: string): WarehouseRow {
  const t = "currency";
  const k = pk(t, c);
  const code = text(t, c, k, "currency_code");
  const name = /^[A-Z]{3}$/.test(code) ? currencyNames.of(code) : undefined;
  if (!name) throw new BadRowError(t, k, "currency_code", code, "is not an ISO 4217 currency code");
  return {
    currency_id: k,
    currency_code: code,
    currency_name: name,
    source_last_updated: lastUpdated(t, c),
    source_run_id: runId,
  };
}

/** The rule of dim_currency. */
export const DIM_CURRENCY: TableRule = {
  target: "dim_currency",
  source: "currency",
  build: (row: SourceRow, { runId }: RuleContext) => dimCurrency(row, runId),
};
