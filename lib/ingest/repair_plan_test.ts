import assert from "node:assert/strict";
import { repairEntry, repairIds, repairOutcome, repairSnapshotAt } from "./repair_plan.ts";
import type { IngestState } from "../run/manifest.ts";

const columns = [{ name: "staff_id", type: "integer" }];

Deno.test("repairIds() merges the keys to re-read and to delete, ascending, once each", () => {
  assert.deepEqual(repairIds("staff", { reread: [3, 1], deleted: [2, 3] }), [1, 2, 3]);
  assert.deepEqual(repairIds("staff", { reread: [], deleted: [] }), []);
  assert.throws(
    () => repairIds("payment", { reread: [], deleted: [2 ** 53] }),
    /Invalid payment key 9007199254740992/,
  );
});

Deno.test("repairEntry() keeps the previous run's position and columns", () => {
  const state: IngestState = { run_id: "r1", version: 2, snapshot: "10:12:", tables: { staff: { columns } } };
  assert.deepEqual(repairEntry(state, "staff"), {
    previous_watermark: "10:12:",
    watermark: "10:12:",
    object: null,
    columns,
    added_columns: [],
  });
  assert.deepEqual(repairEntry({ run_id: "r1", tables: {} }, "staff").columns, []);
});

Deno.test("repairOutcome() turns keys ToteSys no longer has into deletions and corrects the live keys", () => {
  const before = {
    columns,
    live: [[1, 50]] as [number, number][],
    max_last_updated: "2026-11-30 09:00:00.000000",
  };
  const out = repairOutcome("staff", before, [3, 4, 60], new Set([4, 60]), 0.1);
  assert.deepEqual(out.gone, [[3, 3]]);
  assert.deepEqual(out.state, {
    columns,
    live: [[1, 2], [4, 50], [60, 60]],
    max_last_updated: "2026-11-30 09:00:00.000000",
  });
});

Deno.test("repairOutcome() keeps a state without live keys, and guards against mass deletion", () => {
  assert.deepEqual(repairOutcome("staff", { columns }, [1], new Set([1]), 0.1), {
    gone: [],
    state: undefined,
  });
  assert.throws(
    () => repairOutcome("staff", { columns, live: [[1, 10]] }, [1, 2], new Set(), 0.1),
    /2 of 10 staff rows \(20\.0 %\)/,
  );
});

Deno.test("repairSnapshotAt() writes the run's start with six fractional digits, UTC", () => {
  assert.equal(repairSnapshotAt(0), "1970-01-01 00:00:00.000000");
});
