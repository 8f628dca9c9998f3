import assert from "node:assert/strict";
import { factPayment } from "./fact_payment.ts";

const payment = {
  payment_id: 1,
  created_at: "2022-11-03 14:20:52.186",
  last_updated: "2022-11-03 14:20:52.186",
  transaction_id: 1,
  counterparty_id: 1,
  payment_amount: "169316.88",
  currency_id: 1,
  payment_type_id: 1,
  paid: false,
  payment_date: "2022-11-08",
  company_ac_number: 32022491,
  counterparty_ac_number: 51247498,
};

Deno.test("factPayment() builds the fact row of a payment, without the account numbers", () => {
  assert.deepEqual(factPayment(payment), {
    payment_id: 1,
    created_date: "2022-11-03",
    created_time: "14:20:52.186000",
    last_updated_date: "2022-11-03",
    last_updated_time: "14:20:52.186000",
    transaction_id: 1,
    counterparty_id: 1,
    payment_amount: "169316.88",
    currency_id: 1,
    payment_type_id: 1,
    paid: false,
    payment_date: "2022-11-08",
  });
});

Deno.test("factPayment() names the column of a bad value", () => {
  assert.throws(() => factPayment({ ...payment, paid: "t" }), /payment 1: paid "t" is not a boolean/);
  assert.throws(
    () => factPayment({ ...payment, payment_amount: 3.25 }),
    /payment_amount 3.25 is not an exact amount/,
  );
  assert.throws(
    () => factPayment({ payment_id: 1, created_at: "2024-01-01 00:00:00.000000" }),
    /last_updated/,
  );
});
