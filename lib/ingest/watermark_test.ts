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
  // bound 10:05:00.000000 (inclusive): 2 is outside, 4 inside
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
    covered_from: "2024-01-01 10:05:00.000000",
  };
  assert.deepEqual(advanceWatermark(prev, [], 300), prev);
  assert.deepEqual(advanceWatermark(prev, [[3, "2024-01-01 10:10:00.000000"]], 300), prev);
  assert.deepEqual(advanceWatermark(EMPTY_WATERMARK, [], 300), EMPTY_WATERMARK);
});

Deno.test("a raised lag never reads below the versions kept: the window widens as the watermark moves", () => {
  const s1 = advanceWatermark(EMPTY_WATERMARK, [[1, "2024-01-01 10:00:00.000000"]], 1);
  assert.equal(s1.covered_from, "2024-01-01 09:59:59.000000");
  // the lag is raised to an hour: the next read still starts where the kept versions start
  assert.equal(readLowerBound(s1, 3600), "2024-01-01 09:59:59.000000");
  const s2 = advanceWatermark(s1, [[2, "2024-01-01 10:30:00.000000"]], 3600);
  assert.equal(s2.covered_from, "2024-01-01 09:59:59.000000");
  assert.deepEqual(s2.recent.map((v) => v[0]), [1, 2]);
  const s3 = advanceWatermark(s2, [[3, "2024-01-01 12:00:00.000000"]], 3600);
  assert.equal(s3.covered_from, "2024-01-01 11:00:00.000000");
  assert.equal(readLowerBound(s3, 3600), "2024-01-01 11:00:00.000000");
  // and a lowered lag reads from the new, later bound
  assert.equal(readLowerBound(s3, 60), "2024-01-01 11:59:00.000000");
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

Deno.test("advanceWatermark() caps the watermark at the snapshot's clock; future versions stay in the window", () => {
  const s = advanceWatermark(
    EMPTY_WATERMARK,
    [
      [1, "2024-01-01 10:00:00.000000"],
      [2, "2024-01-02 10:00:00.000000"], // a writer's clock a day ahead
    ],
    300,
    "2024-01-01 10:01:00.000000",
  );
  assert.equal(s.watermark, "2024-01-01 10:01:00.000000");
  assert.deepEqual(s.recent, [[1, "2024-01-01 10:00:00.000000"], [2, "2024-01-02 10:00:00.000000"]]);
  const isNew = newVersionFilter(s);
  assert.equal(isNew(2, "2024-01-02 10:00:00.000000"), false);
  assert.equal(readLowerBound(s, 300), "2024-01-01 09:56:00.000000");
});

Deno.test("advanceWatermark() with lag 0 keeps the versions at the watermark's exact microsecond", () => {
  const s = advanceWatermark(EMPTY_WATERMARK, [[1, "2024-01-01 10:00:00.000000"]], 0);
  assert.deepEqual(s.recent, [[1, "2024-01-01 10:00:00.000000"]]);
  assert.equal(readLowerBound(s, 0), "2024-01-01 10:00:00.000000");
  assert.equal(newVersionFilter(s)(2, "2024-01-01 10:00:00.000000"), true);
});
