import assert from "node:assert/strict";
import { MemoryStore } from "../io/memory_store.ts";
import type { ProgressEvent } from "../io/progress.ts";
import { dimCurrency } from "./rules/dim_currency.ts";
import { RunWriter } from "./writer.ts";

Deno.test("RunWriter: a table reports 0 rows as it starts and its final count once written", async () => {
  const events: ProgressEvent[] = [];
  const writer = new RunWriter(new MemoryStore(), "20261202T142632597Z-2dbbbb", (e) => events.push(e));
  const rows = ["GBP", "USD", "EUR"].map((code, i) =>
    dimCurrency(
      { currency_id: i + 1, currency_code: code, last_updated: "2022-11-03 14:20:49.962000" },
      "20261202T142632597Z-2dbbbb",
    )
  );
  await writer.table("dim_currency", rows);
  await writer.settled();
  assert.deepEqual(events.map((e) => [e.table, e.rows, e.phase]), [
    ["dim_currency", 0, "write"],
    ["dim_currency", 3, "written"],
  ]);
  assert.equal(writer.counts.dim_currency, 3);
});
