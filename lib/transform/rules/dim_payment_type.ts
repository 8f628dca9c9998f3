/**
 * dim_payment_type: one row per ToteSys payment type, its enum name as text (the Northcoders ERD).
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { lastUpdated, pk, type SourceRow, text } from "./_columns.ts";
import type { RuleContext, TableRule } from "./_rule.ts";

/**
 * The dim_payment_type row of a payment type.
 *
 * @throws BadRowError naming the payment type when its name is NULL or not text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimPaymentType } from "./dim_payment_type.ts";
 * const row = dimPaymentType({ payment_type_id: 1, payment_type_name: "SALES_RECEIPT",
 *   last_updated: "2022-11-03 14:20:49.962000" }, "r1");
 * assert.equal(row.payment_type_name, "SALES_RECEIPT");
 * ```
 */
export function dimPaymentType(p: SourceRow, runId: string): WarehouseRow {
  const t = "payment_type";
  const k = pk(t, p);
  return {
    payment_type_id: k,
    payment_type_name: text(t, p, k, "payment_type_name"),
    source_last_updated: lastUpdated(t, p),
    source_run_id: runId,
  };
}

/** The rule of dim_payment_type. */
export const DIM_PAYMENT_TYPE: TableRule = {
  target: "dim_payment_type",
  source: "payment_type",
  build: (row: SourceRow, { runId }: RuleContext) => dimPaymentType(row, runId),
};
