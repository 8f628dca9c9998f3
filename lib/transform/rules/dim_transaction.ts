/**
 * dim_transaction: one row per ToteSys transaction, its type as text; the order ids stay NULL where the
 * transaction has none (the Northcoders ERD). transaction is a big table: its rows are streamed.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { intOrNull, lastUpdated, pk, type SourceRow, text } from "./_columns.ts";
import type { RuleContext, TableRule } from "./_rule.ts";

/**
 * The dim_transaction row of a transaction.
 *
 * @throws BadRowError naming the transaction and column when the type is NULL or an order id is not an integer.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimTransaction } from "./dim_transaction.ts";
 * const row = dimTransaction({ transaction_id: 1, transaction_type: "PURCHASE", sales_order_id: null,
 *   purchase_order_id: 2, last_updated: "2022-11-03 14:20:52.186000" }, "r1");
 * assert.deepEqual([row.sales_order_id, row.purchase_order_id], [null, 2]);
 * ```
 */
export function dimTransaction(x: SourceRow, runId: string): WarehouseRow {
  const t = "transaction";
  const k = pk(t, x);
  return {
    transaction_id: k,
    transaction_type: text(t, x, k, "transaction_type"),
    sales_order_id: intOrNull(t, x, k, "sales_order_id"),
    purchase_order_id: intOrNull(t, x, k, "purchase_order_id"),
    source_last_updated: lastUpdated(t, x),
    source_run_id: runId,
  };
}

/** The rule of dim_transaction. */
export const DIM_TRANSACTION: TableRule = {
  target: "dim_transaction",
  source: "transaction",
  build: (row: SourceRow, { runId }: RuleContext) => dimTransaction(row, runId),
};
