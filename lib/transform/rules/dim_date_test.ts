import assert from "node:assert/strict";
import type { WarehouseRow } from "../../contract/mod.ts";
import { dateRangeCovering, dimDateRows, newDateRows, unionRange } from "./dim_date.ts";

Deno.test("dimDateRows() is contiguous with ISO weekdays, English names and quarters", () => {
  const rows = [...dimDateRows("2023-12-30", "2024-03-01")];
  assert.equal(rows.length, 63);
  assert.deepEqual(rows[0], {
    date_id: "2023-12-30",
    year: 2023,
    month: 12,
    day: 30,
    day_of_week: 6,
    day_name: "Saturday",
    month_name: "December",
    quarter: 4,
  });
  const leap = rows.find((r) => r.date_id === "2024-02-29")!;
  assert.deepEqual([leap.day_of_week, leap.day_name, leap.quarter], [4, "Thursday", 1]);
  // every weekday agrees with Intl (UTC)
  const fmt = new Intl.DateTimeFormat("en-GB", { weekday: "long", timeZone: "UTC" });
  for (const r of rows) assert.equal(r.day_name, fmt.format(new Date(`${r.date_id}T12:00:00Z`)));
  for (let i = 1; i < rows.length; i++) assert.ok(String(rows[i]!.date_id) > String(rows[i - 1]!.date_id));
});

Deno.test("dim_date ranges cover whole years and only grow", () => {
  assert.deepEqual(dateRangeCovering("2022-11-03", "2024-12-01"), ["2022-01-01", "2024-12-31"]);
  assert.deepEqual(unionRange(["2022-01-01", "2023-12-31"], ["2021-01-01", "2021-12-31"]), [
    "2021-01-01",
    "2023-12-31",
  ]);
  assert.deepEqual(unionRange(null, ["2021-01-01", "2021-12-31"]), ["2021-01-01", "2021-12-31"]);
});

Deno.test("newDateRows() gives only the days the range gained, up to 9999-12-31", () => {
  const dates = (rows: Iterable<WarehouseRow>) => [...rows].map((r) => r.date_id);
  assert.deepEqual(dates(newDateRows(["2022-01-01", "2022-12-31"], ["2022-01-01", "2022-12-31"])), []);
  const grown = dates(newDateRows(["2022-01-01", "2022-12-31"], ["2021-01-01", "2023-12-31"]));
  assert.equal(grown.length, 365 * 2);
  assert.deepEqual([grown[0], grown[364], grown[365], grown.at(-1)], [
    "2021-01-01",
    "2021-12-31",
    "2023-01-01",
    "2023-12-31",
  ]);
  assert.equal(
    dates(newDateRows(["2022-01-01", "2022-12-31"], ["2022-01-01", "9999-12-31"])).at(-1),
    "9999-12-31",
  );
});
