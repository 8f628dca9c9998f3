/**
 * dim_location: one row per ToteSys address (address_id becomes location_id), its latest values (type 1;
 * docs/design.md section 5, the Northcoders ERD).
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { lastUpdated, pk, type SourceRow, text, textOrNull } from "./_columns.ts";
import type { RuleContext, TableRule } from "./_rule.ts";

/**
 * The dim_location row of an address.
 *
 * @throws BadRowError naming the address and column when a NOT NULL column is missing or a value is not text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimLocation } from "./dim_location.ts";
 * const row = dimLocation({ address_id: 6, address_line_1: "6826 Herzog Via", address_line_2: null,
 *   district: "Avon", city: "New Patienceburgh", postal_code: "28441", country: "Turkey",
 *   phone: "1803 637401", last_updated: "2022-11-03 14:20:49.962000" }, "r1");
 * assert.equal(row.location_id, 6);
 * assert.equal(row.address_line_2, null);
 * ```
 */
export function dimLocation(a: SourceRow, runId: string): WarehouseRow {
  const t = "address";
  const k = pk(t, a);
  return {
    location_id: k,
    address_line_1: text(t, a, k, "address_line_1"),
    address_line_2: textOrNull(t, a, k, "address_line_2"),
    district: textOrNull(t, a, k, "district"),
    city: text(t, a, k, "city"),
    postal_code: text(t, a, k, "postal_code"),
    country: text(t, a, k, "country"),
    phone: text(t, a, k, "phone"),
    source_last_updated: lastUpdated(t, a),
    source_run_id: runId,
  };
}

/** The rule of dim_location. */
export const DIM_LOCATION: TableRule = {
  target: "dim_location",
  source: "address",
  build: (row: SourceRow, { runId }: RuleContext) => dimLocation(row, runId),
};
