import assert from "node:assert/strict";
import { EMPTY_REFERENCE_STATE } from "../reference.ts";
import { dimCounterparty } from "./dim_counterparty.ts";

const address = {
  address_id: 2,
  address_line_1: "179 Alexie Cliffs",
  address_line_2: "Flat 2",
  district: null,
  city: "Aliso Viejo",
  postal_code: "99305-7380",
  country: "San Marino",
  phone: "9621 880720",
  last_updated: "2022-11-03 14:20:49.962000",
};
const counterparty = {
  counterparty_id: 1,
  counterparty_legal_name: "Fahey and Sons",
  legal_address_id: 2,
  commercial_contact: "Micheal Toy",
  delivery_contact: "Mrs. Lucy Runolfsdottir",
  last_updated: "2022-11-03 14:20:51.563000",
};

Deno.test("dimCounterparty() joins the legal address and takes the later last_updated", () => {
  const state = { ...EMPTY_REFERENCE_STATE, address: { "2": address } };
  assert.deepEqual(dimCounterparty(counterparty, state, "r"), {
    counterparty_id: 1,
    counterparty_legal_name: "Fahey and Sons",
    counterparty_legal_address_line_1: "179 Alexie Cliffs",
    counterparty_legal_address_line_2: "Flat 2",
    counterparty_legal_district: null,
    counterparty_legal_city: "Aliso Viejo",
    counterparty_legal_postal_code: "99305-7380",
    counterparty_legal_country: "San Marino",
    counterparty_legal_phone_number: "9621 880720",
    source_last_updated: "2022-11-03 14:20:51.563000",
    source_run_id: "r",
  });
});

Deno.test("dimCounterparty() fails naming the counterparty when its address is missing", () => {
  assert.throws(
    () => dimCounterparty(counterparty, EMPTY_REFERENCE_STATE, "r"),
    /Cannot transform counterparty 1: legal_address_id 2 references an address that does not exist/,
  );
});
