import assert from "node:assert/strict";
import {
  capturePosition,
  expectedLive,
  laterOf,
  latestRunId,
  liveAfter,
  runManifest,
  tableCapture,
  type TableRead,
} from "./capture.ts";
import type { ManifestTable } from "../run/manifest.ts";
import type { SourceTableName } from "../contract/mod.ts";

const position = { snapshot: { xmin: 500, xmax: 510, xip: [503] }, seen: [505] };
const columns = [{ name: "staff_id", type: "integer" }];
const noDrift = { added: [], dropped: [], retyped: [] };
const read = (extra: Partial<TableRead> = {}): TableRead => ({
  rows: 0,
  bytes: 0,
  object: null,
  candidates: [],
  maxLastUpdated: null,
  ...extra,
});

Deno.test("capturePosition() reads version 2 states only: a version 1 state forces one full read", () => {
  assert.equal(capturePosition({ run_id: "r1", tables: {} }), null);
  assert.equal(capturePosition({ run_id: "r1", version: 2, tables: {} }), null);
  assert.deepEqual(capturePosition({ run_id: "r1", version: 2, snapshot: "500:510:503", tables: {} }), {
    snapshot: { xmin: 500, xmax: 510, xip: [503] },
    seen: [],
  });
});

Deno.test("latestRunId() prefers the newest manifest listed after a lagging pointer", () => {
  assert.equal(latestRunId("r1", ["r2", "r3"]), "r3");
  assert.equal(latestRunId("r1", []), "r1");
  assert.equal(latestRunId(undefined, ["r1"]), "r1");
  assert.equal(latestRunId(undefined, []), null);
});

Deno.test("laterOf() keeps the later microsecond timestamp and ignores nulls", () => {
  assert.equal(laterOf(null, null), null);
  assert.equal(laterOf("2026-11-30 09:00:00.000001", null), "2026-11-30 09:00:00.000001");
  assert.equal(laterOf(null, "2026-11-30 09:00:00.000001"), "2026-11-30 09:00:00.000001");
  assert.equal(
    laterOf("2026-11-30 09:00:00.000002", "2026-11-30 09:00:00.000001"),
    "2026-11-30 09:00:00.000002",
  );
});

Deno.test("expectedLive() is null without a version 2 position or recorded live keys", () => {
  assert.equal(expectedLive("staff", null, { columns, live: [[1, 3]] }, [], 3), null);
  assert.equal(expectedLive("staff", position, { columns }, [], 3), null);
  assert.equal(expectedLive("staff", position, undefined, [], 3), null);
});

Deno.test("expectedLive() counts the missing keys: previous live keys plus candidates, minus the rows counted", () => {
  const before = { columns, live: [[1, 100]] as [number, number][] };
  // rows 50 and 101..102 changed (50 already live), 3 rows gone
  assert.deepEqual(expectedLive("staff", position, before, [[50, 50], [101, 102]], 99), {
    expected: [[1, 102]],
    missing: 3,
  });
  assert.deepEqual(expectedLive("staff", position, before, [], 100), { expected: [[1, 100]], missing: 0 });
});

Deno.test("expectedLive() refuses a table with more rows than the state accounts for, naming it", () => {
  assert.throws(
    () => expectedLive("address", position, { columns, live: [[1, 10]] }, [], 11),
    /ToteSys table address has 11 rows but the capture state accounts for 10/,
  );
});

Deno.test("liveAfter() removes the deleted keys, unless the mass-delete guard stops the run", () => {
  assert.deepEqual(liveAfter("staff", [[1, 100]], [[10, 12]], 0.1), [[1, 9], [13, 100]]);
  assert.deepEqual(liveAfter("staff", [[1, 100]], [], 0.1), [[1, 100]]);
  assert.deepEqual(liveAfter("staff", [[1, 100]], [[1, 10]], 0.1), [[11, 100]]); // exactly 10 %: allowed
  assert.throws(() => liveAfter("staff", [[1, 100]], [[1, 11]], 0.1), /11 of 100 staff rows \(11\.0 %\)/);
  assert.deepEqual(liveAfter("staff", [[1, 100]], [[1, 100]], 1), []);
});

Deno.test("tableCapture() builds the state, the manifest entry and the counts of a table", () => {
  const object = { key: "staff/2026/11/30/r2.jsonl", rows: 2, bytes: 40, sha256: "ab" };
  const out = tableCapture({
    columns,
    before: { columns, live: [[1, 10]], max_last_updated: "2026-11-30 08:00:00.000000" },
    drift: { added: ["nickname"], dropped: [], retyped: ["colour: text -> integer"] },
    read: read({
      rows: 2,
      bytes: 40,
      object,
      candidates: [[4, 4], [11, 11]],
      maxLastUpdated: "2026-11-30 09:00:00.000000",
    }),
    liveRows: 10,
    live: [[2, 11]],
    deleted: [[1, 1]],
    previousSnapshot: "400:401:",
    snapshot: "500:510:503",
  });
  assert.deepEqual(out.state, { columns, live: [[2, 11]], max_last_updated: "2026-11-30 09:00:00.000000" });
  assert.deepEqual(out.manifest, {
    previous_watermark: "400:401:",
    watermark: "500:510:503",
    object,
    deleted: [[1, 1]],
    live_rows: 10,
    max_last_updated: "2026-11-30 09:00:00.000000",
    columns,
    added_columns: ["nickname"],
    retyped_columns: ["colour: text -> integer"],
  });
  assert.deepEqual(out.counts, { rows: 2, bytes: 40, deleted: 1 });
});

Deno.test("tableCapture() of an unchanged table keeps the freshness and lists no deletions", () => {
  const out = tableCapture({
    columns,
    before: { columns, live: [[1, 10]], max_last_updated: "2026-11-30 08:00:00.000000" },
    drift: noDrift,
    read: read(),
    liveRows: 10,
    live: [[1, 10]],
    deleted: [],
    previousSnapshot: null,
    snapshot: "500:510:503",
  });
  assert.equal(out.manifest.deleted, undefined);
  assert.equal(out.manifest.dropped_columns, undefined);
  assert.equal(out.manifest.max_last_updated, "2026-11-30 08:00:00.000000");
  assert.deepEqual(out.counts, { rows: 0, bytes: 0 });
});

Deno.test("runManifest() writes the runner's times as ISO 8601 UTC and the snapshot's clock as given", () => {
  const tables = {} as Record<SourceTableName, ManifestTable>;
  const times = {
    started: Date.UTC(2026, 10, 30, 9, 0, 0, 123),
    finished: Date.UTC(2026, 10, 30, 9, 0, 2, 5),
    snapshotAt: "2026-11-30 09:00:00.100000",
  };
  assert.deepEqual(runManifest("r2", null, times, "repair", tables), {
    kind: "ingest",
    version: 2,
    run_id: "r2",
    previous_run_id: null,
    started_at: "2026-11-30T09:00:00.123Z",
    finished_at: "2026-11-30T09:00:02.005Z",
    snapshot_at: "2026-11-30 09:00:00.100000",
    purpose: "repair",
    tables,
  });
});
