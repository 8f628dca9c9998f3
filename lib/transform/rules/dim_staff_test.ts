import assert from "node:assert/strict";
import { EMPTY_REFERENCE_STATE } from "../reference.ts";
import { dimStaff } from "./dim_staff.ts";

const staff = {
  staff_id: 1,
  first_name: "Jeremie",
  last_name: "Franey",
  department_id: 1,
  email_address: "jeremie.franey@terrifictotes.com",
  last_updated: "2022-11-03 14:20:49.962000",
};
const department = {
  department_id: 1,
  department_name: "Sales",
  location: "Manchester",
  manager: "Richard Roma",
  last_updated: "2022-11-04 09:00:00.000000",
};
const state = { ...EMPTY_REFERENCE_STATE, department: { "1": department } };

Deno.test("dimStaff() joins the department and takes the later last_updated as the version", () => {
  assert.deepEqual(dimStaff(staff, state, "r"), {
    staff_id: 1,
    first_name: "Jeremie",
    last_name: "Franey",
    department_name: "Sales",
    location: "Manchester",
    email_address: "jeremie.franey@terrifictotes.com",
    source_last_updated: "2022-11-04 09:00:00.000000",
    source_run_id: "r",
  });
});

Deno.test("dimStaff() fails naming the staff row when its department is missing", () => {
  assert.throws(
    () => dimStaff({ ...staff, staff_id: 7, department_id: 99 }, EMPTY_REFERENCE_STATE, "r"),
    /Cannot transform staff 7: department_id 99 references a department that does not exist/,
  );
});

Deno.test("dimStaff() fails naming the department when its location is NULL", () => {
  const noLocation = { ...EMPTY_REFERENCE_STATE, department: { "1": { ...department, location: null } } };
  assert.throws(
    () => dimStaff(staff, noLocation, "r"),
    /Cannot transform department 1: location null is NULL; dim_staff.location needs a value/,
  );
});
