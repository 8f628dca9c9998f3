/**
 * dim_counterparty: one row per ToteSys counterparty joined to its legal address (the Northcoders ERD's
 * `counterparty_legal_*` columns). An address change re-emits its counterparties (lib/transform/reference.ts),
 * and the row's version is the later `last_updated` of the two.
 *
 * @module
 */
import type { WarehouseRow } from "../../contract/mod.ts";
import { BadRowError } from "../bad_row.ts";
import type { ReferenceState } from "../reference.ts";
import { int, lastUpdated, later, pk, type SourceRow, text, textOrNull } from "./_columns.ts";
import type { RuleContext, TableRule } from "./_rule.ts";

/**
 * The dim_counterparty row of a counterparty, with its legal address from the reference state.
 *
 * @throws BadRowError naming the counterparty when its legal address does not exist, or the address when a NOT
 *   NULL column of it is missing.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dimCounterparty } from "./dim_counterparty.ts";
 * import { EMPTY_REFERENCE_STATE } from "../reference.ts";
 * const address = { address_id: 15, address_line_1: "605 Haskell Trafficway", address_line_2: "Axel Freeway",
 *   district: null, city: "East Bobbie", postal_code: "88253-4257", country: "Heard Island and McDonald Islands",
 *   phone: "9687 937447", last_updated: "2022-11-03 14:20:49.962000" };
 * const state = { ...EMPTY_REFERENCE_STATE, address: { "15": address } };
 * const row = dimCounterparty({ counterparty_id: 1, counterparty_legal_name: "Fahey and Sons",
 *   legal_address_id: 15, last_updated: "2022-11-03 14:20:51.563000" }, state, "r1");
 * assert.equal(row.counterparty_legal_city, "East Bobbie");
 * assert.equal(row.counterparty_legal_district, null);
 * ```
 */
export function dimCounterparty(c: SourceRow, state: ReferenceState, runId: string): WarehouseRow {
  const t = "counterparty";
  const k = pk(t, c);
  const addrId = int(t, c, k, "legal_address_id");
  const a = state.address[String(addrId)];
  if (!a) {
    throw new BadRowError(t, k, "legal_address_id", addrId, "references an address that does not exist");
  }
  return {
    counterparty_id: k,
    counterparty_legal_name: text(t, c, k, "counterparty_legal_name"),
    counterparty_legal_address_line_1: text("address", a, addrId, "address_line_1"),
    counterparty_legal_address_line_2: textOrNull("address", a, addrId, "address_line_2"),
    counterparty_legal_district: textOrNull("address", a, addrId, "district"),
    counterparty_legal_city: text("address", a, addrId, "city"),
    counterparty_legal_postal_code: text("address", a, addrId, "postal_code"),
    counterparty_legal_country: text("address", a, addrId, "country"),
    counterparty_legal_phone_number: text("address", a, addrId, "phone"),
    source_last_updated: later(lastUpdated(t, c), lastUpdated("address", a)),
    source_run_id: runId,
  };
}

/** The rule of dim_counterparty. */
export const DIM_COUNTERPARTY: TableRule = {
  target: "dim_counterparty",
  source: "counterparty",
  build: (row: SourceRow, { runId, reference }: RuleContext) => dimCounterparty(row, reference, runId),
};
