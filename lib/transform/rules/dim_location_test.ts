import assert from "node:assert/strict";
import { BadRowError } from "../bad_row.ts";
import { dimLocation } from "./dim_location.ts";

const address = {
  address_id: 1,
  address_line_1: "6826 Herzog Via",
  address_line_2: null,
  district: "Avon",
  city: "New Patienceburgh",
  postal_code: "28441",
  country: "Turkey",
  phone: "1803 637401",
  created_at: "2022-11-03 14:20:49.962000",
  last_updated: "2022-11-03 14:20:49.962000",
};

Deno.test("dimLocation() makes address_id the location_id and keeps NULL optional lines", () => {
  assert.deepEqual(dimLocation(address, "20221103T142049962000Z-a1"), {
    location_id: 1,
    address_line_1: "6826 Herzog Via",
    address_line_2: null,
    district: "Avon",
    city: "New Patienceburgh",
    postal_code: "28441",
    country: "Turkey",
    phone: "1803 637401",
    source_last_updated: "2022-11-03 14:20:49.962000",
    source_run_id: "20221103T142049962000Z-a1",
  });
});

Deno.test("dimLocation() names the address when a NOT NULL column is NULL", () => {
  assert.throws(
    () => dimLocation({ ...address, city: null }, "r"),
    (e: unknown) =>
      e instanceof BadRowError &&
      e.message === "Cannot transform address 1: city null is NULL; the warehouse needs a value",
  );
});
