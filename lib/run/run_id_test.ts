import assert from "node:assert/strict";
import { isRunId, makeRunId, runIdPartition, runIdTime } from "./run_id.ts";

Deno.test("makeRunId() gives a UTC, key-safe, time-sortable id", () => {
  const id = makeRunId(Date.UTC(2026, 10, 30, 8, 45, 1, 123), "0a1b2c");
  assert.equal(id, "20261130T084501123Z-0a1b2c");
  assert.match(id, /^[0-9A-Za-z_-]+$/);
  assert.equal(runIdTime(id), Date.UTC(2026, 10, 30, 8, 45, 1, 123));
  assert.equal(runIdPartition(id), "2026/11/30");
  assert.ok(makeRunId(Date.UTC(2026, 10, 30, 8, 45, 1, 124), "000000") > id);
});

Deno.test("makeRunId() stays after the previous id when the clock went back", () => {
  const prev = "20261130T084501123Z-ffffff";
  const id = makeRunId(Date.UTC(2026, 10, 30, 8, 0, 0), "000000", prev);
  assert.equal(id, "20261130T084501124Z-000000");
  assert.ok(id > prev);
});

Deno.test("run ids are validated", () => {
  assert.equal(isRunId("2026-11-30T08:45:01Z"), false);
  assert.throws(() => runIdTime("nope"), /Malformed run id "nope"/);
  assert.throws(() => makeRunId(0, "xyz"), /six hex digits, got "xyz"/);
});
