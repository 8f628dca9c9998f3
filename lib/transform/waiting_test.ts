import assert from "node:assert/strict";
import { EmittedKeys, MissingReferenceError, releasable } from "./waiting.ts";

Deno.test("EmittedKeys: off for states written before it existed, empty for a first run", () => {
  assert.equal(EmittedKeys.from({ run_id: "r1" }), undefined);
  const first = EmittedKeys.from({ run_id: null })!;
  assert.throws(
    () => first.check("payment", 2, { transaction_id: 2 }, [["transaction_id", "dim_transaction"]]),
    (e: unknown) => e instanceof MissingReferenceError && e.column === "transaction_id" && e.value === 2,
  );
  first.add("dim_transaction", 2);
  first.check("payment", 2, { transaction_id: 2 }, [["transaction_id", "dim_transaction"]]);
  assert.deepEqual(first.toJSON().dim_transaction, [[2, 2]]);
});

Deno.test("releasable(): not the rows replaced by a newer version or deleted at the source", () => {
  const w = (id: number) => ({
    source: "payment" as const,
    row: { payment_id: id },
    column: "c",
    value: 1,
    reason: "r",
  });
  const waiting = [w(1), w(2), w(3), { ...w(4), source: "sales_order" as const }];
  assert.deepEqual(releasable(waiting, "payment", new Set([2]), [[3, 3]]), [w(1)]);
});
