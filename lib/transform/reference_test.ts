import assert from "node:assert/strict";
import {
  applyReferenceChanges,
  dimensionInputs,
  EMPTY_REFERENCE_STATE,
  type SmallChanges,
} from "./reference.ts";

const none: SmallChanges = {
  address: [],
  department: [],
  staff: [],
  counterparty: [],
  currency: [],
  design: [],
  payment_type: [],
};
const staff = (id: number, department_id: number) => ({ staff_id: id, department_id });

Deno.test("applyReferenceChanges() keeps the latest row per key and drops deleted keys", () => {
  const first = applyReferenceChanges(EMPTY_REFERENCE_STATE, { ...none, staff: [staff(1, 1), staff(2, 1)] });
  const next = applyReferenceChanges(first, { ...none, staff: [staff(2, 3)] }, { staff: [1] });
  assert.deepEqual(next.staff, { "2": staff(2, 3) });
  assert.deepEqual(first.staff["1"], staff(1, 1)); // the input is not changed
});

Deno.test("dimensionInputs() re-emits the staff of a changed department, sorted by key", () => {
  const state = applyReferenceChanges(EMPTY_REFERENCE_STATE, {
    ...none,
    staff: [staff(3, 1), staff(1, 1), staff(2, 2)],
  });
  const changes = { ...none, department: [{ department_id: 1, location: "Leeds" }], staff: [staff(2, 2)] };
  const inputs = dimensionInputs(applyReferenceChanges(state, changes), changes);
  assert.deepEqual(inputs.dim_staff!.map((s) => s.staff_id), [1, 2, 3]);
  assert.deepEqual(inputs.dim_counterparty, []);
});
