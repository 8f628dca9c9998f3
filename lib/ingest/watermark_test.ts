import assert from "node:assert/strict";
import { advanceWatermark, EMPTY_WATERMARK, newVersionFilter, readLowerBound } from "./watermark.ts";

Deno.test("readLowerBound() reads everything before the first run", () => {
  assert.equal(readLowerBound(EMPTY_WATERMARK, 300), null);
});

Deno.test("readLowerBound() is the watermark minus the lag, across midnight and to the microsecond", () => {
  assert.equal(
    readLowerBound({ watermark: "2024-01-01 00:02:00.000001", recent: [] }, 300),
    "2023-12-31 23:57:00.000001",
  );
  assert.equal(
    readLowerBound({ watermark: "2024-11-13 10:00:00.500123", recent: [] }, 0),
    "2024-11-13 10:00:00.500123",
  );
});

Deno.test("advanceWatermark() moves to the largest last_updated and keeps versions inside the lag window", () => {
  const s = advanceWatermark(EMPTY_WATERMARK, [
    [1, "2024-01-01 10:00:00.000000"],
    [2, "2024-01-01 10:04:59.999999"],
    [3, "2024-01-01 10:10:00.000000"],
    [4, "2024-01-01 10:05:00.000001"],
  ], 300);
  assert.equal(s.watermark, "2024-01-01 10:10:00.000000");
  // bound 10:05:00.000000 (exclusive): 2 is outside, 4 inside
  assert.deepEqual(s.recent, [[4, "2024-01-01 10:05:00.000001"], [3, "2024-01-01 10:10:00.000000"]]);
});

Deno.test("advanceWatermark() never moves the watermark backwards (late commits with older last_updated)", () => {
  const prev = {
    watermark: "2024-01-01 10:10:00.000000",
    recent: [[3, "2024-01-01 10:10:00.000000"]] as [number, string][],
  };
  const s = advanceWatermark(prev, [[9, "2024-01-01 10:08:00.000000"]], 300);
  assert.equal(s.watermark, "2024-01-01 10:10:00.000000");
  assert.deepEqual(s.recent, [[9, "2024-01-01 10:08:00.000000"], [3, "2024-01-01 10:10:00.000000"]]);
});

Deno.test("advanceWatermark() with no captures keeps the state; the same version twice is kept once", () => {
  const prev = {
    watermark: "2024-01-01 10:10:00.000000",
    recent: [[3, "2024-01-01 10:10:00.000000"]] as [number, string][],
  };
  assert.deepEqual(advanceWatermark(prev, [], 300), prev);
  assert.deepEqual(advanceWatermark(prev, [[3, "2024-01-01 10:10:00.000000"]], 300), prev);
  assert.deepEqual(advanceWatermark(EMPTY_WATERMARK, [], 300), EMPTY_WATERMARK);
});

Deno.test("newVersionFilter() drops versions already captured, keeps a new version at the same microsecond", () => {
  const isNew = newVersionFilter({
    watermark: "2024-01-01 10:10:00.000000",
    recent: [[3, "2024-01-01 10:10:00.000000"]],
  });
  assert.equal(isNew(3, "2024-01-01 10:10:00.000000"), false);
  assert.equal(isNew(4, "2024-01-01 10:10:00.000000"), true);
  assert.equal(isNew(3, "2024-01-01 10:10:00.000001"), true);
});
