/**
 * dim_staff: one row per ToteSys staff member joined to its department (department_name, location), as the
 * Northcoders ERD has it. A department change re-emits its staff (lib/transform/reference.ts), and the row's
 * version is the later `last_updated` of the two.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { BadRowError } from "../bad_row.ts";
import type { ReferenceState } from "../reference.ts";
import { int, lastUpdated, later, pk, type SourceRow, text } from "./_columns.ts";
import type { RuleContext, TableRule } from "./_rule.ts";

/**
 * The dim_staff row of a staff member, with its department from the reference state.
 *
 * @throws BadRowError naming the staff row when its department does not exist, and naming the department when
 *   its location is NULL (dim_staff.location needs a value).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimStaff } from "./dim_staff.ts";
 * import { EMPTY_REFERENCE_STATE } from "../reference.ts";
 * const department = { department_id: 2, department_name: "Purchasing", location: "Manchester",
 *   last_updated: "2022-11-03 14:20:49.962000" };
 * const state = { ...EMPTY_REFERENCE_STATE, department: { "2": department } };
 * const row = dimStaff({ staff_id: 1, first_name: "Jeremie", last_name: "Franey", department_id: 2,
 *   email_address: "jeremie.franey@terrifictotes.com", last_updated: "2022-11-03 14:20:51.563000" }, state, "r1");
 * assert.deepEqual([row.department_name, row.location], ["Purchasing", "Manchester"]);
 * assert.equal(row.source_last_updated, "2022-11-03 14:20:51.563000");
 * ```
 */
export function dimStaff(s: SourceRow, state: ReferenceState, runId: string): WarehouseRow {
  const t = "staff";
  const k = pk(t, s);
  const deptId = int(t, s, k, "department_id");
  const dept = state.department[String(deptId)];
  if (!dept) {
    throw new BadRowError(t, k, "department_id", deptId, "references a department that does not exist");
  }
  const location = dept.location;
  if (typeof location !== "string") {
    throw new BadRowError(
      "department",
      deptId,
      "location",
      location ?? null,
      "is NULL; dim_staff.location needs a value",
    );
  }
  return {
    staff_id: k,
    first_name: text(t, s, k, "first_name"),
    last_name: text(t, s, k, "last_name"),
    department_name: text("department", dept, deptId, "department_name"),
    location,
    email_address: text(t, s, k, "email_address"),
    source_last_updated: later(lastUpdated(t, s), lastUpdated("department", dept)),
    source_run_id: runId,
  };
}

/** The rule of dim_staff. */
export const DIM_STAFF: TableRule = {
  target: "dim_staff",
  source: "staff",
  build: (row: SourceRow, { runId, reference }: RuleContext) => dimStaff(row, reference, runId),
};
