/**
 * dim_design: one row per ToteSys design, without its timestamps (the Northcoders ERD).
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { lastUpdated, pk, type SourceRow, text } from "./_columns.ts";
import type { RuleContext, TableRule } from "./_rule.ts";

/**
 * The dim_design row of a design.
 *
 * @throws BadRowError naming the design and column when a value is NULL or not text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimDesign } from "./dim_design.ts";
 * const row = dimDesign({ design_id: 8, design_name: "Wooden", file_location: "/usr", file_name:
 *   "wooden-20220717-npgz.json", last_updated: "2022-11-03 14:20:49.962000" }, "r1");
 * assert.equal(row.file_name, "wooden-20220717-npgz.json");
 * ```
 */
export function dimDesign(d: SourceRow, runId: string): WarehouseRow {
  const t = "design";
  const k = pk(t, d);
  return {
    design_id: k,
    design_name: text(t, d, k, "design_name"),
    file_location: text(t, d, k, "file_location"),
    file_name: text(t, d, k, "file_name"),
    source_last_updated: lastUpdated(t, d),
    source_run_id: runId,
  };
}

/** The rule of dim_design. */
export const DIM_DESIGN: TableRule = {
  target: "dim_design",
  source: "design",
  build: (row: SourceRow, { runId }: RuleContext) => dimDesign(row, runId),
};
