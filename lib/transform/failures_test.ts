import assert from "node:assert/strict";
import { BadRowError } from "./bad_row.ts";
import { failureKeys, settleFailures, SupersedingRuns } from "./failures.ts";
import type { IngestManifest } from "../run/mod.ts";

const staffFailure = {
  source: "staff" as const,
  row: { staff_id: 3, department_id: 2 },
  error: new BadRowError("department", 2, "location", null, "is NULL; dim_staff.location needs a value"),
};

Deno.test("failureKeys() names the failed row and the joined row its error names", () => {
  assert.deepEqual(failureKeys(staffFailure), [["staff", 3], ["department", 2]]);
});

Deno.test("a later version of the joined department supersedes the staff failure; the first later run counts", () => {
  const runs = new SupersedingRuns([staffFailure]);
  runs.noteRow("r3", "department", { department_id: 2, location: "Leeds" });
  runs.noteRow("r4", "department", { department_id: 2, location: "York" });
  runs.noteRow("r4", "department", { department_id: 9 });
  assert.equal(runs.by(staffFailure), "r3");
  const [settled] = settleFailures("r2", [staffFailure], runs);
  assert.equal(settled!.record.reason, "is NULL; dim_staff.location needs a value; superseded by run r3");
});

Deno.test("a later deletion supersedes a failure; none stops the run naming the first failure", () => {
  const runs = new SupersedingRuns([staffFailure]);
  assert.throws(
    () => settleFailures("r2", [staffFailure], runs),
    /Cannot transform department 2: location null/,
  );
  runs.noteDeletions({ run_id: "r5", tables: { staff: { deleted: [[1, 4]] } } } as unknown as IngestManifest);
  assert.equal(runs.by(staffFailure), "r5");
});
