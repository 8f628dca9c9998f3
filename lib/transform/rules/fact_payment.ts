/**
 * fact_payment: one row per captured version of a ToteSys payment (docs/design.md section 5; issue 4), the
 * contract's columns (those of the Northcoders reference DDL); `payment_record_id` is left to the warehouse.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import type { SourceRow } from "./_columns.ts";
import { contractRow, contractRule } from "./_from_contract.ts";
import type { TableRule } from "./_rule.ts";

/**
 * The fact_payment row of a payment version: stamps split to the microsecond, the amount exact to the cent,
 * the payment date checked and kept as text.
 *
 * @throws BadRowError naming the payment, column and value.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { factPayment } from "./fact_payment.ts";
 * const row = factPayment({ payment_id: 2, created_at: "2022-11-03 14:20:52.187", last_updated:
 *   "2022-11-03 14:20:52.187", transaction_id: 2, counterparty_id: 15, payment_amount: "552548.62",
 *   currency_id: 2, payment_type_id: 3, paid: false, payment_date: "2022-11-04",
 *   company_ac_number: 67305075, counterparty_ac_number: 31622269 });
 * assert.equal(row.payment_amount, "552548.62");
 * assert.deepEqual(Object.keys(row).slice(0, 2), ["payment_id", "created_date"]); // the contract's columns
 * ```
 */
export const factPayment: (row: SourceRow) => WarehouseRow = contractRow("fact_payment");

/** The rule of fact_payment: its contract's columns, copied and checked. */
export const FACT_PAYMENT: TableRule = contractRule("fact_payment");
