import assert from "node:assert/strict";
import { money, splitTimestamp } from "./_columns.ts";

Deno.test("money() never rounds: exact decimal text only", () => {
  assert.equal(money("t", { m: "1000000" }, 1, "m"), "1000000.00");
  assert.equal(money("t", { m: "-0.5" }, 1, "m"), "-0.50");
  assert.equal(money("t", { m: "3.9400" }, 1, "m"), "3.94");
  assert.equal(money("t", { m: "0003.10" }, 1, "m"), "3.10");
  assert.equal(money("t", { m: "9999999999.99" }, 1, "m"), "9999999999.99");
  assert.throws(() => money("t", { m: "3.941" }, 1, "m"), /m "3.941" has more than 2 decimals/);
  assert.throws(() => money("t", { m: 3.25 }, 1, "m"), /m 3.25 is not an exact amount/);
  assert.throws(() => money("t", { m: "1e5" }, 1, "m"), /m "1e5" is not an exact amount/);
});

Deno.test("splitTimestamp() handles dates before 1970", () => {
  assert.deepEqual(splitTimestamp("t", { c: "1969-12-31 23:59:59.999999" }, 1, "c"), [
    "1969-12-31",
    "23:59:59.999999",
  ]);
});
