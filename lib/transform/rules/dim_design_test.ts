import assert from "node:assert/strict";
import { dimDesign } from "./dim_design.ts";

const design = {
  design_id: 1,
  created_at: "2022-11-03 14:20:49.962000",
  design_name: "Wooden",
  file_location: "/usr",
  file_name: "wooden-20220717-npgz.json",
  last_updated: "2022-11-03 14:20:49.962000",
};

Deno.test("dimDesign() keeps the design without its created_at", () => {
  assert.deepEqual(dimDesign(design, "r"), {
    design_id: 1,
    design_name: "Wooden",
    file_location: "/usr",
    file_name: "wooden-20220717-npgz.json",
    source_last_updated: "2022-11-03 14:20:49.962000",
    source_run_id: "r",
  });
});

Deno.test("dimDesign() names the design when a value is not text", () => {
  assert.throws(() => dimDesign({ ...design, file_name: 7 }, "r"), /design 1: file_name 7 is not text/);
});
